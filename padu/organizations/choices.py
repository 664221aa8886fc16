"""Choices for regions, agencies and units."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    REGENCY = 2, _("Regency/city")
    DISTRICT = 3, _("District (kecamatan)")
    VILLAGE = 4, _("Village (desa/kelurahan)")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Province (provinsi)")
    KABUPATEN = "kabupaten", _("Regency (kabupaten)")
    KOTA = "kota", _("City (kota)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")
    DESA = "desa", _("Rural village (desa)")


class AgencyKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provincial government")
    KABUPATEN = "kabupaten", _("Regency government")
    KOTA = "kota", _("City government")
    KEMENTERIAN = "kementerian", _("Ministry")
    LEMBAGA = "lembaga", _("Agency (lembaga)")


class UnitKind(models.TextChoices):
    SEKRETARIAT = "sekretariat", _("Secretariat")
    DINAS = "dinas", _("Office (dinas)")
    BADAN = "badan", _("Board (badan)")
    INSPEKTORAT = "inspektorat", _("Inspectorate")
    BAGIAN = "bagian", _("Division (bagian)")
    SATPOL = "satpol", _("Civil service police unit")
    KECAMATAN = "kecamatan", _("District office (kecamatan)")
    KELURAHAN = "kelurahan", _("Urban village office (kelurahan)")
    DESA = "desa", _("Village office (desa)")
    UPTD = "uptd", _("Technical unit (UPTD)")
    OTHER = "lainnya", _("Other")


REGION_UNIT_KINDS = {UnitKind.KECAMATAN, UnitKind.KELURAHAN, UnitKind.DESA}

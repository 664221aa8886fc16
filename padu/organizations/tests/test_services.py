"""Unit and agency services: checks before writing, one audit row per real change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from padu.accounts.models import User
from padu.audit.models import AuditAction, AuditEvent
from padu.organizations import services
from padu.organizations.choices import UnitKind
from padu.organizations.models import Agency, Region, Unit, validate_timezone

# The smallest valid PNG: 1x1 pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def audit_rows(instance: Any, action: str | None = None) -> Any:
    rows = AuditEvent.objects.filter(
        object_type=f"{instance._meta.app_label}.{instance._meta.model_name}",
        object_id=str(instance.pk),
    )
    return rows.filter(action=action) if action else rows


def db_state(unit: Unit) -> dict[str, Any]:
    return Unit.objects.filter(pk=unit.pk).values().get()


def message_dict(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- create_unit -------------------------------------------------------------------------


def test_create_unit_saves_it_and_writes_an_audit_row_with_the_values(
    agency: Agency, admin_user: User, units: dict[str, Unit]
) -> None:
    unit = services.create_unit(
        actor=admin_user,
        agency=agency,
        name="Bidang Aplikasi Informatika",
        acronym="Aptika",
        kind=UnitKind.BAGIAN,
        parent=units["diskominfo"],
    )
    assert Unit.objects.get(pk=unit.pk).parent == units["diskominfo"]
    event = audit_rows(unit).get()
    assert event.action == AuditAction.CREATE
    assert (event.actor, event.actor_repr, event.agency) == (admin_user, str(admin_user), agency)
    assert event.before is None
    assert event.after["name"] == "Bidang Aplikasi Informatika"
    assert event.after["acronym"] == "Aptika"
    assert event.after["parent"] == units["diskominfo"].pk
    assert event.after["agency"] == agency.pk
    assert event.object_repr == "Aptika"


def test_create_unit_serves_a_kelurahan_inside_the_agency_area(
    agency: Agency, admin_user: User, regions: dict[str, Region]
) -> None:
    unit = services.create_unit(
        actor=admin_user,
        agency=agency,
        name="Kelurahan Kambu",
        kind=UnitKind.KELURAHAN,
        region=regions["kel_kambu"],
    )
    assert unit.region == regions["kel_kambu"]
    assert audit_rows(unit).get().after["region"] == "74.71.10.1001"


def test_create_unit_accepts_the_agency_region_itself(
    agency: Agency, admin_user: User, regions: dict[str, Region]
) -> None:
    unit = services.create_unit(
        actor=admin_user,
        agency=agency,
        name="UPTD Pusat",
        kind=UnitKind.UPTD,
        region=regions["kendari"],
    )
    assert unit.region_id == "74.71"


@pytest.mark.parametrize("kind", [UnitKind.KECAMATAN, UnitKind.KELURAHAN, UnitKind.DESA])
def test_a_kecamatan_or_kelurahan_office_needs_a_region(
    agency: Agency, admin_user: User, kind: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(actor=admin_user, agency=agency, name="Kantor Wilayah", kind=kind)
    assert message_dict(excinfo) == {
        "region": ["A kecamatan or kelurahan office must name the area it serves."]
    }
    assert not Unit.objects.filter(name="Kantor Wilayah").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("kind", [UnitKind.KECAMATAN, UnitKind.DINAS])
def test_a_region_outside_the_agency_area_is_refused(
    agency: Agency, admin_user: User, regions: dict[str, Region], kind: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(
            actor=admin_user,
            agency=agency,
            name="Kecamatan Tinanggea",
            kind=kind,
            region=regions["konsel_district"],
        )
    assert message_dict(excinfo) == {"region": ["This region lies outside the agency's area."]}
    assert not Unit.objects.filter(name="Kecamatan Tinanggea").exists()
    assert not AuditEvent.objects.exists()


def test_the_province_above_the_agency_is_outside_its_area(
    agency: Agency, admin_user: User, regions: dict[str, Region]
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(
            actor=admin_user,
            agency=agency,
            name="Perwakilan",
            kind="dinas",
            region=regions["sultra"],
        )
    assert "region" in message_dict(excinfo)


def test_an_agency_without_a_region_cannot_give_units_a_region(
    admin_user: User, regions: dict[str, Region]
) -> None:
    ministry = Agency.objects.create(
        name="Kementerian Contoh", slug="kementerian", kind="kementerian"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(
            actor=admin_user,
            agency=ministry,
            name="Kantor Daerah",
            kind=UnitKind.UPTD,
            region=regions["kendari"],
        )
    assert "region" in message_dict(excinfo)
    assert not ministry.units.exists()


def test_a_parent_unit_of_another_agency_is_refused(
    agency: Agency, admin_user: User, other_unit: Unit
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(
            actor=admin_user, agency=agency, name="Puskesmas Kambu", kind="uptd", parent=other_unit
        )
    assert message_dict(excinfo) == {"parent": ["The parent unit belongs to another agency."]}
    assert not Unit.objects.filter(name="Puskesmas Kambu").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["Dinas Kesehatan", "dinas kesehatan", "DINAS KESEHATAN"])
def test_a_second_unit_with_the_same_name_is_refused_whatever_the_case(
    agency: Agency, admin_user: User, units: dict[str, Unit], name: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(actor=admin_user, agency=agency, name=name, kind="dinas")
    assert message_dict(excinfo) == {"name": ["This agency already has a unit with this name."]}
    assert Unit.objects.filter(agency=agency, name__iexact="dinas kesehatan").count() == 1


def test_the_same_unit_name_is_fine_in_another_agency(
    other_agency: Agency, outsider: User, units: dict[str, Unit]
) -> None:
    unit = services.create_unit(
        actor=outsider, agency=other_agency, name="Dinas Pendidikan dan Kebudayaan", kind="dinas"
    )
    assert unit.agency == other_agency
    assert audit_rows(unit).get().agency == other_agency


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"name": "", "kind": "dinas"}, "name"),
        ({"name": "Dinas Baru", "kind": "kantor"}, "kind"),
        ({"name": "x" * 201, "kind": "dinas"}, "name"),
    ],
)
def test_create_unit_runs_the_model_validation(
    agency: Agency, admin_user: User, fields: dict[str, str], key: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(actor=admin_user, agency=agency, **fields)
    assert key in message_dict(excinfo)
    assert not Unit.objects.exists()


# --- update_unit -------------------------------------------------------------------------


def test_update_unit_audits_only_the_changed_fields_with_before_and_after(
    admin_user: User, units: dict[str, Unit]
) -> None:
    dinkes = units["dinkes"]
    services.update_unit(
        actor=admin_user,
        unit=dinkes,
        name="Dinas Kesehatan",
        acronym="Dinkes Kota",
        parent=units["diskominfo"],
        is_active=True,
    )
    assert db_state(dinkes)["acronym"] == "Dinkes Kota"
    event = audit_rows(dinkes).get()
    assert event.action == AuditAction.UPDATE
    assert event.actor == admin_user
    assert event.agency == dinkes.agency
    assert event.before == {"acronym": "Dinkes", "parent": None}
    assert event.after == {"acronym": "Dinkes Kota", "parent": units["diskominfo"].pk}


def test_update_unit_that_changes_nothing_writes_no_audit_row(
    admin_user: User, units: dict[str, Unit]
) -> None:
    dinkes = units["dinkes"]
    services.update_unit(
        actor=admin_user, unit=dinkes, name="Dinas Kesehatan", acronym="Dinkes", kind="dinas"
    )
    assert not AuditEvent.objects.exists()


def test_update_unit_may_change_the_case_of_its_own_name(
    admin_user: User, units: dict[str, Unit]
) -> None:
    services.update_unit(actor=admin_user, unit=units["dinkes"], name="DINAS KESEHATAN")
    assert db_state(units["dinkes"])["name"] == "DINAS KESEHATAN"


def test_update_unit_refuses_the_name_of_another_unit(
    admin_user: User, units: dict[str, Unit]
) -> None:
    dinkes = units["dinkes"]
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin_user, unit=dinkes, name="inspektorat daerah")
    assert "name" in message_dict(excinfo)
    assert db_state(dinkes)["name"] == "Dinas Kesehatan"
    assert not AuditEvent.objects.exists()


def test_update_unit_refuses_an_unknown_field_and_saves_nothing(
    admin_user: User, units: dict[str, Unit], other_agency: Agency
) -> None:
    dinkes = units["dinkes"]
    with pytest.raises(ValueError, match="agency"):
        services.update_unit(actor=admin_user, unit=dinkes, acronym="X", agency=other_agency)
    assert db_state(dinkes)["agency_id"] == dinkes.agency_id
    assert db_state(dinkes)["acronym"] == "Dinkes"
    assert not AuditEvent.objects.exists()


def test_a_unit_cannot_be_its_own_parent(admin_user: User, units: dict[str, Unit]) -> None:
    dinkes = units["dinkes"]
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin_user, unit=dinkes, parent=dinkes)
    assert message_dict(excinfo) == {"parent": ["A unit cannot be placed under itself."]}
    assert db_state(dinkes)["parent_id"] is None
    assert not AuditEvent.objects.exists()


def test_a_unit_cannot_be_placed_under_its_own_child(
    admin_user: User, units: dict[str, Unit]
) -> None:
    diskominfo, dinkes = units["diskominfo"], units["dinkes"]
    services.update_unit(actor=admin_user, unit=dinkes, parent=diskominfo)
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(
            actor=admin_user, unit=Unit.objects.get(pk=diskominfo.pk), parent=dinkes
        )
    assert "parent" in message_dict(excinfo)
    assert db_state(diskominfo)["parent_id"] is None


def test_a_unit_cannot_be_placed_under_a_deeper_descendant(
    admin_user: User, units: dict[str, Unit]
) -> None:
    top, middle, bottom = units["diskominfo"], units["dinkes"], units["disdik"]
    services.update_unit(actor=admin_user, unit=middle, parent=top)
    services.update_unit(actor=admin_user, unit=bottom, parent=middle)
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin_user, unit=Unit.objects.get(pk=top.pk), parent=bottom)
    assert message_dict(excinfo) == {"parent": ["A unit cannot be placed under itself."]}
    assert db_state(top)["parent_id"] is None
    assert audit_rows(top).count() == 0


def test_a_unit_may_move_under_a_sibling_branch(admin_user: User, units: dict[str, Unit]) -> None:
    services.update_unit(actor=admin_user, unit=units["dinkes"], parent=units["diskominfo"])
    services.update_unit(actor=admin_user, unit=units["disdik"], parent=units["dinkes"])
    assert Unit.objects.get(pk=units["disdik"].pk).parent.parent == units["diskominfo"]


def test_update_unit_refuses_a_parent_of_another_agency(
    admin_user: User, units: dict[str, Unit], other_unit: Unit
) -> None:
    dinkes = units["dinkes"]
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin_user, unit=dinkes, parent=other_unit)
    assert message_dict(excinfo) == {"parent": ["The parent unit belongs to another agency."]}
    assert db_state(dinkes)["parent_id"] is None


def test_update_unit_refuses_moving_a_kecamatan_outside_the_area(
    admin_user: User, units: dict[str, Unit], regions: dict[str, Region]
) -> None:
    kec = units["kec_kambu"]
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin_user, unit=kec, region=regions["konsel_district"])
    assert "region" in message_dict(excinfo)
    assert db_state(kec)["region_id"] == "74.71.10"


def test_update_unit_refuses_removing_the_area_of_a_kecamatan(
    admin_user: User, units: dict[str, Unit]
) -> None:
    kec = units["kec_kambu"]
    with pytest.raises(ValidationError) as excinfo:
        services.update_unit(actor=admin_user, unit=kec, region=None)
    assert "region" in message_dict(excinfo)
    assert db_state(kec)["region_id"] == "74.71.10"


def test_update_unit_refuses_turning_a_dinas_into_a_kecamatan_without_area(
    admin_user: User, units: dict[str, Unit]
) -> None:
    with pytest.raises(ValidationError):
        services.update_unit(actor=admin_user, unit=units["dinkes"], kind=UnitKind.KECAMATAN)
    assert db_state(units["dinkes"])["kind"] == UnitKind.DINAS


def test_deactivating_a_unit_is_audited(admin_user: User, units: dict[str, Unit]) -> None:
    services.update_unit(actor=admin_user, unit=units["disdik"], is_active=False)
    event = audit_rows(units["disdik"]).get()
    assert (event.before, event.after) == ({"is_active": True}, {"is_active": False})


# --- update_agency -----------------------------------------------------------------------


def test_update_agency_audits_the_change_with_before_and_after(
    agency: Agency, admin_user: User
) -> None:
    services.update_agency(actor=admin_user, agency=agency, timezone="Asia/Jakarta")
    assert Agency.objects.get(pk=agency.pk).timezone == "Asia/Jakarta"
    event = audit_rows(agency).get()
    assert event.action == AuditAction.UPDATE
    assert (event.actor, event.agency) == (admin_user, agency)
    assert event.before == {"timezone": "Asia/Makassar"}
    assert event.after == {"timezone": "Asia/Jakarta"}


def test_update_agency_that_changes_nothing_writes_no_audit_row(
    agency: Agency, admin_user: User
) -> None:
    services.update_agency(
        actor=admin_user, agency=agency, name="Pemerintah Kota Kendari", timezone="Asia/Makassar"
    )
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("zone", ["Asia/Kendari", "WITA", "", "asia/makassar", "UTC+8"])
def test_update_agency_refuses_an_unknown_time_zone(
    agency: Agency, admin_user: User, zone: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.update_agency(actor=admin_user, agency=agency, timezone=zone)
    assert "timezone" in message_dict(excinfo)
    assert Agency.objects.get(pk=agency.pk).timezone == "Asia/Makassar"
    assert not AuditEvent.objects.exists()


def test_update_agency_refuses_the_name_of_another_agency(
    agency: Agency, other_agency: Agency, admin_user: User
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.update_agency(actor=admin_user, agency=agency, name=other_agency.name)
    assert "name" in message_dict(excinfo)
    assert Agency.objects.get(pk=agency.pk).name == "Pemerintah Kota Kendari"


@pytest.mark.parametrize("field", ["slug", "region", "kind", "is_active"])
def test_update_agency_refuses_fields_the_agency_may_not_change(
    agency: Agency, admin_user: User, field: str
) -> None:
    with pytest.raises(ValueError, match=field):
        services.update_agency(actor=admin_user, agency=agency, **{field: None})
    assert not AuditEvent.objects.exists()


def test_update_agency_records_the_logo_by_its_stored_name(
    agency: Agency, admin_user: User
) -> None:
    logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    services.update_agency(actor=admin_user, agency=agency, logo=logo)
    stored = Agency.objects.get(pk=agency.pk).logo.name
    assert stored.startswith("agency-logos/logo")
    event = audit_rows(agency).get()
    assert event.before == {"logo": ""}
    assert event.after == {"logo": stored}


@pytest.mark.parametrize("zone", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC"])
def test_validate_timezone_accepts_iana_zones(zone: str) -> None:
    validate_timezone(zone)


@pytest.mark.parametrize("zone", ["Asia/Kendari", "WIB", "", "Asia/Makassar "])
def test_validate_timezone_refuses_anything_else(zone: str) -> None:
    with pytest.raises(ValidationError, match="Unknown time zone"):
        validate_timezone(zone)


def test_an_agency_with_a_bad_time_zone_fails_full_clean(regions: dict[str, Region]) -> None:
    agency = Agency(name="Pemda Uji", slug="pemda-uji", kind="kota", timezone="Asia/Kendari")
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    assert list(message_dict(excinfo)) == ["timezone"]


def test_a_new_agency_defaults_to_western_indonesia_time(db: None) -> None:
    agency = Agency.objects.create(name="Pemda Uji", slug="pemda-uji", kind="kota")
    assert agency.timezone == "Asia/Jakarta"
    agency.full_clean()


# --- Region.is_within --------------------------------------------------------------------


def r(code: str) -> Region:
    return Region(code=code, name=code)


@pytest.mark.parametrize(
    ("inner", "outer", "expected"),
    [
        ("74.71", "74.71", True),
        ("74.71", "74", True),
        ("74.71.10", "74.71", True),
        ("74.71.10.1001", "74", True),
        ("74", "74.71", False),
        ("74.71", "74.71.10", False),
        ("74.05", "74.71", False),
        ("74.71.10", "74.71.1", False),
        ("74.710", "74.71", False),
        ("74", "7", False),
        ("73.71", "74", False),
        ("14.71", "74.71", False),
    ],
)
def test_region_is_within_itself_and_its_ancestors_only(
    inner: str, outer: str, expected: bool
) -> None:
    assert r(inner).is_within(r(outer)) is expected


def test_fixture_regions_nest_as_expected(regions: dict[str, Region]) -> None:
    assert regions["kel_kambu"].is_within(regions["kendari"])
    assert regions["kel_kambu"].is_within(regions["kambu"])
    assert not regions["kel_kambu"].is_within(regions["mandonga"])
    assert not regions["konsel_district"].is_within(regions["kendari"])
    assert regions["konsel_district"].is_within(regions["sultra"])


def test_a_parent_loop_made_outside_the_product_is_refused_not_walked_forever(
    agency, units, admin_user
) -> None:
    a, b = units["dinkes"], units["disdik"]
    Unit.objects.filter(pk=a.pk).update(parent=b)
    Unit.objects.filter(pk=b.pk).update(parent=a)
    child = Unit.objects.create(agency=agency, name="UPTD Puskesmas", kind="uptd", parent=a)
    child.refresh_from_db()
    with pytest.raises(ValidationError):
        services.update_unit(actor=admin_user, unit=child, acronym="Puskesmas")


def test_a_kecamatan_office_must_serve_a_kecamatan_or_village_not_the_city(
    agency, regions, admin_user
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.create_unit(
            actor=admin_user,
            agency=agency,
            name="Kecamatan Kota",
            kind="kecamatan",
            region=regions["kendari"],
        )
    assert "region" in excinfo.value.message_dict

"""The demo: Kota Kendari with its real kecamatan and kelurahan, typical OPDs and one user per role.

Idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from padu.accounts.choices import Role
from padu.accounts.models import Membership, User
from padu.organizations.choices import AgencyKind, UnitKind
from padu.organizations.models import Agency, Region, Unit
from padu.organizations.regions_import import import_regions, read_regions

DEMO_PASSWORD = "padu-demo-2026"

KENDARI_OPD: list[tuple[str, str, str]] = [
    ("Sekretariat Daerah", "Setda", UnitKind.SEKRETARIAT),
    ("Sekretariat DPRD", "Setwan", UnitKind.SEKRETARIAT),
    ("Inspektorat Daerah", "Inspektorat", UnitKind.INSPEKTORAT),
    ("Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah", "Bappeda", UnitKind.BADAN),
    ("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", UnitKind.BADAN),
    ("Badan Pendapatan Daerah", "Bapenda", UnitKind.BADAN),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM", UnitKind.BADAN),
    ("Badan Kesatuan Bangsa dan Politik", "Kesbangpol", UnitKind.BADAN),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", UnitKind.BADAN),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", UnitKind.DINAS),
    ("Dinas Kesehatan", "Dinkes", UnitKind.DINAS),
    ("Dinas Pendidikan dan Kebudayaan", "Disdikbud", UnitKind.DINAS),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", UnitKind.DINAS),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", UnitKind.DINAS),
    ("Dinas Perpustakaan dan Kearsipan", "Dispusip", UnitKind.DINAS),
    ("Dinas Sosial", "Dinsos", UnitKind.DINAS),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", UnitKind.DINAS),
    ("Dinas Perhubungan", "Dishub", UnitKind.DINAS),
    ("Dinas Lingkungan Hidup dan Kehutanan", "DLHK", UnitKind.DINAS),
    ("Dinas Perumahan, Kawasan Permukiman dan Pertanahan", "Disperkim", UnitKind.DINAS),
    ("Dinas Pariwisata", "Dispar", UnitKind.DINAS),
    ("Dinas Koperasi dan Usaha Kecil Menengah", "Diskop UKM", UnitKind.DINAS),
    ("Dinas Perdagangan dan Perindustrian", "Disdagin", UnitKind.DINAS),
    ("Dinas Tenaga Kerja", "Disnaker", UnitKind.DINAS),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A", UnitKind.DINAS),
    ("Dinas Ketahanan Pangan", "DKP", UnitKind.DINAS),
    ("Dinas Pertanian", "Distan", UnitKind.DINAS),
    ("Dinas Pemuda dan Olahraga", "Dispora", UnitKind.DINAS),
    ("Satuan Polisi Pamong Praja", "Satpol PP", UnitKind.SATPOL),
    ("Bagian Organisasi", "Bag. Organisasi", UnitKind.BAGIAN),
    ("Bagian Hukum", "Bag. Hukum", UnitKind.BAGIAN),
    ("Bagian Pemerintahan", "Bag. Pemerintahan", UnitKind.BAGIAN),
]
SETDA_BAGIAN = {"Bag. Organisasi", "Bag. Hukum", "Bag. Pemerintahan"}

KONSEL_OPD: list[tuple[str, str, str]] = [
    ("Dinas Komunikasi dan Informatika", "Diskominfo", UnitKind.DINAS),
    ("Dinas Kesehatan", "Dinkes", UnitKind.DINAS),
    ("Badan Perencanaan Pembangunan Daerah", "Bappeda", UnitKind.BADAN),
]


Grant = tuple[Agency, str, Unit | None, Region | None]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str
    agencies: str


def _unit(agency: Agency, name: str, acronym: str, kind: str, **extra: object) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        agency=agency, name=name, defaults={"acronym": acronym, "kind": kind, **extra}
    )
    return unit


def _user(username: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "email": f"{username}@demo.padu.local"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _member(
    user: User, agency: Agency, role: str, unit: Unit | None = None, region: Region | None = None
) -> None:
    Membership.objects.get_or_create(user=user, agency=agency, role=role, unit=unit, region=region)


def _units_for_regions(agency: Agency, city: Region) -> None:
    """One office per kecamatan, and per kelurahan under its kecamatan office."""
    for district in Region.objects.filter(parent=city).order_by("code"):
        office = _unit(
            agency,
            f"Kecamatan {district.name}",
            f"Kec. {district.name}",
            UnitKind.KECAMATAN,
            region=district,
        )
        for village in Region.objects.filter(parent=district).order_by("code"):
            _unit(
                agency,
                f"Kelurahan {village.name} ({district.name})",
                f"Kel. {village.name}",
                village.kind,
                region=village,
                parent=office,
            )


@transaction.atomic
def seed_demo() -> list[DemoLogin]:
    """Create (or leave as is) the demo agencies, units and users; return the logins."""
    if not Region.objects.filter(code="74.71").exists():
        import_regions(read_regions(only=["74"]))
    kendari_region = Region.objects.get(code="74.71")
    konsel_region = Region.objects.get(code="74.05")
    kendari, _ = Agency.objects.get_or_create(
        slug="kota-kendari",
        defaults={
            "name": "Pemerintah Kota Kendari",
            "kind": AgencyKind.KOTA,
            "region": kendari_region,
            "timezone": "Asia/Makassar",
        },
    )
    konsel, _ = Agency.objects.get_or_create(
        slug="kabupaten-konawe-selatan",
        defaults={
            "name": "Pemerintah Kabupaten Konawe Selatan",
            "kind": AgencyKind.KABUPATEN,
            "region": konsel_region,
            "timezone": "Asia/Makassar",
        },
    )
    units = {acr: _unit(kendari, name, acr, kind) for name, acr, kind in KENDARI_OPD}
    for acronym in SETDA_BAGIAN:
        if units[acronym].parent_id is None:
            units[acronym].parent = units["Setda"]
            units[acronym].save(update_fields=["parent"])
    _units_for_regions(kendari, kendari_region)
    konsel_units = {acr: _unit(konsel, name, acr, kind) for name, acr, kind in KONSEL_OPD}

    kambu = Region.objects.get(code="74.71.10.1001")
    people: list[tuple[str, str, list[Grant]]] = [
        ("admin", "Andi Admin", [(kendari, Role.AGENCY_ADMIN, None, None)]),
        (
            "koordinator",
            "Kartini Koordinator",
            [(kendari, Role.SPBE_COORDINATOR, units["Diskominfo"], None)],
        ),
        ("opd.dinkes", "Dewi Dinkes", [(kendari, Role.UNIT_ADMIN, units["Dinkes"], None)]),
        ("opd.disdik", "Darma Disdikbud", [(kendari, Role.UNIT_ADMIN, units["Disdikbud"], None)]),
        ("asesor", "Asri Asesor", [(kendari, Role.INTERNAL_ASSESSOR, units["Inspektorat"], None)]),
        ("pimpinan", "Pak Sekda", [(kendari, Role.LEADER, None, None)]),
        ("operator.kambu", "Ojo Operator", [(kendari, Role.VILLAGE_OPERATOR, None, kambu)]),
        (
            "produsen.dinkes",
            "Putri Produsen",
            [(kendari, Role.DATA_PRODUCER, units["Dinkes"], None)],
        ),
        ("walidata", "Wawan Walidata", [(kendari, Role.DATA_CUSTODIAN, units["Diskominfo"], None)]),
        (
            "viewer",
            "Vera Viewer",
            [(kendari, Role.VIEWER, None, None), (konsel, Role.VIEWER, None, None)],
        ),
        (
            "admin.konsel",
            "Admin Konawe Selatan",
            [
                (konsel, Role.AGENCY_ADMIN, None, None),
                (konsel, Role.UNIT_ADMIN, konsel_units["Diskominfo"], None),
            ],
        ),
    ]
    logins: list[DemoLogin] = []
    users: dict[str, User] = {}
    for username, full_name, roles in people:
        user = users[username] = _user(username, full_name)
        for agency, role, unit, region in roles:
            _member(user, agency, role, unit, region)
        logins.append(
            DemoLogin(
                username=username,
                role=", ".join(str(Role(r[1]).label) for r in roles),
                scope=", ".join(str(r[2] or r[3] or "") for r in roles if r[2] or r[3]),
                agencies=", ".join(sorted({r[0].name for r in roles})),
            )
        )
    from padu.evaluation.demo import seed_evaluation

    seed_evaluation(kendari, users, konsel)
    from padu.catalog.demo import seed_catalog

    seed_catalog(kendari, users)
    from padu.databank.demo import seed_databank

    logins.extend(seed_databank(kendari, users))
    from padu.databank.demo_publishing import seed_publication

    seed_publication(kendari, users)
    return logins

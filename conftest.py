"""Shared fixtures: the personas of STYLE.md on a small Kota Kendari, plus another agency."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from padu.accounts.choices import Role
from padu.accounts.models import Membership, User
from padu.organizations.choices import AgencyKind, RegionKind, RegionLevel, UnitKind
from padu.organizations.models import Agency, Region, Unit

pytest_plugins = ["padu.evaluation.tests.fixtures_mini"]

PASSWORD = "persona-password-2026"


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Jobs run in place, so a test sees their effect; test_tasks.py drives the real worker.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "bundles"],
        }
    }


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _region(code: str, name: str, level: int, kind: str, parent: Region | None) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "kind": kind, "parent": parent}
    )
    return region


@pytest.fixture
def regions(db: None) -> dict[str, Region]:
    """Sulawesi Tenggara, Kota Kendari with two kecamatan, and Konawe Selatan."""
    sultra = _region("74", "Sulawesi Tenggara", RegionLevel.PROVINCE, RegionKind.PROVINSI, None)
    kendari = _region("74.71", "Kota Kendari", RegionLevel.REGENCY, RegionKind.KOTA, sultra)
    mandonga = _region("74.71.01", "Mandonga", RegionLevel.DISTRICT, RegionKind.KECAMATAN, kendari)
    kambu = _region("74.71.10", "Kambu", RegionLevel.DISTRICT, RegionKind.KECAMATAN, kendari)
    konsel = _region(
        "74.05", "Kabupaten Konawe Selatan", RegionLevel.REGENCY, RegionKind.KABUPATEN, sultra
    )
    return {
        "sultra": sultra,
        "kendari": kendari,
        "mandonga": mandonga,
        "kambu": kambu,
        "kel_kambu": _region(
            "74.71.10.1001", "Kambu", RegionLevel.VILLAGE, RegionKind.KELURAHAN, kambu
        ),
        "kel_alolama": _region(
            "74.71.01.1001", "Alolama", RegionLevel.VILLAGE, RegionKind.KELURAHAN, mandonga
        ),
        "konsel": konsel,
        "konsel_district": _region(
            "74.05.01", "Tinanggea", RegionLevel.DISTRICT, RegionKind.KECAMATAN, konsel
        ),
    }


@pytest.fixture
def agency(regions: dict[str, Region]) -> Agency:
    return Agency.objects.create(
        name="Pemerintah Kota Kendari",
        slug="kota-kendari",
        kind=AgencyKind.KOTA,
        region=regions["kendari"],
        timezone="Asia/Makassar",
    )


@pytest.fixture
def other_agency(regions: dict[str, Region]) -> Agency:
    return Agency.objects.create(
        name="Pemerintah Kabupaten Konawe Selatan",
        slug="konawe-selatan",
        kind=AgencyKind.KABUPATEN,
        region=regions["konsel"],
        timezone="Asia/Makassar",
    )


@pytest.fixture
def units(agency: Agency, regions: dict[str, Region]) -> dict[str, Unit]:
    def make(name: str, acronym: str, kind: str, region: Region | None = None) -> Unit:
        return Unit.objects.create(
            agency=agency, name=name, acronym=acronym, kind=kind, region=region
        )

    return {
        "diskominfo": make("Dinas Komunikasi dan Informatika", "Diskominfo", UnitKind.DINAS),
        "dinkes": make("Dinas Kesehatan", "Dinkes", UnitKind.DINAS),
        "disdik": make("Dinas Pendidikan dan Kebudayaan", "Disdikbud", UnitKind.DINAS),
        "inspektorat": make("Inspektorat Daerah", "Inspektorat", UnitKind.INSPEKTORAT),
        "kec_kambu": make("Kecamatan Kambu", "Kec. Kambu", UnitKind.KECAMATAN, regions["kambu"]),
    }


@pytest.fixture
def other_unit(other_agency: Agency) -> Unit:
    return Unit.objects.create(
        agency=other_agency, name="Dinas Kesehatan", acronym="Dinkes", kind=UnitKind.DINAS
    )


def make_user(username: str, *memberships: tuple[Agency, str, Unit | None, Region | None]) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.go.id",
        full_name=username.replace(".", " ").title(),
    )
    for agency, role, unit, region in memberships:
        Membership.objects.create(user=user, agency=agency, role=role, unit=unit, region=region)
    return user


@pytest.fixture
def admin_user(agency: Agency) -> User:
    return make_user("admin", (agency, Role.AGENCY_ADMIN, None, None))


@pytest.fixture
def coordinator(agency: Agency, units: dict[str, Unit]) -> User:
    return make_user("koordinator", (agency, Role.SPBE_COORDINATOR, units["diskominfo"], None))


@pytest.fixture
def dinkes_admin(agency: Agency, units: dict[str, Unit]) -> User:
    return make_user("opd.dinkes", (agency, Role.UNIT_ADMIN, units["dinkes"], None))


@pytest.fixture
def disdik_admin(agency: Agency, units: dict[str, Unit]) -> User:
    return make_user("opd.disdik", (agency, Role.UNIT_ADMIN, units["disdik"], None))


@pytest.fixture
def assessor(agency: Agency, units: dict[str, Unit]) -> User:
    return make_user("asesor", (agency, Role.INTERNAL_ASSESSOR, units["inspektorat"], None))


@pytest.fixture
def leader(agency: Agency) -> User:
    return make_user("pimpinan", (agency, Role.LEADER, None, None))


@pytest.fixture
def village_operator(agency: Agency, regions: dict[str, Region]) -> User:
    return make_user("operator.kambu", (agency, Role.VILLAGE_OPERATOR, None, regions["kel_kambu"]))


@pytest.fixture
def data_custodian(agency: Agency, units: dict[str, Unit]) -> User:
    return make_user("walidata", (agency, Role.DATA_CUSTODIAN, units["diskominfo"], None))


@pytest.fixture
def viewer(agency: Agency) -> User:
    return make_user("viewer", (agency, Role.VIEWER, None, None))


@pytest.fixture
def outsider(other_agency: Agency) -> User:
    """The administrator of another agency."""
    return make_user("admin.konsel", (other_agency, Role.AGENCY_ADMIN, None, None))


@pytest.fixture
def audit_triggers_relaxed(transactional_db: None) -> Iterator[None]:
    """Transactional tests empty every table afterwards; lift the append-only triggers for that."""
    from padu.audit.testing import drop_append_only_triggers, install_append_only_triggers

    install_append_only_triggers(connection)
    yield
    drop_append_only_triggers(connection)


@pytest.fixture(autouse=True)
def _relax_triggers_for_transactional_tests(request: pytest.FixtureRequest) -> None:
    names = set(request.fixturenames)
    if names & {"transactional_db", "live_server"}:
        request.getfixturevalue("audit_triggers_relaxed")


def pytest_configure(config: Any) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

"""Who sees and changes evaluation data: scopes, fetchers and predicates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from padu.accounts.models import User
from padu.evaluation import permissions as perms
from padu.evaluation.choices import Stage
from padu.evaluation.models import Assessment, Evidence, EvidenceLink, Period
from padu.organizations.models import Agency, Unit

from .factories import EvidenceFactory, make_period

pytestmark = pytest.mark.usefixtures("english")

OVERSIGHT = ["admin_user", "coordinator", "assessor", "leader"]
EVALUATION_PERSONAS = [*OVERSIGHT, "dinkes_admin", "disdik_admin", "viewer"]


def persona(request: pytest.FixtureRequest, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


@pytest.fixture
def konsel_period(other_agency: Agency, tiny_period: Period, other_unit: Unit) -> Period:
    """Konawe Selatan's period on the same national instrument."""
    return make_period(agency=other_agency, instrument=tiny_period.instrument, lead_unit=other_unit)


# --- assessments ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["anonymous", "outsider", "village_operator", "data_custodian"])
def test_people_outside_the_evaluation_see_no_assessments(
    tiny_period: Period, konsel_period: Period, name: str, request: pytest.FixtureRequest
) -> None:
    user = persona(request, name)
    assert not perms.assessments_visible_to(user, tiny_period.agency).exists()
    assert not perms.periods_visible_to(user, tiny_period.agency).exists()


@pytest.mark.parametrize("name", EVALUATION_PERSONAS)
def test_evaluation_roles_see_every_assessment_of_their_agency_only(
    tiny_period: Period, konsel_period: Period, name: str, request: pytest.FixtureRequest
) -> None:
    user = persona(request, name)
    visible = perms.assessments_visible_to(user, tiny_period.agency)
    assert set(visible) == set(tiny_period.assessments.all())
    # Naming the other agency does not help: the user holds no role there.
    assert not perms.assessments_visible_to(user, konsel_period.agency).exists()


def test_the_other_agencys_admin_sees_only_their_own_assessments(
    tiny_period: Period, konsel_period: Period, outsider: User
) -> None:
    assert set(perms.assessments_visible_to(outsider, konsel_period.agency)) == set(
        konsel_period.assessments.all()
    )


@pytest.mark.parametrize("name", ["anonymous", "outsider", "village_operator"])
def test_fetching_an_assessment_outside_ones_scope_is_404(
    tiny_assessment: Assessment, name: str, request: pytest.FixtureRequest
) -> None:
    user = persona(request, name)
    for write in (False, True):
        with pytest.raises(Http404):
            perms.get_assessment_for_user(
                user, tiny_assessment.period.agency, tiny_assessment.pk, write=write
            )


def test_an_assessment_of_another_agency_is_404_even_for_the_coordinator(
    agency: Agency, konsel_period: Period, coordinator: User
) -> None:
    theirs = konsel_period.assessments.first()
    assert theirs is not None
    with pytest.raises(Http404):
        perms.get_assessment_for_user(coordinator, agency, theirs.pk)


@pytest.mark.parametrize("pk", ["abc", None, 10**9])
def test_a_bad_assessment_id_is_404(tiny_period: Period, coordinator: User, pk: Any) -> None:
    with pytest.raises(Http404):
        perms.get_assessment_for_user(coordinator, tiny_period.agency, pk)


@pytest.mark.parametrize(
    ("name", "may_write"),
    [
        ("dinkes_admin", True),
        ("coordinator", True),
        ("admin_user", True),
        ("disdik_admin", False),
        ("assessor", False),
        ("leader", False),
        ("viewer", False),
    ],
)
def test_read_only_users_get_403_when_writing(
    tiny_assessment: Assessment, name: str, may_write: bool, request: pytest.FixtureRequest
) -> None:
    user = persona(request, name)
    agency = tiny_assessment.period.agency
    assert perms.get_assessment_for_user(user, agency, tiny_assessment.pk) == tiny_assessment
    if may_write:
        fetched = perms.get_assessment_for_user(user, agency, tiny_assessment.pk, write=True)
        assert fetched == tiny_assessment
    else:
        with pytest.raises(PermissionDenied):
            perms.get_assessment_for_user(user, agency, tiny_assessment.pk, write=True)


def test_a_pic_of_another_unit_may_write(tiny_assessment: Assessment, disdik_admin: User) -> None:
    tiny_assessment.pics.add(disdik_admin)
    agency = tiny_assessment.period.agency
    fetched = perms.get_assessment_for_user(disdik_admin, agency, tiny_assessment.pk, write=True)
    assert fetched == tiny_assessment


# --- stage windows --------------------------------------------------------------------------


def test_windows_include_their_first_and_last_day(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User
) -> None:
    window = tiny_assessment.period.windows.get(stage=Stage.SELF_ASSESSMENT)
    one_day = datetime.timedelta(days=1)
    assert perms.edit_refusal(dinkes_admin, tiny_assessment, window.starts_on) == ""
    assert perms.edit_refusal(dinkes_admin, tiny_assessment, window.ends_on) == ""
    assert "closed" in perms.edit_refusal(dinkes_admin, tiny_assessment, window.ends_on + one_day)
    assert "closed" in perms.edit_refusal(dinkes_admin, tiny_assessment, window.starts_on - one_day)
    review = tiny_assessment.period.windows.get(stage=Stage.INTERNAL_REVIEW)
    assert perms.review_refusal(assessor, tiny_assessment, review.ends_on) == ""
    assert "closed" in perms.review_refusal(assessor, tiny_assessment, review.ends_on + one_day)


# --- evidence --------------------------------------------------------------------------------


@pytest.fixture
def library(tiny_period: Period, units: dict[str, Unit], other_unit: Unit) -> dict[str, Evidence]:
    """Evidence of each OPD; indicator 2 is led by Disdik with Dinkes supporting."""
    a1 = tiny_period.assessments.get(indicator__number=1)
    a2 = tiny_period.assessments.get(indicator__number=2)
    a2.lead_unit = units["disdik"]
    a2.save()
    a2.supporting_units.add(units["dinkes"])
    items = {
        "dinkes_own": EvidenceFactory(owner_unit=units["dinkes"]),
        "disdik_own": EvidenceFactory(owner_unit=units["disdik"]),
        "disdik_on_dinkes": EvidenceFactory(owner_unit=units["disdik"]),
        "kominfo_on_disdik": EvidenceFactory(owner_unit=units["diskominfo"]),
        "konsel": EvidenceFactory(owner_unit=other_unit),
    }
    # Linked at two levels: still one row in the scope.
    EvidenceLink.objects.create(assessment=a1, evidence=items["disdik_on_dinkes"], level=2)
    EvidenceLink.objects.create(assessment=a1, evidence=items["disdik_on_dinkes"], level=3)
    EvidenceLink.objects.create(assessment=a2, evidence=items["kominfo_on_disdik"], level=2)
    return items


def titles(items: dict[str, Evidence], *keys: str) -> list[str]:
    return sorted(items[k].title for k in keys)


def visible(user: Any, agency: Agency) -> list[str]:
    return sorted(perms.evidence_visible_to(user, agency).values_list("title", flat=True))


@pytest.mark.parametrize("name", OVERSIGHT)
def test_oversight_roles_see_the_agencys_whole_library(
    library: dict[str, Evidence], agency: Agency, name: str, request: pytest.FixtureRequest
) -> None:
    assert visible(persona(request, name), agency) == titles(
        library, "dinkes_own", "disdik_own", "disdik_on_dinkes", "kominfo_on_disdik"
    )


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("dinkes_admin", ("dinkes_own", "disdik_on_dinkes", "kominfo_on_disdik")),
        ("disdik_admin", ("disdik_own", "disdik_on_dinkes", "kominfo_on_disdik")),
    ],
)
def test_an_opd_admin_sees_its_own_evidence_and_what_is_linked_to_its_indicators(
    library: dict[str, Evidence],
    agency: Agency,
    name: str,
    keys: tuple[str, ...],
    request: pytest.FixtureRequest,
) -> None:
    assert visible(persona(request, name), agency) == titles(library, *keys)


@pytest.mark.parametrize("name", ["anonymous", "viewer", "village_operator", "outsider"])
def test_others_see_no_evidence(
    library: dict[str, Evidence], agency: Agency, name: str, request: pytest.FixtureRequest
) -> None:
    assert visible(persona(request, name), agency) == []


def test_evidence_is_fetched_within_scope_and_written_only_by_its_owner_unit(
    library: dict[str, Evidence], agency: Agency, dinkes_admin: User, coordinator: User
) -> None:
    with pytest.raises(Http404):
        perms.get_evidence_for_user(dinkes_admin, agency, library["disdik_own"].pk)
    with pytest.raises(Http404):
        perms.get_evidence_for_user(coordinator, agency, library["konsel"].pk)
    linked = library["disdik_on_dinkes"]
    assert perms.get_evidence_for_user(dinkes_admin, agency, linked.pk) == linked
    with pytest.raises(PermissionDenied):
        perms.get_evidence_for_user(dinkes_admin, agency, linked.pk, write=True)
    assert perms.get_evidence_for_user(coordinator, agency, linked.pk, write=True) == linked
    own = library["dinkes_own"]
    assert perms.get_evidence_for_user(dinkes_admin, agency, own.pk, write=True) == own

"""Services on one indicator: the self-assessment, the review transitions, evidence, comments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from padu.accounts.choices import Role
from padu.accounts.models import Notification, User
from padu.audit.models import AuditEvent
from padu.evaluation import services_assessment as svc
from padu.evaluation.choices import AssessmentStatus as S
from padu.evaluation.choices import Stage
from padu.evaluation.models import Assessment, Criterion, Evidence, EvidenceLink
from padu.evaluation.services_assessment import EditConflict
from padu.organizations.models import Agency, Unit

from .factories import (
    EvidenceFactory,
    close_stage,
    criteria_ids,
    criteria_up_to,
    make_user,
    open_stage,
)

pytestmark = pytest.mark.usefixtures("english")

EXPLANATION = "Kebijakan internal ditetapkan dengan Perwali Nomor 12 Tahun 2023."
CLOSED_WINDOW = "The self-assessment window of this period is closed."
NOT_IN_CHARGE = "Only the unit in charge of this indicator may fill it in."
REVIEW_CLOSED = "The internal review window of this period is closed."
OWN_UNIT = "Assessors may not review an indicator of their own unit."


def save(
    actor: User,
    a: Assessment,
    *,
    level: int | None = 3,
    checked: list[int] | None = None,
    justification: str = "",
    explanation: str = EXPLANATION,
    revision: int | None = None,
) -> Assessment:
    """Save the self-assessment as the form would, ticking every criterion up to `level`."""
    if revision is None:
        revision = Assessment.objects.get(pk=a.pk).revision
    return svc.save_self_assessment(
        actor=actor,
        assessment=a,
        checked=criteria_up_to(a.indicator, level or 1) if checked is None else checked,
        claimed_level=level,
        justification=justification,
        explanation=explanation,
        expected_revision=revision,
    )


def reload(a: Assessment) -> Assessment:
    return Assessment.objects.select_related("indicator", "period__agency").get(pk=a.pk)


def notified(user: User) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("title", flat=True)
    )


def audit_of(a: Assessment) -> Any:
    return AuditEvent.objects.filter(object_type="evaluation.assessment", object_id=str(a.pk))


def to_review(a: Assessment, owner: User) -> Assessment:
    """Fill and submit `a`, then close the self-assessment and open the internal review."""
    a = svc.submit_assessment(actor=owner, assessment=save(owner, a))
    close_stage(a.period, Stage.SELF_ASSESSMENT)
    open_stage(a.period, Stage.INTERNAL_REVIEW)
    return a


# --- save_self_assessment ----------------------------------------------------------


@pytest.mark.parametrize(
    ("ticked_levels", "derived"),
    [
        pytest.param((), 1, id="nothing-ticked-is-the-floor"),
        pytest.param((1,), 1, id="level-1"),
        pytest.param((1, 2, 3), 3, id="levels-1-3"),
        pytest.param((2, 3), 1, id="level-1-missing"),
        pytest.param((1, 2, 4, 5), 2, id="level-3-missing"),
        pytest.param((1, 2, 3, 4, 5), 5, id="all"),
    ],
)
def test_the_claimed_level_follows_the_ticked_criteria(
    tiny_assessment: Assessment,
    dinkes_admin: User,
    ticked_levels: tuple[int, ...],
    derived: int,
) -> None:
    ticked = criteria_ids(tiny_assessment.indicator, *ticked_levels)
    saved = save(dinkes_admin, tiny_assessment, level=derived, checked=ticked)
    assert (saved.claimed_level, saved.claim_justification) == (derived, "")
    assert sorted(saved.checked_criteria.values_list("pk", flat=True)) == sorted(ticked)
    if derived < 5:
        with pytest.raises(ValidationError) as excinfo:
            save(dinkes_admin, tiny_assessment, level=derived + 1, checked=ticked)
        assert f"support level {derived};" in excinfo.value.message_dict["claim_justification"][0]


def test_a_level_is_reached_only_when_all_its_criteria_are_ticked(
    tiny_assessment: Assessment, dinkes_admin: User
) -> None:
    level_2 = criteria_ids(tiny_assessment.indicator, 2)
    assert len(level_2) == 2
    ticked = [*criteria_ids(tiny_assessment.indicator, 1), level_2[0]]
    with pytest.raises(ValidationError):
        save(dinkes_admin, tiny_assessment, level=2, checked=ticked)
    assert save(dinkes_admin, tiny_assessment, level=1, checked=ticked).claimed_level == 1


def test_a_different_claim_with_a_justification_is_accepted(
    tiny_assessment: Assessment, dinkes_admin: User
) -> None:
    ticked = criteria_up_to(tiny_assessment.indicator, 2)
    saved = save(
        dinkes_admin,
        tiny_assessment,
        level=4,
        checked=ticked,
        justification="  SOP sudah diterapkan; dokumen menyusul.  ",
    )
    assert (saved.claimed_level, saved.claim_justification) == (
        4,
        "SOP sudah diterapkan; dokumen menyusul.",
    )
    # Once the ticks support the claim, the justification is no longer kept.
    saved = save(dinkes_admin, tiny_assessment, level=4, justification="tidak perlu")
    assert (saved.claimed_level, saved.claim_justification) == (4, "")


@pytest.mark.parametrize("level", [0, 6])
def test_a_level_outside_the_instrument_is_refused(
    tiny_assessment: Assessment, dinkes_admin: User, level: int
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        save(dinkes_admin, tiny_assessment, level=level, checked=[], justification="alasan")
    assert excinfo.value.message_dict["claimed_level"] == ["The level must be between 1 and 5."]
    assert reload(tiny_assessment).revision == 0
    assert not audit_of(tiny_assessment).exists()


def test_a_criterion_of_another_indicator_is_refused(
    tiny_assessment: Assessment, service_assessment: Assessment, dinkes_admin: User
) -> None:
    foreign = criteria_ids(service_assessment.indicator, 1)
    with pytest.raises(ValidationError) as excinfo:
        save(dinkes_admin, tiny_assessment, level=1, checked=foreign)
    assert "checked" in excinfo.value.message_dict
    assert not reload(tiny_assessment).checked_criteria.exists()


def test_editing_outside_the_self_assessment_window_is_refused_with_the_reason(
    tiny_assessment: Assessment, dinkes_admin: User
) -> None:
    close_stage(tiny_assessment.period, Stage.SELF_ASSESSMENT)
    with pytest.raises(PermissionDenied) as excinfo:
        save(dinkes_admin, tiny_assessment)
    assert str(excinfo.value) == CLOSED_WINDOW
    assert reload(tiny_assessment).claimed_level is None


def test_the_interview_fix_window_reopens_editing(
    tiny_assessment: Assessment, dinkes_admin: User
) -> None:
    close_stage(tiny_assessment.period, Stage.SELF_ASSESSMENT)
    open_stage(tiny_assessment.period, Stage.INTERVIEW_FIX)
    assert save(dinkes_admin, tiny_assessment).claimed_level == 3


@pytest.mark.parametrize("persona", ["disdik_admin", "viewer", "leader", "assessor", "outsider"])
def test_users_outside_the_indicators_units_cannot_edit_it(
    tiny_assessment: Assessment, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied) as excinfo:
        save(user, tiny_assessment)
    assert str(excinfo.value) == NOT_IN_CHARGE


def test_a_pic_and_a_supporting_unit_may_edit(
    tiny_assessment: Assessment, disdik_admin: User, units: dict[str, Unit], agency: Agency
) -> None:
    tiny_assessment.pics.add(disdik_admin)
    assert save(disdik_admin, tiny_assessment, level=2).claimed_level == 2
    diskominfo_admin = make_user("opd.diskominfo", agency, Role.UNIT_ADMIN, units["diskominfo"])
    tiny_assessment.supporting_units.add(units["diskominfo"])
    assert save(diskominfo_admin, tiny_assessment, level=3).claimed_level == 3


def test_the_second_of_two_concurrent_saves_is_told_of_the_conflict(
    tiny_assessment: Assessment, dinkes_admin: User, agency: Agency, units: dict[str, Unit]
) -> None:
    colleague = make_user("opd.dinkes.2", agency, Role.UNIT_ADMIN, units["dinkes"])
    opened_at = tiny_assessment.revision
    save(dinkes_admin, tiny_assessment, explanation="Teks pertama", revision=opened_at)
    with pytest.raises(EditConflict) as excinfo:
        save(colleague, tiny_assessment, level=5, explanation="Teks kedua", revision=opened_at)
    current = excinfo.value.current
    assert (current.pk, current.explanation, current.revision) == (
        tiny_assessment.pk,
        "Teks pertama",
        opened_at + 1,
    )
    stored = reload(tiny_assessment)
    assert (stored.explanation, stored.claimed_level, stored.revision) == (
        "Teks pertama",
        3,
        opened_at + 1,
    )
    assert audit_of(tiny_assessment).count() == 1


def test_the_audit_row_holds_only_the_changed_fields(
    tiny_assessment: Assessment, dinkes_admin: User
) -> None:
    save(dinkes_admin, tiny_assessment, level=2)
    first = audit_of(tiny_assessment).get()
    assert first.actor == dinkes_admin
    assert set(first.after) == {"claimed_level", "explanation", "checked_criteria"}
    assert first.before == {"claimed_level": None, "explanation": "", "checked_criteria": []}
    assert first.after["checked_criteria"] == sorted(criteria_up_to(tiny_assessment.indicator, 2))

    save(dinkes_admin, tiny_assessment, level=2, explanation="Penjelasan baru")
    second = audit_of(tiny_assessment).latest("id")
    assert (second.before, second.after) == (
        {"explanation": EXPLANATION},
        {"explanation": "Penjelasan baru"},
    )

    save(dinkes_admin, tiny_assessment, level=2, explanation="Penjelasan baru")
    assert audit_of(tiny_assessment).count() == 2


# --- the review flow ------------------------------------------------------------------


def test_the_whole_review_flow(
    tiny_assessment: Assessment,
    dinkes_admin: User,
    assessor: User,
    coordinator: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    a = save(dinkes_admin, tiny_assessment, level=3)

    with django_capture_on_commit_callbacks(execute=True):
        a = svc.submit_assessment(actor=dinkes_admin, assessment=a)
        assert mailoutbox == []  # emails leave only after the commit
    assert (a.status, a.submitted_at is not None) == (S.SUBMITTED, True)
    assert notified(assessor) == ["Indicator 1 submitted for review"]
    assert notified(coordinator) == ["Indicator 1 submitted for review"]
    assert notified(dinkes_admin) == []
    assert sorted(m.to[0] for m in mailoutbox) == [
        "asesor@example.go.id",
        "koordinator@example.go.id",
    ]
    assert mailoutbox[0].subject == "Indicator 1 submitted for review"
    assert f"/indikator/{a.pk}/" in mailoutbox[0].body

    close_stage(a.period, Stage.SELF_ASSESSMENT)
    open_stage(a.period, Stage.INTERNAL_REVIEW)
    a = svc.start_review(actor=assessor, assessment=a)
    assert (a.status, a.reviewer) == (S.IN_REVIEW, assessor)
    assert notified(dinkes_admin) == ["Indicator 1 is being reviewed"]

    with pytest.raises(ValidationError) as excinfo:
        svc.return_assessment(actor=assessor, assessment=a, reason="  ")
    assert "reason" in excinfo.value.message_dict
    assert reload(a).status == S.IN_REVIEW

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        a = svc.return_assessment(actor=assessor, assessment=a, reason=" Lampirkan Perwali. ")
    assert (a.status, a.return_reason) == (S.RETURNED, "Lampirkan Perwali.")
    returned = Notification.objects.filter(user=dinkes_admin).latest("id")
    assert (returned.title, returned.body) == (
        "Indicator 1 returned for revision",
        "Lampirkan Perwali.",
    )
    assert [m.to for m in mailoutbox] == [["opd.dinkes@example.go.id"]]

    # The owner fixes the indicator during the fix window and hands it in again.
    open_stage(a.period, Stage.SELF_ASSESSMENT)
    a = save(dinkes_admin, a, level=4, explanation="Perwali dilampirkan.")
    assert a.status == S.RETURNED
    a = svc.submit_assessment(actor=dinkes_admin, assessment=a)
    assert (a.status, a.return_reason) == (S.SUBMITTED, "")

    # Level 3 where 4 was claimed: refused without a reason, accepted with one.
    with pytest.raises(ValidationError) as excinfo:
        svc.accept_assessment(actor=assessor, assessment=a, validated_level=3)
    assert "validation_reason" in excinfo.value.message_dict
    a = svc.accept_assessment(
        actor=assessor, assessment=a, validated_level=3, reason="Level 4 belum terbukti."
    )
    assert (a.status, a.validated_level, a.claimed_level, a.reviewer) == (
        S.ACCEPTED,
        3,
        4,
        assessor,
    )
    assert a.validation_reason == "Level 4 belum terbukti."
    assert notified(dinkes_admin)[-1] == "Indicator 1 accepted at level 3"

    statuses = [
        (row.before.get("status"), row.after.get("status"))
        for row in audit_of(a).order_by("id")
        if "status" in row.after
    ]
    assert statuses == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.IN_REVIEW),
        (S.IN_REVIEW, S.RETURNED),
        (S.RETURNED, S.SUBMITTED),
        (S.SUBMITTED, S.ACCEPTED),
    ]
    assert audit_of(a).get(after__status=S.RETURNED).reason == "Lampirkan Perwali."


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("level", "Choose a level before submitting."),
        ("explanation", "Write the explanation (penjelasan) before submitting."),
    ],
)
def test_submitting_needs_a_level_and_an_explanation(
    tiny_assessment: Assessment, dinkes_admin: User, missing: str, message: str
) -> None:
    if missing == "level":
        a = save(dinkes_admin, tiny_assessment, level=None, checked=[])
    else:
        a = save(dinkes_admin, tiny_assessment, explanation="   ")
    with pytest.raises(ValidationError) as excinfo:
        svc.submit_assessment(actor=dinkes_admin, assessment=a)
    assert excinfo.value.messages == [message]
    assert reload(a).status == S.DRAFT


def test_submitting_a_service_indicator_needs_the_service_name(
    service_assessment: Assessment, dinkes_admin: User
) -> None:
    service_assessment.service_name = ""
    service_assessment.save()
    a = save(dinkes_admin, service_assessment)
    with pytest.raises(ValidationError, match="sector service"):
        svc.submit_assessment(actor=dinkes_admin, assessment=a)
    a.service_name = "Pelayanan Puskesmas"
    a.save()
    assert svc.submit_assessment(actor=dinkes_admin, assessment=a).status == S.SUBMITTED


def test_another_opd_cannot_submit(tiny_assessment: Assessment, disdik_admin: User) -> None:
    with pytest.raises(PermissionDenied):
        svc.submit_assessment(actor=disdik_admin, assessment=tiny_assessment)


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(lambda a, u: svc.start_review(actor=u, assessment=a), id="start"),
        pytest.param(
            lambda a, u: svc.return_assessment(actor=u, assessment=a, reason="x"), id="return"
        ),
        pytest.param(
            lambda a, u: svc.accept_assessment(actor=u, assessment=a, validated_level=3),
            id="accept",
        ),
    ],
)
def test_a_draft_cannot_be_reviewed(
    tiny_assessment: Assessment, assessor: User, action: Callable[..., Any]
) -> None:
    open_stage(tiny_assessment.period, Stage.INTERNAL_REVIEW)
    with pytest.raises(ValidationError, match="cannot go from Draft"):
        action(tiny_assessment, assessor)
    assert reload(tiny_assessment).status == S.DRAFT
    assert not audit_of(tiny_assessment).exists()


def test_an_accepted_indicator_cannot_be_returned_or_resubmitted(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User
) -> None:
    a = to_review(tiny_assessment, dinkes_admin)
    a = svc.accept_assessment(actor=assessor, assessment=a, validated_level=3)
    with pytest.raises(ValidationError, match="cannot go from Accepted to Returned"):
        svc.return_assessment(actor=assessor, assessment=a, reason="Salah klik")
    open_stage(a.period, Stage.SELF_ASSESSMENT)
    with pytest.raises(PermissionDenied):
        svc.submit_assessment(actor=dinkes_admin, assessment=a)
    assert reload(a).status == S.ACCEPTED


@pytest.mark.parametrize("level", [0, 6])
def test_the_validated_level_must_be_within_the_instrument(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User, level: int
) -> None:
    a = to_review(tiny_assessment, dinkes_admin)
    with pytest.raises(ValidationError) as excinfo:
        svc.accept_assessment(actor=assessor, assessment=a, validated_level=level)
    assert "validated_level" in excinfo.value.message_dict
    assert reload(a).status == S.SUBMITTED


def test_an_assessor_cannot_review_their_own_units_indicator(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User, agency: Agency, units: Any
) -> None:
    dinkes_assessor = make_user("asesor.dinkes", agency, Role.INTERNAL_ASSESSOR, units["dinkes"])
    a = to_review(tiny_assessment, dinkes_admin)
    assert notified(dinkes_assessor) == []
    for action in (
        lambda: svc.start_review(actor=dinkes_assessor, assessment=a),
        lambda: svc.return_assessment(actor=dinkes_assessor, assessment=a, reason="x"),
        lambda: svc.accept_assessment(actor=dinkes_assessor, assessment=a, validated_level=5),
    ):
        with pytest.raises(PermissionDenied) as excinfo:
            action()
        assert str(excinfo.value) == OWN_UNIT
    assert reload(a).status == S.SUBMITTED
    assert svc.start_review(actor=assessor, assessment=a).status == S.IN_REVIEW


def test_reviewing_outside_the_internal_review_window_is_refused(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User
) -> None:
    a = svc.submit_assessment(actor=dinkes_admin, assessment=save(dinkes_admin, tiny_assessment))
    with pytest.raises(PermissionDenied) as excinfo:
        svc.start_review(actor=assessor, assessment=a)
    assert str(excinfo.value) == REVIEW_CLOSED
    open_stage(a.period, Stage.INTERNAL_REVIEW)
    close_stage(a.period, Stage.INTERNAL_REVIEW)
    with pytest.raises(PermissionDenied):
        svc.accept_assessment(actor=assessor, assessment=a, validated_level=3)
    assert reload(a).status == S.SUBMITTED


@pytest.mark.parametrize("persona", ["dinkes_admin", "coordinator", "leader"])
def test_only_assessors_review(
    tiny_assessment: Assessment,
    dinkes_admin: User,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    a = to_review(tiny_assessment, dinkes_admin)
    with pytest.raises(PermissionDenied):
        svc.start_review(actor=request.getfixturevalue(persona), assessment=a)


@pytest.mark.parametrize("persona", ["dinkes_admin", "assessor", "viewer"])
def test_only_the_coordinator_reopens(
    tiny_assessment: Assessment,
    dinkes_admin: User,
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    a = to_review(tiny_assessment, dinkes_admin)
    with pytest.raises(PermissionDenied):
        svc.reopen_assessment(
            actor=request.getfixturevalue(persona), assessment=a, reason="Perlu diperbaiki"
        )
    assert reload(a).status == S.SUBMITTED


def test_the_coordinator_reopens_an_accepted_indicator_with_a_reason(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User, coordinator: User
) -> None:
    a = to_review(tiny_assessment, dinkes_admin)
    a = svc.accept_assessment(actor=assessor, assessment=a, validated_level=3)
    with pytest.raises(ValidationError) as excinfo:
        svc.reopen_assessment(actor=coordinator, assessment=a, reason=" ")
    assert "reason" in excinfo.value.message_dict

    a = svc.reopen_assessment(
        actor=coordinator, assessment=a, reason="Temuan evaluator: SK belum ditandatangani."
    )
    assert a.status == S.DRAFT
    row = audit_of(a).latest("id")
    assert (row.actor, row.reason, row.before["status"], row.after["status"]) == (
        coordinator,
        "Temuan evaluator: SK belum ditandatangani.",
        S.ACCEPTED,
        S.DRAFT,
    )
    assert notified(dinkes_admin)[-1] == "Indicator 1 reopened"
    with pytest.raises(ValidationError):
        svc.reopen_assessment(actor=coordinator, assessment=a, reason="Lagi")


# --- evidence ---------------------------------------------------------------------------


def test_evidence_of_another_agency_cannot_be_attached(
    tiny_assessment: Assessment, dinkes_admin: User, other_unit: Unit
) -> None:
    theirs = EvidenceFactory(owner_unit=other_unit)
    with pytest.raises(ValidationError, match="another agency"):
        svc.attach_evidence(
            actor=dinkes_admin, assessment=tiny_assessment, evidence=theirs, level=2
        )
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize("level", [0, 6])
def test_evidence_at_a_level_outside_the_instrument_is_refused(
    tiny_assessment: Assessment, dinkes_admin: User, units: dict[str, Unit], level: int
) -> None:
    ours = EvidenceFactory(owner_unit=units["dinkes"])
    with pytest.raises(ValidationError) as excinfo:
        svc.attach_evidence(
            actor=dinkes_admin, assessment=tiny_assessment, evidence=ours, level=level
        )
    assert "level" in excinfo.value.message_dict
    assert not EvidenceLink.objects.exists()


def test_a_criterion_of_another_level_or_indicator_is_refused(
    tiny_assessment: Assessment,
    service_assessment: Assessment,
    dinkes_admin: User,
    units: dict[str, Unit],
) -> None:
    ours = EvidenceFactory(owner_unit=units["dinkes"])
    level_3 = Criterion.objects.get(pk=criteria_ids(tiny_assessment.indicator, 3)[0])
    elsewhere = Criterion.objects.get(pk=criteria_ids(service_assessment.indicator, 2)[0])
    for criterion in (level_3, elsewhere):
        with pytest.raises(ValidationError) as excinfo:
            svc.attach_evidence(
                actor=dinkes_admin,
                assessment=tiny_assessment,
                evidence=ours,
                level=2,
                criterion=criterion,
            )
        assert "criterion" in excinfo.value.message_dict
    assert not EvidenceLink.objects.exists()


@pytest.mark.parametrize("with_criterion", [False, True])
def test_attaching_the_same_evidence_twice_keeps_one_link(
    tiny_assessment: Assessment, dinkes_admin: User, units: dict[str, Unit], with_criterion: bool
) -> None:
    ours = EvidenceFactory(owner_unit=units["dinkes"])
    criterion = (
        Criterion.objects.get(pk=criteria_ids(tiny_assessment.indicator, 2)[1])
        if with_criterion
        else None
    )
    links = [
        svc.attach_evidence(
            actor=dinkes_admin,
            assessment=tiny_assessment,
            evidence=ours,
            level=2,
            criterion=criterion,
        )
        for _ in range(2)
    ]
    assert links[0].pk == links[1].pk
    assert EvidenceLink.objects.count() == 1
    assert (links[0].criterion, links[0].added_by) == (criterion, dinkes_admin)
    assert AuditEvent.objects.filter(object_type="evaluation.evidencelink").count() == 1


def test_attaching_outside_the_window_or_by_another_opd_is_refused(
    tiny_assessment: Assessment, dinkes_admin: User, disdik_admin: User, units: dict[str, Unit]
) -> None:
    ours = EvidenceFactory(owner_unit=units["dinkes"])
    with pytest.raises(PermissionDenied):
        svc.attach_evidence(actor=disdik_admin, assessment=tiny_assessment, evidence=ours, level=2)
    close_stage(tiny_assessment.period, Stage.SELF_ASSESSMENT)
    with pytest.raises(PermissionDenied):
        svc.attach_evidence(actor=dinkes_admin, assessment=tiny_assessment, evidence=ours, level=2)
    assert not EvidenceLink.objects.exists()


def test_detached_evidence_stays_in_the_library(
    tiny_assessment: Assessment, dinkes_admin: User, units: dict[str, Unit]
) -> None:
    ours = EvidenceFactory(owner_unit=units["dinkes"])
    link = svc.attach_evidence(
        actor=dinkes_admin, assessment=tiny_assessment, evidence=ours, level=3
    )
    link_id = link.pk
    svc.detach_evidence(actor=dinkes_admin, link=link)
    assert not EvidenceLink.objects.exists()
    assert Evidence.objects.filter(pk=ours.pk, is_archived=False).exists()
    deleted = AuditEvent.objects.get(object_type="evaluation.evidencelink", action="delete")
    assert (deleted.object_id, deleted.before["evidence"]) == (str(link_id), ours.pk)


def test_another_opd_cannot_detach(
    tiny_assessment: Assessment, dinkes_admin: User, disdik_admin: User, units: dict[str, Unit]
) -> None:
    link = svc.attach_evidence(
        actor=dinkes_admin,
        assessment=tiny_assessment,
        evidence=EvidenceFactory(owner_unit=units["dinkes"]),
        level=3,
    )
    with pytest.raises(PermissionDenied):
        svc.detach_evidence(actor=disdik_admin, link=link)
    assert EvidenceLink.objects.filter(pk=link.pk).exists()


# --- comments ---------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "  \n "])
def test_an_empty_comment_is_refused(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User, body: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        svc.add_comment(actor=dinkes_admin, assessment=tiny_assessment, body=body)
    assert "body" in excinfo.value.message_dict
    assert not tiny_assessment.comments.exists()
    assert not Notification.objects.exists()


def test_readers_outside_the_indicator_may_not_comment(
    tiny_assessment: Assessment, disdik_admin: User, viewer: User, coordinator: User
) -> None:
    """Other OPDs and read-only members follow the conversation without writing in it."""
    for outsider in (disdik_admin, viewer):
        with pytest.raises(PermissionDenied):
            svc.add_comment(actor=outsider, assessment=tiny_assessment, body="Titip pesan")
    assert not tiny_assessment.comments.exists() and not Notification.objects.exists()
    svc.add_comment(actor=coordinator, assessment=tiny_assessment, body="Tenggat Jumat")
    assert tiny_assessment.comments.count() == 1


def test_a_comment_from_the_opd_notifies_the_assessors(
    tiny_assessment: Assessment,
    dinkes_admin: User,
    assessor: User,
    coordinator: User,
    disdik_admin: User,
) -> None:
    comment = svc.add_comment(
        actor=dinkes_admin, assessment=tiny_assessment, body=" Mohon arahan untuk level 4. "
    )
    assert (comment.body, comment.author) == ("Mohon arahan untuk level 4.", dinkes_admin)
    assert notified(assessor) == notified(coordinator) == ["New comment on indicator 1"]
    assert notified(dinkes_admin) == notified(disdik_admin) == []
    assert AuditEvent.objects.filter(object_type="evaluation.comment").count() == 1


def test_a_comment_from_an_assessor_notifies_the_opd(
    tiny_assessment: Assessment, dinkes_admin: User, assessor: User, disdik_admin: User
) -> None:
    tiny_assessment.pics.add(disdik_admin)
    svc.add_comment(actor=assessor, assessment=tiny_assessment, body="Lampirkan SK.")
    assert notified(dinkes_admin) == notified(disdik_admin) == ["New comment on indicator 1"]
    assert notified(assessor) == []


def test_a_comment_from_a_supporting_opd_notifies_the_assessors(
    tiny_assessment: Assessment,
    dinkes_admin: User,
    disdik_admin: User,
    assessor: User,
    units: dict[str, Unit],
) -> None:
    """A supporting OPD is on the OPD side: its comment goes to the assessors."""
    tiny_assessment.supporting_units.add(units["disdik"])
    svc.add_comment(actor=disdik_admin, assessment=tiny_assessment, body="Data sudah kami kirim.")
    assert notified(assessor) == ["New comment on indicator 1"]

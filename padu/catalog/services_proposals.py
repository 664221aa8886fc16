"""The proposal workflow (Perpres 95/2018 Pasal 39): one transition table, one service per
transition; each writes an audit row and tells the people concerned."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.accounts.choices import Role
from padu.accounts.models import Membership, User
from padu.accounts.notifications import notify
from padu.audit import services as audit
from padu.audit.models import AuditAction
from padu.organizations.models import Agency, Unit

from .choices import AppKind, ProposalDecision
from .choices import ProposalStatus as S
from .duplicates import Index
from .models import Application, NationalApplication, Proposal, ReferenceCode
from .permissions import can_edit_unit_entry, is_catalog_manager
from .selectors import application_item, national_item, proposal_item

LETTER_MAX_BYTES = 10 * 1024 * 1024
NEEDS_APPLICATION = {ProposalDecision.REUSE, ProposalDecision.EXTEND, ProposalDecision.INTEGRATE}


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    by_manager: bool  # Diskominfo; otherwise the proposing OPD (or Diskominfo)


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(frozenset({S.DRAFT}), S.SUBMITTED, False),
    "withdraw": Transition(frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW}), S.WITHDRAWN, False),
    "start_review": Transition(frozenset({S.SUBMITTED}), S.IN_REVIEW, True),
    "return": Transition(frozenset({S.SUBMITTED, S.IN_REVIEW}), S.DRAFT, True),
    "decide": Transition(frozenset({S.SUBMITTED, S.IN_REVIEW}), S.DECIDED, True),
}


def allowed(actor: Any, proposal: Proposal, name: str) -> bool:
    t = TRANSITIONS[name]
    if proposal.status not in t.sources:
        return False
    if t.by_manager:
        return is_catalog_manager(actor, proposal.agency)
    return can_edit_unit_entry(actor, proposal.agency, proposal.unit_id)


def available(actor: Any, proposal: Proposal) -> list[str]:
    return [name for name in TRANSITIONS if allowed(actor, proposal, name)]


def _check(actor: Any, proposal: Proposal, name: str) -> None:
    t = TRANSITIONS[name]
    if t.by_manager and not is_catalog_manager(actor, proposal.agency):
        raise PermissionDenied
    if not t.by_manager and not can_edit_unit_entry(actor, proposal.agency, proposal.unit_id):
        raise PermissionDenied
    if proposal.status not in t.sources:
        raise ValidationError(
            _("This proposal is %(status)s; this step is not possible now.")
            % {"status": proposal.get_status_display().lower()}
        )


def _url(proposal: Proposal) -> str:
    return reverse("catalog:proposal_detail", args=[proposal.pk])


def _managers(agency: Agency) -> list[User]:
    qs = Membership.objects.filter(
        agency=agency, role__in=[Role.SPBE_COORDINATOR, Role.AGENCY_ADMIN]
    ).select_related("user")
    return [m.user for m in qs]


def _proposers(proposal: Proposal) -> list[User]:
    qs = Membership.objects.filter(
        agency=proposal.agency, role=Role.UNIT_ADMIN, unit_id=proposal.unit_id
    ).select_related("user")
    return [m.user for m in qs] + ([proposal.submitted_by] if proposal.submitted_by else [])


def _move(
    proposal: Proposal, target: str, actor: Any, *, reason: str = "", **fields: Any
) -> Proposal:
    before = audit.snapshot(proposal, exclude=["updated_at"])
    proposal.status = target
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save()
    after = audit.snapshot(proposal, exclude=["updated_at"])
    changed = sorted(k for k in after if before.get(k) != after[k])
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=proposal.agency,
        instance=proposal,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
        reason=reason,
    )
    return proposal


# --- drafting ----------------------------------------------------------------------


def _check_fields(actor: Any, agency: Agency, unit: Unit, problem: str) -> None:
    if unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("This unit belongs to another agency.")})
    if not can_edit_unit_entry(actor, agency, unit.pk):
        raise PermissionDenied
    if not problem.strip():
        raise ValidationError(
            {
                "problem": _(
                    "Describe the problem the application should solve; a proposal needs it."
                )
            }
        )


@transaction.atomic
def save_proposal(
    *,
    actor: Any,
    agency: Agency,
    unit: Unit,
    title: str,
    problem: str,
    budget_year: int,
    budget_amount: Any,
    proposal: Proposal | None = None,
    codes: Iterable[ReferenceCode] = (),
    data_elements: Iterable[Any] = (),
    **fields: Any,
) -> Proposal:
    """Create a draft, or change one (only drafts change)."""
    unknown = set(fields) - {"business_process", "users", "data", "kind"}
    if unknown:
        raise TypeError(f"unknown proposal fields: {sorted(unknown)}")
    _check_fields(actor, agency, unit, problem)
    if proposal is not None:
        if not can_edit_unit_entry(actor, agency, proposal.unit_id):
            raise PermissionDenied
        if proposal.status != S.DRAFT:
            raise ValidationError(_("Only a draft can be changed."))
    before = audit.snapshot(proposal, exclude=["updated_at"]) if proposal else None
    p = proposal or Proposal(agency=agency)
    p.unit, p.title, p.problem = unit, title, problem.strip()
    p.budget_year, p.budget_amount = budget_year, budget_amount
    for name, value in fields.items():
        setattr(p, name, value)
    p.full_clean(exclude=["duplicate_check"])
    p.save()
    p.reference_codes.set(list(codes))
    p.data_elements.set([e for e in data_elements if e.agency_id == agency.pk])
    if before is None:
        audit.record_create(p, actor=actor, agency=agency)
    else:
        audit.record_update(p, before, actor=actor, agency=agency)
    return p


# --- duplicate check ---------------------------------------------------------------


def _open_proposals(proposal: Proposal) -> dict[str, Proposal]:
    """The agency's other proposals that still count: not withdrawn, and not another OPD's
    draft (a draft is its OPD's own until it is sent)."""
    qs = (
        Proposal.objects.filter(agency=proposal.agency)
        .exclude(pk=proposal.pk)
        .exclude(status=S.WITHDRAWN)
        .exclude(Q(status=S.DRAFT) & ~Q(unit_id=proposal.unit_id))
        .select_related("unit")
        .prefetch_related("reference_codes", "data_elements")
    )
    return {f"proposal:{p.pk}": p for p in qs}


def duplicate_candidates(proposal: Proposal, *, top: int = 5) -> list[dict[str, Any]]:
    """The likely duplicates among the register, the national applications and the agency's
    other open proposals (a draft sent twice, another OPD's request), with reasons."""
    apps = {
        f"app:{a.pk}": a
        for a in Application.objects.filter(agency=proposal.agency)
        .select_related("owner_unit")
        .prefetch_related("reference_codes")
    }
    nationals = {f"national:{n.key}": n for n in NationalApplication.objects.all()}
    proposals = _open_proposals(proposal)
    index = Index(
        [
            *(application_item(a) for a in apps.values()),
            *map(national_item, nationals.values()),
            *map(proposal_item, proposals.values()),
        ]
    )
    result = []
    for m in index.check(proposal_item(proposal), top=top):
        app = apps.get(m.key)
        national = nationals.get(m.key)
        other = proposals.get(m.key)
        if other is not None:
            name, unit = other.title, other.unit.name
        else:
            name = app.name if app else national.name if national else m.key
            unit = app.owner_unit.name if app else national.owner if national else ""
        result.append(
            {
                "key": m.key,
                "name": name,
                "unit": unit,
                "national": national is not None or bool(app and app.national_id),
                "proposal": other is not None,
                "proposal_id": other.pk if other else None,
                "proposal_status": other.status if other else "",
                "application_id": app.pk if app else None,
                "score": m.score,
                "band": m.band,
                "flagged": m.flagged,
                "reasons": [{"kind": r.kind, "detail": list(r.detail)} for r in m.reasons],
            }
        )
    return result


def complete_snapshot(agency: Agency, candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Older snapshots (the demo's) hold only key, score and reasons: add name, OPD and band."""
    from .duplicates import BANDS

    if all("name" in c and "band" in c for c in candidates):
        return candidates
    app_ids = [int(c["key"][4:]) for c in candidates if str(c.get("key", "")).startswith("app:")]
    apps = {
        f"app:{a.pk}": a
        for a in Application.objects.filter(agency=agency, pk__in=app_ids).select_related(
            "owner_unit"
        )
    }
    keys = [str(c.get("key", ""))[9:] for c in candidates]
    nationals = {f"national:{n.key}": n for n in NationalApplication.objects.filter(key__in=keys)}
    result = []
    for c in candidates:
        app, national = apps.get(c.get("key", "")), nationals.get(c.get("key", ""))
        score = float(c.get("score", 0))
        result.append(
            {
                "name": app.name if app else national.name if national else c.get("key", ""),
                "unit": app.owner_unit.name if app else national.owner if national else "",
                "national": national is not None or bool(app and app.national_id),
                "band": next(name for floor, name in BANDS if score >= floor),
                **c,
            }
        )
    return result


# --- transitions -------------------------------------------------------------------


@transaction.atomic
def submit_proposal(*, actor: Any, proposal: Proposal) -> Proposal:
    """Send to Diskominfo with the duplicate check as it stood when sent."""
    _check(actor, proposal, "submit")
    if not proposal.problem.strip():
        raise ValidationError(
            {
                "problem": _(
                    "Describe the problem the application should solve; a proposal needs it."
                )
            }
        )
    p = _move(
        proposal,
        S.SUBMITTED,
        actor,
        duplicate_check=duplicate_candidates(proposal),
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    notify(
        _managers(p.agency),
        title=_("New application proposal: %(title)s") % {"title": p.title},
        body=_("%(unit)s proposes a new application. Review it and decide.")
        % {"unit": p.unit.name},
        url=_url(p),
        agency=p.agency,
    )
    return p


@transaction.atomic
def start_review(*, actor: Any, proposal: Proposal) -> Proposal:
    _check(actor, proposal, "start_review")
    return _move(proposal, S.IN_REVIEW, actor)


@transaction.atomic
def return_proposal(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    _check(actor, proposal, "return")
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the proposing OPD should change.")})
    p = _move(proposal, S.DRAFT, actor, reason=reason.strip())
    notify(
        _proposers(p),
        title=_("Proposal returned: %(title)s") % {"title": p.title},
        body=reason.strip(),
        url=_url(p),
        agency=p.agency,
    )
    return p


@transaction.atomic
def withdraw_proposal(*, actor: Any, proposal: Proposal, reason: str = "") -> Proposal:
    _check(actor, proposal, "withdraw")
    return _move(proposal, S.WITHDRAWN, actor, reason=reason.strip())


def check_letter(upload: IO[bytes], size: int) -> None:
    """The consideration letter must be a PDF (by content) within the size limit."""
    if size <= 0:
        raise ValidationError({"letter_file": _("The file is empty.")})
    if size > LETTER_MAX_BYTES:
        raise ValidationError(
            {
                "letter_file": _("The letter is larger than the limit of %(limit)s MB.")
                % {"limit": 10}
            }
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head[:4] != b"%PDF":
        raise ValidationError({"letter_file": _("The letter must be a PDF file.")})


def _check_decision(
    proposal: Proposal,
    decision: str,
    reason: str,
    application: Application | None,
    letter: dict[str, Any],
) -> None:
    errors: dict[str, str] = {}
    if decision not in ProposalDecision.values:
        errors["decision"] = _("Choose a decision.")
    if not reason.strip():
        errors["reason"] = _("Give the reasons for the decision.")
    if decision in NEEDS_APPLICATION and application is None:
        errors["application"] = _("Choose the application to reuse, extend or integrate with.")
    if application is not None and application.agency_id != proposal.agency_id:
        errors["application"] = _("This application belongs to another agency.")
    if decision == ProposalDecision.BUILD and proposal.kind == AppKind.SPECIFIC:
        if not letter.get("letter_number", "").strip():
            errors["letter_number"] = _(
                "A specific application needs the KemenPANRB consideration letter: give its number."
            )
        if not letter.get("letter_date"):
            errors["letter_date"] = _("Give the date of the consideration letter.")
        if letter.get("letter_file") is None:
            errors["letter_file"] = _("Attach the consideration letter (PDF).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decide_proposal(
    *,
    actor: Any,
    proposal: Proposal,
    decision: str,
    reason: str,
    application: Application | None = None,
    letter_number: str = "",
    letter_date: Any = None,
    letter_file: File | None = None,
) -> Proposal:
    """Diskominfo decides: reuse, extend, integrate, or build (with the letter for khusus)."""
    _check(actor, proposal, "decide")
    letter = {
        "letter_number": letter_number,
        "letter_date": letter_date,
        "letter_file": letter_file,
    }
    _check_decision(proposal, decision, reason, application, letter)
    if letter_file is not None:
        check_letter(letter_file, letter_file.size or 0)
        proposal.letter_file.save(f"pertimbangan-{proposal.pk}.pdf", letter_file, save=False)
    p = _move(
        proposal,
        S.DECIDED,
        actor,
        reason=reason.strip(),
        decision=decision,
        decision_reason=reason.strip(),
        decision_application=application if decision in NEEDS_APPLICATION else None,
        decided_by=actor,
        decided_at=timezone.now(),
        letter_number=letter_number.strip(),
        letter_date=letter_date,
    )
    notify(
        _proposers(p),
        title=_("Decision on your proposal %(title)s: %(decision)s")
        % {"title": p.title, "decision": p.get_decision_display()},
        body=p.decision_reason,
        url=_url(p),
        agency=p.agency,
    )
    return p

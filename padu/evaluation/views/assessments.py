"""The indicator page and its actions: save, evidence, comments, submit, review, reopen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from padu.core.forms import add_validation_error
from padu.core.http import current_agency

from .. import external_indices
from .. import services_assessment as svc
from ..choices import AssessmentStatus
from ..forms import (
    AcceptForm,
    AttachEvidenceForm,
    CommentForm,
    IndexResultForm,
    ReasonForm,
    SelfAssessmentForm,
)
from ..models import Assessment, EvidenceLink
from ..permissions import (
    can_comment,
    can_manage_evaluation,
    edit_refusal,
    evidence_visible_to,
    get_assessment_for_user,
    openable_evidence,
    review_refusal,
)
from ..selectors import assessment_history, criteria_choices, levels_for_assessment
from ..selectors_recommendations import indicator_recommendations
from ..values import shown


def attachable_evidence(user: Any, a: Assessment) -> Any:
    """Library items of the units working on this indicator: the ones worth offering."""
    units = [a.lead_unit_id, *(u.pk for u in a.supporting_units.all())]
    return (
        evidence_visible_to(user, a.period.agency)
        .filter(is_archived=False, owner_unit__in=[u for u in units if u])
        .order_by("title")
    )


def _context(request: HttpRequest, a: Assessment, **overrides: Any) -> dict[str, Any]:
    agency = a.period.agency
    instrument = a.period.instrument
    levels = levels_for_assessment(a)
    criteria = criteria_choices(levels)
    level_range = range(instrument.min_level, instrument.max_level + 1)
    checked = list(a.checked_criteria.values_list("pk", flat=True))
    external = a.indicator.is_external_index
    edit_reason = edit_refusal(request.user, a)
    review_reason = review_refusal(request.user, a)
    can_manage = can_manage_evaluation(request.user, agency)
    claimed = a.claimed_value if a.claimed_value is not None else a.claimed_level
    ctx: dict[str, Any] = {
        "assessment": a,
        "period": a.period,
        "indicator": a.indicator,
        "levels": levels,
        "checked": set(checked),
        "edit_refusal": edit_reason,
        # External-index indicators are not self-assessed or reviewed: the koordinator
        # records the issuing agency's result instead.
        "can_edit": not edit_reason and not external,
        "review_refusal": review_reason,
        "can_review": not review_reason and not external,
        "can_manage": can_manage,
        "is_decimal": instrument.is_decimal,
        "index_status": external_indices.index_status(a),
        "facts": external_indices.supporting_facts(a),
        "index_form": _index_form(request, a) if external and can_manage else None,
        "comments": a.comments.select_related("author"),
        "can_comment": can_comment(request.user, a),
        "openable": openable_evidence(request.user, agency, a),
        "history": assessment_history(a),
        "form": SelfAssessmentForm(
            initial={
                "checked": checked,
                "claimed_level": a.claimed_level,
                "claimed_value": shown(a.claimed_value) if a.claimed_value is not None else "",
                "revision": a.revision,
                "claim_justification": a.claim_justification,
                "explanation": a.explanation,
            },
            assessment=a,
            criteria=criteria,
        ),
        "attach_form": AttachEvidenceForm(
            evidence=attachable_evidence(request.user, a),
            levels=level_range,
            criteria=criteria,
        ),
        "comment_form": CommentForm(),
        "return_form": ReasonForm(prefix="return"),
        "reopen_form": ReasonForm(prefix="reopen"),
        "accept_form": AcceptForm(
            levels=level_range,
            decimal=instrument.is_decimal,
            initial={
                "validated_level": a.claimed_level,
                "validated_value": shown(claimed) if claimed is not None else "",
            },
        ),
        "statuses": AssessmentStatus,
        # LHE recommendations of this indicator, and the previous period's open ones (1 query).
        "recommendations": indicator_recommendations(a, request.user),
    }
    ctx.update(overrides)
    return ctx


def _index_form(request: HttpRequest, a: Assessment, data: Any = None) -> IndexResultForm:
    library = evidence_visible_to(request.user, a.period.agency).filter(is_archived=False)
    initial = {
        "value": shown(a.index_value) if a.index_value is not None else "",
        "source": a.index_source or a.indicator.external_source,
        "date": a.index_date,
        "evidence": a.index_evidence_id,
    }
    return IndexResultForm(data, evidence=library.order_by("title"), initial=initial)


@login_required
@require_http_methods(["GET"])
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment_for_user(request.user, current_agency(request), pk)
    return render(request, "evaluation/assessment_detail.html", _context(request, a))


@login_required
@require_POST
def assessment_save(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assessment_for_user(request.user, current_agency(request), pk, write=True)
    criteria = criteria_choices(levels_for_assessment(a))
    form = SelfAssessmentForm(request.POST, assessment=a, criteria=criteria)
    conflict = None
    if form.is_valid():
        d = form.cleaned_data
        try:
            svc.save_self_assessment(
                actor=request.user,
                assessment=a,
                checked=d["checked"],
                claimed_level=d["claimed_level"],
                claimed_value=d["claimed_value"],
                justification=d["claim_justification"],
                explanation=d["explanation"],
                expected_revision=d["revision"],
            )
        except svc.EditConflict as exc:
            conflict = exc.current
            form.add_error(None, exc.messages[0])
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You may not change this indicator."))
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The self-assessment has been saved."))
            return redirect("evaluation:assessment_detail", pk=a.pk)
    # Keep what the user typed; on a conflict show the saved version beside it, and let the
    # form carry that version's revision so that saving again (after comparing) goes through.
    a.refresh_from_db()
    if conflict is not None:
        data = request.POST.copy()
        data["revision"] = str(a.revision)
        form.data = data
    return render(
        request,
        "evaluation/assessment_detail.html",
        # the ticks as posted, so that nothing the user did is lost on the re-rendered form
        _context(request, a, form=form, conflict=conflict, checked=_posted_ticks(request)),
        status=409 if conflict else 400,
    )


def _posted_ticks(request: HttpRequest) -> set[int]:
    return {int(x) for x in request.POST.getlist("checked") if x.isdigit()}


def _action(
    request: HttpRequest, pk: int, run: Callable[[Assessment], Any], done: str, write: bool = False
) -> HttpResponse:
    a = get_assessment_for_user(request.user, current_agency(request), pk, write=write)
    return _run_on(request, a, run, done)


def _run_on(
    request: HttpRequest, a: Assessment, run: Callable[[Assessment], Any], done: str
) -> HttpResponse:
    """Run a service on a fetched assessment; its refusal becomes a message on the page."""
    try:
        run(a)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("evaluation:assessment_detail", pk=a.pk)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda a: svc.submit_assessment(actor=request.user, assessment=a),
        _("The indicator has been submitted for review."),
        write=True,
    )


@login_required
@require_POST
def evidence_attach(request: HttpRequest, pk: int) -> HttpResponse:
    def run(a: Assessment) -> None:
        agency = a.period.agency
        instrument = a.period.instrument
        form = AttachEvidenceForm(
            request.POST,
            evidence=evidence_visible_to(request.user, agency).filter(is_archived=False),
            levels=range(instrument.min_level, instrument.max_level + 1),
            criteria=criteria_choices(levels_for_assessment(a)),
        )
        if not form.is_valid():
            raise ValidationError([e for errs in form.errors.values() for e in errs])
        criterion = None
        if form.cleaned_data["criterion"]:
            from ..models import Criterion

            criterion = Criterion.objects.select_related("level").get(
                pk=form.cleaned_data["criterion"]
            )
        svc.attach_evidence(
            actor=request.user,
            assessment=a,
            evidence=form.cleaned_data["evidence"],
            level=form.cleaned_data["level"],
            criterion=criterion,
        )

    return _action(request, pk, run, _("The evidence has been attached."), write=True)


@login_required
@require_POST
def evidence_detach(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    def run(a: Assessment) -> None:
        try:
            link = EvidenceLink.objects.select_related("assessment__period__agency").get(
                pk=link_pk, assessment=a
            )
        except EvidenceLink.DoesNotExist as exc:
            raise ValidationError(_("This evidence is not attached to the indicator.")) from exc
        svc.detach_evidence(actor=request.user, link=link)

    return _action(
        request, pk, run, _("The evidence has been taken off the indicator."), write=True
    )


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    form = CommentForm(request.POST)
    body = form.data.get("body", "")
    return _action(
        request,
        pk,
        lambda a: svc.add_comment(actor=request.user, assessment=a, body=body),
        _("Your comment has been posted."),
    )


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda a: svc.start_review(actor=request.user, assessment=a),
        _("You are reviewing this indicator."),
    )


@login_required
@require_POST
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("return-reason", "")
    return _action(
        request,
        pk,
        lambda a: svc.return_assessment(actor=request.user, assessment=a, reason=reason),
        _("The indicator has been returned to the unit."),
    )


def _form_errors(form: Any) -> ValidationError:
    """A form's errors as one ValidationError (each message already names its field)."""
    return ValidationError([e for errs in form.errors.values() for e in errs])


@login_required
@require_POST
def review_accept(request: HttpRequest, pk: int) -> HttpResponse:
    def run(a: Assessment) -> None:
        instrument = a.period.instrument
        form = AcceptForm(
            request.POST,
            levels=range(instrument.min_level, instrument.max_level + 1),
            decimal=instrument.is_decimal,
        )
        if not form.is_valid():
            if "validated_level" in form.errors:
                raise ValidationError(_("Choose the validated level."))
            raise _form_errors(form)
        d = form.cleaned_data
        svc.accept_assessment(
            actor=request.user,
            assessment=a,
            validated_level=d.get("validated_level"),
            validated_value=d.get("validated_value"),
            reason=d["validation_reason"],
        )

    return _action(request, pk, run, _("The indicator has been accepted."))


@login_required
@require_POST
def index_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The koordinator records the issuing agency's result of an external-index indicator."""
    a = get_assessment_for_user(request.user, current_agency(request), pk)
    if not can_manage_evaluation(request.user, a.period.agency):
        raise PermissionDenied

    def run(a: Assessment) -> None:
        form = _index_form(request, a, request.POST)
        if not form.is_valid():
            raise _form_errors(form)
        d = form.cleaned_data
        external_indices.record_index_result(
            actor=request.user,
            assessment=a,
            value=d["value"],
            source=d["source"],
            date=d["date"],
            evidence=d["evidence"],
        )

    return _run_on(request, a, run, _("The index result has been recorded."))


@login_required
@require_POST
def index_clear(request: HttpRequest, pk: int) -> HttpResponse:
    """Back to the default value (audited)."""
    a = get_assessment_for_user(request.user, current_agency(request), pk)
    if not can_manage_evaluation(request.user, a.period.agency):
        raise PermissionDenied
    return _run_on(
        request,
        a,
        lambda a: external_indices.clear_index_result(actor=request.user, assessment=a),
        _("The index result has been cleared; the indicator counts at its default."),
    )


@login_required
@require_POST
def assessment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reopen-reason", "")
    return _action(
        request,
        pk,
        lambda a: svc.reopen_assessment(actor=request.user, assessment=a, reason=reason),
        _("The indicator has been reopened."),
    )

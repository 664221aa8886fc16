"""Proposals: an OPD proposes, sees the likely duplicates, sends; Diskominfo decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.core.forms import add_validation_error
from padu.organizations.models import Agency, Unit

from .. import services_proposals as services
from ..choices import ProposalStatus
from ..dossier import explain, render_dossier
from ..forms_planning import DecisionForm, ProposalForm
from ..models import Proposal
from ..permissions import (
    can_create_entries,
    get_proposal_for_user,
    is_catalog_manager,
    own_unit_ids,
    proposals_visible_to,
)
from .integrations import viewing_agency


def _units(request: HttpRequest, agency: Agency) -> QuerySet[Unit]:
    units = Unit.objects.filter(agency=agency).order_by("name")
    if is_catalog_manager(request.user, agency):
        return units
    return units.filter(pk__in=own_unit_ids(request.user, agency))


def _hide_foreign_drafts(request: HttpRequest, agency: Agency, qs: QuerySet[Proposal]) -> Any:
    """A draft is the proposing OPD's own until it is sent; Diskominfo sees every one."""
    if is_catalog_manager(request.user, agency):
        return qs
    return qs.exclude(
        Q(status=ProposalStatus.DRAFT) & ~Q(unit_id__in=own_unit_ids(request.user, agency))
    )


def _proposal(request: HttpRequest, agency: Agency, pk: int) -> Proposal:
    proposal = get_proposal_for_user(request.user, agency, pk)
    if not _hide_foreign_drafts(request, agency, Proposal.objects.filter(pk=proposal.pk)):
        raise Http404
    return proposal


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    status = request.GET.get("status", "")
    qs = _hide_foreign_drafts(
        request, agency, proposals_visible_to(request.user, agency).select_related("unit")
    )
    if status in ProposalStatus.values:
        qs = qs.filter(status=status)
    context: dict[str, Any] = {"proposals": qs, "status": status}
    context["statuses"] = ProposalStatus.choices
    context["can_add"] = can_create_entries(request.user, agency)
    return render(request, "catalog/proposal_list.html", context)


def _save(request: HttpRequest, agency: Agency, proposal: Proposal | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if proposal is not None:
        initial = {f: getattr(proposal, f) for f in ProposalForm.base_fields if f != "codes"}
        initial["codes"] = ", ".join(c.code for c in proposal.reference_codes.all())
        initial["data_elements"] = list(proposal.data_elements.all())
    form = ProposalForm(
        request.POST or None, initial=initial, agency=agency, units=_units(request, agency)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.save_proposal(
                actor=request.user, agency=agency, proposal=proposal, **data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Draft saved. Check the likely duplicates, then send it."))
            return redirect("catalog:proposal_detail", saved.pk)
    return render(request, "catalog/proposal_form.html", {"form": form, "proposal": proposal})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    if not can_create_entries(request.user, agency):
        raise PermissionDenied
    return _save(request, agency, None)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    _proposal(request, agency, pk)  # another OPD's draft: 404, as on the detail page
    proposal = get_proposal_for_user(request.user, agency, pk, write=True)
    if proposal.status != ProposalStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("catalog:proposal_detail", proposal.pk)
    return _save(request, agency, proposal)


@login_required
@require_GET
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    proposal = _proposal(request, agency, pk)
    draft = proposal.status == ProposalStatus.DRAFT
    if draft:
        candidates = services.duplicate_candidates(proposal)
    else:
        candidates = services.complete_snapshot(agency, list(proposal.duplicate_check or []))
    context = {
        "proposal": proposal,
        "candidates": explain(candidates),
        "live_check": draft,
        "actions": services.available(request.user, proposal),
        "can_edit": draft and "submit" in services.available(request.user, proposal),
        "decision_form": DecisionForm(agency=agency),
    }
    return render(request, "catalog/proposal_detail.html", context)


ACTIONS = {
    "submit": services.submit_proposal,
    "start_review": services.start_review,
    "withdraw": services.withdraw_proposal,
}

# What each step did, said after it succeeded.
DONE = {
    "submit": gettext_lazy("Proposal sent to Diskominfo with its duplicate check."),
    "start_review": gettext_lazy("Review of the proposal started."),
    "return": gettext_lazy("Proposal returned to the proposing OPD for changes."),
    "withdraw": gettext_lazy("Proposal withdrawn."),
}


@login_required
@require_POST
def proposal_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Send, take into review, withdraw, or return (with a reason)."""
    agency = viewing_agency(request)
    proposal = _proposal(request, agency, pk)
    try:
        if action == "return":
            services.return_proposal(
                actor=request.user, proposal=proposal, reason=request.POST.get("reason", "")
            )
        elif action in ACTIONS:
            ACTIONS[action](actor=request.user, proposal=proposal)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE[action])
    return redirect("catalog:proposal_detail", proposal.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    proposal = get_proposal_for_user(request.user, agency, pk)
    if not is_catalog_manager(request.user, agency):
        raise PermissionDenied
    form = DecisionForm(request.POST or None, request.FILES or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decide_proposal(
                actor=request.user,
                proposal=proposal,
                decision=d["decision"],
                reason=d["reason"],
                application=d["application"],
                letter_number=d["letter_number"],
                letter_date=d["letter_date"],
                letter_file=d["letter_file"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("catalog:proposal_detail", proposal.pk)
    return render(request, "catalog/proposal_decide.html", {"form": form, "proposal": proposal})


@login_required
@require_GET
def proposal_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    proposal = _proposal(request, agency, pk)
    response = HttpResponse(render_dossier(proposal), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-usulan-{proposal.pk}.pdf"'
    return response

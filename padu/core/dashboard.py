"""Home dashboard panels per role: what each role sees first when signing in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from padu.accounts.choices import Role
from padu.accounts.permissions import memberships_of, users_of_agency
from padu.audit.permissions import events_visible_to
from padu.organizations.models import Agency
from padu.organizations.permissions import regions_of_agency, units_visible_to


@dataclass
class Panel:
    title: str | Promise
    body: str | Promise = ""
    figures: list[tuple[str | Promise, Any]] = field(default_factory=list)
    links: list[tuple[str | Promise, str]] = field(default_factory=list)
    coming: bool = False


COMING_SOON = {
    Role.VILLAGE_OPERATOR: (
        _("Data entry"),
        _(
            "The data forms of your village will appear here once the data bank module is switched on."
        ),
    ),
    Role.DATA_PRODUCER: (
        _("Your datasets"),
        _(
            "The datasets your unit produces will appear here once the data bank module is switched on."
        ),
    ),
    Role.DATA_CUSTODIAN: (
        _("Verification"),
        _(
            "Data waiting for verification will appear here once the data bank module is switched on."
        ),
    ),
}


def _evaluation_panels(user: Any, agency: Agency, roles: set[str]) -> list[Panel]:
    """The evaluation panel: the current period's index and progress, and where to work."""
    from padu.evaluation.index import scores_for_period
    from padu.evaluation.permissions import can_view_evaluation, periods_visible_to

    if not can_view_evaluation(user, agency):
        return []
    period = periods_visible_to(user, agency).select_related("instrument").order_by("-year").first()
    links: list[tuple[str | Promise, str]] = [
        (_("Evaluation dashboard"), reverse("evaluation:dashboard"))
    ]
    if Role.UNIT_ADMIN in roles:
        links.insert(0, (_("My indicators"), reverse("evaluation:my_indicators")))
    if period is None:
        return [Panel(_("SPBE evaluation"), _("No evaluation period yet."), links=links)]
    assessments = list(period.assessments.select_related("indicator"))
    scores = scores_for_period(period, assessments)
    figures: list[tuple[str | Promise, Any]] = [
        (s.label, f"{s.index_display} ({s.predicate})") for s in scores.series
    ]
    submitted = sum(1 for a in assessments if a.status in ("submitted", "in_review", "accepted"))
    figures.append((_("Submitted indicators"), f"{submitted}/{len(assessments)}"))
    if period.instrument.is_decimal:
        title = _("Pemdi evaluation %(year)s") % {"year": period.year}
    else:
        title = _("SPBE evaluation %(year)s") % {"year": period.year}
    return [Panel(title, figures=figures, links=links)]


def panels_for(user: Any, agency: Agency | None) -> list[Panel]:
    """The dashboard panels for the roles `user` holds in `agency`."""
    if agency is None:
        return []
    mine = [m for m in memberships_of(user) if m.agency_id == agency.pk]
    roles = {m.role for m in mine}
    panels = [
        Panel(
            _("Your roles"),
            figures=[(m.get_role_display(), m.unit or m.region or agency) for m in mine],
        )
    ]
    if Role.AGENCY_ADMIN in roles:
        panels.append(
            Panel(
                _("Agency administration"),
                figures=[
                    (_("Users"), users_of_agency(agency).count()),
                    (
                        _("Active units"),
                        units_visible_to(user, agency).filter(is_active=True).count(),
                    ),
                    (_("Changes recorded"), events_visible_to(user, agency).count()),
                ],
                links=[
                    (_("Manage users"), reverse("accounts:user_list")),
                    (_("Manage units"), reverse("organizations:unit_list")),
                    (_("Audit trail"), reverse("audit:event_list")),
                ],
            )
        )
    panels += _evaluation_panels(user, agency, roles)
    for role in sorted(roles):
        if role in COMING_SOON:
            title, body = COMING_SOON[Role(role)]
            panels.append(Panel(title, body, coming=True))
    if roles & {Role.VIEWER, Role.LEADER} or not panels[1:]:
        regions = regions_of_agency(agency)
        panels.append(
            Panel(
                _("Agency at a glance"),
                figures=[
                    (
                        _("Units (OPD)"),
                        units_visible_to(user, agency).filter(is_active=True).count(),
                    ),
                    (_("Districts"), regions.filter(level=3).count()),
                    (_("Villages"), regions.filter(level=4).count()),
                ],
                links=[(_("Regions"), reverse("organizations:region_list"))],
            )
        )
    return panels

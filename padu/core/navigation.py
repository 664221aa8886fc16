"""The navigation: modules and their pages, each shown only to users who may open it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from padu.accounts.permissions import can_manage_users, is_member
from padu.organizations.permissions import can_manage_agency

Predicate = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url_name: str
    allowed: Predicate = is_member
    # Active on its own URL only, not on the pages below it: a period's pages are the
    # evaluation dashboard of that period, not the period list.
    exact: bool = False


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    links: tuple[NavLink, ...] = field(default_factory=tuple)


def _evaluation_viewer(user: Any, agency: Any) -> bool:
    from padu.evaluation.permissions import can_view_evaluation

    return can_view_evaluation(user, agency)


def _evaluation_manager(user: Any, agency: Any) -> bool:
    from padu.evaluation.permissions import can_manage_evaluation

    return can_manage_evaluation(user, agency)


def _databank_viewer(user: Any, agency: Any) -> bool:
    from padu.databank.permissions import can_view_databank

    return can_view_databank(user, agency)


def _data_enterer(user: Any, agency: Any) -> bool:
    """Village operators, producers and the walidata enter and upload data."""
    from padu.databank.permissions import (
        is_custodian,
        operator_region_codes,
        producer_unit_ids,
    )

    return (
        is_custodian(user, agency)
        or bool(operator_region_codes(user, agency))
        or bool(producer_unit_ids(user, agency))
    )


def _data_verifier(user: Any, agency: Any) -> bool:
    """The walidata and the producing OPDs verify data and follow completeness."""
    from padu.databank.permissions import is_custodian, producer_unit_ids

    return is_custodian(user, agency) or bool(producer_unit_ids(user, agency))


def _data_custodian(user: Any, agency: Any) -> bool:
    from padu.databank.permissions import is_custodian

    return is_custodian(user, agency)


def _catalog_viewer(user: Any, agency: Any) -> bool:
    from padu.catalog.permissions import can_view_catalog

    return can_view_catalog(user, agency)


def _unit_admin(user: Any, agency: Any) -> bool:
    from padu.accounts.choices import Role
    from padu.accounts.permissions import has_role

    return has_role(user, agency, Role.UNIT_ADMIN)


def _audit_allowed(user: Any, agency: Any) -> bool:
    from padu.audit.permissions import can_view_audit

    return can_view_audit(user, agency)


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(_("Home"), (NavLink(_("Dashboard"), "core:home", lambda u, a: True),)),
    NavSection(
        _("SPBE evaluation"),
        (
            NavLink(_("Evaluation dashboard"), "evaluation:dashboard", _evaluation_viewer),
            NavLink(_("My indicators"), "evaluation:my_indicators", _unit_admin),
            NavLink(_("Periods"), "evaluation:period_list", _evaluation_viewer, exact=True),
            NavLink(_("Target plans"), "evaluation:plans_home", _evaluation_viewer),
            NavLink(_("Recommendations"), "evaluation:recommendations_home", _evaluation_viewer),
            NavLink(_("Reports"), "evaluation:reports_home", _evaluation_viewer),
            NavLink(_("History and peers"), "evaluation:history", _evaluation_viewer),
            NavLink(_("Evidence library"), "evaluation:evidence_list", _evaluation_viewer),
            NavLink(_("Instruments"), "evaluation:instrument_list", _evaluation_viewer),
        ),
    ),
    NavSection(
        _("Data bank"),
        (
            NavLink(_("Data bank home"), "databank:home", _databank_viewer),
            NavLink(_("Data entry"), "databank:entry_home", _data_enterer),
            NavLink(_("Bulk upload"), "databank:import_home", _data_enterer),
            NavLink(_("Verification"), "databank:review_list", _data_verifier),
            NavLink(_("Completeness"), "databank:completeness", _data_verifier),
            NavLink(_("Pivot table"), "databank:pivot", _databank_viewer),
            NavLink(_("Charts"), "databank:charts", _databank_viewer),
            NavLink(_("Map"), "databank:map", _databank_viewer),
            NavLink(_("Dashboards"), "databank:dashboard_list", _databank_viewer),
            NavLink(_("Releases (open data)"), "databank:release_list", _data_custodian),
            NavLink(_("API tokens"), "databank:token_list", _data_custodian),
            NavLink(_("Data elements"), "databank:element_list", _databank_viewer),
            NavLink(_("Datasets"), "databank:dataset_list", _databank_viewer),
            NavLink(_("Disaggregations"), "databank:combo_list", _databank_viewer),
        ),
    ),
    NavSection(
        _("Catalog"),
        (
            NavLink(_("Applications"), "catalog:application_list", _catalog_viewer),
            NavLink(_("Services"), "catalog:service_list", _catalog_viewer),
            NavLink(_("Integrations"), "catalog:integration_list", _catalog_viewer),
            NavLink(_("Architecture"), "catalog:architecture", _catalog_viewer),
            NavLink(_("Proposals"), "catalog:proposal_list", _catalog_viewer),
            NavLink(_("Roadmap"), "catalog:roadmap", _catalog_viewer),
        ),
    ),
    NavSection(
        _("Organization"),
        (
            NavLink(_("Units (OPD)"), "organizations:unit_list"),
            NavLink(_("Regions"), "organizations:region_list"),
            NavLink(_("Agency settings"), "organizations:agency_edit", can_manage_agency),
        ),
    ),
    NavSection(
        _("Administration"),
        (
            NavLink(_("Users"), "accounts:user_list", can_manage_users),
            NavLink(_("Audit trail"), "audit:event_list", _audit_allowed),
        ),
    ),
)


@dataclass(frozen=True)
class VisibleLink:
    label: str | Promise
    url: str
    active: bool


@dataclass(frozen=True)
class VisibleSection:
    label: str | Promise
    links: list[VisibleLink]


def navigation_for(user: Any, agency: Any, current_path: str) -> list[VisibleSection]:
    """The sections and links this user may open in this agency; the link with the longest
    URL that prefixes the current path (or equals it, for `exact` links) is the active one."""
    visible = [
        (
            section.label,
            [
                (link, reverse(link.url_name))
                for link in section.links
                if link.allowed(user, agency)
            ],
        )
        for section in NAVIGATION
    ]
    matches = [
        url
        for _label, links in visible
        for link, url in links
        if current_path == url or (not link.exact and url != "/" and current_path.startswith(url))
    ]
    active = max(matches, key=len, default=None)
    return [
        VisibleSection(label, [VisibleLink(link.label, url, url == active) for link, url in links])
        for label, links in visible
        if links
    ]

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


@dataclass(frozen=True)
class NavSection:
    label: str | Promise
    links: tuple[NavLink, ...] = field(default_factory=tuple)


def _audit_allowed(user: Any, agency: Any) -> bool:
    from padu.audit.permissions import can_view_audit

    return can_view_audit(user, agency)


NAVIGATION: tuple[NavSection, ...] = (
    NavSection(_("Home"), (NavLink(_("Dashboard"), "core:home", lambda u, a: True),)),
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
    """The sections and links this user may open in this agency."""
    sections: list[VisibleSection] = []
    for section in NAVIGATION:
        links = []
        for link in section.links:
            if not link.allowed(user, agency):
                continue
            url = reverse(link.url_name)
            active = current_path == url or (url != "/" and current_path.startswith(url))
            links.append(VisibleLink(link.label, url, active))
        if links:
            sections.append(VisibleSection(section.label, links))
    return sections

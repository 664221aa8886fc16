"""Who may call the data bank API.

- session users: the same rules as the pages (a data-bank role in the current agency; closed
  elements only for custodians and the producing OPD);
- tokens: only their own agency, only the scopes they carry (`required_scope` on the view),
  and never closed (tertutup) elements: closed data leaves Padu only through the pages of
  the people allowed to see it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions
from rest_framework.request import Request

from padu.organizations.models import Agency

from ..choices import AccessClass
from ..models import DataElement
from ..permissions import can_view_databank
from ..selectors_analysis import readable_elements
from .authentication import token_of


def api_agency(request: Request) -> Agency | None:
    token = token_of(request)
    if token is not None:
        return token.agency
    return getattr(request._request, "agency", None)


def api_elements(request: Request) -> QuerySet[DataElement]:
    token = token_of(request)
    if token is not None:
        return DataElement.objects.filter(agency=token.agency).exclude(
            access_class=AccessClass.CLOSED
        )
    return readable_elements(request.user, api_agency(request))


class DatabankAccess(permissions.BasePermission):
    """Read-only; tokens need the view's scope, session users a data-bank role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in permissions.SAFE_METHODS:
            return False
        token = token_of(request)
        if token is not None:
            return getattr(view, "required_scope", None) in token.scopes
        user = request.user
        return bool(user and user.is_authenticated) and can_view_databank(user, api_agency(request))

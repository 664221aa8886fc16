"""What every page's shell needs: navigation, current agency, agencies to switch to."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from padu.accounts.models import Notification
from padu.accounts.permissions import agencies_of, roles_in

from .navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    agency = getattr(request, "agency", None)
    return {
        "current_agency": agency,
        "switchable_agencies": agencies_of(user),
        "current_roles": sorted(roles_in(user, agency)),
        "navigation": navigation_for(user, agency, request.path),
        "unread_notifications": Notification.objects.filter(
            user=user, read_at__isnull=True
        ).count(),
    }

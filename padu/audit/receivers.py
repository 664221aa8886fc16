"""Sign-in events go to the audit trail (authentication is not a domain service we own)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .services import record


def _agency(request: Any) -> Any:
    return getattr(request, "agency", None) if request is not None else None


def _landing_agency(user: Any) -> Any:
    """The agency a user lands in after signing in: the first of theirs, as the switcher does."""
    from padu.accounts.permissions import agencies_of

    agencies = agencies_of(user)
    return agencies[0] if agencies else None


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # request.agency was set while the user was still anonymous, so ask for theirs now.
    agency = _agency(request) or _landing_agency(user)
    record(action=AuditAction.LOGIN, actor=user, agency=agency, object_repr=str(user))


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(
            action=AuditAction.LOGOUT, actor=user, agency=_agency(request), object_repr=str(user)
        )


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record(action=AuditAction.LOGIN_FAILED, object_repr=username)

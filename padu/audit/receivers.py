"""Sign-in events go to the audit trail (authentication is not a domain service we own)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .services import record


def _agency(request: Any) -> Any:
    return getattr(request, "agency", None) if request is not None else None


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(action=AuditAction.LOGIN, actor=user, agency=_agency(request), object_repr=str(user))


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

"""Sign-in by username regardless of case, as usernames are unique regardless of case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User


class CaseInsensitiveModelBackend(ModelBackend):
    """ModelBackend that finds the user by username ignoring case ("PIMPINAN" is "pimpinan")."""

    def authenticate(  # type: ignore[override]  # the stubs' ModelBackend clashes likewise
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        model = User
        if username is None:
            username = kwargs.get(model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        field = model.USERNAME_FIELD
        matches = list(model._default_manager.filter(**{f"{field}__iexact": username}))
        # Older rows may differ only in case; then only the exact spelling signs in.
        exact = [u for u in matches if getattr(u, field) == username]
        user = exact[0] if exact else matches[0] if len(matches) == 1 else None
        if user is None:
            # Run the hasher anyway so an unknown username takes as long as a wrong password.
            model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The username django-axes counts failures under: case-folded, so "ADMIN" and "admin"
    share one counter and changing the case does not buy more attempts."""
    source: Any = credentials if credentials else getattr(request, "POST", {})
    return str(source.get("username") or "").casefold()

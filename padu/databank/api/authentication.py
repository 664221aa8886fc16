"""API tokens: `Authorization: Token <prefix>.<secret>` (or `Bearer`)."""

from __future__ import annotations

import datetime
import hmac
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from ..models import ApiToken
from ..services_analysis import hash_secret

KEYWORDS = (b"token", b"bearer")
TOUCH_EVERY = datetime.timedelta(minutes=1)


class TokenClient:
    """The caller of a token: authenticated, belongs to no person, reads its agency only."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    is_staff = False
    pk = None
    id = None

    def __init__(self, token: ApiToken) -> None:
        self.token = token
        self.username = f"token:{token.prefix}"

    def __str__(self) -> str:
        return self.username


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[TokenClient, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            prefix, _dot, secret = parts[1].decode().partition(".")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        token = ApiToken.objects.select_related("agency").filter(prefix=prefix).first()
        if (
            token is None
            or not secret
            or not hmac.compare_digest(token.key_hash, hash_secret(secret))
        ):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.expires_at is not None and token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return TokenClient(token), token

    def authenticate_header(self, request: Request) -> str:
        return 'Token realm="api"'


def token_of(request: Any) -> ApiToken | None:
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None

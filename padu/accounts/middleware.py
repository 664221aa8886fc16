"""Per signed-in user: which agency they are working in (the agency switcher), and their
language."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from .permissions import agencies_of

SESSION_KEY = "padu_agency_id"


class CurrentAgencyMiddleware:
    """Sets request.agency to the chosen agency the user belongs to, or their first one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.agency = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            agencies = agencies_of(request.user)
            chosen = request.session.get(SESSION_KEY)
            current = next((a for a in agencies if a.pk == chosen), None)
            request.agency = current or (agencies[0] if agencies else None)  # type: ignore[attr-defined]
        agency = request.agency  # type: ignore[attr-defined]
        if agency is not None:
            # Times on pages are shown in the agency's own zone (Kendari: WITA).
            timezone.activate(zoneinfo.ZoneInfo(agency.timezone))
        else:
            timezone.deactivate()
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """A signed-in user's own language (their profile) unless they picked another with the
    language switcher in this browser: an English browser does not turn the product English
    for a user whose language is Indonesian, nor the other way round."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

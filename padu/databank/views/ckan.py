"""HTTP side of the CKAN-compatible API and the DCAT catalogue: anonymous, read only,
throttled per client address, CORS-friendly.

GET reads the query string (a repeated parameter becomes a list); POST reads a JSON body
(what `ckanapi` sends) or a form. Errors use CKAN's envelope and `__type` strings with the
HTTP statuses CKAN uses (404, 409, 403, 400).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .. import dcat
from ..ckan import ActionError, Site
from ..ckan_actions import ACTIONS

View = Callable[..., HttpResponse]
DEFAULT_RATE = 600  # requests per minute per client address; 0 switches the limit off


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _throttled(request: HttpRequest) -> bool:
    """A fixed one-minute window per address in the cache (shared when the cache is)."""
    rate = int(getattr(settings, "OPEN_DATA_RATE_PER_MINUTE", DEFAULT_RATE))
    if rate <= 0:
        return False
    key = f"opendata:{_client(request)}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return False
    try:
        return cache.incr(key) > rate
    except ValueError:
        return False


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type, Authorization, X-CKAN-API-Key"
    response["Access-Control-Max-Age"] = "86400"
    return response


def open_endpoint(view: View) -> View:
    """Anonymous, CSRF-exempt, CORS headers, throttled; answers OPTIONS preflights."""

    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _cors(HttpResponse(status=204))
        if request.method not in ("GET", "HEAD", "POST"):
            return _cors(HttpResponse(status=405, headers={"Allow": "GET, POST, OPTIONS"}))
        if _throttled(request):
            body = {"__type": "Throttled", "message": "Too many requests; try again in a minute."}
            response = JsonResponse({"success": False, "error": body}, status=429)
            response["Retry-After"] = "60"
            return _cors(response)
        return _cors(view(request, *args, **kwargs))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = {
        k: (v if len(v) > 1 else v[0]) for k, v in request.GET.lists() if k != "callback"
    }
    if request.method == "POST":
        if request.content_type == "application/json" or request.body.startswith(b"{"):
            body = json.loads(request.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError("not an object")
            params.update(body)
        else:
            params.update({k: (v if len(v) > 1 else v[0]) for k, v in request.POST.lists()})
    return params


def site_of(request: HttpRequest) -> Site:
    return Site(f"{request.scheme}://{request.get_host()}")


def _envelope(request: HttpRequest, name: str, status: int, **body: Any) -> JsonResponse:
    help_url = f"{site_of(request).base}/api/3/action/help_show?name={name}"
    return JsonResponse({"help": help_url, **body}, status=status)


@open_endpoint
def ckan_action(request: HttpRequest, name: str) -> HttpResponse:
    """`/api/3/action/<name>` and `/api/action/<name>`."""
    action = ACTIONS.get(name)
    if action is None:
        error = {"__type": "Bad Request", "message": f"Action name not known: {name}"}
        return _envelope(request, name, 400, success=False, error=error)
    try:
        params = _params(request)
    except ValueError:
        error = {"__type": "Bad Request", "message": "JSON Error: could not read the body"}
        return _envelope(request, name, 400, success=False, error=error)
    try:
        result = action(params, site_of(request))
    except ActionError as exc:
        return _envelope(request, name, exc.status, success=False, error=exc.as_dict())
    return _envelope(request, name, 200, success=True, result=result)


@open_endpoint
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue as JSON-LD."""
    document = dcat.catalog(site_of(request))
    return HttpResponse(
        json.dumps(dcat.as_jsonld(document), ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )


@open_endpoint
def catalog_ttl(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue as Turtle."""
    document = dcat.catalog(site_of(request))
    return HttpResponse(dcat.as_turtle(document), content_type="text/turtle; charset=utf-8")

"""Browsing the audit trail (read-only: there is no view that changes it)."""

from __future__ import annotations

import datetime
import json

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from padu.core.http import csv_response, current_agency, wants_csv

from .models import AuditAction, AuditEvent
from .permissions import can_view_audit, events_visible_to, get_event_for_user


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def object_type_label(object_type: str) -> str:
    """The model's verbose name in the reader's language for "app.model", or the text itself."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(capfirst(model._meta.verbose_name))


def filter_events(events: QuerySet[AuditEvent], params: dict[str, str]) -> QuerySet[AuditEvent]:
    """Apply the page's filters: text, action, object type, actor, date range."""
    if q := params.get("q", "").strip():
        events = events.filter(
            Q(object_repr__icontains=q)
            | Q(actor_repr__icontains=q)
            | Q(request_path__icontains=q)
            | Q(object_id=q)
            | Q(request_id=q)
        )
    if (action := params.get("action", "")) in AuditAction.values:
        events = events.filter(action=action)
    if object_type := params.get("object_type", ""):
        events = events.filter(object_type=object_type)
    if actor := params.get("actor", "").strip():
        events = events.filter(actor_repr__icontains=actor)
    if start := _date(params.get("from", "")):
        events = events.filter(created_at__date__gte=start)
    if end := _date(params.get("to", "")):
        events = events.filter(created_at__date__lte=end)
    return events


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponseBase:
    agency = current_agency(request)
    if not can_view_audit(request.user, agency):
        raise PermissionDenied
    base = events_visible_to(request.user, agency)
    events = filter_events(base, request.GET.dict())
    if wants_csv(request):
        rows = (
            (
                e.created_at.isoformat(),
                e.actor_repr,
                e.get_action_display(),
                e.object_type,
                e.object_id,
                e.object_repr,
                json.dumps(e.before, ensure_ascii=False, default=str),
                json.dumps(e.after, ensure_ascii=False, default=str),
                e.reason,
                e.request_id,
                e.ip_address,
            )
            for e in events.iterator()
        )
        header = [
            _("Time"),
            _("Actor"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Before"),
            _("After"),
            _("Reason"),
            _("Request id"),
            _("IP address"),
        ]
        return csv_response("jejak-audit.csv", header, rows)
    for key in ("from", "to"):
        if request.GET.get(key) and _date(request.GET[key]) is None:
            messages.warning(
                request,
                _("“%(value)s” is not a date (YYYY-MM-DD); that filter was left out.")
                % {"value": request.GET[key][:20]},
            )
    object_types = base.order_by("object_type").values_list("object_type", flat=True).distinct()
    types = [t for t in object_types if t]
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "rows": [(event, object_type_label(event.object_type)) for event in page],
            "actions": AuditAction.choices,
            "object_types": types,
            "object_type_choices": sorted(
                ((t, object_type_label(t)) for t in types), key=lambda c: c[1]
            ),
            "params": request.GET,
        },
    )


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_user(request.user, current_agency(request), pk)
    return render(
        request,
        "audit/event_detail.html",
        {"event": event, "type_label": object_type_label(event.object_type)},
    )

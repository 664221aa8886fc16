"""The application register: list (filters, search, sorting, export), detail with history,
create and edit with contacts, and the import (dry run first, all or nothing)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.audit.models import AuditEvent
from padu.core.forms import add_validation_error
from padu.core.http import current_agency
from padu.organizations.models import Agency, Unit

from .. import register_export
from .. import services as svc
from ..choices import AppCategory, AppKind, Decision, Hosting, Lifecycle
from ..filters import NATIONAL_CHOICES, ApplicationFilterSet
from ..forms_register import (
    ApplicationForm,
    ContactFormSet,
    RegisterImportForm,
    contact_initial,
    contact_rows,
)
from ..models import Application, Integration
from ..permissions import (
    applications_visible_to,
    can_create_entries,
    can_edit_unit_entry,
    can_view_catalog,
    get_application_for_user,
    is_catalog_manager,
    own_unit_ids,
)
from ..register_import import ImportFileError, parse_rows, read_table
from ..selectors import register_list_query, register_rows

PAGE_SIZE = 50


def viewing_agency(request: HttpRequest) -> Agency:
    agency = current_agency(request)
    if not can_view_catalog(request.user, agency):
        raise PermissionDenied
    return agency


def owner_units(request: HttpRequest, agency: Agency) -> QuerySet[Unit]:
    """Units the user may file entries under: all for Diskominfo, else their own OPD."""
    units = agency.units.filter(is_active=True).order_by("name")
    if is_catalog_manager(request.user, agency):
        return units
    return units.filter(pk__in=own_unit_ids(request.user, agency))


def _selects(request: HttpRequest) -> list[dict[str, Any]]:
    """The choice filters of the list, with the selected option marked."""
    fields = [
        ("kind", _("Type"), AppKind.choices),
        ("category", _("Category"), AppCategory.choices),
        ("lifecycle", _("Lifecycle"), Lifecycle.choices),
        ("hosting", _("Hosting"), Hosting.choices),
        ("decision", _("Decision"), Decision.choices),
        ("origin", _("National or local"), NATIONAL_CHOICES),
    ]
    return [
        {
            "name": name,
            "label": label,
            "options": [(v, t, v == request.GET.get(name)) for v, t in choices],
        }
        for name, label, choices in fields
    ]


def _unit_options(request: HttpRequest, units: QuerySet[Unit]) -> list[tuple[int, str, bool]]:
    """The owner OPD filter's options (id, name, selected), read as two columns."""
    chosen = request.GET.get("unit")
    return [(pk, name, str(pk) == chosen) for pk, name in units.values_list("pk", "name")]


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponseBase:
    agency = viewing_agency(request)
    filters = ApplicationFilterSet(
        request.GET,
        queryset=applications_visible_to(request.user, agency),
        request=request,
    )
    fmt = request.GET.get("format")
    if fmt == "csv":
        return register_export.as_csv(filters.qs)
    if fmt == "xlsx":
        return register_export.as_xlsx(filters.qs)
    paginator: Paginator[dict[str, Any]] = Paginator(register_list_query(filters.qs), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = register_rows(page.object_list)  # type: ignore[assignment]
    units = filters.form.fields["unit"].queryset  # type: ignore[attr-defined]
    context = {
        "page": page,
        "params": request.GET,
        "units": _unit_options(request, units),
        "selects": _selects(request),
        "can_add": can_create_entries(request.user, agency),
        "can_import": is_catalog_manager(request.user, agency),
        # One reverse for the page, not one per row: the detail address ends with the id.
        "detail_base": reverse("catalog:application_detail", args=[0]).removesuffix("0/"),
    }
    return render(request, "catalog/application_list.html", context)


def history_of(instance: Any) -> QuerySet[AuditEvent]:
    label = f"{instance._meta.app_label}.{instance._meta.model_name}"
    return AuditEvent.objects.filter(object_type=label, object_id=str(instance.pk)).order_by(
        "-created_at", "-id"
    )[:50]


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    app = get_application_for_user(request.user, agency, pk)
    related = Integration.objects.select_related("provider", "provider_national", "consumer")
    context = {
        "app": app,
        "codes": app.reference_codes.order_by("code"),
        "elements": app.data_elements.order_by("code"),
        "contacts": app.contacts.all(),
        "services": app.services.select_related("owner_unit"),
        "incoming": related.filter(consumer=app),
        "outgoing": related.filter(provider=app),
        "history": history_of(app),
        "can_edit": can_edit_unit_entry(request.user, agency, app.owner_unit_id),
    }
    return render(request, "catalog/application_detail.html", context)


def _save_application(
    request: HttpRequest, agency: Agency, form: ApplicationForm, contacts: Any
) -> Application | None:
    if not (form.is_valid() and contacts.is_valid()):
        return None
    kwargs: dict[str, Any] = {
        "actor": request.user,
        "fields": form.application_fields(),
        "codes": form.cleaned_data["codes"],
        "contacts": contact_rows(contacts),
        "data_elements": list(form.cleaned_data["elements"]),
    }
    try:
        if form.instance.pk:
            return svc.update_application(application=form.instance, **kwargs)
        return svc.create_application(agency=agency, **kwargs)
    except ValidationError as exc:
        add_validation_error(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    agency = viewing_agency(request)
    units = owner_units(request, agency)
    if not units.exists():
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, agency=agency, owner_units=units)
    contacts = ContactFormSet(data, prefix="contacts")
    if request.method == "POST" and (app := _save_application(request, agency, form, contacts)):
        messages.success(request, _("The application has been registered."))
        return redirect("catalog:application_detail", pk=app.pk)
    return render(request, "catalog/application_form.html", {"form": form, "contacts": contacts})


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = viewing_agency(request)
    app = get_application_for_user(request.user, agency, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(
        data, instance=app, agency=agency, owner_units=owner_units(request, agency)
    )
    contacts = ContactFormSet(data, prefix="contacts", initial=contact_initial(app))
    if request.method == "POST" and _save_application(request, agency, form, contacts):
        messages.success(request, _("The application has been saved."))
        return redirect("catalog:application_detail", pk=app.pk)
    return render(
        request, "catalog/application_form.html", {"form": form, "contacts": contacts, "app": app}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_import(request: HttpRequest) -> HttpResponse:
    """Check a file (dry run) or import it: all rows or none, each bad row named."""
    agency = viewing_agency(request)
    if not is_catalog_manager(request.user, agency):
        raise PermissionDenied
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    result, errors = None, []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        units, codes, names = svc.import_lookups(agency)
        try:
            result = parse_rows(
                read_table(upload.name, upload.read()),
                units=units,
                codes=codes,
                existing_names=names,
            )
            errors = [str(e) for e in result.errors]
            if not errors and not form.cleaned_data["dry_run"]:
                created = svc.import_applications(
                    actor=request.user, agency=agency, rows=result.rows
                )
                messages.success(
                    request, _("%(count)d applications imported.") % {"count": len(created)}
                )
                return redirect("catalog:application_list")
        except ImportFileError as exc:
            errors = [str(exc)]
        except ValidationError as exc:
            errors = list(exc.messages)
    context = {"form": form, "result": result, "errors": errors}
    return render(request, "catalog/application_import.html", context)

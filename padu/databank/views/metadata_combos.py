"""Disaggregations (category combinations and their cells), categories and option lists.

Anyone with the data bank may read; walidata and agency admins change them (they are shared
by every OPD's elements), producers may create new ones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.forms import add_validation_error
from padu.core.http import csv_response, wants_csv
from padu.organizations.models import Agency

from .. import services_metadata as svc
from ..forms_metadata import ComboForm, OptionsForm
from ..models import Category, CategoryCombo, DataValue, OptionSet
from ..permissions import can_manage_metadata, is_custodian
from ..selectors_metadata import combos_for_agency
from .metadata import viewable_agency


def _fetch(request: HttpRequest, model: Any, pk: Any, *, write: bool) -> tuple[Agency, Any]:
    """The agency's object (404 otherwise); 403 on write for non-custodians."""
    agency = viewable_agency(request)
    try:
        obj = model.objects.get(pk=pk, agency=agency)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write and not is_custodian(request.user, agency):
        raise PermissionDenied
    return agency, obj


def _creator(request: HttpRequest) -> Agency:
    agency = viewable_agency(request)
    if not can_manage_metadata(request.user, agency):
        raise PermissionDenied
    return agency


def _notes(request: HttpRequest, notes: list[str]) -> None:
    for note in notes:
        messages.warning(request, note)


@login_required
@require_GET
def combo_list(request: HttpRequest) -> HttpResponseBase:
    agency = viewable_agency(request)
    combos = combos_for_agency(agency)
    if wants_csv(request):
        rows = (
            (
                c.code,
                c.name,
                ", ".join(x.name for x in c.categories.all()),
                ", ".join(oc.name for oc in c.option_combos.all()),
                c.n_elements,  # type: ignore[attr-defined]
            )
            for c in combos
        )
        header = [_("Code"), _("Name"), _("Categories"), _("Cells"), _("Elements")]
        return csv_response("disagregasi.csv", header, rows)
    context = {
        "combos": combos,
        "categories": Category.objects.filter(agency=agency).prefetch_related("options"),
        "option_sets": OptionSet.objects.filter(agency=agency).prefetch_related("options"),
        "can_manage": can_manage_metadata(request.user, agency),
        "can_edit": is_custodian(request.user, agency),
    }
    return render(request, "databank/combo_list.html", context)


def _combo_page(request: HttpRequest, agency: Agency, combo: CategoryCombo | None) -> HttpResponse:
    initial = {}
    if combo is not None:
        initial = {"code": combo.code, "name": combo.name, "categories": combo.categories.all()}
    form = ComboForm(
        request.POST or None, initial=initial, model=CategoryCombo, agency=agency, instance=combo
    )
    if request.method == "POST" and form.is_valid():
        data = {"code": form.cleaned_data["code"], "name": form.cleaned_data["name"]}
        try:
            saved, result = svc.save_combo(
                actor=request.user,
                agency=agency,
                data=data,
                categories=list(form.cleaned_data["categories"]),
                combo=combo,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Disaggregation saved: %(created)d cells added, %(deleted)d removed.")
                % {"created": result.created, "deleted": result.deleted},
            )
            _notes(request, result.notes)
            return redirect("databank:combo_edit", pk=saved.pk)
    cells = []
    if combo is not None:
        with_values = set(
            DataValue.objects.filter(option_combo__combo=combo)
            .values_list("option_combo_id", flat=True)
            .distinct()
        )
        cells = [(oc, oc.pk in with_values) for oc in combo.option_combos.all()]
    context = {"form": form, "combo": combo, "cells": cells}
    return render(request, "databank/combo_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def combo_create(request: HttpRequest) -> HttpResponse:
    return _combo_page(request, _creator(request), None)


@login_required
@require_http_methods(["GET", "POST"])
def combo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency, combo = _fetch(request, CategoryCombo, pk, write=True)
    return _combo_page(request, agency, combo)


def _options_page(
    request: HttpRequest, agency: Agency, model: Any, obj: Any, kind: str
) -> HttpResponse:
    initial = {}
    if obj is not None:
        initial = {
            "code": obj.code,
            "name": obj.name,
            "options": "\n".join(f"{o.code} | {o.name}" for o in obj.options.all()),
        }
    form = OptionsForm(
        request.POST or None, initial=initial, model=model, agency=agency, instance=obj
    )
    if request.method == "POST" and form.is_valid():
        data = {"code": form.cleaned_data["code"], "name": form.cleaned_data["name"]}
        text = form.cleaned_data["options"]
        try:
            if kind == "category":
                _saved, notes = svc.save_category(
                    actor=request.user, agency=agency, data=data, options_text=text, category=obj
                )
                _notes(request, notes)
            else:
                svc.save_option_set(
                    actor=request.user, agency=agency, data=data, options_text=text, option_set=obj
                )
        except ValidationError as exc:
            add_validation_error(
                form,
                exc if hasattr(exc, "error_dict") else ValidationError({"options": exc.messages}),
            )
        else:
            messages.success(request, _("Saved."))
            return redirect("databank:combo_list")
    context = {"form": form, "object": obj, "kind": kind}
    return render(request, "databank/combo_options_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def category_create(request: HttpRequest) -> HttpResponse:
    return _options_page(request, _creator(request), Category, None, "category")


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency, obj = _fetch(request, Category, pk, write=True)
    return _options_page(request, agency, Category, obj, "category")


@login_required
@require_http_methods(["GET", "POST"])
def option_set_create(request: HttpRequest) -> HttpResponse:
    return _options_page(request, _creator(request), OptionSet, None, "option_set")


@login_required
@require_http_methods(["GET", "POST"])
def option_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency, obj = _fetch(request, OptionSet, pk, write=True)
    return _options_page(request, agency, OptionSet, obj, "option_set")

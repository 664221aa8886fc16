"""Metadata pages: the data bank home, data elements, datasets (their elements and rules)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from padu.core.forms import add_validation_error
from padu.core.http import csv_response, current_agency, wants_csv
from padu.organizations.models import Agency, Unit

from .. import services_metadata as svc
from ..choices import AccessClass, PeriodType, ValueType
from ..completeness_metadata import dataset_completeness, element_completeness
from ..forms_metadata import AddElementForm, DatasetForm, ElementForm, RuleForm
from ..models import DatasetElement, ValidationRule
from ..permissions import (
    can_edit_dataset,
    can_edit_element,
    can_manage_metadata,
    can_view_databank,
    datasets_visible_to,
    get_dataset_for_user,
    get_element_for_user,
    is_custodian,
    producer_unit_ids,
)
from ..selectors_metadata import datasets_for_list, elements_for_list

OTHER_AREAS = [
    ("databank:entry_home", gettext_lazy("Data entry")),
    ("databank:import_home", gettext_lazy("Import")),
    ("databank:pivot", gettext_lazy("Analysis")),
    ("databank:public_datasets", gettext_lazy("Open data")),
]


def viewable_agency(request: HttpRequest) -> Agency:
    """The current agency, 403 when the user may not open the data bank."""
    agency = current_agency(request)
    if not can_view_databank(request.user, agency):
        raise PermissionDenied
    return agency


def own_units(user: Any, agency: Agency) -> set[int] | None:
    """None for custodians (any producer), else the producer's own units."""
    return None if is_custodian(user, agency) else producer_unit_ids(user, agency)


def _area_links() -> list[tuple[str, Any]]:
    links = []
    for name, label in OTHER_AREAS:
        try:
            links.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return links


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    agency = viewable_agency(request)
    datasets = datasets_for_list(datasets_visible_to(request.user, agency), request.GET)
    context = {
        "datasets": datasets,
        "areas": _area_links(),
        "element_count": agency.data_elements.count(),
        "can_manage": can_manage_metadata(request.user, agency),
    }
    return render(request, "databank/home.html", context)


# --- elements --------------------------------------------------------------------------


def _element_csv(items: Any) -> HttpResponseBase:
    header = [
        _("Code"),
        _("Name"),
        _("Value type"),
        _("Aggregation"),
        _("Disaggregation"),
        _("Unit (satuan)"),
        _("Producer OPD"),
        _("Access class"),
        _("BPS code"),
        _("SIPD code"),
        _("Metadata complete (%)"),
    ]
    rows = (
        (
            e.code,
            e.name,
            e.get_value_type_display(),
            e.get_aggregation_display(),
            e.category_combo.name,
            e.unit_of_measure,
            e.producer.name if e.producer else "",
            e.get_access_class_display(),
            e.bps_code,
            e.sipd_code,
            element_completeness(e).percent,
        )
        for e in items
    )
    return csv_response("elemen-data.csv", header, rows)


@login_required
@require_GET
def element_list(request: HttpRequest) -> HttpResponseBase:
    agency = viewable_agency(request)
    items = elements_for_list(agency, request.GET)
    if wants_csv(request):
        return _element_csv(items)
    context = {
        "items": [(e, element_completeness(e)) for e in items],
        "params": request.GET,
        "types": ValueType.choices,
        "access_classes": AccessClass.choices,
        "units": Unit.objects.filter(agency=agency, data_elements__isnull=False)
        .distinct()
        .order_by("name"),
        "can_manage": can_manage_metadata(request.user, agency),
    }
    return render(request, "databank/element_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def element_create(request: HttpRequest) -> HttpResponse:
    agency = viewable_agency(request)
    if not can_manage_metadata(request.user, agency):
        raise PermissionDenied
    form = ElementForm(
        request.POST or None, agency=agency, own_units=own_units(request.user, agency)
    )
    if request.method == "POST" and form.is_valid():
        try:
            element = svc.save_element(actor=request.user, agency=agency, data=form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The data element has been created."))
            return redirect("databank:element_detail", pk=element.pk)
    return render(request, "databank/element_form.html", {"form": form})


@login_required
@require_GET
def element_detail(request: HttpRequest, pk: int) -> HttpResponse:
    element = get_element_for_user(request.user, current_agency(request), pk)
    context = {
        "element": element,
        "completeness": element_completeness(element),
        "cells": element.category_combo.option_combos.all(),
        "datasets": element.datasets.order_by("name"),
        "can_edit": can_edit_element(request.user, element),
    }
    return render(request, "databank/element_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def element_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    element = get_element_for_user(request.user, agency, pk, write=True)
    initial = {f: getattr(element, f) for f in svc.ELEMENT_FIELDS}
    form = ElementForm(
        request.POST or None,
        initial=initial,
        agency=agency,
        own_units=own_units(request.user, agency),
        instance=element,
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.save_element(
                actor=request.user, agency=agency, data=form.cleaned_data, element=element
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The data element has been saved."))
            return redirect("databank:element_detail", pk=element.pk)
    return render(request, "databank/element_form.html", {"form": form, "element": element})


# --- datasets --------------------------------------------------------------------------


def _dataset_csv(items: Any) -> HttpResponseBase:
    header = [
        _("Code"),
        _("Name"),
        _("Period type"),
        _("Collection level"),
        _("Producer OPD"),
        _("Elements"),
        _("Sector (urusan)"),
        _("Licence"),
        _("Open data"),
    ]
    rows = (
        (
            d.code,
            d.name,
            d.get_period_type_display(),
            d.get_collection_level_display(),
            d.producer.name if d.producer else "",
            d.n_elements,
            d.group,
            d.licence,
            _("yes") if d.is_public else _("no"),
        )
        for d in items
    )
    return csv_response("dataset.csv", header, rows)


@login_required
@require_GET
def dataset_list(request: HttpRequest) -> HttpResponseBase:
    agency = viewable_agency(request)
    items = datasets_for_list(datasets_visible_to(request.user, agency), request.GET)
    if wants_csv(request):
        return _dataset_csv(items)
    context = {
        "items": items,
        "params": request.GET,
        "periods": PeriodType.choices,
        "groups": sorted({g for g in agency.datasets.values_list("group", flat=True) if g}),
        "units": Unit.objects.filter(agency=agency, datasets__isnull=False).distinct(),
        "can_manage": can_manage_metadata(request.user, agency),
    }
    return render(request, "databank/dataset_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest) -> HttpResponse:
    agency = viewable_agency(request)
    if not can_manage_metadata(request.user, agency):
        raise PermissionDenied
    form = DatasetForm(
        request.POST or None, agency=agency, own_units=own_units(request.user, agency)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        regions = data.pop("regions")
        try:
            dataset = svc.save_dataset(
                actor=request.user, agency=agency, data=data, regions=regions
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The dataset has been created."))
            return redirect("databank:dataset_detail", pk=dataset.pk)
    return render(request, "databank/dataset_form.html", {"form": form})


@login_required
@require_GET
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_dataset_for_user(request.user, current_agency(request), pk)
    items = list(
        dataset.dataset_elements.select_related("element__producer", "element__category_combo")
    )
    can_edit = can_edit_dataset(request.user, dataset)
    context = {
        "dataset": dataset,
        "items": items,
        "completeness": dataset_completeness(dataset, [i.element for i in items]),
        "rules": dataset.rules.all(),
        "regions": dataset.regions.order_by("code"),
        "can_edit": can_edit,
        "add_form": AddElementForm(dataset=dataset) if can_edit else None,
    }
    return render(request, "databank/dataset_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = current_agency(request)
    dataset = get_dataset_for_user(request.user, agency, pk, write=True)
    initial = {f: getattr(dataset, f) for f in svc.DATASET_FIELDS}
    form = DatasetForm(
        request.POST or None,
        initial=initial,
        agency=agency,
        own_units=own_units(request.user, agency),
        instance=dataset,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        regions = data.pop("regions")
        try:
            svc.save_dataset(
                actor=request.user, agency=agency, data=data, dataset=dataset, regions=regions
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The dataset has been saved."))
            return redirect("databank:dataset_detail", pk=dataset.pk)
    return render(request, "databank/dataset_form.html", {"form": form, "dataset": dataset})


@login_required
@require_POST
def dataset_element_add(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_dataset_for_user(request.user, current_agency(request), pk, write=True)
    form = AddElementForm(request.POST, dataset=dataset)
    if form.is_valid():
        try:
            svc.add_dataset_element(actor=request.user, dataset=dataset, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The element has been added to the dataset."))
    else:
        messages.error(request, _("Choose an element that is not yet in the dataset."))
    return redirect("databank:dataset_detail", pk=dataset.pk)


@login_required
@require_POST
def dataset_element_change(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    dataset = get_dataset_for_user(request.user, current_agency(request), pk, write=True)
    try:
        row = dataset.dataset_elements.select_related("element").get(pk=item)
    except DatasetElement.DoesNotExist as exc:
        raise Http404 from exc
    try:
        svc.change_dataset_element(
            actor=request.user, dataset=dataset, item=row, action=request.POST.get("action", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("databank:dataset_detail", pk=dataset.pk)


# --- validation rules ------------------------------------------------------------------


def _rule_page(request: HttpRequest, dataset: Any, rule: ValidationRule | None) -> HttpResponse:
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        try:
            svc.save_rule(actor=request.user, dataset=dataset, data=form.cleaned_data, rule=rule)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("The validation rule has been saved."))
            return redirect("databank:dataset_detail", pk=dataset.pk)
    cells = svc.dataset_cells(dataset)
    refs = [
        ("#{" + code + "}", ["#{" + f"{code}.{cell}" + "}" for cell in sorted(cell_codes)])
        for code, cell_codes in sorted(cells.items())
    ]
    context = {"form": form, "dataset": dataset, "rule": rule, "refs": refs}
    return render(request, "databank/dataset_rule_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def rule_create(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = get_dataset_for_user(request.user, current_agency(request), pk, write=True)
    return _rule_page(request, dataset, None)


def _rule_for(request: HttpRequest, pk: int, rule_pk: int) -> tuple[Any, ValidationRule]:
    dataset = get_dataset_for_user(request.user, current_agency(request), pk, write=True)
    try:
        return dataset, dataset.rules.get(pk=rule_pk)
    except ValidationRule.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, pk: int, rule: int) -> HttpResponse:
    dataset, found = _rule_for(request, pk, rule)
    return _rule_page(request, dataset, found)


@login_required
@require_POST
def rule_delete(request: HttpRequest, pk: int, rule: int) -> HttpResponse:
    dataset, found = _rule_for(request, pk, rule)
    svc.delete_rule(actor=request.user, rule=found)
    messages.success(request, _("The validation rule has been deleted."))
    return redirect("databank:dataset_detail", pk=dataset.pk)

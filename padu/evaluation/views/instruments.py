"""Instruments: the national ones and the agency's own variants; loading a variant file."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from padu.core.http import current_agency
from padu.organizations.models import Agency

from ..instrument_format import InstrumentFormatError
from ..instrument_loader import load_instrument
from ..models import Aspect, Indicator, Instrument, Level
from ..permissions import can_manage_evaluation, can_view_evaluation

MAX_INSTRUMENT_BYTES = 2 * 1024 * 1024


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Instrument file (YAML)"),
        help_text=gettext_lazy("Format padu-instrument/1, at most 2 MB."),
    )


def _instruments(request: HttpRequest) -> tuple[Agency, QuerySet[Instrument]]:
    agency = current_agency(request)
    if not can_view_evaluation(request.user, agency):
        raise PermissionDenied
    return agency, Instrument.objects.filter(Q(agency__isnull=True) | Q(agency=agency))


@login_required
@require_GET
def instrument_list(request: HttpRequest) -> HttpResponse:
    agency, instruments = _instruments(request)
    return render(
        request,
        "evaluation/instrument_list.html",
        {
            "instruments": instruments.order_by("agency", "code", "-version"),
            "can_upload": can_manage_evaluation(request.user, agency),
        },
    )


@login_required
@require_GET
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _agency, instruments = _instruments(request)
    try:
        instrument = instruments.get(pk=pk)
    except Instrument.DoesNotExist as exc:
        raise Http404 from exc
    levels = Level.objects.order_by("level").prefetch_related("criteria")
    indicators = Indicator.objects.order_by("number").prefetch_related(
        Prefetch("levels", queryset=levels)
    )
    aspects = (
        Aspect.objects.filter(instrument=instrument)
        .select_related("domain")
        .order_by("position")
        .prefetch_related(Prefetch("indicators", queryset=indicators))
    )
    return render(
        request, "evaluation/instrument_detail.html", {"instrument": instrument, "aspects": aspects}
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_upload(request: HttpRequest) -> HttpResponse:
    agency = current_agency(request)
    if not can_manage_evaluation(request.user, agency):
        raise PermissionDenied
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    faults: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_INSTRUMENT_BYTES:
                raise ValidationError(_("The file is larger than 2 MB."))
            text = upload.read().decode("utf-8")
            result = load_instrument(text=text, agency=agency, actor=request.user)
        except UnicodeDecodeError:
            faults = [_("The file is not UTF-8 text.")]
        except InstrumentFormatError as exc:
            faults = exc.errors
        except ValidationError as exc:
            faults = exc.messages
        else:
            messages.success(
                request,
                _("The instrument has been loaded.")
                if result.created
                else _("This instrument file is already loaded; nothing changed."),
            )
            return redirect("evaluation:instrument_detail", pk=result.instrument.pk)
    return render(
        request,
        "evaluation/instrument_upload.html",
        {"form": form, "faults": faults},
        status=400 if faults else 200,
    )

"""Adding evidence from an indicator returns to that indicator after saving."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from padu.evaluation.choices import EvidenceKind
from padu.evaluation.models import Evidence


def link_data(units, **extra: str) -> dict[str, str]:
    return {
        "title": "SIMPUS",
        "kind": EvidenceKind.APP_LINK,
        "owner_unit": str(units["dinkes"].pk),
        "url": "https://simpus.kendarikota.go.id",
        **extra,
    }


def test_the_indicator_links_to_the_create_form_with_its_own_address(
    client: Client, period, dinkes_admin
) -> None:
    assessment = period.assessments.get(indicator__number=1)
    client.force_login(dinkes_admin)
    here = reverse("evaluation:assessment_detail", args=[assessment.pk])
    page = client.get(here).content.decode()
    assert f"{reverse('evaluation:evidence_create')}?next={quote(here)}" in page
    form = client.get(reverse("evaluation:evidence_create"), {"next": here}).content.decode()
    assert f'<input type="hidden" name="next" value="{here}">' in form


def test_saving_returns_to_the_indicator_with_a_message(
    client: Client, period, dinkes_admin, units
) -> None:
    assessment = period.assessments.get(indicator__number=1)
    client.force_login(dinkes_admin)
    client.cookies["django_language"] = "en"
    here = reverse("evaluation:assessment_detail", args=[assessment.pk])
    response = client.post(reverse("evaluation:evidence_create"), link_data(units, next=here))
    assert response.status_code == 302
    assert response.url == here
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("SIMPUS" in t and "attach it here" in t for t in texts)
    assert Evidence.objects.get().title == "SIMPUS"


def test_an_outside_next_is_ignored(client: Client, dinkes_admin, units) -> None:
    client.force_login(dinkes_admin)
    response = client.post(
        reverse("evaluation:evidence_create"), link_data(units, next="https://evil.example/")
    )
    evidence = Evidence.objects.get()
    assert response.url == reverse("evaluation:evidence_detail", args=[evidence.pk])
    form = client.get(reverse("evaluation:evidence_create"), {"next": "//evil.example/x"})
    assert form.context["next"] == ""

"""includes/form.html gives each help text the id Django's widgets point at with
aria-describedby (`<id>_helptext`), so screen readers read the help with the field."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

DESCRIBED = re.compile(r'aria-describedby="([^"]+)"')


def _ids(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


class HelpForm(forms.Form):
    name = forms.CharField(help_text="Short name")
    note = forms.CharField(required=False)
    agree = forms.BooleanField(required=False, help_text="Tick to agree")


def test_every_described_by_id_exists_in_the_include() -> None:
    html = render_to_string("includes/form.html", {"form": HelpForm()})
    described = {i for value in DESCRIBED.findall(html) for i in value.split()}
    assert described == {"id_name_helptext", "id_agree_helptext"}
    assert described <= _ids(html)


@pytest.mark.django_db
def test_the_evidence_form_file_help_matches(client: Client, dinkes_admin) -> None:
    client.force_login(dinkes_admin)
    html = client.get(reverse("evaluation:evidence_create")).content.decode()
    assert 'aria-describedby="id_file_helptext"' in html
    assert "id_file_helptext" in _ids(html)
    for value in DESCRIBED.findall(html):
        assert set(value.split()) <= _ids(html), value

"""The filter select of list pages: choices, the selected one, escaping, translation."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.utils import translation

from padu.organizations.models import Agency


def render(source: str, **context: object) -> str:
    return Template("{% load padu %}" + source).render(Context(context))


def options(html: str) -> list[tuple[str, str, bool]]:
    found = re.findall(r'<option value="([^"]*)"\s*(selected)?\s*>([^<]*)</option>', html)
    return [(value, text.strip(), bool(on)) for value, on, text in found]


def test_pairs_with_the_selected_one_marked() -> None:
    html = render(
        '{% filter_select "kind" "Jenis" kinds sel "Semua jenis" %}',
        kinds=[("doc", "Dokumen"), ("img", "Gambar")],
        sel="img",
    )
    assert '<label for="kind">Jenis</label>' in html
    assert '<select id="kind" name="kind">' in html
    assert options(html) == [
        ("", "Semua jenis", False),
        ("doc", "Dokumen", False),
        ("img", "Gambar", True),
    ]


def test_plain_values_and_numbers_compare_as_text() -> None:
    html = render('{% filter_select "year" "Tahun" years "2025" %}', years=[2024, 2025])
    assert options(html)[1:] == [("2024", "2024", False), ("2025", "2025", True)]
    nothing = render('{% filter_select "year" "Tahun" years "" %}', years=[0, 1])
    assert not any(on for _v, _t, on in options(nothing))


@pytest.mark.django_db
def test_model_instances_and_the_none_option() -> None:
    agency = Agency.objects.create(name="Kota Kendari", slug="kendari", kind="kota")
    source = '{% filter_select "agency" "Instansi" items sel none_label="Belum ada" %}'
    with translation.override("en"):
        html = render(source, items=[agency], sel=str(agency.pk))
    assert options(html) == [
        ("", "All", False),
        ("none", "Belum ada", False),
        (str(agency.pk), "Kota Kendari", True),
    ]
    assert ("none", "Belum ada", True) in options(render(source, items=[agency], sel="none"))


def test_labels_are_escaped_and_the_id_can_differ() -> None:
    html = render(
        '{% filter_select "tag" "Tag" tags "" field_id="id_tag" %}', tags=[("<x>", "a & <b>")]
    )
    assert '<select id="id_tag" name="tag">' in html
    assert "a &amp; &lt;b&gt;" in html and "<b>" not in html
    assert 'value="&lt;x&gt;"' in html


def test_the_all_option_speaks_indonesian() -> None:
    with translation.override("id"):
        html = render('{% filter_select "k" "K" ks "" %}', ks=[])
    assert options(html) == [("", "Semua", False)]

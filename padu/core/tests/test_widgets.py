"""The quick select widgets write what Django's template-rendered ones write."""

from __future__ import annotations

from django import forms

from padu.core.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [
    ("", "---"),
    ("a", "Alpha & <b>"),
    ('Group "g"', [("b", "Beta"), ("c", "Gamma")]),
    (3, "Three"),
]


class Slow(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False)


class Quick(forms.Form):
    one = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)
    many = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=QuickSelectMultiple)


def test_same_html_as_django_unbound() -> None:
    slow, quick = Slow(), Quick()
    for name in ("one", "many"):
        assert str(quick[name]) == str(slow[name])


def test_same_html_as_django_with_selection_and_attrs() -> None:
    data = {"one": "b", "many": ["a", "3"]}
    slow, quick = Slow(data), Quick(data)
    for name in ("one", "many"):
        html = str(quick[name])
        assert html == str(slow[name])
        assert "selected" in html
    assert "multiple" in str(quick["many"])


def test_labels_and_values_are_escaped() -> None:
    html = str(Quick()["one"])
    assert "Alpha &amp; &lt;b&gt;" in html
    assert 'label="Group &quot;g&quot;"' in html
    assert "<b>" not in html

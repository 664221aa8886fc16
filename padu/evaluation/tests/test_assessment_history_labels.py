"""The indicator page's history names transitions and lists fields by their labels."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.audit import services as audit
from padu.audit.models import AuditAction, AuditEvent
from padu.evaluation.models import Assessment
from padu.evaluation.selectors import history_entry


@pytest.fixture
def assessment(period) -> Assessment:
    return period.assessments.get(indicator__number=1)


def event(before: dict, after: dict, action: str = AuditAction.UPDATE) -> AuditEvent:
    return AuditEvent(action=action, before=before, after=after)


@pytest.mark.parametrize(
    ("old", "new", "label"),
    [
        ("draft", "submitted", "Submitted"),
        ("returned", "submitted", "Submitted"),
        ("submitted", "in_review", "Review started"),
        ("in_review", "returned", "Returned"),
        ("in_review", "accepted", "Accepted"),
        ("accepted", "draft", "Reopened"),
    ],
)
def test_a_status_change_is_named_by_its_transition(old: str, new: str, label: str) -> None:
    row = event(
        {"status": old, "revision": 1, "updated_at": "a", "reviewed_at": None},
        {"status": new, "revision": 2, "updated_at": "b", "reviewed_at": "c"},
    )
    with translation.override("en"):
        entry = history_entry(row)
        assert entry.label == label
        assert entry.fields == []


def test_an_edit_lists_the_field_labels_without_bookkeeping() -> None:
    row = event(
        {"claimed_level": None, "checked_criteria": [], "revision": 1, "updated_at": "a"},
        {"claimed_level": 3, "checked_criteria": [1], "revision": 2, "updated_at": "b"},
    )
    with translation.override("en"):
        entry = history_entry(row)
        assert entry.label == "Updated"
        assert sorted(entry.fields) == ["Claimed level", "Criteria met"]
    with translation.override("id"):
        entry = history_entry(row)
        assert entry.label == "Diubah"
        assert sorted(entry.fields) == ["Kriteria terpenuhi", "Tingkat yang diklaim"]


def test_the_indicator_page_shows_labels_not_field_names(
    client: Client, assessment: Assessment, coordinator
) -> None:
    audit.record(
        action=AuditAction.UPDATE,
        actor=coordinator,
        agency=assessment.period.agency,
        instance=assessment,
        before={"status": "draft", "checked_criteria": [], "revision": 1},
        after={"status": "submitted", "checked_criteria": [1], "revision": 2},
    )
    client.force_login(coordinator)
    page = client.get(reverse("evaluation:assessment_detail", args=[assessment.pk]))
    html = page.content.decode()
    history = html[html.index('<ul class="history">') :]
    history = history[: history.index("</ul>")]
    assert "Dikirim" in history and "Kriteria terpenuhi" in history
    assert "checked_criteria" not in history and "revision" not in history
    assert "Diubah" not in history
    assert page.context["history"][0].after["status"] == "submitted"

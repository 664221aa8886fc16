"""Each proposal step says what happened, not only that the proposal was updated."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from padu.catalog.choices import ProposalStatus

from .planning_fixtures import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def step(client: Client, user, proposal, action: str, **data) -> list[tuple[str, str]]:
    client.logout()  # a fresh session: only this step's messages
    client.force_login(user)
    client.cookies["django_language"] = "en"  # messages checked in English
    url = reverse("catalog:proposal_transition", args=[proposal.pk, action])
    with translation.override("en"):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        messages = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    return messages


def test_each_step_says_what_happened(client: Client, dinkes_admin, coordinator, world) -> None:
    proposal = world["proposal"]
    expected = [
        (dinkes_admin, "submit", {}, "Proposal sent to Diskominfo with its duplicate check."),
        (
            coordinator,
            "start_review",
            {},
            "Review of the proposal started.",
        ),
        (
            coordinator,
            "return",
            {"reason": "Lengkapi data"},
            "Proposal returned to the proposing OPD for changes.",
        ),
        (dinkes_admin, "withdraw", {}, "Proposal withdrawn."),
    ]
    for user, action, data, text in expected:
        assert step(client, user, proposal, action, **data) == [("success", text)], action
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


def test_a_refused_step_says_why_and_not_that_it_happened(
    client: Client, coordinator, world
) -> None:
    messages = step(client, coordinator, world["sent"], "return", reason=" ")
    assert [level for level, _text in messages] == ["error"]

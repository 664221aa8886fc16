"""Permission matrix of the planning pages: anonymous, another agency, read-only, writer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .planning_fixtures import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

# (url name, object key in `world` or None, is a write page)
PAGES = [
    ("catalog:integration_list", None, False),
    ("catalog:integration_graph", None, False),
    ("catalog:integration_create", None, True),
    ("catalog:integration_edit", "integration", True),
    ("catalog:proposal_list", None, False),
    ("catalog:proposal_create", None, True),
    ("catalog:proposal_detail", "sent", False),
    ("catalog:proposal_edit", "proposal", True),
    ("catalog:proposal_decide", "sent", True),
    ("catalog:proposal_dossier", "sent", False),
    ("catalog:roadmap", None, False),
    ("catalog:initiative_create", None, True),
    ("catalog:initiative_edit", "initiative", True),
    ("catalog:architecture", None, False),
    ("catalog:register_evidence", None, True),
]
POSTS = [
    ("catalog:integration_delete", "integration", []),
    ("catalog:proposal_transition", "sent", ["start_review"]),
]


def url(world, name, key, extra=()):
    return reverse(name, args=[*([world[key].pk] if key else []), *extra])


@pytest.mark.parametrize(("name", "key", "write"), PAGES)
def test_anonymous_is_sent_to_login(client: Client, world, name, key, write):
    response = client.get(url(world, name, key))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "key", "extra"), POSTS)
def test_anonymous_posts_are_sent_to_login(client: Client, world, name, key, extra):
    response = client.post(url(world, name, key, extra))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "key", "write"), [p for p in PAGES if p[1]])
def test_another_agency_gets_404(client: Client, outsider, world, name, key, write):
    client.force_login(outsider)
    assert client.get(url(world, name, key)).status_code == 404


@pytest.mark.parametrize(("name", "key", "extra"), POSTS)
def test_another_agency_gets_404_on_posts(client: Client, outsider, world, name, key, extra):
    client.force_login(outsider)
    assert client.post(url(world, name, key, extra)).status_code == 404


@pytest.mark.parametrize(
    ("name", "key", "write"), [p for p in PAGES if p[2] and p[0] != "catalog:proposal_edit"]
)
def test_read_only_viewer_may_not_write(client: Client, viewer, world, name, key, write):
    client.force_login(viewer)
    assert client.get(url(world, name, key)).status_code == 403


def test_read_only_viewer_may_not_edit_a_proposal(client: Client, viewer, world):
    client.force_login(viewer)
    assert client.get(url(world, "catalog:proposal_edit", "sent")).status_code == 403
    assert client.get(url(world, "catalog:proposal_edit", "proposal")).status_code == 404  # draft


@pytest.mark.parametrize(("name", "key", "extra"), POSTS)
def test_read_only_viewer_may_not_post(client: Client, viewer, world, name, key, extra):
    client.force_login(viewer)
    assert client.post(url(world, name, key, extra)).status_code == 403


@pytest.mark.parametrize(("name", "key", "write"), [p for p in PAGES if not p[2]])
def test_reader_sees_the_pages(client: Client, viewer, world, name, key, write):
    client.force_login(viewer)
    assert client.get(url(world, name, key)).status_code == 200


@pytest.mark.parametrize(("name", "key", "write"), PAGES)
def test_diskominfo_opens_everything(client: Client, coordinator, world, name, key, write):
    client.force_login(coordinator)
    assert client.get(url(world, name, key)).status_code == 200


def test_admin_opd_writes_their_own_but_not_decides(client: Client, dinkes_admin, world):
    client.force_login(dinkes_admin)
    assert client.get(url(world, "catalog:proposal_edit", "proposal")).status_code == 200
    assert client.get(url(world, "catalog:initiative_edit", "initiative")).status_code == 200
    assert client.get(url(world, "catalog:proposal_decide", "proposal")).status_code == 403
    assert client.get(url(world, "catalog:register_evidence", None)).status_code == 403
    # the integration's consumer belongs to Diskominfo
    assert client.get(url(world, "catalog:integration_edit", "integration")).status_code == 403


def test_other_admin_opd_may_not_edit(client: Client, disdik_admin, world):
    client.force_login(disdik_admin)
    # another OPD's draft is not shown at all; a sent one is read-only
    assert client.get(url(world, "catalog:proposal_edit", "proposal")).status_code == 404
    assert client.get(url(world, "catalog:proposal_edit", "sent")).status_code == 403
    assert client.get(url(world, "catalog:initiative_edit", "initiative")).status_code == 403
    submit = url(world, "catalog:proposal_transition", "proposal", ["submit"])
    assert client.post(submit).status_code == 404
    withdraw = url(world, "catalog:proposal_transition", "sent", ["withdraw"])
    assert client.post(withdraw).status_code == 403

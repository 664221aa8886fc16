"""Release pages (walidata) and the public open data pages: permissions first."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from padu.databank.models import Release

pytest_plugins = ["padu.databank.tests.fixtures_publishing"]


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def urls(release: Release) -> dict[str, str]:
    return {
        "list": reverse("databank:release_list"),
        "create": reverse("databank:release_create", args=[release.dataset.pk]),
        "withdraw": reverse("databank:release_withdraw", args=[release.pk]),
    }


# Permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list", "create", "withdraw"])
def test_anonymous_is_sent_to_login(client: Client, release: Release, name: str) -> None:
    response = client.get(urls(release)[name])
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


@pytest.mark.parametrize("name", ["create", "withdraw"])
def test_another_agency_gets_404(
    client: Client, release: Release, outsider: Any, name: str
) -> None:
    login(client, outsider)
    assert client.get(urls(release)[name]).status_code == 404
    assert client.post(urls(release)[name], {"reason": "x"}).status_code == 404


def test_another_agency_does_not_see_the_datasets(
    client: Client, release: Release, outsider: Any
) -> None:
    response = login(client, outsider).get(urls(release)["list"])
    assert response.status_code == 200
    assert "Kependudukan" not in response.content.decode()


@pytest.mark.parametrize("persona", ["viewer", "village_operator", "dinkes_admin"])
@pytest.mark.parametrize("name", ["create", "withdraw"])
def test_read_only_users_get_403_on_writes(
    client: Client, release: Release, persona: str, name: str, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(urls(release)[name]).status_code == 403
    assert (
        client.post(urls(release)[name], {"reason": "x", "periods": ["202501"]}).status_code == 403
    )
    release.refresh_from_db()
    assert release.withdrawn_at is None
    assert Release.objects.count() == 1


def test_read_only_user_sees_the_list_without_publish_buttons(
    client: Client, release: Release, viewer: Any
) -> None:
    response = login(client, viewer).get(urls(release)["list"])
    assert response.status_code == 200
    assert urls(release)["create"] not in response.content.decode()


def test_walidata_sees_the_list_with_publish_buttons(
    client: Client, release: Release, data_custodian: Any
) -> None:
    response = login(client, data_custodian).get(urls(release)["list"])
    assert response.status_code == 200
    assert urls(release)["create"] in response.content.decode()


# Walidata flow ---------------------------------------------------------------------------


def test_walidata_previews_then_publishes(
    client: Client, publishable_dataset: Any, data_custodian: Any
) -> None:
    login(client, data_custodian)
    url = reverse("databank:release_create", args=[publishable_dataset.pk])
    response = client.get(url, {"periods": ["202501", "202502"]})
    assert response.status_code == 200
    assert "&lt;n." in response.content.decode()  # the help's "<n" is text, not a broken tag
    preview = response.context["preview"]
    assert preview.row_count == 12 and preview.suppressed == 2
    assert preview.periods == ["202501", "202502"]
    assert [e.code for e in preview.hidden_elements] == ["IMUN"]
    response = client.post(url, {"periods": ["202502"], "notes": "Februari"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "databank:public_dataset", args=["kota-kendari", "KEPENDUDUKAN"]
    )
    release = Release.objects.get()
    assert release.periods == ["202502"] and release.notes == "Februari"


def test_publish_form_shows_metadata_gaps(
    client: Client, publishable_dataset: Any, births: Any, data_custodian: Any
) -> None:
    births.concept = ""
    births.save()
    login(client, data_custodian)
    url = reverse("databank:release_create", args=[publishable_dataset.pk])
    response = client.post(url, {"periods": ["202501"]})
    assert response.status_code == 200
    assert response.context["gaps"]
    assert response.context["form"].errors
    assert not Release.objects.exists()


def test_publish_form_needs_a_period(
    client: Client, publishable_dataset: Any, data_custodian: Any
) -> None:
    login(client, data_custodian)
    url = reverse("databank:release_create", args=[publishable_dataset.pk])
    response = client.post(url, {"periods": []})
    assert response.status_code == 200
    assert "periods" in response.context["form"].errors


def test_walidata_withdraws_with_a_reason(
    client: Client, release: Release, data_custodian: Any
) -> None:
    login(client, data_custodian)
    url = urls(release)["withdraw"]
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(url, {"reason": "Salah input"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.withdrawn_reason == "Salah input"


# Public pages ----------------------------------------------------------------------------


def test_public_list_shows_published_datasets_to_anyone(
    client: Client, release: Release, school_release: Release
) -> None:
    response = client.get(reverse("databank:public_datasets"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kependudukan" in page and "Pendidikan dasar" in page
    response = client.get(reverse("databank:public_datasets"), {"group": "pendidikan"})
    assert [e.name for e in response.context["page"]] == ["kota-kendari-pendidikan"]
    # the filter keeps its choice, and each choice says how many datasets it holds
    chosen = r'<option value="pendidikan"\s+selected\s*>\s*[^<(]+\(1\)'
    assert re.search(chosen, response.content.decode())
    response = client.get(reverse("databank:public_datasets"), {"q": "kelahiran"})
    assert [e.name for e in response.context["page"]] == ["kota-kendari-kependudukan"]
    response = client.get(
        reverse("databank:public_datasets"), {"organization": "kota-kendari-disdikbud"}
    )
    assert [e.name for e in response.context["page"]] == ["kota-kendari-pendidikan"]
    response = client.get(reverse("databank:public_datasets"), {"tag": "penduduk"})
    assert [e.name for e in response.context["page"]] == ["kota-kendari-kependudukan"]


def test_public_list_leaves_out_unpublished_datasets(
    client: Client, publishable_dataset: Any
) -> None:
    response = client.get(reverse("databank:public_datasets"))
    assert "Kependudukan" not in response.content.decode()
    url = reverse("databank:public_dataset", args=["kota-kendari", "KEPENDUDUKAN"])
    assert client.get(url).status_code == 404


def test_public_dataset_page_shows_the_release(
    client: Client, release: Release, django_assert_max_num_queries: Any
) -> None:
    url = reverse("databank:public_dataset", args=["kota-kendari", "KEPENDUDUKAN"])
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert release.checksum in page
    assert "&lt;5" in page
    assert "KemenPANRB" not in page  # the release date is not the evaluation's "published"
    assert len(response.context["rows"]) == release.row_count


def test_anonymous_downloads_each_format(client: Client, release: Release) -> None:
    for fmt in ("csv", "xlsx", "json"):
        url = reverse("databank:public_download", args=["kota-kendari", "KEPENDUDUKAN", 1, fmt])
        response = client.get(url)
        assert response.status_code == 200, fmt
        content = b"".join(response.streaming_content)
        assert content == getattr(release, f"{fmt}_file").open("rb").read()
        assert "attachment" in response["Content-Disposition"]
    bad = reverse("databank:public_download", args=["kota-kendari", "KEPENDUDUKAN", 1, "exe"])
    assert client.get(bad).status_code == 404
    missing = reverse("databank:public_download", args=["kota-kendari", "KEPENDUDUKAN", 9, "csv"])
    assert client.get(missing).status_code == 404


def test_withdrawn_release_is_gone_but_listed(
    client: Client, release: Release, data_custodian: Any
) -> None:
    from padu.databank import services_publishing

    services_publishing.withdraw_release(user=data_custodian, release=release, reason="Salah")
    url = reverse("databank:public_download", args=["kota-kendari", "KEPENDUDUKAN", 1, "csv"])
    assert client.get(url).status_code == 410
    page = client.get(reverse("databank:public_dataset", args=["kota-kendari", "KEPENDUDUKAN"]))
    assert page.status_code == 200
    assert "Salah" in page.content.decode()

"""Which navigation link is marked as the current page."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from padu.core import navigation
from padu.core.navigation import NavLink, NavSection, navigation_for


def _active(path: str, monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    everyone = lambda user, agency: True  # noqa: E731
    monkeypatch.setattr(
        navigation,
        "NAVIGATION",
        (
            NavSection(
                "Evaluasi",
                (
                    NavLink("Dasbor", "evaluation:dashboard", everyone),
                    NavLink("Periode", "evaluation:period_list", everyone, exact=True),
                    NavLink("Bukti", "evaluation:evidence_list", everyone),
                ),
            ),
        ),
    )
    return [
        str(link.label)
        for section in navigation_for(AnonymousUser(), None, path)
        for link in section.links
        if link.active
    ]


def test_longest_prefix_wins(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _active(reverse("evaluation:evidence_detail", args=[3]), monkeypatch) == ["Bukti"]
    assert _active(reverse("evaluation:dashboard"), monkeypatch) == ["Dasbor"]


def test_exact_link_is_active_on_its_own_url_only(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert _active(reverse("evaluation:period_list"), monkeypatch) == ["Periode"]
    # where the dashboard link lands: a period's page belongs to the dashboard, not the list
    assert _active(reverse("evaluation:period_detail", args=[7]), monkeypatch) == ["Dasbor"]


def test_the_real_periods_link_is_exact() -> None:
    links = [link for section in navigation.NAVIGATION for link in section.links]
    periods = next(link for link in links if link.url_name == "evaluation:period_list")
    assert periods.exact

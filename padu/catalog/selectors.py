"""Reads of the catalog: the register list's narrow rows, and models turned into the duplicate
check's plain items."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.db.models import QuerySet

from .choices import AppKind, Decision, Hosting, Lifecycle
from .duplicates import Item
from .models import Application, NationalApplication, Proposal


def _codes(obj: Application | Proposal) -> dict[str, frozenset[str]]:
    codes = [c.code for c in obj.reference_codes.all()]
    return {
        "ral": frozenset(c for c in codes if c.startswith("RAL.")),
        "rab": frozenset(c for c in codes if c.startswith("RAB.")),
        "data": frozenset(c for c in codes if c.startswith("RAD.")),
    }


def application_item(app: Application) -> Item:
    """An application for the duplicate check (prefetch `reference_codes`)."""
    return Item(
        key=f"app:{app.pk}",
        name=app.name,
        acronym=app.acronym,
        text=f"{app.aliases} {app.description} {app.data_handled}",
        national=app.national_id is not None,
        **_codes(app),
    )


def national_item(app: NationalApplication) -> Item:
    return Item(
        key=f"national:{app.key}",
        name=app.full_name or app.name,
        acronym=app.name,
        text=app.function,
        ral=frozenset(app.ral_codes),
        national=True,
    )


def proposal_item(proposal: Proposal) -> Item:
    """A proposal for the duplicate check: its name, problem, process, users and data."""
    data = {f"element:{e.pk}" for e in proposal.data_elements.all()}
    codes = _codes(proposal)
    return Item(
        key=f"proposal:{proposal.pk}",
        name=proposal.title,
        text=" ".join([proposal.problem, proposal.business_process, proposal.users, proposal.data]),
        ral=codes["ral"],
        rab=codes["rab"],
        data=codes["data"] | frozenset(data),
    )


class RegisterRow(TypedDict):
    """One line of the register list: only what the page shows, labels already translated."""

    pk: int
    name: str
    acronym: str
    national: bool
    owner: str
    lifecycle: str
    kind_label: str
    lifecycle_label: str
    hosting_label: str
    decision_label: str


# The columns the register list reads (not the wide description, aliases or data texts).
REGISTER_COLUMNS = (
    "pk",
    "name",
    "acronym",
    "national_id",
    "owner_unit__name",
    "owner_unit__acronym",
    "kind",
    "lifecycle",
    "hosting",
    "decision",
)
_LABELLED = (
    ("kind", AppKind.choices),
    ("lifecycle", Lifecycle.choices),
    ("hosting", Hosting.choices),
    ("decision", Decision.choices),
)


def register_list_query(
    applications: QuerySet[Application],
) -> QuerySet[Application, dict[str, Any]]:
    """The filtered register as narrow rows, in the chosen order then by name.

    The name is unique within an agency, so it breaks ties of the other sorts (pages of a sort
    by type or OPD never overlap) and, alone, lets the (agency, name) index serve the page.
    Ordering by name instead of the model's ("agency", "name") also avoids joining the agency.
    """
    chosen: list[Any] = list(applications.query.order_by)
    if "name" not in chosen and "-name" not in chosen:
        chosen.append("name")
    return applications.order_by(*chosen).values(*REGISTER_COLUMNS)


def register_rows(values: Iterable[dict[str, Any]]) -> list[RegisterRow]:
    """Rows of `register_list_query` with their choice labels, translated once per call."""
    labels = {name: {v: str(t) for v, t in choices} for name, choices in _LABELLED}
    return [
        RegisterRow(
            pk=v["pk"],
            name=v["name"],
            acronym=v["acronym"],
            national=v["national_id"] is not None,
            owner=v["owner_unit__acronym"] or v["owner_unit__name"],
            lifecycle=v["lifecycle"],
            kind_label=labels["kind"].get(v["kind"], ""),
            lifecycle_label=labels["lifecycle"].get(v["lifecycle"], ""),
            hosting_label=labels["hosting"].get(v["hosting"], ""),
            decision_label=labels["decision"].get(v["decision"], ""),
        )
        for v in values
    ]

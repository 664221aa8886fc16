"""Reads of the catalog: models turned into the duplicate check's plain items."""

from __future__ import annotations

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

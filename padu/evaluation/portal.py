"""The national evaluation portal's vocabulary and the per-indicator hand-off.

The portal (where Pemdi evidence is uploaded and assessed in 2026) knows three evidence
statuses: diterima, revisi, ditolak. Levels are cumulative: a level's evidence is refused
automatically ("ditolak otomatis") while any lower level is not accepted. Padu's own review
status of an evidence item maps onto the portal's one to one, "not reviewed" having no
portal counterpart ("belum dinilai").

A level counts as accepted when it has at least one evidence item and every item of it is
accepted (diterima). The pure part (statuses) takes plain values; `handoff_for` reads the
database once per call and names the files exactly as the evidence bundle does.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .bundles import Entry, plan_entries, uses_portal_coding
from .choices import EvidenceReview
from .models import Assessment, EvidenceLink

# The portal's words, as the portal writes them (Indonesian in every language).
PORTAL_ACCEPTED = "diterima"
PORTAL_REVISE = "revisi"
PORTAL_REJECTED = "ditolak"
PORTAL_AUTO_REJECTED = "ditolak otomatis"
PORTAL_NOT_ASSESSED = "belum dinilai"

PORTAL_STATUS = {
    EvidenceReview.PENDING: PORTAL_NOT_ASSESSED,
    EvidenceReview.ACCEPTED: PORTAL_ACCEPTED,
    EvidenceReview.REVISE: PORTAL_REVISE,
    EvidenceReview.REJECTED: PORTAL_REJECTED,
}
PORTAL_HELP = {
    PORTAL_ACCEPTED: _("Accepted"),
    PORTAL_REVISE: _("Needs revision"),
    PORTAL_REJECTED: _("Rejected"),
    PORTAL_AUTO_REJECTED: _("Refused automatically: a lower level is not accepted"),
    PORTAL_NOT_ASSESSED: _("Not reviewed yet"),
}


def portal_status(review_status: str) -> str:
    """The portal's word for one of Padu's evidence review statuses."""
    try:
        return PORTAL_STATUS[EvidenceReview(review_status)]
    except ValueError as exc:
        raise ValueError(f"unknown evidence review status: {review_status!r}") from exc


def level_accepted(statuses: Sequence[str]) -> bool:
    """A level is accepted when it has evidence and every item of it is accepted."""
    return bool(statuses) and all(s == EvidenceReview.ACCEPTED for s in statuses)


def portal_statuses(
    by_level: Mapping[int, Sequence[str]], min_level: int = 1
) -> dict[int, list[str]]:
    """Per level, the portal status of each item (Padu review statuses in, in the same order).

    Levels are cumulative: every item of a level is "ditolak otomatis" once any level from
    `min_level` below it is not accepted (missing levels count as not accepted).
    """
    out: dict[int, list[str]] = {}
    if not by_level:
        return out
    blocked = False
    for level in range(min_level, max(by_level) + 1):
        statuses = list(by_level.get(level, ()))
        if level in by_level:
            if blocked:
                out[level] = [PORTAL_AUTO_REJECTED] * len(statuses)
            else:
                out[level] = [portal_status(s) for s in statuses]
        if not level_accepted(statuses):
            blocked = True
    for level in sorted(by_level):  # levels below min_level, if any, keep their own
        out.setdefault(level, [portal_status(s) for s in by_level[level]])
    return dict(sorted(out.items()))


# --- the hand-off (database) ----------------------------------------------------


@dataclass
class HandoffItem:
    """One evidence item as the koordinator enters it in the portal."""

    level: int
    code: str
    file_name: str
    title: str
    url: str
    review: str
    review_label: str
    portal: str

    @property
    def portal_label(self) -> str:
        """The portal status explained in the active language."""
        return str(PORTAL_HELP.get(self.portal, ""))


@dataclass
class HandoffLevel:
    level: int
    name: str
    items: list[HandoffItem] = field(default_factory=list)


@dataclass
class Handoff:
    """What the koordinator pastes into the national portal for one indicator."""

    assessment: Assessment
    indicator_code: str
    indicator_name: str
    explanation: str
    levels: list[HandoffLevel]
    portal_coding: bool

    @property
    def items(self) -> list[HandoffItem]:
        return [i for lv in self.levels for i in lv.items]

    @property
    def links(self) -> list[HandoffItem]:
        return [i for i in self.items if i.url]

    def evidence_text(self) -> str:
        """The evidence list per level, one line per item, for pasting."""
        lines: list[str] = []
        for lv in self.levels:
            lines.append(f"L{lv.level} {lv.name}".rstrip())
            for i in lv.items:
                name = i.file_name or i.title
                lines.append(f"- {name}" + (f" ({i.url})" if i.url else ""))
        return "\n".join(lines)

    def links_text(self) -> str:
        return "\n".join(i.url for i in self.links)

    def as_text(self) -> str:
        """The whole hand-off as plain text (headings in the active language)."""
        return "\n".join(
            [
                f"{self.indicator_code} {self.indicator_name}",
                "",
                gettext("Explanation"),
                self.explanation.strip(),
                "",
                gettext("Evidence per level"),
                self.evidence_text(),
                "",
                gettext("Links"),
                self.links_text(),
                "",
            ]
        )

    def as_csv(self) -> str:
        """One row per evidence item (machine-readable: English column names)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["indicator", "level", "code", "file_name", "title", "url", "status"])
        for i in self.items:
            writer.writerow(
                [self.indicator_code, i.level, i.code, i.file_name, i.title, i.url, i.portal]
            )
        return out.getvalue()


def _code(entry: Entry) -> str:
    return entry.portal_code


def handoff_for(assessment: Assessment) -> Handoff:
    """The hand-off of one indicator: explanation, evidence per level named as in the bundle."""
    period = assessment.period
    entries = plan_entries(period, assessment=assessment)
    links = (
        EvidenceLink.objects.filter(assessment=assessment)
        .order_by("level", "added_at", "pk")
        .values_list("level", "evidence_id", "evidence__review_status")
    )
    reviews: dict[tuple[int, int], str] = {}
    for level, evidence_id, review in links:
        reviews.setdefault((level, evidence_id), review)
    by_level: dict[int, list[str]] = {}
    for e in entries:
        by_level.setdefault(e.level, []).append(reviews.get((e.level, e.evidence_id), ""))
    portal = portal_statuses(
        {lv: [s or EvidenceReview.PENDING for s in ss] for lv, ss in by_level.items()},
        period.instrument.min_level,
    )
    names = dict(assessment.indicator.levels.values_list("level", "name"))
    labels = dict(EvidenceReview.choices)
    levels: dict[int, HandoffLevel] = {}
    counts: dict[int, int] = {}
    for e in entries:
        lv = levels.setdefault(e.level, HandoffLevel(e.level, names.get(e.level, "")))
        n = counts.get(e.level, 0)
        counts[e.level] = n + 1
        review = reviews.get((e.level, e.evidence_id)) or EvidenceReview.PENDING
        lv.items.append(
            HandoffItem(
                level=e.level,
                code=_code(e),
                file_name=e.path.rsplit("/", 1)[-1] if e.path else "",
                title=e.title,
                url=e.url,
                review=review,
                review_label=str(labels.get(review, review)),
                portal=portal[e.level][n],
            )
        )
    ind = assessment.indicator
    return Handoff(
        assessment=assessment,
        indicator_code=ind.code,
        indicator_name=ind.name,
        explanation=assessment.explanation,
        levels=[levels[k] for k in sorted(levels)],
        portal_coding=uses_portal_coding(period.instrument),
    )

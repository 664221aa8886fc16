"""Entry of a dataset's form for one region and period: check a cell, save it, submit the form.

Checks happen here, before `services_values.write_values` (the one write path): the user may
enter for the region, the form is open (see `locks.py`), the value fits the element's type
(whole number, decimal, percentage 0-100, yes/no, option code, text), and a value outside the
element's min/max carries a comment (a warning that needs a comment, never a silent accept).
Outliers (modified z-score) and validation-rule violations are warnings; they do not block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.audit.models import AuditAction
from padu.audit.services import record
from padu.organizations.models import Region

from . import expressions
from . import selectors_entry as sel
from .choices import SubmissionStatus, ValueStatus, ValueType
from .models import DataElement, Dataset, DataValue, OptionCombo, Submission, ValidationRule
from .numbers import parse_number
from .permissions import can_enter
from .services_values import ValueRow, shown, write_values

YES = {"1", "ya", "y", "yes", "true", "benar"}
NO = {"0", "tidak", "t", "no", "n", "false", "salah"}
OUTLIER_Z = Decimal("3.5")


@dataclass
class CellResult:
    value: str
    comment: str
    warnings: list[str] = field(default_factory=list)
    changed: bool = False


def parse_value(
    element: DataElement, raw: str, option_codes: Iterable[str] = ()
) -> tuple[Decimal | None, str]:
    """(number, text) for a raw entry; ('', None) for blank; ValidationError when it does not fit."""
    text = (raw or "").strip()
    if not text:
        return None, ""
    kind = element.value_type
    if kind == ValueType.TEXT:
        if len(text) > 1000:
            raise ValidationError(_("The text is longer than 1000 characters."))
        return None, text
    if kind == ValueType.OPTION:
        codes = {str(c) for c in option_codes}
        if text not in codes:
            raise ValidationError(_("%(value)s is not in the option list.") % {"value": text})
        return None, text
    if kind == ValueType.BOOLEAN:
        if text.lower() in YES:
            return Decimal(1), ""
        if text.lower() in NO:
            return Decimal(0), ""
        raise ValidationError(_("Answer yes or no."))
    try:
        number = parse_number(text, whole=kind == ValueType.INTEGER)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if kind == ValueType.PERCENTAGE and not Decimal(0) <= number <= Decimal(100):
        raise ValidationError(_("A percentage lies between 0 and 100."))
    if abs(number) >= Decimal(10) ** 14:
        raise ValidationError(_("The number is too large."))
    return number, ""


def range_problem(element: DataElement, value: Decimal | None) -> str:
    """Why a number lies outside the element's min/max; '' when it does not."""
    if value is None:
        return ""
    if element.min_value is not None and value < element.min_value:
        return _("Below the minimum of %(min)s.") % {"min": shown(element.min_value, "")}
    if element.max_value is not None and value > element.max_value:
        return _("Above the maximum of %(max)s.") % {"max": shown(element.max_value, "")}
    return ""


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def is_outlier(value: Decimal, sample: list[Decimal], minimum: int = 4) -> bool:
    """Modified z-score (Iglewicz-Hoaglin) above 3.5 against the sample; False if too few."""
    if len(sample) < minimum:
        return False
    median = _median(sample)
    mad = _median([abs(v - median) for v in sample])
    if mad:
        score = Decimal("0.6745") * (value - median) / mad
    else:  # more than half the sample is equal: fall back to the mean absolute deviation
        mean_ad = sum((abs(v - median) for v in sample), Decimal(0)) / len(sample)
        if not mean_ad:
            return False
        score = (value - median) / (Decimal("1.253314") * mean_ad)
    return abs(score) > OUTLIER_Z


def outlier_warning(
    element: DataElement, combo_id: int, region: Region, period: str, value: Decimal | None
) -> str:
    if value is None or element.value_type not in (ValueType.INTEGER, ValueType.DECIMAL):
        return ""
    history = sel.history_values(element.pk, combo_id, region.code, period)
    if is_outlier(value, history):
        return _("Unusual compared with this region's previous periods; please check.")
    if len(history) < 4 and is_outlier(
        value, sel.peer_values(element.pk, combo_id, region, period), 5
    ):
        return _("Unusual compared with the other regions this period; please check.")
    return ""


def rule_warnings(dataset: Dataset, region_code: str, period: str) -> list[str]:
    """Messages of the dataset's validation rules violated by the stored values of the form."""
    rules = list(ValidationRule.objects.filter(dataset=dataset))
    if not rules:
        return []
    values: dict[expressions.Key, Decimal | None] = {}
    for code, combo, number in DataValue.objects.filter(
        region_id=region_code,
        period=period,
        element_id__in=dataset.dataset_elements.values("element_id"),
    ).values_list("element__code", "option_combo__code", "value"):
        if number is not None:
            values[(code, combo)] = number
    out = []
    for rule in rules:
        try:
            outcome = expressions.check_rule(
                expressions.parse(rule.left),
                rule.operator,
                expressions.parse(rule.right),
                values,
                rule.missing,
            )
        except expressions.ExpressionError:
            continue  # a broken rule is the metadata editor's concern, not the operator's
        if not outcome.passed:
            out.append(rule.message or rule.name)
    return out


def ensure_open(*, user: Any, dataset: Dataset, region: Region, period: str) -> Submission | None:
    """PermissionDenied unless the user may enter and the form is open (the reason is given)."""
    if not can_enter(user, dataset, region):
        raise PermissionDenied(_("You may not enter data for this region."))
    if not sel.period_fits(dataset, period):
        raise ValidationError(_("%(period)s is not a period of this dataset.") % {"period": period})
    submission = sel.submission_for(dataset, region.code, period)
    lock = sel.lock_for(dataset, region.code, period, submission)
    if lock.is_locked:
        raise ValidationError(lock.reason, code="locked")
    return submission


@transaction.atomic
def save_cell(
    *,
    user: Any,
    dataset: Dataset,
    region: Region,
    period: str,
    element_id: int,
    combo_id: int,
    raw: str,
    comment: str | None = None,
) -> CellResult:
    """Check and save one cell of a form; ValidationError names what is wrong."""
    submission = ensure_open(user=user, dataset=dataset, region=region, period=period)
    item = (
        dataset.dataset_elements.select_related("element", "element__option_set")
        .filter(element_id=element_id)
        .first()
    )
    if (
        item is None
        or not OptionCombo.objects.filter(
            pk=combo_id, combo_id=item.element.category_combo_id
        ).exists()
    ):
        raise ValidationError(_("This cell is not part of the form."))
    element = item.element
    codes = element.option_set.options.values_list("code", flat=True) if element.option_set else []
    number, text = parse_value(element, raw, codes)
    stored = DataValue.objects.filter(
        element=element, option_combo_id=combo_id, region=region, period=period
    ).first()
    final_comment = comment if comment is not None else (stored.comment if stored else "")
    problem = range_problem(element, number)
    if problem and not final_comment.strip():
        raise ValidationError(
            _("%(problem)s Add a comment explaining the value to save it.") % {"problem": problem},
            code="needs_comment",
        )
    row = ValueRow(element.pk, combo_id, region.code, period, number, text, comment)
    result = write_values(rows=[row], user=user, source="entry")
    if (
        stored is not None
        and stored.status == ValueStatus.RETURNED
        and (number, text) != (None, "")
    ):
        DataValue.objects.filter(pk=stored.pk).update(status=ValueStatus.ENTERED)
    if submission is None:
        Submission.objects.get_or_create(dataset=dataset, region=region, period=period)
    warnings = [
        w for w in (problem, outlier_warning(element, combo_id, region, period, number)) if w
    ]
    warnings += rule_warnings(dataset, region.code, period)
    return CellResult(shown(number, text), final_comment, warnings, result.changed > 0)


@dataclass
class FormCheck:
    missing: list[str] = field(default_factory=list)  # compulsory elements with empty cells
    out_of_range: list[str] = field(default_factory=list)  # without a comment
    still_returned: list[str] = field(default_factory=list)
    rule_warnings: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[str]:
        return self.missing + self.out_of_range + self.still_returned


def check_form(dataset: Dataset, region_code: str, period: str, grid: sel.FormGrid) -> FormCheck:
    """What stops the form from being submitted (and the rule warnings shown beside it)."""
    out = FormCheck()
    for section in grid.sections:
        for row in section.rows:
            name = f"{row.element.code} {row.element.name}"
            if row.compulsory and any(not c.value for c in row.cells):
                out.missing.append(
                    _("%(element)s: compulsory cells are empty.") % {"element": name}
                )
            for cell in row.cells:
                dv = grid.stored.get((cell.element_id, cell.combo_id))
                if dv is None:
                    continue
                problem = range_problem(row.element, dv.value)
                if problem:
                    cell.warnings.append(problem)
                if problem and not dv.comment.strip():
                    out.out_of_range.append(
                        _("%(element)s: a value outside min/max needs a comment.")
                        % {"element": name}
                    )
                if dv.status == ValueStatus.RETURNED:
                    out.still_returned.append(
                        _("%(element)s: a returned value has not been corrected.")
                        % {"element": name}
                    )
    out.rule_warnings = rule_warnings(dataset, region_code, period)
    _mark_outliers(grid, region_code, period)
    return out


def _mark_outliers(grid: sel.FormGrid, region_code: str, period: str) -> None:
    """Warn beside stored numbers that stand out from the region's previous 12 periods."""
    numeric = {ValueType.INTEGER, ValueType.DECIMAL}
    ids = [de.element_id for de in grid.elements if de.element.value_type in numeric]
    if not ids or not grid.stored:
        return
    history = sel.form_history(ids, region_code, period)
    message = _("Unusual compared with this region's previous periods; please check.")
    for cell in grid.cells():
        dv = grid.stored.get((cell.element_id, cell.combo_id))
        sample = history.get((cell.element_id, cell.combo_id), [])
        if dv is not None and dv.value is not None and is_outlier(dv.value, sample):
            cell.warnings.append(message)


def _verifiers(dataset: Dataset) -> list[Any]:
    from padu.accounts.choices import Role
    from padu.accounts.models import User

    users = User.objects.filter(
        memberships__agency=dataset.agency, memberships__role=Role.DATA_CUSTODIAN
    )
    if dataset.producer_id:
        users = users | User.objects.filter(
            memberships__agency=dataset.agency,
            memberships__role=Role.DATA_PRODUCER,
            memberships__unit_id=dataset.producer_id,
        )
    return list(users.distinct())


@transaction.atomic
def submit_form(*, user: Any, dataset: Dataset, region: Region, period: str) -> Submission:
    """Submit a complete form for review; ValidationError lists what is still missing."""
    ensure_open(user=user, dataset=dataset, region=region, period=period)
    check = check_form(dataset, region.code, period, sel.form_grid(dataset, region.code, period))
    if check.blocking:
        raise ValidationError(check.blocking)
    submission, _created = Submission.objects.select_for_update().get_or_create(
        dataset=dataset, region=region, period=period
    )
    before = submission.status
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_by, submission.submitted_at = user, timezone.now()
    submission.save()
    DataValue.objects.filter(
        element_id__in=dataset.dataset_elements.values("element_id"), region=region, period=period
    ).exclude(status=ValueStatus.ENTERED).update(status=ValueStatus.ENTERED)
    record(
        action=AuditAction.UPDATE,
        actor=user,
        agency=dataset.agency,
        instance=submission,
        before={"status": before},
        after={"status": submission.status},
        reason=_("Submitted for review"),
    )
    url = submission_url(submission, review=True)
    title = _("Data submitted for review: %(dataset)s, %(region)s, %(period)s") % {
        "dataset": dataset.name,
        "region": region.name,
        "period": period,
    }
    transaction.on_commit(lambda: _notify(_verifiers(dataset), title, url, dataset))
    return submission


def submission_url(submission: Submission, *, review: bool = False) -> str:
    from django.urls import reverse

    name = "databank:review_form" if review else "databank:entry_form"
    return reverse(name, args=[submission.dataset_id, submission.region_id, submission.period])


def _notify(users: list[Any], title: str, url: str, dataset: Dataset) -> None:
    from padu.accounts.notifications import notify

    notify(users, title=title, url=url, agency=dataset.agency)

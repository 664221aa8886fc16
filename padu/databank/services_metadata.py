"""Writes to the data bank's metadata: elements, datasets and their elements and rules,
categories, disaggregations (with their cells regenerated safely) and option lists.

Every change writes an audit row. Keyword-only, atomic; raises ValidationError with
Indonesian messages (translated) and never builds responses.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.audit.models import AuditAction
from padu.organizations.models import Agency

from . import expressions
from .choices import AggregationType, ValueType
from .models import (
    AggregateValue,
    Category,
    CategoryCombo,
    CategoryOption,
    DataElement,
    Dataset,
    DatasetElement,
    DataValue,
    Option,
    OptionCombo,
    OptionSet,
    ValidationRule,
    ValueAudit,
)

ELEMENT_FIELDS = [
    "code",
    "name",
    "short_name",
    "concept",
    "definition",
    "classification",
    "measure",
    "unit_of_measure",
    "value_type",
    "aggregation",
    "category_combo",
    "option_set",
    "min_value",
    "max_value",
    "zero_is_significant",
    "producer",
    "access_class",
    "suppress_below",
    "bps_code",
    "sipd_code",
    "description",
]
DATASET_FIELDS = [
    "code",
    "name",
    "description",
    "period_type",
    "collection_level",
    "producer",
    "open_after_days",
    "close_after_days",
    "timely_days",
    "licence",
    "tags",
    "group",
    "is_public",
]
RULE_FIELDS = ("name", "left", "operator", "right", "missing", "message")


def _save(
    instance: Any, data: dict[str, Any], fields: Sequence[str], *, actor: Any, agency: Any
) -> Any:
    """Assign the fields, validate, save, audit (create or update)."""
    creating = instance.pk is None
    before = None if creating else audit.snapshot(instance)
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    instance.full_clean()
    instance.save()
    if creating:
        audit.record_create(instance, actor=actor, agency=agency)
    else:
        assert before is not None
        audit.record_update(instance, before, actor=actor, agency=agency)
    return instance


def _delete(instance: Any, *, actor: Any, agency: Any) -> None:
    audit.record_delete(instance, actor=actor, agency=agency)
    instance.delete()


def code_in_use(model: Any, agency: Agency, code: str, instance: Any = None) -> str | None:
    """The agency's existing code equal to `code` regardless of case (PDD for pdd), if any."""
    others = model.objects.filter(agency=agency, code__iexact=code)
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    found: str | None = others.values_list("code", flat=True).first()
    return found


def element_code_error(code: str) -> str:
    return _("Another element already uses this code: %(code)s.") % {"code": code}


def dataset_code_error(code: str) -> str:
    return _("Another dataset already uses this code: %(code)s.") % {"code": code}


# Text and option values cannot be added up or averaged; yes/no values are stored as 1 and 0,
# so their sum counts the "yes" answers and their average is the share of "yes".
NOT_SUMMABLE = {ValueType.TEXT, ValueType.OPTION}
SUMMING = {AggregationType.SUM, AggregationType.AVERAGE}


def aggregation_error(value_type: str, aggregation: str) -> str | None:
    """Why this aggregation does not fit this value type (None when it does)."""
    if value_type in NOT_SUMMABLE and aggregation in SUMMING:
        return _(
            "Text and option values cannot be summed or averaged: choose 'Last value' or "
            "'None'. (Yes/no values can: the sum counts the 'yes' answers.)"
        )
    return None


# --- elements --------------------------------------------------------------------------


@transaction.atomic
def save_element(
    *, actor: Any, agency: Agency, data: dict[str, Any], element: DataElement | None = None
) -> DataElement:
    element = element or DataElement(agency=agency)
    if data.get("value_type") == "option" and not data.get("option_set"):
        raise ValidationError({"option_set": _("Choose the option list of this element.")})
    if data.get("value_type", element.value_type) != "option":
        data = {**data, "option_set": None}
    problem = aggregation_error(
        data.get("value_type", element.value_type), data.get("aggregation", element.aggregation)
    )
    if problem:
        raise ValidationError({"aggregation": problem})
    if "code" in data:
        existing = code_in_use(DataElement, agency, data["code"], element)
        if existing:
            raise ValidationError({"code": element_code_error(existing)})
    if element.pk:
        _refuse_shape_change_with_values(element, data)
    result: DataElement = _save(element, data, ELEMENT_FIELDS, actor=actor, agency=agency)
    return result


def _refuse_shape_change_with_values(element: DataElement, data: dict[str, Any]) -> None:
    """Stored values would no longer fit a new disaggregation or value type."""
    errors = {}
    if "category_combo" in data and data["category_combo"] != element.category_combo:
        errors["category_combo"] = _(
            "The disaggregation cannot change: this element already has values."
        )
    if "value_type" in data and data["value_type"] != element.value_type:
        errors["value_type"] = _(
            "The value type cannot change: this element already has values. Create a new "
            "element for the new type."
        )
    if errors and DataValue.objects.filter(element=element).exists():
        raise ValidationError(errors)


# --- datasets --------------------------------------------------------------------------


@transaction.atomic
def save_dataset(
    *,
    actor: Any,
    agency: Agency,
    data: dict[str, Any],
    dataset: Dataset | None = None,
    regions: Iterable[Any] | None = None,
) -> Dataset:
    dataset = dataset or Dataset(agency=agency)
    if "code" in data:
        existing = code_in_use(Dataset, agency, data["code"], dataset)
        if existing:
            raise ValidationError({"code": dataset_code_error(existing)})
    saved: Dataset = _save(dataset, data, DATASET_FIELDS, actor=actor, agency=agency)
    if regions is not None:
        new = sorted(r.pk for r in regions)
        old = sorted(saved.regions.values_list("pk", flat=True))
        if new != old:
            saved.regions.set(new)
            audit.record(
                action=AuditAction.UPDATE,
                actor=actor,
                agency=agency,
                instance=saved,
                before={"regions": old},
                after={"regions": new},
            )
    return saved


def _audit_elements(dataset: Dataset, before: list[Any], *, actor: Any) -> None:
    after = _element_snapshot(dataset)
    if before != after:
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=dataset.agency,
            instance=dataset,
            before={"elements": before},
            after={"elements": after},
        )


def _element_snapshot(dataset: Dataset) -> list[Any]:
    return [
        [de.element.code, de.compulsory]
        for de in dataset.dataset_elements.select_related("element").order_by("position", "pk")
    ]


@transaction.atomic
def add_dataset_element(
    *, actor: Any, dataset: Dataset, element: DataElement, compulsory: bool = False
) -> DatasetElement:
    if element.agency_id != dataset.agency_id:
        raise ValidationError(_("The element belongs to another agency."))
    if dataset.dataset_elements.filter(element=element).exists():
        raise ValidationError(
            _("Element %(code)s is already in this dataset.") % {"code": element.code}
        )
    before = _element_snapshot(dataset)
    last = dataset.dataset_elements.aggregate(m=Max("position"))["m"]
    item = DatasetElement.objects.create(
        dataset=dataset,
        element=element,
        compulsory=compulsory,
        position=0 if last is None else last + 1,
    )
    _audit_elements(dataset, before, actor=actor)
    return item


def _renumber(dataset: Dataset, items: list[DatasetElement]) -> None:
    for pos, item in enumerate(items):
        item.position = pos
    DatasetElement.objects.bulk_update(items, ["position"])


@transaction.atomic
def change_dataset_element(
    *, actor: Any, dataset: Dataset, item: DatasetElement, action: str
) -> None:
    """action: up, down, compulsory (toggle), remove."""
    before = _element_snapshot(dataset)
    items = list(dataset.dataset_elements.order_by("position", "pk"))
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    if action in ("up", "down"):
        other = index - 1 if action == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        _renumber(dataset, items)
    elif action == "compulsory":
        item.compulsory = not item.compulsory
        item.save(update_fields=["compulsory"])
    elif action == "remove":
        code = item.element.code
        used = [
            r.name
            for r in dataset.rules.all()
            if any(ref.code == code for ref in _rule_refs(r, {code}))
        ]
        if used:
            raise ValidationError(
                _("Element %(code)s is used by the validation rule(s): %(rules)s.")
                % {"code": code, "rules": ", ".join(used)}
            )
        item.delete()
        _renumber(dataset, [x for x in items if x.pk != item.pk])
    else:
        raise ValidationError(_("Unknown action."))
    _audit_elements(dataset, before, actor=actor)


def _rule_refs(rule: ValidationRule, codes: set[str]) -> list[expressions.Reference]:
    refs: list[expressions.Reference] = []
    for text in (rule.left, rule.right):
        try:
            refs.extend(expressions.parse(text, codes).references)
        except expressions.ExpressionError:
            continue
    return refs


# --- validation rules ------------------------------------------------------------------


def dataset_cells(dataset: Dataset) -> dict[str, set[str]]:
    """Element code -> the codes of its disaggregation cells, for the dataset's elements."""
    out: dict[str, set[str]] = {}
    elements = dataset.elements.select_related("category_combo").prefetch_related(
        "category_combo__option_combos"
    )
    for element in elements:
        out[element.code] = {oc.code for oc in element.category_combo.option_combos.all()}
    return out


def check_expression(text: str, cells: dict[str, set[str]]) -> list[str]:
    try:
        parsed = expressions.parse(text, set(cells))
    except expressions.ExpressionError as exc:
        return [str(exc)]
    return expressions.check_references(parsed, cells)


@transaction.atomic
def save_rule(
    *, actor: Any, dataset: Dataset, data: dict[str, Any], rule: ValidationRule | None = None
) -> ValidationRule:
    cells = dataset_cells(dataset)
    errors = {
        side: problems
        for side in ("left", "right")
        if (problems := check_expression(data.get(side, ""), cells))
    }
    if errors:
        raise ValidationError(errors)
    rule = rule or ValidationRule(dataset=dataset)
    saved: ValidationRule = _save(rule, data, RULE_FIELDS, actor=actor, agency=dataset.agency)
    return saved


@transaction.atomic
def delete_rule(*, actor: Any, rule: ValidationRule) -> None:
    _delete(rule, actor=actor, agency=rule.dataset.agency)


# --- categories, disaggregations, option lists -----------------------------------------


def parse_option_lines(text: str) -> list[tuple[str, str]]:
    """'CODE | Name' (or 'CODE Name') per line -> [(code, name)]; errors name the line."""
    out: list[tuple[str, str]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        code, _sep, name = line.partition("|") if "|" in line else line.partition(" ")
        code, name = code.strip(), name.strip() or code.strip()
        if not code or not all(c.isalnum() or c in "_.-" for c in code):
            errors.append(
                _("Line %(n)d: the code %(code)s is not valid.") % {"n": number, "code": code}
            )
        elif code in seen:
            errors.append(
                _("Line %(n)d: the code %(code)s appears twice.") % {"n": number, "code": code}
            )
        seen.add(code)
        out.append((code, name))
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError(_("Give at least one option."))
    return out


def _cells_with_values(combo: CategoryCombo) -> set[int]:
    ids = list(combo.option_combos.values_list("pk", flat=True))
    used = set(
        DataValue.objects.filter(option_combo_id__in=ids).values_list("option_combo_id", flat=True)
    )
    used |= set(
        ValueAudit.objects.filter(option_combo_id__in=ids).values_list("option_combo_id", flat=True)
    )
    return used


def _sync_options(
    model: type[Any],
    parent_field: str,
    parent: Any,
    lines: list[tuple[str, str]],
    protected: set[int],
) -> list[str]:
    """Upsert the options of a category or option list; returns names that could not go."""
    existing = {o.code: o for o in model.objects.filter(**{parent_field: parent})}
    kept: list[str] = []
    for pos, (code, name) in enumerate(lines, 1):
        option = existing.pop(code, None) or model(**{parent_field: parent, "code": code})
        option.name, option.position = name, pos
        option.save()
    for option in existing.values():
        if option.pk in protected:
            kept.append(option.name)
        else:
            option.delete()
    return kept


@transaction.atomic
def save_category(
    *,
    actor: Any,
    agency: Agency,
    data: dict[str, Any],
    options_text: str,
    category: Category | None = None,
) -> tuple[Category, list[str]]:
    """Save a category and its options; regenerate the disaggregations using it.

    Returns messages about what could not be removed (cells with values)."""
    lines = parse_option_lines(options_text)
    category = category or Category(agency=agency)
    before_options = [[o.code, o.name] for o in category.options.all()] if category.pk else []
    _save(category, data, ("code", "name"), actor=actor, agency=agency)
    protected = set(
        CategoryOption.objects.filter(
            category=category,
            option_combos__pk__in=[
                pk for combo in category.combos.all() for pk in _cells_with_values(combo)
            ],
        ).values_list("pk", flat=True)
    )
    kept = _sync_options(CategoryOption, "category", category, lines, protected)
    after_options = [[o.code, o.name] for o in category.options.all()]
    if before_options and before_options != after_options:
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=agency,
            instance=category,
            before={"options": before_options},
            after={"options": after_options},
        )
    notes = [_("Option %(name)s has values and was kept.") % {"name": name} for name in kept]
    for combo in category.combos.all():
        notes.extend(regenerate_option_combos(actor=actor, combo=combo).notes)
    return category, notes


@dataclass
class RegenerateResult:
    created: int = 0
    kept: int = 0
    deleted: int = 0
    notes: list[str] = field(default_factory=list)


def option_products(categories: Sequence[Category]) -> list[tuple[CategoryOption, ...]]:
    lists = [list(c.options.order_by("position", "pk")) for c in categories]
    if not lists:
        return []
    return list(itertools.product(*lists))


@transaction.atomic
def regenerate_option_combos(*, actor: Any, combo: CategoryCombo) -> RegenerateResult:
    """Make the combo's cells the cross product of its categories' options.

    A cell no longer in the product is deleted only if it has no values (nor value history);
    otherwise it is kept and a note says so."""
    categories = list(combo.categories.order_by("pk"))
    wanted = option_products(categories)
    existing = list(combo.option_combos.prefetch_related("options"))
    by_options = {frozenset(o.pk for o in oc.options.all()): oc for oc in existing}
    result = RegenerateResult()
    matched: set[int] = set()
    for pos, options in enumerate(wanted or [()], 1):
        key = frozenset(o.pk for o in options)
        code = "_".join(o.code for o in options) or "default"
        name = ", ".join(o.name for o in options) or "default"
        oc = by_options.get(key)
        if oc is None:
            clash = combo.option_combos.filter(code=code).exclude(pk__in=matched).first()
            oc = clash or OptionCombo(combo=combo, code=code)
            result.created += 0 if clash else 1
        else:
            result.kept += 1
        oc.code, oc.name, oc.position = code, name, pos
        oc.save()
        oc.options.set([o.pk for o in options])
        matched.add(oc.pk)
    used = _cells_with_values(combo)
    for oc in existing:
        if oc.pk in matched:
            continue
        if oc.pk in used:
            result.notes.append(
                _(
                    "Cell %(name)s has values and was kept; it is no longer part of the disaggregation."
                )
                % {"name": oc.name}
            )
            continue
        AggregateValue.objects.filter(option_combo=oc).delete()
        oc.delete()
        result.deleted += 1
    if result.created or result.deleted:
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=combo.agency,
            instance=combo,
            after={"cells": list(combo.option_combos.values_list("code", flat=True))},
            reason=_("Cells regenerated"),
        )
    return result


@transaction.atomic
def save_combo(
    *,
    actor: Any,
    agency: Agency,
    data: dict[str, Any],
    categories: Sequence[Category],
    combo: CategoryCombo | None = None,
) -> tuple[CategoryCombo, RegenerateResult]:
    if combo is not None and combo.agency_id is None:
        raise ValidationError(_("The shared 'no disaggregation' combination cannot be changed."))
    combo = combo or CategoryCombo(agency=agency)
    _save(combo, data, ("code", "name"), actor=actor, agency=agency)
    old = sorted(combo.categories.values_list("pk", flat=True))
    new = sorted(c.pk for c in categories)
    if old != new:
        combo.categories.set(new)
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=agency,
            instance=combo,
            before={"categories": old},
            after={"categories": new},
        )
    return combo, regenerate_option_combos(actor=actor, combo=combo)


@transaction.atomic
def save_option_set(
    *,
    actor: Any,
    agency: Agency,
    data: dict[str, Any],
    options_text: str,
    option_set: OptionSet | None = None,
) -> OptionSet:
    lines = parse_option_lines(options_text)
    option_set = option_set or OptionSet(agency=agency)
    before = [[o.code, o.name] for o in option_set.options.all()] if option_set.pk else []
    _save(option_set, data, ("code", "name"), actor=actor, agency=agency)
    _sync_options(Option, "option_set", option_set, lines, set())
    after = [[o.code, o.name] for o in option_set.options.all()]
    if before and before != after:
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=agency,
            instance=option_set,
            before={"options": before},
            after={"options": after},
        )
    return option_set

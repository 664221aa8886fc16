"""Metadata of the data bank: disaggregations, option lists, data elements, datasets, rules.

The model follows DHIS2's aggregate data model: a value is keyed by data element, option
combination (disaggregation), region and period; a dataset only groups elements and carries
the collection rules. Satu Data Indonesia's standard fields live on the element.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    AccessClass,
    AggregationType,
    CollectionLevel,
    MissingStrategy,
    PeriodType,
    RuleOperator,
    ValueType,
)

code_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]+$", _("Use letters, digits, dots, dashes and underscores only.")
)


class Category(models.Model):
    """A dimension of disaggregation, e.g. sex (jenis kelamin) or age group."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="data_categories"
    )
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="data_category_code")
        ]

    def __str__(self) -> str:
        return self.name


class CategoryOption(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="category_option_code")
        ]

    def __str__(self) -> str:
        return self.name


class CategoryCombo(models.Model):
    """A disaggregation: the cross product of its categories (e.g. sex x age group)."""

    agency = models.ForeignKey(
        "organizations.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_category_combos",
        help_text=_("Empty for the shared 'no disaggregation' combination."),
    )
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)
    categories = models.ManyToManyField(Category, blank=True, related_name="combos")

    class Meta:
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="category_combo_code"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(agency__isnull=True), name="shared_combo_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OptionCombo(models.Model):
    """One cell of a disaggregation, e.g. 'Perempuan, 15-64'; 'default' when there is none."""

    combo = models.ForeignKey(CategoryCombo, on_delete=models.CASCADE, related_name="option_combos")
    code = models.CharField(_("code"), max_length=120)
    name = models.CharField(_("name"), max_length=300)
    options = models.ManyToManyField(CategoryOption, blank=True, related_name="option_combos")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["combo", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["combo", "code"], name="option_combo_code")]

    def __str__(self) -> str:
        return self.name


class OptionSet(models.Model):
    """The allowed answers of an 'option from a list' element."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="data_option_sets"
    )
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="option_set_code")]

    def __str__(self) -> str:
        return self.name


class Option(models.Model):
    option_set = models.ForeignKey(OptionSet, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["option_set", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["option_set", "code"], name="option_code")]

    def __str__(self) -> str:
        return self.name


class DataElement(models.Model):
    """What is counted, with the Satu Data standard fields (konsep ... satuan)."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="data_elements"
    )
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    concept = models.TextField(_("concept (konsep)"), blank=True)
    definition = models.TextField(_("definition (definisi)"), blank=True)
    classification = models.CharField(_("classification (klasifikasi)"), max_length=250, blank=True)
    measure = models.CharField(_("measure (ukuran)"), max_length=250, blank=True)
    unit_of_measure = models.CharField(_("unit (satuan)"), max_length=80, blank=True)
    value_type = models.CharField(
        _("value type"), max_length=12, choices=ValueType.choices, default=ValueType.INTEGER
    )
    aggregation = models.CharField(
        _("aggregation"),
        max_length=10,
        choices=AggregationType.choices,
        default=AggregationType.SUM,
    )
    category_combo = models.ForeignKey(
        CategoryCombo,
        verbose_name=_("disaggregation"),
        on_delete=models.PROTECT,
        related_name="elements",
    )
    option_set = models.ForeignKey(
        OptionSet,
        verbose_name=_("option list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elements",
    )
    min_value = models.DecimalField(
        _("minimum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    zero_is_significant = models.BooleanField(_("zero is significant"), default=True)
    producer = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("producer OPD (produsen data)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="data_elements",
    )
    access_class = models.CharField(
        _("access class"), max_length=10, choices=AccessClass.choices, default=AccessClass.OPEN
    )
    suppress_below = models.PositiveIntegerField(
        _("suppress published counts below"),
        null=True,
        blank=True,
        help_text=_("Sensitive counts under this number are published as '<n'."),
    )
    bps_code = models.CharField(_("BPS code"), max_length=60, blank=True)
    sipd_code = models.CharField(_("SIPD code"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="data_element_code"),
            models.CheckConstraint(
                condition=models.Q(min_value__isnull=True)
                | models.Q(max_value__isnull=True)
                | models.Q(min_value__lte=models.F("max_value")),
                name="data_element_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Dataset(models.Model):
    """A group of elements collected together, with the period type and the entry window."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="datasets"
    )
    code = models.CharField(_("code"), max_length=50, validators=[code_validator])
    name = models.CharField(_("name"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    period_type = models.CharField(_("period type"), max_length=12, choices=PeriodType.choices)
    collection_level = models.PositiveSmallIntegerField(
        _("collection level"), choices=CollectionLevel.choices, default=CollectionLevel.VILLAGE
    )
    elements = models.ManyToManyField(
        DataElement, through="DatasetElement", related_name="datasets", verbose_name=_("elements")
    )
    regions = models.ManyToManyField(
        "organizations.Region",
        blank=True,
        related_name="datasets",
        verbose_name=_("reporting regions"),
        help_text=_("Empty: every region of the agency at the collection level."),
    )
    producer = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("producer OPD (produsen data)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datasets",
    )
    open_after_days = models.PositiveSmallIntegerField(
        _("entry opens (days after the period starts)"), default=0
    )
    close_after_days = models.PositiveSmallIntegerField(
        _("entry closes (days after the period ends)"),
        default=15,
        help_text=_("0 keeps entry open."),
    )
    timely_days = models.PositiveSmallIntegerField(
        _("on time if submitted within (days after the period ends)"), default=10
    )
    licence = models.CharField(_("licence"), max_length=100, default="CC-BY-4.0")
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Comma-separated."))
    group = models.CharField(
        _("group (urusan/sektor)"),
        max_length=100,
        blank=True,
        help_text=_("For example Kesehatan."),
    )
    is_public = models.BooleanField(_("published as open data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="dataset_code")]

    def __str__(self) -> str:
        return self.name


class DatasetElement(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="dataset_elements")
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    compulsory = models.BooleanField(_("compulsory"), default=False)

    class Meta:
        ordering = ["dataset", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "element"], name="dataset_element_once")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}:{self.element_id}"


class ValidationRule(models.Model):
    """left operator right between element expressions, e.g. #{PDD_L} + #{PDD_P} == #{PDD}."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(_("name"), max_length=200)
    left = models.CharField(_("left side"), max_length=500)
    operator = models.CharField(_("operator"), max_length=2, choices=RuleOperator.choices)
    right = models.CharField(_("right side"), max_length=500)
    missing = models.CharField(
        _("when a value is missing"),
        max_length=12,
        choices=MissingStrategy.choices,
        default=MissingStrategy.SKIP_IF_ANY,
    )
    message = models.CharField(_("message"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["dataset", "name"]

    def __str__(self) -> str:
        return self.name


class Boundary(models.Model):
    """A region's shape for maps (GeoJSON geometry), uploaded by the agency."""

    region = models.OneToOneField(
        "organizations.Region", on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField(_("geometry (GeoJSON)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.region_id

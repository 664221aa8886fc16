"""The agency's register: applications, their contacts, services and integrations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    AppCategory,
    AppKind,
    ContactRole,
    Decision,
    Hosting,
    IntegrationMethod,
    IntegrationStatus,
    Lifecycle,
    ServiceKind,
    Users,
)
from .reference import NationalApplication, ReferenceCode


class Application(models.Model):
    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="applications"
    )
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    aliases = models.CharField(
        _("other names"), max_length=300, blank=True, help_text=_("Comma-separated.")
    )
    description = models.TextField(_("description"))
    owner_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("owner OPD"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    operator_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("operator (technical unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_applications",
    )
    kind = models.CharField(_("type"), max_length=8, choices=AppKind.choices)
    category = models.CharField(_("category"), max_length=16, choices=AppCategory.choices)
    national = models.ForeignKey(
        NationalApplication,
        verbose_name=_("national application it is"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uses",
    )
    reference_codes = models.ManyToManyField(
        ReferenceCode, verbose_name=_("reference architecture"), blank=True, related_name="+"
    )
    url = models.URLField(_("address"), max_length=500, blank=True)
    lifecycle = models.CharField(
        _("lifecycle"), max_length=14, choices=Lifecycle.choices, default=Lifecycle.PRODUCTION
    )
    planned_on = models.DateField(_("planned"), null=True, blank=True)
    production_on = models.DateField(_("in production since"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    hosting = models.CharField(_("hosting"), max_length=8, choices=Hosting.choices, blank=True)
    technology = models.CharField(_("technology"), max_length=200, blank=True)
    single_sign_on = models.BooleanField(_("single sign-on"), default=False)
    data_elements = models.ManyToManyField(
        "databank.DataElement",
        verbose_name=_("data handled"),
        blank=True,
        related_name="applications",
    )
    data_handled = models.CharField(_("data handled (text)"), max_length=500, blank=True)
    users = models.CharField(_("users"), max_length=10, choices=Users.choices, blank=True)
    user_count = models.PositiveIntegerField(_("number of users"), null=True, blank=True)
    last_security_audit = models.DateField(_("last security audit"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    business_fit = models.PositiveSmallIntegerField(
        _("business fit (1-5, by the owner)"), null=True, blank=True
    )
    technical_fit = models.PositiveSmallIntegerField(
        _("technical fit (1-5, by Diskominfo)"), null=True, blank=True
    )
    yearly_cost = models.DecimalField(
        _("yearly cost (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="application_name"),
            models.CheckConstraint(
                condition=models.Q(business_fit__isnull=True)
                | models.Q(business_fit__gte=1, business_fit__lte=5),
                name="application_business_fit",
            ),
            models.CheckConstraint(
                condition=models.Q(technical_fit__isnull=True)
                | models.Q(technical_fit__gte=1, technical_fit__lte=5),
                name="application_technical_fit",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "owner_unit"]),
            models.Index(fields=["agency", "lifecycle"]),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(_("role"), max_length=10, choices=ContactRole.choices)
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["application", "role", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Service(models.Model):
    """A public or administrative service (layanan) and the applications that realise it."""

    agency = models.ForeignKey(
        "organizations.Agency", on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=ServiceKind.choices)
    description = models.TextField(_("what it is for"))
    owner_unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name=_("OPD"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    reference_codes = models.ManyToManyField(
        ReferenceCode, verbose_name=_("reference architecture"), blank=True, related_name="+"
    )
    applications = models.ManyToManyField(Application, blank=True, related_name="services")
    url = models.URLField(_("address"), max_length=500, blank=True)
    requirements = models.TextField(_("requirements"), blank=True)
    complaint_channel = models.TextField(_("how to complain"), blank=True)
    is_public = models.BooleanField(_("shown in the public directory"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name


class Integration(models.Model):
    """provider -> consumer: what flows, how, and whether it runs."""

    agency = models.ForeignKey("organizations.Agency", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="provides"
    )
    provider_national = models.ForeignKey(
        NationalApplication, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consumer = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="consumes")
    method = models.CharField(_("method"), max_length=10, choices=IntegrationMethod.choices)
    data_exchanged = models.CharField(_("data exchanged"), max_length=500)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=IntegrationStatus.choices,
        default=IntegrationStatus.ACTIVE,
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(provider__isnull=False)
                ^ models.Q(provider_national__isnull=False),
                name="integration_one_provider",
            ),
            models.CheckConstraint(
                condition=~models.Q(provider=models.F("consumer")), name="integration_not_to_itself"
            ),
            models.UniqueConstraint(
                fields=["provider", "consumer", "method"],
                condition=models.Q(provider__isnull=False),
                name="integration_once",
            ),
            models.UniqueConstraint(
                fields=["provider_national", "consumer", "method"],
                condition=models.Q(provider_national__isnull=False),
                name="national_integration_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider or self.provider_national} -> {self.consumer}"

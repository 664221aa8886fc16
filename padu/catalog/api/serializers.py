"""Catalog API serializers: reads are plain; writes go through the services, whose Django
ValidationErrors become 400 responses with the same messages as the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.serializers import as_serializer_error

from padu.databank.models import DataElement
from padu.organizations.models import Unit

from .. import services as svc
from .. import services_integrations, services_proposals
from ..choices import ContactRole
from ..models import Application, Integration, NationalApplication, Proposal, Service


def _agency(serializer: serializers.Field) -> Any:  # type: ignore[type-arg]
    request = serializer.context.get("request")
    return getattr(request, "agency", None)


def _call(func: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        return func(**kwargs)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(as_serializer_error(exc)) from exc


class AgencyUnitField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    def get_queryset(self) -> QuerySet[Unit]:
        return Unit.objects.filter(agency=_agency(self))


class AgencyApplicationField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    def get_queryset(self) -> QuerySet[Application]:
        return Application.objects.filter(agency=_agency(self))


class AgencyElementField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    def get_queryset(self) -> QuerySet[DataElement]:
        return DataElement.objects.filter(agency=_agency(self))


class CodesField(serializers.ListField):
    """Reference codes as strings: written as codes, read from the many-to-many."""

    child = serializers.CharField(max_length=40)

    def to_representation(self, data: Any) -> list[str]:
        if hasattr(data, "all"):
            return sorted(c.code for c in data.all())
        return list(data)


class ContactSerializer(serializers.Serializer):  # type: ignore[type-arg]
    role = serializers.ChoiceField(choices=ContactRole.choices)
    name = serializers.CharField(max_length=200)
    organisation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


def _codes_of(obj: Any) -> list[str]:
    return sorted(c.code for c in obj.reference_codes.all())


class ApplicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    owner_unit = AgencyUnitField()
    operator_unit = AgencyUnitField(required=False, allow_null=True)
    national = serializers.PrimaryKeyRelatedField(
        queryset=NationalApplication.objects.all(), required=False, allow_null=True
    )
    reference_codes = CodesField(required=False)
    contacts = ContactSerializer(many=True, required=False)
    data_elements = AgencyElementField(many=True, required=False)

    class Meta:
        model = Application
        fields = ["id", *svc.APPLICATION_FIELDS, "reference_codes", "contacts", "data_elements"]
        fields += ["created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The model's unique and check constraints are the service's job."""
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Application:
        codes = validated_data.pop("reference_codes", [])
        contacts = validated_data.pop("contacts", [])
        elements = validated_data.pop("data_elements", [])
        return _call(
            svc.create_application,
            actor=self.context["request"].user,
            agency=_agency(self),
            fields=validated_data,
            codes=codes,
            contacts=contacts,
            data_elements=elements,
        )

    def update(self, instance: Application, validated_data: dict[str, Any]) -> Application:
        codes = validated_data.pop("reference_codes", None)
        contacts = validated_data.pop("contacts", None)
        elements = validated_data.pop("data_elements", None)
        return _call(
            svc.update_application,
            actor=self.context["request"].user,
            application=instance,
            fields=validated_data,
            codes=codes,
            contacts=contacts,
            data_elements=elements,
        )


class ServiceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    owner_unit = AgencyUnitField()
    applications = AgencyApplicationField(many=True, required=False)
    reference_codes = CodesField(required=False)

    class Meta:
        model = Service
        fields = ["id", *svc.SERVICE_FIELDS, "applications", "reference_codes"]

    def create(self, validated_data: dict[str, Any]) -> Service:
        return _call(
            svc.create_service,
            actor=self.context["request"].user,
            agency=_agency(self),
            applications=validated_data.pop("applications", []),
            codes=validated_data.pop("reference_codes", []),
            fields=validated_data,
        )

    def update(self, instance: Service, validated_data: dict[str, Any]) -> Service:
        return _call(
            svc.update_service,
            actor=self.context["request"].user,
            service=instance,
            applications=validated_data.pop("applications", None),
            codes=validated_data.pop("reference_codes", None),
            fields=validated_data,
        )


class IntegrationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    provider = AgencyApplicationField(required=False, allow_null=True)
    consumer = AgencyApplicationField()
    provider_national = serializers.PrimaryKeyRelatedField(
        queryset=NationalApplication.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Integration
        fields = ["id", "provider", "provider_national", "consumer", "method"]
        fields += ["data_exchanged", "status", "note", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[Any] = []  # the service explains duplicates and self-links

    def create(self, validated_data: dict[str, Any]) -> Integration:
        return _call(
            services_integrations.create_integration,
            actor=self.context["request"].user,
            agency=_agency(self),
            **validated_data,
        )

    def update(self, instance: Integration, validated_data: dict[str, Any]) -> Integration:
        return _call(
            services_integrations.update_integration,
            actor=self.context["request"].user,
            integration=instance,
            **validated_data,
        )


class ProposalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Drafts are written here; sending, review and decision happen on the pages."""

    unit = AgencyUnitField()
    reference_codes = CodesField(required=False)

    class Meta:
        model = Proposal
        fields = ["id", "unit", "title", "problem", "business_process", "users", "data"]
        fields += ["kind", "budget_year", "budget_amount", "reference_codes", "status"]
        fields += ["duplicate_check", "decision", "decision_reason", "decision_application"]
        fields += ["letter_number", "letter_date", "submitted_at", "decided_at", "created_at"]
        read_only_fields = ["status", "duplicate_check", "decision", "decision_reason"]
        read_only_fields += ["decision_application", "letter_number", "letter_date"]
        read_only_fields += ["submitted_at", "decided_at", "created_at"]

    def _save(self, validated_data: dict[str, Any], proposal: Proposal | None) -> Proposal:
        agency = _agency(self)
        codes = validated_data.pop("reference_codes", None)
        if proposal is not None:
            base = {
                "unit": proposal.unit,
                "title": proposal.title,
                "problem": proposal.problem,
                "budget_year": proposal.budget_year,
                "budget_amount": proposal.budget_amount,
            }
            validated_data = {**base, **validated_data}
            if codes is None:
                codes = _codes_of(proposal)
        refs = _call(svc.resolve_codes, agency=agency, codes=codes or [])
        return _call(
            services_proposals.save_proposal,
            actor=self.context["request"].user,
            agency=agency,
            proposal=proposal,
            codes=refs,
            **validated_data,
        )

    def create(self, validated_data: dict[str, Any]) -> Proposal:
        return self._save(validated_data, None)

    def update(self, instance: Proposal, validated_data: dict[str, Any]) -> Proposal:
        return self._save(validated_data, instance)

"""Writes to the register: applications (with contacts and reference codes), services, the
import, and the agency's own reference codes. Keyword-only, atomic, audited."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from padu.audit.models import AuditAction
from padu.audit.services import record, record_create, snapshot
from padu.organizations.models import Agency, Unit

from .models import Application, Contact, ReferenceCode, ReferenceVersion, Service
from .permissions import can_create_entries, can_edit_unit_entry, is_catalog_manager

APPLICATION_FIELDS = (
    "name",
    "acronym",
    "aliases",
    "description",
    "owner_unit",
    "operator_unit",
    "kind",
    "category",
    "national",
    "url",
    "lifecycle",
    "planned_on",
    "production_on",
    "retired_on",
    "hosting",
    "technology",
    "single_sign_on",
    "data_handled",
    "users",
    "user_count",
    "last_security_audit",
    "decision",
    "business_fit",
    "technical_fit",
    "yearly_cost",
)
SERVICE_FIELDS = (
    "name",
    "kind",
    "description",
    "owner_unit",
    "url",
    "requirements",
    "complaint_channel",
    "is_public",
)
CONTACT_FIELDS = ("role", "name", "organisation", "email", "phone")


# --- reference codes -------------------------------------------------------------------------


def current_version() -> ReferenceVersion | None:
    return ReferenceVersion.objects.filter(is_current=True).order_by("-loaded_at").first()


def codes_available(agency: Agency) -> QuerySet[ReferenceCode]:
    """Codes of the current reference version: national ones and the agency's own."""
    version = current_version()
    if version is None:
        return ReferenceCode.objects.none()
    return ReferenceCode.objects.filter(
        Q(agency__isnull=True) | Q(agency=agency), version=version
    ).order_by("code")


def split_codes(text: str) -> list[str]:
    """`RAL.02.04, RAB.09.06` -> ["RAL.02.04", "RAB.09.06"] (upper case, no repeats)."""
    seen: list[str] = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        code = part.strip().upper()
        if code and code not in seen:
            seen.append(code)
    return seen


def resolve_codes(agency: Agency, codes: Iterable[str]) -> list[ReferenceCode]:
    """The ReferenceCode rows for `codes`; ValidationError naming every unknown code."""
    wanted = [c.strip().upper() for c in codes if c.strip()]
    if not wanted:
        return []
    found = {rc.code.upper(): rc for rc in codes_available(agency).filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError(
            _("Unknown reference code(s) in the current reference version: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            code="unknown_code",
        )
    return [found[c] for c in wanted]


@transaction.atomic
def create_reference_code(
    *, actor: Any, agency: Agency, parent: ReferenceCode, code: str, name: str
) -> ReferenceCode:
    """Diskominfo adds a level-3 code under a national level-2 code."""
    if not is_catalog_manager(actor, agency):
        raise PermissionDenied
    code = code.strip().upper()
    version = current_version()
    if version is None or parent.version_id != version.pk or parent.agency_id is not None:
        raise ValidationError(_("Choose a national code of the current reference version."))
    if parent.level != 2:
        raise ValidationError(_("Agency codes are added under a level-2 national code."))
    # One level under the parent (RAL.02.04 -> RAL.02.04.01): the stored level, 3, must be the
    # code's own level (its number of dots), which the coverage and redundancy views read.
    if not re.fullmatch(re.escape(parent.code.upper()) + r"\.[0-9]{2}", code):
        raise ValidationError(
            _("The code must start with %(parent)s. (for example %(parent)s.01).")
            % {"parent": parent.code}
        )
    if codes_available(agency).filter(code__iexact=code).exists():
        raise ValidationError(_("Code %(code)s already exists.") % {"code": code})
    if not name.strip():
        raise ValidationError(_("Give the code a name."))
    ref = ReferenceCode.objects.create(
        version=version,
        agency=agency,
        model=parent.model,
        code=code,
        name=name.strip(),
        level=3,
        parent=parent,
    )
    record_create(ref, actor=actor, agency=agency)
    return ref


# --- applications ----------------------------------------------------------------------------


def _check_application(agency: Agency, app: Application) -> None:
    errors: dict[str, list[str]] = {}
    if app.owner_unit.agency_id != agency.pk:
        errors.setdefault("owner_unit", []).append(
            _("The owner OPD must be a unit of this agency.")
        )
    if app.operator_unit is not None and app.operator_unit.agency_id != agency.pk:
        errors.setdefault("operator_unit", []).append(
            _("The operator must be a unit of this agency.")
        )
    for name in ("business_fit", "technical_fit"):
        value = getattr(app, name)
        if value is not None and not 1 <= value <= 5:
            errors.setdefault(name, []).append(_("Give a value from 1 to 5."))
    dates = [(n, getattr(app, n)) for n in ("planned_on", "production_on", "retired_on")]
    known = [(n, d) for n, d in dates if d is not None]
    for (_first, earlier), (later_name, later) in itertools.pairwise(known):
        if later < earlier:
            errors.setdefault(later_name, []).append(
                _("The dates must be in order: planned, in production, retired.")
            )
    clash = Application.objects.filter(agency=agency, name__iexact=app.name.strip())
    if app.pk:
        clash = clash.exclude(pk=app.pk)
    if clash.exists():
        errors.setdefault("name", []).append(
            _("An application with this name is already registered.")
        )
    if errors:
        raise ValidationError(errors)


def _check_owner_allowed(actor: Any, agency: Agency, unit: Unit) -> None:
    if not can_edit_unit_entry(actor, agency, unit.pk):
        raise ValidationError({"owner_unit": [_("You can only register entries of your own OPD.")]})


def _contact_rows(app: Application) -> list[dict[str, str]]:
    return [
        {f: getattr(c, f) for f in CONTACT_FIELDS}
        for c in Contact.objects.filter(application=app).order_by("role", "name", "pk")
    ]


def _app_state(app: Application) -> dict[str, Any]:
    state = snapshot(app, exclude=("created_at", "updated_at"))
    state["reference_codes"] = sorted(app.reference_codes.values_list("code", flat=True))
    state["contacts"] = _contact_rows(app)
    state["data_elements"] = sorted(app.data_elements.values_list("pk", flat=True))
    return state


def _audit_change(
    instance: Application | Service, before: Mapping[str, Any], after: Mapping[str, Any], actor: Any
) -> None:
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    if changed:
        record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=instance.agency,
            instance=instance,
            before={k: before.get(k) for k in changed},
            after={k: after.get(k) for k in changed},
        )


def _set_contacts(app: Application, contacts: Sequence[Mapping[str, Any]]) -> None:
    Contact.objects.filter(application=app).delete()
    Contact.objects.bulk_create(
        [
            Contact(application=app, **{f: (c.get(f) or "") for f in CONTACT_FIELDS})
            for c in contacts
            if (c.get("name") or "").strip()
        ]
    )


@transaction.atomic
def create_application(
    *,
    actor: Any,
    agency: Agency,
    fields: Mapping[str, Any],
    codes: Sequence[str] = (),
    contacts: Sequence[Mapping[str, Any]] = (),
    data_elements: Sequence[Any] = (),
) -> Application:
    if not can_create_entries(actor, agency):
        raise PermissionDenied
    app = Application(agency=agency, **{k: v for k, v in fields.items() if k in APPLICATION_FIELDS})
    _check_owner_allowed(actor, agency, app.owner_unit)
    _check_application(agency, app)
    refs = resolve_codes(agency, codes)
    app.save()
    app.reference_codes.set(refs)
    app.data_elements.set([e for e in data_elements if e.agency_id == agency.pk])
    _set_contacts(app, contacts)
    record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        instance=app,
        after=_app_state(app),
    )
    return app


@transaction.atomic
def update_application(
    *,
    actor: Any,
    application: Application,
    fields: Mapping[str, Any],
    codes: Sequence[str] | None = None,
    contacts: Sequence[Mapping[str, Any]] | None = None,
    data_elements: Sequence[Any] | None = None,
) -> Application:
    agency = application.agency
    if not can_edit_unit_entry(actor, agency, application.owner_unit_id):
        raise PermissionDenied
    before = _app_state(application)
    for key, value in fields.items():
        if key in APPLICATION_FIELDS:
            setattr(application, key, value)
    _check_owner_allowed(actor, agency, application.owner_unit)
    _check_application(agency, application)
    refs = resolve_codes(agency, codes) if codes is not None else None
    application.save()
    if refs is not None:
        application.reference_codes.set(refs)
    if contacts is not None:
        _set_contacts(application, contacts)
    if data_elements is not None:
        application.data_elements.set([e for e in data_elements if e.agency_id == agency.pk])
    _audit_change(application, before, _app_state(application), actor)
    return application


@transaction.atomic
def import_applications(*, actor: Any, agency: Agency, rows: Sequence[Any]) -> list[Application]:
    """Create one application per parsed row; any error rolls everything back."""
    if not is_catalog_manager(actor, agency):
        raise PermissionDenied
    units = {u.pk: u for u in Unit.objects.filter(agency=agency)}
    created = []
    for row in rows:
        fields = dict(row.fields)
        fields["owner_unit"] = units[fields.pop("owner_unit_id")]
        operator_id = fields.pop("operator_unit_id", None)
        fields["operator_unit"] = units[operator_id] if operator_id else None
        try:
            created.append(
                create_application(actor=actor, agency=agency, fields=fields, codes=row.codes)
            )
        except ValidationError as exc:
            raise ValidationError(
                _("Row %(line)d: %(message)s")
                % {"line": row.line, "message": "; ".join(exc.messages)}
            ) from exc
    return created


def import_lookups(agency: Agency) -> tuple[dict[str, int], set[str], set[str]]:
    """Units by acronym and name, the known reference codes, and the names already taken."""
    from .register_import import normalise

    units: dict[str, int] = {}
    for unit in Unit.objects.filter(agency=agency).order_by("pk"):
        for key in (unit.acronym, unit.name):
            if key:
                units.setdefault(normalise(key), unit.pk)
    codes = {c.upper() for c in codes_available(agency).values_list("code", flat=True)}
    names = {
        normalise(n)
        for n in Application.objects.filter(agency=agency).values_list("name", flat=True)
    }
    return units, codes, names


# --- services (layanan) ----------------------------------------------------------------------


def _service_state(service: Service) -> dict[str, Any]:
    state = snapshot(service, exclude=("created_at", "updated_at"))
    state["reference_codes"] = sorted(service.reference_codes.values_list("code", flat=True))
    state["applications"] = sorted(service.applications.values_list("pk", flat=True))
    return state


def _check_service(agency: Agency, service: Service, applications: Sequence[Application]) -> None:
    errors: dict[str, list[str]] = {}
    if service.owner_unit.agency_id != agency.pk:
        errors["owner_unit"] = [_("The OPD must be a unit of this agency.")]
    if any(a.agency_id != agency.pk for a in applications):
        errors["applications"] = [_("Choose applications of this agency.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_service(
    *,
    actor: Any,
    agency: Agency,
    fields: Mapping[str, Any],
    applications: Sequence[Application] = (),
    codes: Sequence[str] = (),
) -> Service:
    if not can_create_entries(actor, agency):
        raise PermissionDenied
    service = Service(agency=agency, **{k: v for k, v in fields.items() if k in SERVICE_FIELDS})
    _check_owner_allowed(actor, agency, service.owner_unit)
    _check_service(agency, service, applications)
    refs = resolve_codes(agency, codes)
    service.save()
    service.applications.set(applications)
    service.reference_codes.set(refs)
    record(
        action=AuditAction.CREATE,
        actor=actor,
        agency=agency,
        instance=service,
        after=_service_state(service),
    )
    return service


@transaction.atomic
def update_service(
    *,
    actor: Any,
    service: Service,
    fields: Mapping[str, Any],
    applications: Sequence[Application] | None = None,
    codes: Sequence[str] | None = None,
) -> Service:
    agency = service.agency
    if not can_edit_unit_entry(actor, agency, service.owner_unit_id):
        raise PermissionDenied
    before = _service_state(service)
    for key, value in fields.items():
        if key in SERVICE_FIELDS:
            setattr(service, key, value)
    _check_owner_allowed(actor, agency, service.owner_unit)
    _check_service(agency, service, applications or [])
    refs = resolve_codes(agency, codes) if codes is not None else None
    service.save()
    if applications is not None:
        service.applications.set(applications)
    if refs is not None:
        service.reference_codes.set(refs)
    _audit_change(service, before, _service_state(service), actor)
    return service

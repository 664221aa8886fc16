"""Writes of the analysis area: region boundaries, OPD dashboards, API tokens. Keyword-only,
atomic, audited."""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.audit.models import AuditAction
from padu.organizations.models import Agency, Unit
from padu.organizations.permissions import regions_of_agency

from .choices import TokenScope
from .models import ApiToken, Boundary, Dashboard, DataElement

MAX_BOUNDARY_BYTES = 5 * 1024 * 1024
MAX_FEATURES = 5000
GEOMETRY_TYPES = ("Polygon", "MultiPolygon")


# --- boundaries -----------------------------------------------------------------------------


def _valid_ring(ring: Any) -> bool:
    return (
        isinstance(ring, list)
        and len(ring) >= 4
        and all(
            isinstance(p, list)
            and len(p) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p[:2])
            and -180 <= p[0] <= 180
            and -90 <= p[1] <= 90
            for p in ring
        )
    )


def _geometry_error(geometry: Any) -> str | None:
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        return _("the geometry must be a Polygon or MultiPolygon")
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return _("the coordinates are missing")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon or not all(map(_valid_ring, polygon)):
            return _("the coordinates are not valid longitude/latitude rings")
    return None


def parse_boundaries(
    agency: Agency, data: bytes, code_property: str
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Region code -> geometry from a GeoJSON FeatureCollection, and the errors (each naming
    the feature and the reason). Any error means nothing may be applied."""
    if len(data) > MAX_BOUNDARY_BYTES:
        return {}, [_("The file is larger than 5 MB.")]
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return {}, [_("The file is not valid JSON (GeoJSON).")]
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return {}, [_("The file must be a GeoJSON FeatureCollection.")]
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        return {}, [_("The FeatureCollection has no features.")]
    if len(features) > MAX_FEATURES:
        return {}, [_("At most %(n)s features per file.") % {"n": MAX_FEATURES}]
    known = set(regions_of_agency(agency).values_list("code", flat=True))
    found: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for n, feature in enumerate(features, 1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        code = str((props or {}).get(code_property) or "").strip()
        problem = None
        if not code:
            problem = _("property %(prop)s with the Kemendagri code is missing") % {
                "prop": code_property
            }
        elif code not in known:
            problem = _("region %(code)s is not in this agency") % {"code": code}
        elif code in found:
            problem = _("region %(code)s appears twice") % {"code": code}
        else:
            problem = _geometry_error(feature.get("geometry"))
        if problem:
            errors.append(_("Feature %(n)s: %(reason)s.") % {"n": n, "reason": problem})
        else:
            found[code] = feature["geometry"]
    return found, errors


@transaction.atomic
def save_boundaries(
    *, agency: Agency, actor: Any, shapes: dict[str, dict[str, Any]], file_name: str = ""
) -> int:
    """Store every parsed shape (replacing earlier ones); returns how many."""
    for code, geometry in shapes.items():
        Boundary.objects.update_or_create(
            region_id=code, defaults={"geometry": geometry, "uploaded_by": actor}
        )
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        agency=agency,
        object_repr=f"boundaries: {len(shapes)} ({file_name})"[:255],
        after={"regions": sorted(shapes)[:50], "count": len(shapes)},
    )
    return len(shapes)


# --- dashboards -----------------------------------------------------------------------------


@transaction.atomic
def save_dashboard(
    *,
    agency: Agency,
    actor: Any,
    name: str,
    unit: Unit | None,
    elements: Sequence[DataElement],
    dashboard: Dashboard | None = None,
) -> Dashboard:
    if dashboard is None:
        dashboard = Dashboard.objects.create(agency=agency, unit=unit, name=name, created_by=actor)
        dashboard.elements.set(elements)
        audit.record_create(dashboard, actor=actor, agency=agency)
        return dashboard
    before = audit.snapshot(dashboard) | {
        "elements": sorted(dashboard.elements.values_list("pk", flat=True))
    }
    dashboard.name, dashboard.unit = name, unit
    dashboard.save(update_fields=["name", "unit"])
    dashboard.elements.set(elements)
    after = audit.snapshot(dashboard) | {"elements": sorted(e.pk for e in elements)}
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    if changed:
        audit.record(
            action=AuditAction.UPDATE,
            actor=actor,
            agency=agency,
            instance=dashboard,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )
    return dashboard


@transaction.atomic
def delete_dashboard(*, dashboard: Dashboard, actor: Any) -> None:
    audit.record_delete(dashboard, actor=actor, agency=dashboard.agency)
    dashboard.delete()


# --- API tokens -----------------------------------------------------------------------------


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # "<prefix>.<secret>", shown once


@transaction.atomic
def create_token(
    *,
    agency: Agency,
    actor: Any,
    name: str,
    scopes: Sequence[str],
    unit: Unit | None = None,
    expires_at: datetime.datetime | None = None,
) -> IssuedToken:
    """A new token; only the prefix and the SHA-256 of the secret are stored."""
    unknown = set(scopes) - set(TokenScope.values)
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one valid scope."))
    prefix = secrets.token_hex(4)
    while ApiToken.objects.filter(prefix=prefix).exists():  # pragma: no cover
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agency=agency,
        name=name,
        unit=unit,
        prefix=prefix,
        key_hash=hash_secret(secret),
        scopes=sorted(set(scopes)),
        created_by=actor,
        expires_at=expires_at,
    )
    audit.record_create(token, actor=actor, agency=agency)
    return IssuedToken(token, f"{prefix}.{secret}")


@transaction.atomic
def revoke_token(*, token: ApiToken, actor: Any, reason: str = "") -> ApiToken:
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record_update(token, before, actor=actor, agency=token.agency, reason=reason)
    return token

"""A CKAN-compatible read surface over published datasets (Action API v3 shapes).

Mapping:
- package = a Dataset with at least one Release; `state` is "deleted" once every release
  is withdrawn (package_show still answers; package_search hides it unless
  `include_deleted=true`; package_list leaves it out, as CKAN does);
- organization = the producing OPD (Dataset.producer), named `<agency-slug>-<opd>`, or the
  agency itself when the dataset has no producer; groups = Dataset.group; tags = Dataset.tags;
- resources = the CSV, XLSX and JSON files of the latest release (the CSV is datastore_active
  for that release) plus one stable "datastore" resource that always reads the latest release.
Ids are UUID-shaped and stable; the last 12 hex digits carry the primary key.
"""

from __future__ import annotations

import datetime
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from django.utils.text import slugify

from .ckan_search import Entry
from .models import Dataset, DatasetElement, Release

_BASE = {
    kind: uuid.uuid5(uuid.NAMESPACE_URL, f"https://padu.go.id/ckan/{kind}").hex[:20]
    for kind in ("dataset", "csv", "xlsx", "json", "datastore", "unit", "agency", "group")
}
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
}
LICENCES = {
    "CC-BY-4.0": ("cc-by", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("cc-by-sa", "Creative Commons Attribution Share-Alike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("cc-zero", "Creative Commons CCZero", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("odc-odbl", "Open Data Commons Open Database License (ODbL)", "https://opendatacommons.org/licenses/odbl/1-0/"),
}  # fmt: skip


class ActionError(Exception):
    """An error CKAN clients understand: its `__type` and HTTP status."""

    status = 400
    type = "Bad Request"

    def __init__(self, message: str | dict[str, Any]) -> None:
        super().__init__(str(message))
        self.detail = message

    def as_dict(self) -> dict[str, Any]:
        if isinstance(self.detail, dict):
            return {"__type": self.type, "message": "Validation Error", **self.detail}
        return {"__type": self.type, "message": self.detail}


class NotFound(ActionError):
    status = 404
    type = "Not Found Error"


class Invalid(ActionError):
    status = 409
    type = "Validation Error"


class SearchQueryError(ActionError):
    status = 400
    type = "Search Query Error"


class NotAuthorized(ActionError):
    status = 403
    type = "Authorization Error"


def make_id(kind: str, pk: int) -> str:
    return str(uuid.UUID(hex=f"{_BASE[kind]}{pk:012x}"))


def read_id(kind: str, text: Any) -> int | None:
    """The primary key inside an id of `kind`, or None."""
    try:
        value = uuid.UUID(str(text)).hex
    except (ValueError, AttributeError, TypeError):
        return None
    return int(value[20:], 16) if value[:20] == _BASE[kind] else None


def iso(moment: datetime.datetime | None) -> str | None:
    """CKAN's timestamps: UTC without an offset."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()


def naive_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    title: str
    description: str
    created: datetime.datetime | None


def org_of(dataset: Dataset) -> Org:
    agency = dataset.agency
    unit = dataset.producer
    if unit is None:
        return Org(
            make_id("agency", agency.pk), agency.slug, agency.name, agency.name, agency.created_at
        )
    short = slugify(unit.acronym or unit.name) or str(unit.pk)
    return Org(
        make_id("unit", unit.pk),
        f"{agency.slug}-{short}",
        f"{unit.name} ({agency.name})",
        agency.name,
        unit.created_at,
    )


def group_names(dataset: Dataset) -> list[tuple[str, str]]:
    name = slugify(dataset.group)
    return [(name, dataset.group)] if name else []


def tags_of(dataset: Dataset) -> list[str]:
    return [t.strip() for t in dataset.tags.split(",") if t.strip()]


def package_name(dataset: Dataset) -> str:
    return f"{dataset.agency.slug}-{slugify(dataset.code.replace('.', '-')) or dataset.pk}"


def published_datasets() -> list[Dataset]:
    """Every dataset with a release, releases newest first."""
    releases = Release.objects.order_by("-version")
    elements = DatasetElement.objects.select_related("element").only(
        "dataset_id", "position", "element__name", "element__code", "element__unit_of_measure"
    )
    return list(
        Dataset.objects.filter(releases__isnull=False)
        .distinct()
        .select_related("agency", "producer")
        .prefetch_related(
            Prefetch("releases", queryset=releases, to_attr="all_releases"),
            Prefetch("dataset_elements", queryset=elements, to_attr="all_elements"),
        )
        .order_by("pk")
    )


@dataclass
class Catalogue:
    """The published datasets and their search entries, kept per process until a release
    is published or withdrawn, a dataset changes, or a minute passes."""

    signature: tuple[Any, ...]
    built: float
    datasets: list[Dataset]
    entries: list[Entry]
    packages: dict[tuple[int, str], dict[str, Any]]
    checked: float = 0.0
    searches: dict[str, Any] = field(default_factory=dict)


CATALOGUE_TTL = 60.0
CHECK_EVERY = 2.0
_kept: dict[str, Catalogue] = {}
_lock = threading.Lock()


def _signature() -> tuple[Any, ...]:
    stamps = Release.objects.aggregate(
        n=Count("id"),
        last=Max("id"),
        published=Max("published_at"),
        withdrawn=Max("withdrawn_at"),
        changed=Max("dataset__updated_at"),
    )
    return tuple(stamps.values())


def catalogue() -> Catalogue:
    """The current catalogue. Other processes' publications show within CHECK_EVERY
    seconds (one small query then); this process's own at once (`forget_catalogue`)."""
    kept = _kept.get("default")
    now = time.monotonic()
    if kept and now - kept.checked < CHECK_EVERY:
        return kept
    signature = _signature()
    if kept and kept.signature == signature and now - kept.built < CATALOGUE_TTL:
        kept.checked = now
        return kept
    datasets = published_datasets()
    fresh = Catalogue(signature, now, datasets, [entry_of(d) for d in datasets], {}, now)
    with _lock:
        _kept["default"] = fresh
    return fresh


def forget_catalogue() -> None:
    """Drop the kept catalogue (tests, after restoring a database)."""
    _kept.clear()


def cached_package(site: Site, entry: Entry, cat: Catalogue) -> dict[str, Any]:
    key = (entry.key.pk, site.base)
    found = cat.packages.get(key)
    if found is None:
        found = cat.packages[key] = package_dict(site, entry.key, entry)
    return found


def latest_release(dataset: Dataset) -> Release | None:
    return next((r for r in dataset.all_releases if r.withdrawn_at is None), None)  # type: ignore[attr-defined]


def modified_at(dataset: Dataset) -> datetime.datetime:
    stamps = [r.published_at for r in dataset.all_releases]  # type: ignore[attr-defined]
    stamps += [r.withdrawn_at for r in dataset.all_releases if r.withdrawn_at]  # type: ignore[attr-defined]
    return max(stamps)


def entry_of(dataset: Dataset) -> Entry:
    releases = dataset.all_releases  # type: ignore[attr-defined]
    org = org_of(dataset)
    tags = tags_of(dataset)
    latest = latest_release(dataset)
    words = [dataset.name, dataset.code, dataset.description, dataset.group, *tags]
    words += [de.element.name for de in dataset.all_elements]  # type: ignore[attr-defined]
    return Entry(
        key=dataset,
        id=make_id("dataset", dataset.pk),
        name=package_name(dataset),
        title=dataset.name,
        text=" ".join(words).lower(),
        state="active" if latest else "deleted",
        created=naive_utc(min(r.published_at for r in releases)),
        modified=naive_utc(modified_at(dataset)),
        values={
            "organization": [org.name],
            "owner_org": [org.id],
            "groups": [g for g, _ in group_names(dataset)],
            "tags": tags,
            "res_format": ["CSV", "XLSX", "JSON"] if latest else [],
            "license_id": [licence_of(dataset)[0]],
        },
    )


def licence_of(dataset: Dataset) -> tuple[str, str, str, bool]:
    found = LICENCES.get(dataset.licence)
    if found:
        return (*found, True)
    return (slugify(dataset.licence) or "notspecified", dataset.licence, "", False)


@dataclass(frozen=True)
class Site:
    """Builds absolute URLs for the request's host."""

    base: str

    def url(self, name: str, *args: Any) -> str:
        return self.base + reverse(name, args=args)


def download_url(site: Site, release: Release, fmt: str) -> str:
    ds = release.dataset
    return site.url("databank:public_download", ds.agency.slug, ds.code, release.version, fmt)


def resources_of(site: Site, dataset: Dataset, package_id: str) -> list[dict[str, Any]]:
    latest = latest_release(dataset)
    if latest is None:
        return []
    latest.dataset = dataset
    out: list[dict[str, Any]] = []
    for fmt, (label, mimetype) in FORMATS.items():
        out.append(
            {
                "id": make_id(fmt, latest.pk),
                "package_id": package_id,
                "name": f"{dataset.name} v{latest.version} ({label})",
                "description": latest.notes,
                "format": label,
                "mimetype": mimetype,
                "url": download_url(site, latest, fmt),
                "hash": f"sha256:{latest.checksum}" if fmt == "csv" else "",
                "size": latest.metadata.get("ukuran_berkas", {}).get(fmt),
                "created": iso(latest.published_at),
                "last_modified": iso(latest.published_at),
                "position": len(out),
                "state": "active",
                "url_type": None,
                "resource_type": None,
                "datastore_active": fmt == "csv",
            }
        )
    out.append(
        {
            "id": make_id("datastore", dataset.pk),
            "package_id": package_id,
            "name": f"{dataset.name} (DataStore)",
            "description": "Latest release as a table (datastore_search).",
            "format": "CSV",
            "mimetype": "text/csv",
            "url": download_url(site, latest, "csv"),
            "hash": "",
            "size": None,
            "created": iso(latest.published_at),
            "last_modified": iso(latest.published_at),
            "position": len(out),
            "state": "active",
            "url_type": "datastore",
            "resource_type": None,
            "datastore_active": True,
        }
    )
    return out


def org_dict(org: Org, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": org.id,
        "name": org.name,
        "title": org.title,
        "display_name": org.title,
        "description": org.description,
        "image_url": "",
        "image_display_url": "",
        "created": iso(org.created),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def group_dict(name: str, title: str, package_count: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": make_id("group", int(uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:8], 16)),
        "name": name,
        "title": title,
        "display_name": title,
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "is_organization": False,
        "approval_status": "approved",
        "state": "active",
        "type": "group",
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


def package_dict(site: Site, dataset: Dataset, entry: Entry | None = None) -> dict[str, Any]:
    """A CKAN package dict with the Satu Data fields in `extras` and at the top level."""
    entry = entry or entry_of(dataset)
    org = org_of(dataset)
    latest = latest_release(dataset)
    last = latest or dataset.all_releases[0]  # type: ignore[attr-defined]
    licence_id, licence_title, licence_url, is_open = licence_of(dataset)
    producer = str(dataset.producer.name) if dataset.producer else dataset.agency.name
    sdi = {
        "kode": dataset.code,
        "produsen": producer,
        "walidata": dataset.agency.name,
        "frekuensi": dataset.period_type,
        "tingkat_wilayah": str(dataset.collection_level),
        "klasifikasi_akses": "terbuka",
        "periode": ", ".join(last.periods),
        "versi_rilis": str(last.version),
        "checksum_sha256": last.checksum,
        "satuan": ", ".join(sorted({u for u in _units(dataset) if u})),
    }  # fmt: skip
    resources = resources_of(site, dataset, entry.id)
    tags = tags_of(dataset)
    return {
        "id": entry.id,
        "name": entry.name,
        "title": dataset.name,
        "notes": dataset.description,
        "url": site.url("databank:public_dataset", dataset.agency.slug, dataset.code),
        "version": str(last.version),
        "state": entry.state,
        "type": "dataset",
        "private": False,
        "owner_org": org.id,
        "organization": org_dict(org),
        "author": dataset.agency.name,
        "author_email": "",
        "maintainer": producer,
        "maintainer_email": "",
        "license_id": licence_id,
        "license_title": licence_title,
        "license_url": licence_url,
        "isopen": is_open,
        "metadata_created": iso(min(r.published_at for r in dataset.all_releases)),  # type: ignore[attr-defined]
        "metadata_modified": iso(modified_at(dataset)),
        "num_resources": len(resources),
        "num_tags": len(tags),
        "tags": [
            {"name": t, "display_name": t, "state": "active", "vocabulary_id": None} for t in tags
        ],
        "groups": [group_dict(n, t) for n, t in group_names(dataset)],
        "resources": resources,
        "extras": [{"key": k, "value": v} for k, v in sdi.items()],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        **sdi,
    }


def _units(dataset: Dataset) -> set[str]:
    return {de.element.unit_of_measure for de in dataset.all_elements}  # type: ignore[attr-defined]


def param_int(params: dict[str, Any], name: str, default: int, maximum: int | None = None) -> int:
    raw = params.get(name, default)
    try:
        value = int(raw if raw not in ("", None) else default)
    except (TypeError, ValueError) as exc:
        raise Invalid({name: ["Invalid integer"]}) from exc
    if value < 0:
        raise Invalid({name: ["Must be a natural number"]})
    return min(value, maximum) if maximum is not None else value


def param_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def param_list(value: Any) -> list[str]:
    """A list given as a list, a JSON list or a comma-separated string."""
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Invalid({"list": [f"Not a JSON list: {text}"]}) from exc
        return [str(v) for v in loaded]
    return [p.strip() for p in text.split(",") if p.strip()]


Action = Callable[[dict[str, Any], Site], Any]

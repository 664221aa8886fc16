"""The CKAN actions Padu answers (read only), each `action(params, site) -> result`.

Limits follow CKAN's defaults: package_search rows 10 (max 1000); organization_list and
group_list 1000 names or 25 with `all_fields`; datastore_search limit 100 (max 32,000).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from . import ckan_search
from .ckan import (
    Action,
    Catalogue,
    Invalid,
    NotFound,
    Org,
    SearchQueryError,
    Site,
    cached_package,
    catalogue,
    group_dict,
    group_names,
    licence_of,
    org_dict,
    org_of,
    param_bool,
    param_int,
    param_list,
    tags_of,
)
from .ckan_datastore import datastore_search
from .models import Dataset


def _entries() -> list[ckan_search.Entry]:
    return catalogue().entries


def _find(params: dict[str, Any]) -> tuple[Dataset, ckan_search.Entry]:
    key = params.get("id") or params.get("name_or_id") or params.get("name")
    if not key:
        raise Invalid({"name_or_id": ["Missing value"]})
    for entry in _entries():
        if key in (entry.id, entry.name):
            return entry.key, entry
    raise NotFound("Not found")


def package_list(params: dict[str, Any], site: Site) -> list[str]:
    """Names of the active published datasets (limit, offset)."""
    limit = param_int(params, "limit", 1_000_000)
    offset = param_int(params, "offset", 0)
    names = sorted(e.name for e in _entries() if e.state == "active")
    return names[offset : offset + limit]


def package_show(params: dict[str, Any], site: Site) -> dict[str, Any]:
    """One dataset by id or name; withdrawn datasets answer with state 'deleted'."""
    _dataset, entry = _find(params)
    return cached_package(site, entry, catalogue())


def package_search(params: dict[str, Any], site: Site) -> dict[str, Any]:
    """Search datasets: q, fq/fq_list, sort, rows, start, facet.field, include_deleted."""
    # Answers are kept with the catalogue they were computed from (at most 500).
    cat = catalogue()
    key = json.dumps([site.base, params], sort_keys=True, default=str)
    kept = cat.searches.get(key)
    if kept is None:
        kept = _package_search(params, site, cat)
        if len(cat.searches) < 500:
            cat.searches[key] = kept
    return kept


def _package_search(params: dict[str, Any], site: Site, cat: Catalogue) -> dict[str, Any]:
    rows = param_int(params, "rows", 10, 1000)
    start = param_int(params, "start", 0)
    fq = [str(params["fq"])] if params.get("fq") else []
    fq += param_list(params.get("fq_list"))
    sort = str(params.get("sort") or ckan_search.DEFAULT_SORT)
    fields = param_list(params.get("facet.field"))
    entries = cat.entries
    try:
        found = ckan_search.search(
            entries,
            q=str(params.get("q") or ""),
            fq=fq,
            sort=sort,
            include_deleted=param_bool(params.get("include_deleted", False)),
        )
        titles = _facet_titles(found)
        legacy, rich = ckan_search.facets(
            found,
            fields,
            limit=-1
            if str(params.get("facet.limit")) == "-1"
            else param_int(params, "facet.limit", 50),
            mincount=param_int(params, "facet.mincount", 1),
            titles=titles,
        )
    except ckan_search.QueryError as exc:
        raise SearchQueryError(f"Search Query is invalid: {exc}") from exc
    page = found[start : start + rows]
    return {
        "count": len(found),
        "facets": legacy,
        "results": [cached_package(site, e, cat) for e in page],
        "sort": sort,
        "search_facets": rich,
    }


def _facet_titles(entries: list[ckan_search.Entry]) -> dict[str, dict[str, str]]:
    orgs: dict[str, str] = {}
    groups: dict[str, str] = {}
    licences: dict[str, str] = {}
    for entry in entries:
        org = org_of(entry.key)
        orgs[org.name] = org.title
        groups.update(group_names(entry.key))
        lic = licence_of(entry.key)
        licences[lic[0]] = lic[1]
    return {"organization": orgs, "groups": groups, "license_id": licences}


def _orgs() -> tuple[dict[str, Org], Counter[str]]:
    orgs: dict[str, Org] = {}
    counts: Counter[str] = Counter()
    for entry in _entries():
        org = org_of(entry.key)
        orgs[org.name] = org
        counts[org.name] += entry.state == "active"
    return orgs, counts


def _groups() -> tuple[dict[str, str], Counter[str]]:
    titles: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for entry in _entries():
        for name, title in group_names(entry.key):
            titles[name] = title
            counts[name] += entry.state == "active"
    return titles, counts


def _listing(
    params: dict[str, Any], items: list[tuple[str, str, int]], wanted_key: str
) -> tuple[list[tuple[str, str, int]], bool]:
    all_fields = param_bool(params.get("all_fields", False))
    limit = param_int(params, "limit", 25 if all_fields else 1000, 25 if all_fields else 1000)
    offset = param_int(params, "offset", 0)
    wanted = set(param_list(params.get(wanted_key)))
    if wanted:
        items = [i for i in items if i[0] in wanted]
    sort = str(params.get("sort") or "title asc").split()
    key = {"name": 0, "title": 1, "package_count": 2}.get(sort[0])
    if key is None:
        raise Invalid({"sort": [f"Cannot sort by field `{sort[0]}`"]})
    desc = len(sort) > 1 and sort[1].lower() == "desc"
    items = sorted(items, key=lambda i: str(i[key]).lower() if key < 2 else i[key], reverse=desc)
    return items[offset : offset + limit], all_fields


def organization_list(params: dict[str, Any], site: Site) -> list[Any]:
    """Producing OPDs (or agencies) with published datasets (all_fields, limit, offset, sort)."""
    orgs, counts = _orgs()
    items = [(o.name, o.title, counts[o.name]) for o in orgs.values()]
    page, all_fields = _listing(params, items, "organizations")
    if not all_fields:
        return [name for name, _t, _c in page]
    return [org_dict(orgs[name], count) for name, _t, count in page]


def organization_show(params: dict[str, Any], site: Site) -> dict[str, Any]:
    """One organization by id or name (include_datasets)."""
    key = params.get("id")
    if not key:
        raise Invalid({"id": ["Missing value"]})
    orgs, counts = _orgs()
    org = next((o for o in orgs.values() if key in (o.id, o.name)), None)
    if org is None:
        raise NotFound("Organization not found")
    data = org_dict(org, counts[org.name])
    if param_bool(params.get("include_datasets", False)):
        data["packages"] = [
            cached_package(site, e, catalogue())
            for e in _entries()
            if e.state == "active" and org_of(e.key).name == org.name
        ][:1000]
    data.update({"users": [], "extras": [], "tags": [], "groups": []})
    return data


def group_list(params: dict[str, Any], site: Site) -> list[Any]:
    """Sectors (urusan) of the published datasets (all_fields, limit, offset, sort)."""
    titles, counts = _groups()
    items = [(n, t, counts[n]) for n, t in titles.items()]
    page, all_fields = _listing(params, items, "groups")
    if not all_fields:
        return [name for name, _t, _c in page]
    return [group_dict(name, title, count) for name, title, count in page]


def group_show(params: dict[str, Any], site: Site) -> dict[str, Any]:
    """One group by id or name (include_datasets)."""
    key = params.get("id")
    if not key:
        raise Invalid({"id": ["Missing value"]})
    titles, counts = _groups()
    name = next((n for n, t in titles.items() if key in (n, group_dict(n, t)["id"])), None)
    if name is None:
        raise NotFound("Group not found")
    data = group_dict(name, titles[name], counts[name])
    if param_bool(params.get("include_datasets", False)):
        data["packages"] = [
            cached_package(site, e, catalogue())
            for e in _entries()
            if e.state == "active" and name in e.values["groups"]
        ][:1000]
    data.update({"users": [], "extras": [], "tags": [], "groups": []})
    return data


def tag_list(params: dict[str, Any], site: Site) -> list[str]:
    """Tags of the active published datasets (query)."""
    names = {t for e in _entries() if e.state == "active" for t in tags_of(e.key)}
    query = str(params.get("query") or "").lower()
    return sorted(n for n in names if query in n.lower())


def status_show(params: dict[str, Any], site: Site) -> dict[str, Any]:
    """Site and API version (api_version 3)."""
    return {
        "site_title": "Padu",
        "site_description": "Satu Data: open data from Padu (CKAN-compatible read API)",
        "site_url": site.base,
        "ckan_version": "2.10.0",
        "api_version": 3,
        "error_emails_to": None,
        "locale_default": "id",
        "extensions": ["datastore", "dcat"],
    }


def resource_show(params: dict[str, Any], site: Site) -> dict[str, Any]:
    """One resource (release file or DataStore table) by id."""
    key = params.get("id")
    if not key:
        raise Invalid({"id": ["Missing value"]})
    cat = catalogue()
    for entry in cat.entries:
        for resource in cached_package(site, entry, cat)["resources"]:
            if resource["id"] == key:
                return resource
    raise NotFound("Resource was not found.")


def help_show(params: dict[str, Any], site: Site) -> str:
    """The documentation of an action (what the envelope's `help` link points to)."""
    action = ACTIONS.get(str(params.get("name") or ""))
    if action is None:
        raise NotFound("Action not found")
    return (action.__doc__ or "").strip()


ACTIONS: dict[str, Action] = {
    "package_list": package_list,
    "package_search": package_search,
    "package_show": package_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "status_show": status_show,
    "resource_show": resource_show,
    "datastore_search": datastore_search,
    "help_show": help_show,
}

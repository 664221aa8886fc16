"""The DCAT catalogue (DCAT-AP style) of the published datasets, as JSON-LD and Turtle.

Only datasets with a release in force are listed: a DCAT harvester removes what disappears
from the catalogue, so a withdrawal propagates to portals that harvest us.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .ckan import (
    FORMATS,
    Site,
    catalogue,
    download_url,
    iso,
    latest_release,
    licence_of,
    make_id,
    modified_at,
    org_of,
    tags_of,
)

NS = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
PERIODICITY = {
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "sixmonthly": "ANNUAL_2",
    "yearly": "ANNUAL",
}
MEDIA = "http://www.iana.org/assignments/media-types/"
SPDX = "https://spdx.org/licenses/"


@dataclass
class Distribution:
    uri: str
    title: str
    download_url: str
    media_type: str
    format: str
    licence: str
    modified: str
    checksum: str = ""


@dataclass
class DcatDataset:
    uri: str
    identifier: str
    title: str
    description: str
    issued: str
    modified: str
    keywords: list[str]
    publisher: str
    landing_page: str
    periodicity: str
    licence: str
    distributions: list[Distribution] = field(default_factory=list)


@dataclass
class Catalog:
    uri: str
    title: str
    homepage: str
    modified: str
    datasets: list[DcatDataset]


def catalog(site: Site) -> Catalog:
    """Every dataset with a release in force."""
    items = []
    for dataset in catalogue().datasets:
        latest = latest_release(dataset)
        if latest is None:
            continue
        latest.dataset = dataset
        page = site.url("databank:public_dataset", dataset.agency.slug, dataset.code)
        licence = licence_of(dataset)[2] or SPDX + quote(dataset.licence)
        modified = iso(modified_at(dataset)) or ""
        item = DcatDataset(
            uri=page,
            identifier=make_id("dataset", dataset.pk),
            title=dataset.name,
            description=dataset.description,
            issued=iso(min(r.published_at for r in dataset.all_releases)) or "",  # type: ignore[attr-defined]
            modified=modified,
            keywords=tags_of(dataset),
            publisher=org_of(dataset).title,
            landing_page=page,
            periodicity=FREQUENCY + PERIODICITY.get(dataset.period_type, "IRREG"),
            licence=licence,
        )
        for fmt, (label, mimetype) in FORMATS.items():
            url = download_url(site, latest, fmt)
            item.distributions.append(
                Distribution(
                    uri=f"{page}#{fmt}-v{latest.version}",
                    title=f"{dataset.name} v{latest.version} ({label})",
                    download_url=url,
                    media_type=MEDIA + mimetype,
                    format=label,
                    licence=licence,
                    modified=iso(latest.published_at) or "",
                    checksum=latest.checksum if fmt == "csv" else "",
                )
            )
        items.append(item)
    stamps = [d.modified for d in items]
    return Catalog(
        uri=site.base + "/catalog",
        title="Padu Satu Data",
        homepage=site.url("databank:public_datasets"),
        modified=max(stamps) if stamps else "",
        datasets=items,
    )


def _date(value: str) -> dict[str, str]:
    return {"@value": value, "@type": "xsd:dateTime"}


def as_jsonld(cat: Catalog) -> dict[str, Any]:
    def dist(d: Distribution) -> dict[str, Any]:
        out: dict[str, Any] = {
            "@id": d.uri,
            "@type": "dcat:Distribution",
            "dct:title": d.title,
            "dcat:downloadURL": {"@id": d.download_url},
            "dcat:accessURL": {"@id": d.download_url},
            "dcat:mediaType": {"@id": d.media_type},
            "dct:format": d.format,
            "dct:license": {"@id": d.licence},
            "dct:modified": _date(d.modified),
        }
        if d.checksum:
            out["spdx:checksum"] = {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": NS["spdx"] + "checksumAlgorithm_sha256"},
                "spdx:checksumValue": d.checksum,
            }
        return out

    return {
        "@context": NS,
        "@id": cat.uri,
        "@type": "dcat:Catalog",
        "dct:title": cat.title,
        "foaf:homepage": {"@id": cat.homepage},
        "dct:modified": _date(cat.modified) if cat.modified else None,
        "dcat:dataset": [
            {
                "@id": d.uri,
                "@type": "dcat:Dataset",
                "dct:identifier": d.identifier,
                "dct:title": d.title,
                "dct:description": d.description,
                "dct:issued": _date(d.issued),
                "dct:modified": _date(d.modified),
                "dcat:keyword": d.keywords,
                "dct:publisher": {"@type": "foaf:Agent", "foaf:name": d.publisher},
                "dcat:landingPage": {"@id": d.landing_page},
                "dct:accrualPeriodicity": {"@id": d.periodicity},
                "dct:license": {"@id": d.licence},
                "dcat:distribution": [dist(x) for x in d.distributions],
            }
            for d in cat.datasets
        ],
    }


def _lit(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def _iri(url: str) -> str:
    return "<" + "".join(c if c not in '<>"{}|^`\\ ' else f"%{ord(c):02X}" for c in url) + ">"


def _dt(value: str) -> str:
    return f"{_lit(value)}^^xsd:dateTime"


def as_turtle(cat: Catalog) -> str:
    lines = [f"@prefix {p}: <{u}> ." for p, u in NS.items()]
    lines += ["", f"{_iri(cat.uri)} a dcat:Catalog ;", f"  dct:title {_lit(cat.title)} ;"]
    if cat.modified:
        lines.append(f"  dct:modified {_dt(cat.modified)} ;")
    for d in cat.datasets:
        lines.append(f"  dcat:dataset {_iri(d.uri)} ;")
    lines.append(f"  foaf:homepage {_iri(cat.homepage)} .")
    for d in cat.datasets:
        lines += [
            "",
            f"{_iri(d.uri)} a dcat:Dataset ;",
            f"  dct:identifier {_lit(d.identifier)} ;",
            f"  dct:title {_lit(d.title)} ;",
            f"  dct:description {_lit(d.description)} ;",
            f"  dct:issued {_dt(d.issued)} ;",
            f"  dct:modified {_dt(d.modified)} ;",
            *[f"  dcat:keyword {_lit(k)} ;" for k in d.keywords],
            f"  dct:publisher [ a foaf:Agent ; foaf:name {_lit(d.publisher)} ] ;",
            f"  dcat:landingPage {_iri(d.landing_page)} ;",
            f"  dct:accrualPeriodicity {_iri(d.periodicity)} ;",
            f"  dct:license {_iri(d.licence)} ;",
            *[f"  dcat:distribution {_iri(x.uri)} ;" for x in d.distributions],
        ]
        lines[-1] = lines[-1][:-1] + "."
        for x in d.distributions:
            lines += [
                "",
                f"{_iri(x.uri)} a dcat:Distribution ;",
                f"  dct:title {_lit(x.title)} ;",
                f"  dcat:downloadURL {_iri(x.download_url)} ;",
                f"  dcat:accessURL {_iri(x.download_url)} ;",
                f"  dcat:mediaType {_iri(x.media_type)} ;",
                f"  dct:format {_lit(x.format)} ;",
                f"  dct:license {_iri(x.licence)} ;",
            ]
            if x.checksum:
                lines.append(
                    "  spdx:checksum [ a spdx:Checksum ; "
                    "spdx:algorithm spdx:checksumAlgorithm_sha256 ; "
                    f"spdx:checksumValue {_lit(x.checksum)} ] ;"
                )
            lines.append(f"  dct:modified {_dt(x.modified)} .")
    return "\n".join(lines) + "\n"

"""Load the national reference architecture and national applications from the bundled YAML.

Idempotent: codes and applications are updated in place by their code or key; a code that
left the file stays (it may be in use) but a newer version can be marked current.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .models import NationalApplication, ReferenceCode, ReferenceVersion

DEFAULT_FILE = Path(__file__).parent / "data" / "arsitektur-spbe-referensi.yaml"
VERSION_CODE = "perpres-132-2022"


@dataclass
class LoadResult:
    codes: int
    national_applications: int
    version: ReferenceVersion


def _truthy_uncertain(item: dict[str, Any]) -> bool:
    return bool(
        item.get("uncertain")
        or item.get("code_assumed")
        or item.get("status") == "uncertain"
        or item.get("name_uncertain")
    )


@transaction.atomic
def load_reference(path: Path = DEFAULT_FILE) -> LoadResult:
    raw = path.read_bytes()
    doc = yaml.safe_load(raw)
    meta = doc.get("meta", {})
    version, _ = ReferenceVersion.objects.update_or_create(
        code=VERSION_CODE,
        defaults={
            "title": str(meta.get("title_id", "Referensi Arsitektur SPBE Nasional"))[:300],
            "source": str(meta.get("legal_basis", "")),
            "checksum": hashlib.sha256(raw).hexdigest(),
            "is_current": True,
        },
    )
    existing = {
        c.code: c for c in ReferenceCode.objects.filter(version=version, agency__isnull=True)
    }
    count = 0
    for model, section in doc["references"].items():
        # Parents first: sort by level so each parent exists before its children.
        for item in sorted(section["items"], key=lambda i: (i["level"], i["code"])):
            code = str(item["code"])
            parent_code = code.rsplit(".", 1)[0] if code.count(".") > 1 else None
            values = {
                "model": model,
                "name": str(item.get("name_id", ""))[:300],
                "level": int(item["level"]),
                "parent": existing.get(parent_code) if parent_code else None,
                "uncertain": _truthy_uncertain(item),
                "note": str(item.get("note_id", "") or item.get("description_id", "")),
            }
            node = existing.get(code)
            if node is None:
                node = ReferenceCode.objects.create(version=version, code=code, **values)
                existing[code] = node
            else:
                changed = [k for k, v in values.items() if getattr(node, k) != v]
                if changed:
                    for k in changed:
                        setattr(node, k, values[k])
                    node.save(update_fields=changed)
            count += 1
    apps = 0
    for item in doc["national_applications"]["items"]:
        designation = item.get("aplikasi_umum_designation") or {}
        NationalApplication.objects.update_or_create(
            key=item["key"],
            defaults={
                "name": str(item["name"])[:120],
                "full_name": str(item.get("full_name_id", ""))[:300],
                "owner": str(item.get("owner", ""))[:200],
                "function": str(item.get("function_id", "")),
                "raa_code": str(item.get("raa_code", "") or "")[:40],
                "ral_codes": list(item.get("ral_codes") or []),
                "legal_basis": list(item.get("legal_basis") or []),
                "is_general": designation.get("aplikasi_umum"),
                "related_indicators": list(item.get("related_spbe_59_2020_indicators") or []),
                "uncertain": _truthy_uncertain(item),
                "note": str(item.get("note_id", "")),
            },
        )
        apps += 1
    return LoadResult(count, apps, version)

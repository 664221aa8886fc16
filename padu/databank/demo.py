"""Demo data bank for Kota Kendari: four sectoral datasets with Satu Data metadata, values for
every kelurahan from January 2025 to the current month, and submissions in every state.

Deterministic (seeded per kelurahan) and idempotent: the metadata and values are created
once; users and memberships are ensured on every run.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from padu.accounts.choices import Role
from padu.accounts.models import Membership, User
from padu.core.demo import DEMO_PASSWORD, DemoLogin
from padu.organizations.models import Agency, Region, Unit

from . import periods, rollups
from .choices import ReturnReason, SubmissionStatus, ValueStatus
from .models import (
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
    Submission,
    ValidationRule,
)
from .services_values import ValueRow, write_values

OPERATORS = [  # username, name, kelurahan code
    ("operator.mandonga", "Mira Operator Mandonga", "74.71.01.1005"),
    ("operator.korumba", "Kadir Operator Korumba", "74.71.01.1006"),
    ("operator.kemaraya", "Kiki Operator Kemaraya", "74.71.05.1001"),
]
PRODUCERS = [  # username, name, unit acronym
    ("produsen.dinkes", "Putri Produsen", "Dinkes"),
    ("produsen.disdikbud", "Dedi Produsen Disdikbud", "Disdikbud"),
    ("produsen.dinsos", "Sari Produsen Dinsos", "Dinsos"),
    ("produsen.disdukcapil", "Cahya Produsen Disdukcapil", "Disdukcapil"),
]


def _ensure_user(username: str, full_name: str, agency: Agency, role: str, **scope: Any) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "email": f"{username}@demo.padu.local"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, agency=agency, role=role, unit=scope.get("unit"), region=scope.get("region")
    )
    return user


def ensure_people(agency: Agency, people: dict[str, User]) -> list[DemoLogin]:
    """The data bank's demo users: producers of four OPDs and operators of three kelurahan."""
    logins = []
    for username, name, acronym in PRODUCERS:
        unit = Unit.objects.filter(agency=agency, acronym=acronym).first()
        if unit is None:
            continue
        people[username] = _ensure_user(username, name, agency, Role.DATA_PRODUCER, unit=unit)
        if username != "produsen.dinkes":  # already listed by the core demo
            logins.append(
                DemoLogin(username, str(Role.DATA_PRODUCER.label), str(unit), agency.name)
            )
    for username, name, code in OPERATORS:
        region = Region.objects.filter(code=code).first()
        if region is None:
            continue
        people[username] = _ensure_user(
            username, name, agency, Role.VILLAGE_OPERATOR, region=region
        )
        logins.append(
            DemoLogin(username, str(Role.VILLAGE_OPERATOR.label), str(region), agency.name)
        )
    return logins


# --- metadata ----------------------------------------------------------------------------

SATU_DATA = {  # code: (name, konsep, definisi, klasifikasi, ukuran, satuan)
    "PDD": ("Jumlah penduduk", "Penduduk", "Semua orang yang berdomisili di wilayah kelurahan "
            "dan tercatat dalam data kependudukan (DKB) pada akhir semester.",
            "Jenis kelamin", "Jumlah", "jiwa"),
    "KK": ("Jumlah kepala keluarga", "Kepala keluarga", "Orang yang bertanggung jawab atas "
           "sebuah keluarga dan tercatat dalam Kartu Keluarga.", "Tanpa klasifikasi",
           "Jumlah", "KK"),
    "LAHIR": ("Jumlah kelahiran hidup", "Kelahiran hidup", "Bayi yang lahir dengan tanda "
              "kehidupan, dilaporkan puskesmas dan bidan praktik di kelurahan.",
              "Jenis kelamin", "Jumlah", "bayi"),
    "KEMATIAN_BAYI": ("Jumlah kematian bayi", "Kematian bayi", "Kematian anak sebelum "
                      "mencapai umur satu tahun.", "Tanpa klasifikasi", "Jumlah", "bayi"),
    "IDL": ("Cakupan imunisasi dasar lengkap", "Imunisasi dasar lengkap", "Persentase bayi "
            "usia 0-11 bulan yang mendapat imunisasi dasar lengkap terhadap sasaran bayi.",
            "Tanpa klasifikasi", "Persentase", "persen"),
    "GIZI_BURUK": ("Jumlah balita gizi buruk", "Gizi buruk", "Balita dengan berat badan "
                   "menurut tinggi badan di bawah -3 SD standar WHO.", "Tanpa klasifikasi",
                   "Jumlah", "balita"),
    "MURID_SD": ("Jumlah murid SD/MI", "Peserta didik", "Peserta didik terdaftar di SD/MI "
                 "negeri dan swasta di kelurahan pada awal tahun ajaran.", "Jenis kelamin",
                 "Jumlah", "orang"),
    "MURID_SMP": ("Jumlah murid SMP/MTs", "Peserta didik", "Peserta didik terdaftar di "
                  "SMP/MTs negeri dan swasta di kelurahan pada awal tahun ajaran.",
                  "Jenis kelamin", "Jumlah", "orang"),
    "SEKOLAH_SD": ("Jumlah SD/MI", "Satuan pendidikan", "SD/MI negeri dan swasta yang aktif "
                   "menurut Dapodik.", "Tanpa klasifikasi", "Jumlah", "unit"),
    "SEKOLAH_SMP": ("Jumlah SMP/MTs", "Satuan pendidikan", "SMP/MTs negeri dan swasta yang "
                    "aktif menurut Dapodik.", "Tanpa klasifikasi", "Jumlah", "unit"),
    "KK_MISKIN": ("Jumlah keluarga miskin", "Keluarga miskin", "Keluarga yang tercatat dalam "
                  "DTKS dengan status miskin dan sangat miskin.", "Tanpa klasifikasi",
                  "Jumlah", "KK"),
    "PKH": ("Jumlah keluarga penerima PKH", "Penerima bantuan sosial", "Keluarga penerima "
            "manfaat Program Keluarga Harapan pada triwulan berjalan.", "Tanpa klasifikasi",
            "Jumlah", "KK"),
    "BPNT": ("Jumlah keluarga penerima BPNT", "Penerima bantuan sosial", "Keluarga penerima "
             "Bantuan Pangan Non Tunai (sembako) pada triwulan berjalan.", "Tanpa klasifikasi",
             "Jumlah", "KK"),
}  # fmt: skip

# code, name, period type, producer, group, tags, [(element, compulsory)], rules, extra
DATASETS: list[dict[str, Any]] = [
    {
        "code": "KEPENDUDUKAN",
        "name": "Penduduk dan Kepala Keluarga per Kelurahan",
        "period_type": "sixmonthly",
        "producer": "Disdukcapil",
        "group": "Kependudukan",
        "tags": "penduduk, kepala keluarga, DKB",
        "elements": [("PDD", True), ("KK", True)],
        "rules": [
            ("KK tidak melebihi penduduk", "#{KK}", "<=", "#{PDD.L} + #{PDD.P}",
             "Jumlah KK melebihi jumlah penduduk."),
        ],
    },
    {
        "code": "KIA",
        "name": "Kesehatan Ibu dan Anak per Kelurahan",
        "period_type": "monthly",
        "producer": "Dinkes",
        "group": "Kesehatan",
        "tags": "kelahiran, kematian bayi, imunisasi, gizi",
        "elements": [("LAHIR", True), ("KEMATIAN_BAYI", True), ("IDL", False),
                     ("GIZI_BURUK", True)],
        "rules": [
            ("Kematian bayi tidak melebihi kelahiran", "#{KEMATIAN_BAYI}", "<=",
             "#{LAHIR.L} + #{LAHIR.P} + 5", "Kematian bayi jauh melebihi kelahiran bulan ini."),
        ],
    },
    {
        "code": "PENDIDIKAN_DASAR",
        "name": "Pendidikan Dasar per Kelurahan",
        "period_type": "yearly",
        "producer": "Disdikbud",
        "group": "Pendidikan",
        "tags": "murid, sekolah, SD, SMP",
        "elements": [("MURID_SD", True), ("MURID_SMP", True), ("SEKOLAH_SD", True),
                     ("SEKOLAH_SMP", False)],
        "rules": [],
    },
    {
        "code": "KESEJAHTERAAN_SOSIAL",
        "name": "Keluarga Miskin dan Penerima Bantuan Sosial",
        "period_type": "quarterly",
        "producer": "Dinsos",
        "group": "Sosial",
        "tags": "kemiskinan, DTKS, PKH, BPNT",
        "elements": [("KK_MISKIN", True), ("PKH", True), ("BPNT", False)],
        "rules": [
            ("Penerima PKH tidak melebihi keluarga miskin", "#{PKH}", "<=", "#{KK_MISKIN}",
             "Penerima PKH melebihi jumlah keluarga miskin."),
        ],
    },
]  # fmt: skip

ELEMENT_SETTINGS: dict[str, tuple[str, str, str, dict[str, Any]]] = {  # code: (combo, aggregation, value type, extra)
    "PDD": ("JK", "last", "integer", {"bps_code": "3101", "sipd_code": "1.01.01"}),
    "KK": ("default", "last", "integer", {}),
    "LAHIR": ("JK", "sum", "integer", {"sipd_code": "1.02.05"}),
    "KEMATIAN_BAYI": ("default", "sum", "integer",
                      {"access_class": "terbatas", "suppress_below": 5}),
    "IDL": ("default", "average", "percentage", {"min_value": 0, "max_value": 100}),
    "GIZI_BURUK": ("default", "sum", "integer", {"access_class": "terbatas", "suppress_below": 5}),
    "MURID_SD": ("JK", "last", "integer", {"bps_code": "4201"}),
    "MURID_SMP": ("JK", "last", "integer", {"bps_code": "4202"}),
    "SEKOLAH_SD": ("default", "last", "integer", {}),
    "SEKOLAH_SMP": ("default", "last", "integer", {}),
    "KK_MISKIN": ("default", "last", "integer", {"access_class": "terbatas"}),
    "PKH": ("default", "last", "integer", {}),
    "BPNT": ("default", "last", "integer", {}),
}  # fmt: skip
PRODUCER_OF = {
    "PDD": "Disdukcapil", "KK": "Disdukcapil", "LAHIR": "Dinkes", "KEMATIAN_BAYI": "Dinkes",
    "IDL": "Dinkes", "GIZI_BURUK": "Dinkes", "MURID_SD": "Disdikbud", "MURID_SMP": "Disdikbud",
    "SEKOLAH_SD": "Disdikbud", "SEKOLAH_SMP": "Disdikbud", "KK_MISKIN": "Dinsos", "PKH": "Dinsos",
    "BPNT": "Dinsos",
}  # fmt: skip


def _sex_combo(agency: Agency) -> CategoryCombo:
    sex = Category.objects.create(agency=agency, code="JK", name="Jenis kelamin")
    options = [
        CategoryOption.objects.create(category=sex, code="L", name="Laki-laki", position=1),
        CategoryOption.objects.create(category=sex, code="P", name="Perempuan", position=2),
    ]
    combo = CategoryCombo.objects.create(agency=agency, code="JK", name="Jenis kelamin")
    combo.categories.add(sex)
    for pos, option in enumerate(options, 1):
        cell = OptionCombo.objects.create(
            combo=combo, code=option.code, name=option.name, position=pos
        )
        cell.options.add(option)
    accreditation = OptionSet.objects.create(agency=agency, code="AKREDITASI", name="Akreditasi")
    for pos, (code, name) in enumerate(
        [
            ("A", "Unggul (A)"),
            ("B", "Baik Sekali (B)"),
            ("C", "Baik (C)"),
            ("TT", "Belum terakreditasi"),
        ],
        1,
    ):
        Option.objects.create(option_set=accreditation, code=code, name=name, position=pos)
    return combo


def _metadata(agency: Agency, units: dict[str, Unit]) -> dict[str, DataElement]:
    combos = {
        "JK": _sex_combo(agency),
        "default": CategoryCombo.objects.get(agency__isnull=True, code="default"),
    }
    elements: dict[str, DataElement] = {}
    for code, (name, concept, definition, klas, measure, unit_of_measure) in SATU_DATA.items():
        combo, aggregation, value_type, settings = ELEMENT_SETTINGS[code]
        extra = dict(settings)
        elements[code] = DataElement.objects.create(
            agency=agency, code=code, name=name, concept=concept, definition=definition,
            classification=klas, measure=measure, unit_of_measure=unit_of_measure,
            category_combo=combos[combo], aggregation=aggregation, value_type=value_type,
            producer=units.get(PRODUCER_OF[code]), min_value=extra.pop("min_value", 0),
            description=f"{name} per kelurahan di Kota Kendari.", **extra,
        )  # fmt: skip
    for spec in DATASETS:
        dataset = Dataset.objects.create(
            agency=agency, code=spec["code"], name=spec["name"], period_type=spec["period_type"],
            producer=units.get(spec["producer"]), group=spec["group"], tags=spec["tags"],
            description=f"{spec['name']} di Kota Kendari, dikumpulkan dari 65 kelurahan.",
            collection_level=4, is_public=spec["code"] != "KESEJAHTERAAN_SOSIAL",
        )  # fmt: skip
        for pos, (code, compulsory) in enumerate(spec["elements"]):
            DatasetElement.objects.create(
                dataset=dataset, element=elements[code], position=pos, compulsory=compulsory
            )
        for name, left, op, right, message in spec["rules"]:
            ValidationRule.objects.create(
                dataset=dataset, name=name, left=left, operator=op, right=right, message=message
            )
    return elements


# --- values ------------------------------------------------------------------------------


def _period_codes(kind: str, today: datetime.date) -> list[str]:
    end = min(today, datetime.date(2026, 12, 31))
    return [p.code for p in periods.between(datetime.date(2025, 1, 1), end, kind)]


def _figures(rng: random.Random, base: int, code: str, period: str) -> dict[str, int]:
    """Plausible figures of one kelurahan for one period of its dataset."""
    start = periods.parse(period).start
    months = (start.year - 2025) * 12 + start.month
    pop = int(base * (1 + 0.0013 * months))
    male = int(pop * rng.uniform(0.49, 0.51))
    if code == "KEPENDUDUKAN":
        return {"PDD.L": male, "PDD.P": pop - male, "KK": int(pop / rng.uniform(3.6, 4.1))}
    if code == "KIA":
        births = max(0, int(rng.gauss(pop * 0.019 / 12, 2)))
        boys = sum(1 for _ in range(births) if rng.random() < 0.51)
        deaths = 1 if rng.random() < births * 0.016 else 0
        return {"LAHIR.L": boys, "LAHIR.P": births - boys, "KEMATIAN_BAYI": deaths,
                "IDL": round(rng.uniform(74, 100)), "GIZI_BURUK": int(rng.random() < 0.12)
                + int(rng.random() < 0.04)}  # fmt: skip
    if code == "PENDIDIKAN_DASAR":
        sd, smp = int(pop * rng.uniform(0.105, 0.125)), int(pop * rng.uniform(0.045, 0.06))
        sd_boys, smp_boys = int(sd * rng.uniform(0.5, 0.53)), int(smp * rng.uniform(0.49, 0.52))
        return {"MURID_SD.L": sd_boys, "MURID_SD.P": sd - sd_boys, "MURID_SMP.L": smp_boys,
                "MURID_SMP.P": smp - smp_boys, "SEKOLAH_SD": max(1, round(pop / 1600)),
                "SEKOLAH_SMP": round(pop / 5200)}  # fmt: skip
    families = pop / 3.8
    poor = int(families * rng.uniform(0.04, 0.09))
    return {"KK_MISKIN": poor, "PKH": int(poor * rng.uniform(0.45, 0.7)),
            "BPNT": int(poor * rng.uniform(0.7, 0.95))}  # fmt: skip


def _status(rng: random.Random, is_latest: bool, is_recent: bool) -> str:
    roll = rng.random()
    if is_latest:
        return SubmissionStatus.OPEN if roll < 0.45 else SubmissionStatus.SUBMITTED
    if is_recent:
        if roll < 0.08:
            return SubmissionStatus.RETURNED
        return SubmissionStatus.SUBMITTED if roll < 0.35 else SubmissionStatus.ACCEPTED
    return SubmissionStatus.RETURNED if roll < 0.01 else SubmissionStatus.ACCEPTED


def _values(agency: Agency, elements: dict[str, DataElement], people: dict[str, User]) -> None:
    from padu.evaluation.permissions import today_in

    today = today_in(agency)
    now = timezone.now()
    villages = list(Region.objects.filter(code__startswith=f"{agency.region_id}.", level=4))
    cells = {
        (e.code, oc.code): oc.pk
        for e in elements.values()
        for oc in e.category_combo.option_combos.all()
    }
    walidata = people.get("walidata")
    rows: list[ValueRow] = []
    submissions: list[Submission] = []
    returned: list[tuple[str, str, str, str]] = []  # element code, region, period, reason
    for dataset in Dataset.objects.filter(agency=agency):
        codes = _period_codes(dataset.period_type, today)
        for village in sorted(villages, key=lambda r: r.code):
            rng = random.Random(f"{dataset.code}:{village.code}")
            base = random.Random(village.code).randint(1800, 14500)
            for index, period in enumerate(codes):
                status = _status(rng, index == len(codes) - 1, index >= len(codes) - 3)
                if status == SubmissionStatus.OPEN and rng.random() < 0.6:
                    continue  # not started yet
                for key, value in _figures(rng, base, dataset.code, period).items():
                    code, _dot, cell = key.partition(".")
                    rows.append(ValueRow(elements[code].pk, cells[(code, cell or "default")],
                                         village.code, period, Decimal(value)))  # fmt: skip
                submitted = status != SubmissionStatus.OPEN
                reviewed = status in (SubmissionStatus.ACCEPTED, SubmissionStatus.RETURNED)
                comment = ""
                if status == SubmissionStatus.RETURNED:
                    first = dataset.dataset_elements.first()
                    comment = "Mohon periksa kembali angka yang ditandai."
                    if first is not None:
                        returned.append((first.element.code, village.code, period, comment))
                submissions.append(
                    Submission(
                        dataset=dataset, region=village, period=period, status=status,
                        submitted_by=walidata if submitted else None,
                        submitted_at=now if submitted else None,
                        reviewed_by=walidata if reviewed else None,
                        reviewed_at=now if reviewed else None, return_comment=comment,
                    )
                )  # fmt: skip
    # one write and one rollup refresh over every key (per-chunk refreshes redid the upper levels)
    written = write_values(
        rows=rows, user=walidata, source="demo", reason="Data demo", defer_rollups=True
    )
    rollups.refresh_pending(written.pending_rollup)
    Submission.objects.bulk_create(submissions, batch_size=2000)
    _mark_values(agency, returned)


def _mark_values(agency: Agency, returned: list[tuple[str, str, str, str]]) -> None:
    accepted = Submission.objects.filter(dataset__agency=agency, status=SubmissionStatus.ACCEPTED)
    for dataset in Dataset.objects.filter(agency=agency):
        keys = accepted.filter(dataset=dataset).values_list("region_id", "period")
        by_period: dict[str, list[str]] = {}
        for region, period in keys:
            by_period.setdefault(period, []).append(region)
        element_ids = list(dataset.elements.values_list("pk", flat=True))
        for period, regions in by_period.items():
            DataValue.objects.filter(
                element_id__in=element_ids, period=period, region_id__in=regions
            ).update(status=ValueStatus.ACCEPTED)
    reasons = [ReturnReason.IMPLAUSIBLE, ReturnReason.MISSING_SOURCE, ReturnReason.INCONSISTENT]
    for n, (code, region, period, comment) in enumerate(returned):
        DataValue.objects.filter(
            element__agency=agency, element__code=code, region_id=region, period=period
        ).update(status=ValueStatus.RETURNED, return_reason=reasons[n % 3], return_comment=comment)


@transaction.atomic
def seed_databank(agency: Agency, people: dict[str, User]) -> list[DemoLogin]:
    """Create the demo data bank once; always ensure its users. Returns extra logins."""
    logins = ensure_people(agency, people)
    if Dataset.objects.filter(agency=agency, code="KEPENDUDUKAN").exists():
        return logins
    units = {u.acronym: u for u in Unit.objects.filter(agency=agency)}
    elements = _metadata(agency, units)
    _values(agency, elements, people)
    return logins

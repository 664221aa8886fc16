"""Demo LHE recommendations for Kota Kendari 2025, their follow-up, and the carry-over to 2026."""

from __future__ import annotations

import datetime

from padu.accounts.models import User
from padu.organizations.models import Agency

from . import services_recommendations as svc
from .choices import RecommendationStatus as S
from .models import Period, Recommendation
from .selectors_recommendations import OPEN_STATUSES

D = datetime.date

# (indicator number, owner OPD acronym, recommendation, status, follow-up, target date)
RECOMMENDATIONS_2025: list[tuple[int, str, str, str, str, datetime.date | None]] = [
    (
        1,
        "Diskominfo",
        "Melakukan reviu berkala atas Peraturan Wali Kota tentang Arsitektur SPBE dan "
        "menyelaraskannya dengan Arsitektur SPBE Nasional.",
        S.IN_PROGRESS,
        "Rancangan perubahan Perwali Arsitektur SPBE sedang diharmonisasi oleh Bagian Hukum.",
        D(2026, 6, 30),
    ),
    (
        11,
        "Diskominfo",
        "Menyusun Arsitektur SPBE Pemerintah Daerah yang memuat domain proses bisnis, data dan "
        "informasi, infrastruktur, aplikasi, keamanan, dan layanan SPBE.",
        S.OPEN,
        "",
        D(2025, 12, 31),
    ),
    (
        12,
        "Bappeda",
        "Menetapkan Peta Rencana SPBE yang selaras dengan RPJMD dan memuat tata kelola, "
        "manajemen, layanan, infrastruktur, aplikasi, keamanan, dan audit TIK.",
        S.DONE,
        "Perwali Nomor 31 Tahun 2024 tentang Peta Rencana SPBE telah ditetapkan dan disosialisasikan.",
        D(2025, 9, 30),
    ),
    (
        13,
        "Bappeda",
        "Memastikan belanja TIK seluruh OPD direncanakan melalui Tim Koordinasi SPBE sebelum "
        "dimasukkan ke dalam RKA.",
        S.IN_PROGRESS,
        "Clearance belanja TIK oleh Diskominfo diterapkan pada penyusunan RKA 2026.",
        D(2026, 3, 31),
    ),
    (
        9,
        "Inspektorat",
        "Menyusun kebijakan internal Audit TIK yang mengatur audit infrastruktur, aplikasi, dan "
        "keamanan SPBE secara berkala.",
        S.OPEN,
        "",
        None,
    ),
    (
        31,
        "Inspektorat",
        "Melaksanakan audit keamanan SPBE oleh auditor TIK yang kompeten dan menindaklanjuti "
        "setiap temuannya.",
        S.IN_PROGRESS,
        "Audit keamanan aplikasi SIMPUS bersama BSSN dijadwalkan pada triwulan III.",
        D(2026, 8, 31),
    ),
    (
        21,
        "Diskominfo",
        "Menerapkan Manajemen Risiko SPBE sesuai pedoman: menetapkan konteks, mengidentifikasi, "
        "menganalisis, mengevaluasi, dan menangani risiko SPBE.",
        S.OPEN,
        "",
        D(2025, 11, 30),
    ),
    (
        22,
        "Diskominfo",
        "Menerapkan sistem manajemen keamanan informasi pada aplikasi layanan publik prioritas "
        "dan mengevaluasinya secara berkala.",
        S.DONE,
        "Penilaian Indeks KAMI 2025 selesai; SOP Manajemen Keamanan Informasi ditetapkan.",
        D(2025, 10, 31),
    ),
    (
        43,
        "Diskominfo",
        "Memperbarui dataset pada Portal Satu Data Kendari secara berkala sesuai jadwal rilis.",
        S.NOT_APPLICABLE,
        "Digabung dengan rekomendasi Penerapan Manajemen Data (indikator 23).",
        None,
    ),
    (
        46,
        "Disdikbud",
        "Menyediakan survei kepuasan pengguna PPDB Online dan menindaklanjuti hasilnya.",
        S.OPEN,
        "",
        None,
    ),
]

# Recorded by the OPD itself (admin OPD of Dinas Kesehatan), after the koordinator's entry.
DINKES_2025 = (
    45,
    "Mengintegrasikan SIMPUS dengan SATUSEHAT Kementerian Kesehatan melalui sistem penghubung "
    "layanan.",
    "Integrasi data kunjungan dengan SATUSEHAT sudah diuji coba di lima puskesmas.",
    D(2026, 9, 30),
)


def seed_recommendations(agency: Agency, people: dict[str, User]) -> None:
    """About ten recommendations on 2025, follow-ups in every state, open ones carried to 2026."""
    last = Period.objects.filter(agency=agency, year=2025).first()
    current = Period.objects.filter(agency=agency, year=2026).first()
    if last is None or last.recommendations.exists():
        return
    coordinator = people["koordinator"]
    units = {u.acronym: u for u in agency.units.all()}
    indicators = {i.number: i for i in last.instrument.indicators.all()}
    for number, acronym, text, status, action, target_on in RECOMMENDATIONS_2025:
        svc.create_recommendation(
            actor=coordinator,
            period=last,
            indicator=indicators[number],
            text=text,
            action=action,
            owner_unit=units.get(acronym),
            target_on=target_on,
            status=status,
        )
    number, text, action, target_on = DINKES_2025
    rec = svc.create_recommendation(
        actor=coordinator,
        period=last,
        indicator=indicators[number],
        text=text,
        owner_unit=units.get("Dinkes"),
    )
    svc.update_follow_up(
        actor=people["opd.dinkes"],
        recommendation=rec,
        action=action,
        status=S.IN_PROGRESS,
        target_on=target_on,
    )
    if current is not None:
        _carry(last, current, coordinator)


def _carry(last: Period, current: Period, coordinator: User) -> None:
    """Carry the open recommendations into 2026: by indicator number within one instrument,
    else (SPBE 2025 -> Pemdi 2026) to the first Pemdi indicator the mapping names."""
    from .migration_pemdi import mapping_between

    mapping = mapping_between(last.instrument, current.instrument)
    if mapping is None:
        svc.carry_recommendations(from_period=last, to_period=current, user=coordinator)
        return
    targets = {i.number: i for i in current.instrument.indicators.all()}
    start = svc.year_start(current)
    carried = [
        Recommendation(
            period=current,
            indicator=targets[mapping.targets(old.indicator.number)[0]],
            text=old.text,
            action=old.action,
            owner_unit_id=old.owner_unit_id,
            target_on=old.target_on if old.target_on and old.target_on >= start else None,
            status=old.status,
            carried_from=old,
            created_by=coordinator,
        )
        for old in last.recommendations.filter(status__in=OPEN_STATUSES)
        .select_related("indicator")
        .order_by("indicator__number", "pk")
        if mapping.targets(old.indicator.number)
    ]
    Recommendation.objects.bulk_create(carried)

"""Explainable duplicate check for new-application proposals (satu inovasi satu aplikasi).

Pure: plain values in, ranked matches with their reasons out; no ORM. Built for short
Indonesian texts, in the order of the strongest signals:

1. structure: the proposal and an application share reference-architecture codes (RAL level
   3, RAB) or data objects (RAD codes, data bank elements);
2. words: cosine similarity of TF-IDF vectors over stemmed Indonesian words and word pairs
   (Sastrawi stems `pengaduan` and `aduan` to `adu`), after generic filler words ("sistem",
   "aplikasi", "online") are dropped and a small SPBE thesaurus maps synonyms
   (keluhan ~ pengaduan, presensi ~ absensi) to one word;
3. names: name and acronym similarity (rapidfuzz), for SIMPEG vs SI-MPEG.

Every match says why it matched; nothing is rejected automatically, Diskominfo decides.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Words every application name carries; they say nothing about what it does.
STOPWORDS = frozenset(
    [
        "aplikasi",
        "sistem",
        "informasi",
        "sim",
        "si",
        "e",
        "online",
        "digital",
        "daring",
        "web",
        "website",
        "portal",
        "berbasis",
        "layanan",
        "pelayanan",
        "kota",
        "kabupaten",
        "pemerintah",
        "pemkot",
        "pemkab",
        "daerah",
        "dinas",
        "badan",
        "bagian",
        "dan",
        "atau",
        "yang",
        "untuk",
        "dengan",
        "di",
        "ke",
        "dari",
        "dalam",
        "pada",
        "oleh",
        "secara",
        "serta",
        "agar",
        "bagi",
        "sebagai",
        "ini",
        "itu",
        "tersebut",
        "adalah",
        "akan",
        "dapat",
        "bisa",
        "masih",
        "belum",
        "sudah",
        "juga",
        "lebih",
        "para",
        "setiap",
        "baru",
        "buat",
        "membuat",
        "pembuatan",
        "pengembangan",
        "kembang",
        "bangun",
        "terpadu",
        "terintegrasi",
        "manajemen",
        "kelola",
        "pengelolaan",
        "data",
        "warga",
        "masyarakat",
        "publik",
        "mobile",
        "android",
        "smart",
        "app",
        "apps",
    ]
)

# Synonyms folded to one word after stemming (Diskominfo may extend it).
THESAURUS = {
    "keluh": "adu",
    "lapor": "adu",
    "aspirasi": "adu",
    "presensi": "absen",
    "absensi": "absen",
    "hadir": "absen",
    "asn": "pegawai",
    "sdm": "pegawai",
    "karyawan": "pegawai",
    "sembako": "pokok",
    "naskah": "surat",
    "persuratan": "surat",
    "arsip": "surat",
    "izin": "izin",
    "perizinan": "izin",
    "sehat": "sehat",
    "puskesmas": "sehat",
    "berobat": "sehat",
    "ajar": "didik",
    "sekolah": "didik",
    "murid": "didik",
    "siswa": "didik",
    "uang": "keu",
    "keuangan": "keu",
    "anggar": "keu",
    "belanja": "keu",
}

STRUCTURE_WEIGHTS = {"ral": 0.30, "rab": 0.20, "data": 0.25}
TEXT_WEIGHT = 0.55
NAME_WEIGHT = 0.15
# A match is flagged as a likely duplicate when its score reaches FLAG_AT and is within
# RELATIVE of the best match (a weak runner-up beside a strong match is not flagged).
# Calibrated on tests/data/duplicate_eval.yaml; recalibrate on the agency's decisions.
FLAG_AT = 0.25
RELATIVE = 0.7
BANDS = ((0.45, "high"), (FLAG_AT, "medium"), (0.0, "low"))


@dataclass(frozen=True)
class Item:
    """A registered or national application, or a proposal, as plain values."""

    key: str
    name: str
    acronym: str = ""
    text: str = ""  # description; for a proposal: problem, business process, users
    ral: frozenset[str] = frozenset()  # RAL level-3 codes
    rab: frozenset[str] = frozenset()  # RAB process codes
    data: frozenset[str] = frozenset()  # RAD codes or data element codes
    national: bool = False


@dataclass(frozen=True)
class Reason:
    kind: str  # "ral", "rab", "data", "text", "name"
    detail: tuple[str, ...] = ()  # shared codes or matching words


@dataclass(frozen=True)
class Match:
    key: str
    score: float
    reasons: tuple[Reason, ...] = field(default=())
    flagged: bool = False

    @property
    def band(self) -> str:
        return next(name for floor, name in BANDS if self.score >= floor)


@lru_cache(maxsize=1)
def _stemmer() -> object:
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    root: str = _stemmer().stem(word)  # type: ignore[attr-defined]
    return THESAURUS.get(root, THESAURUS.get(word, root))


_WORD = re.compile(r"[a-z0-9]+")


def terms(text: str) -> list[str]:
    """Stemmed content words of a text (word pairs were tried: they dilute short texts)."""
    words = [
        stem(w)
        for w in _WORD.findall(text.lower().replace("-", " "))
        if w not in STOPWORDS and len(w) > 1 and not w.isdigit()
    ]
    return [w for w in words if w not in STOPWORDS and w]


def _name_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _structure(p: Item, c: Item) -> tuple[float, list[Reason]]:
    score, reasons = 0.0, []
    for kind, mine, theirs in (
        ("ral", p.ral, c.ral),
        ("rab", p.rab, c.rab),
        ("data", p.data, c.data),
    ):
        shared = mine & theirs
        if shared:
            # A national level-2 code (RAL.01.25 Kesehatan) is shared by a whole sector; an
            # agency's level-3 code or deeper (RAL.01.25.03) names one service.
            depth = max(code.count(".") for code in shared)
            weight = STRUCTURE_WEIGHTS[kind] * (1.0 if depth >= 3 else 0.25)
            share = len(shared) / max(1, min(len(mine), len(theirs)))
            score += weight * share
            reasons.append(Reason(kind, tuple(sorted(shared))))
    return score, reasons


def _name(p: Item, c: Item) -> float:
    best = 0.0
    for a in filter(None, (p.name, p.acronym)):
        for b in filter(None, (c.name, c.acronym)):
            ka, kb = _name_key(a), _name_key(b)
            if len(ka) >= 4 and len(kb) >= 4:
                best = max(best, fuzz.ratio(ka, kb) / 100)
    return best if best >= 0.85 else 0.0


class Index:
    """The register prepared once (stems, document frequencies); `check` scores a proposal."""

    def __init__(self, items: Iterable[Item]) -> None:
        self.items = list(items)
        self.terms = {i.key: Counter(terms(f"{i.name} {i.acronym} {i.text}")) for i in self.items}
        df: Counter[str] = Counter()
        for counts in self.terms.values():
            df.update(counts.keys())
        self.n = len(self.items)
        self.idf = {t: math.log((1 + self.n) / (1 + d)) + 1 for t, d in df.items()}
        self.vectors = {key: self._vector(c) for key, c in self.terms.items()}

    def _vector(self, counts: Mapping[str, int]) -> dict[str, float]:
        default = math.log(1 + self.n) + 1
        vec = {t: (1 + math.log(n)) * self.idf.get(t, default) for t, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {t: v / norm for t, v in vec.items()}

    def check(self, proposal: Item, *, top: int = 5) -> list[Match]:
        """The `top` closest applications, best first, each with its reasons."""
        pvec = self._vector(Counter(terms(f"{proposal.name} {proposal.acronym} {proposal.text}")))
        matches = []
        for item in self.items:
            score, reasons = _structure(proposal, item)
            cvec = self.vectors[item.key]
            small, large = (pvec, cvec) if len(pvec) < len(cvec) else (cvec, pvec)
            cosine = sum(v * large.get(t, 0.0) for t, v in small.items())
            if cosine > 0:
                score += TEXT_WEIGHT * math.sqrt(cosine)  # short texts: lift weak overlaps
                shared = sorted(
                    (t for t in pvec if t in cvec),
                    key=lambda t: -pvec[t] * cvec[t],
                )[:5]
                if cosine >= 0.1:
                    reasons.append(Reason("text", tuple(shared)))
            name = _name(proposal, item)
            if name:
                score += NAME_WEIGHT * name
                reasons.append(Reason("name", (item.acronym or item.name,)))
            if score > 0:
                matches.append(Match(item.key, round(min(score, 1.0), 4), tuple(reasons)))
        matches.sort(key=lambda m: (-m.score, m.key))
        best = matches[0].score if matches else 0.0
        return [
            replace(m, flagged=m.score >= FLAG_AT and m.score >= RELATIVE * best)
            for m in matches[:top]
        ]

"""PostgreSQL fast path of `services_values.write_values` and `rollups.refresh`.

Same results as the portable code, set-based: the rows are COPied into a temporary table,
compared with the stored values in one join (the comparison is on the shown form, like
`shown()`: trailing zeros do not count), then inserted, updated, deleted and audited with one
statement each; the rollups above the touched values are recomputed level by level with one
statement per level. Only used inside a transaction (temporary tables drop on commit).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection

from . import periods

_IN = "_padu_dv_in"
_CMP = "_padu_dv_cmp"
_TOUCHED = "_padu_touched"
_WITHIN = "_padu_within"
_LEVEL = "_padu_level"
_NEXT = "_padu_next"
_RES = "_padu_res"
_VALS = "_padu_vals"
_GONE = "_padu_gone"
_SPECIAL = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def enabled() -> bool:
    return connection.vendor == "postgresql"


def _tables() -> dict[str, str]:
    from django.apps import apps

    def t(name: str) -> str:
        return connection.ops.quote_name(apps.get_model("databank", name)._meta.db_table)

    region = apps.get_model("organizations", "Region")._meta.db_table
    return {
        "dv": t("DataValue"),
        "audit": t("ValueAudit"),
        "agg": t("AggregateValue"),
        "el": t("DataElement"),
        "region": connection.ops.quote_name(region),
    }


def _temp(cur: Any, name: str, body: str) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {name}")
    if body.startswith("("):
        cur.execute(f"CREATE TEMP TABLE {name} {body} ON COMMIT DROP")
    else:
        cur.execute(f"CREATE TEMP TABLE {name} ON COMMIT DROP {body}")


def _esc(text: str) -> str:
    return text.translate(_SPECIAL) if text else text


def write(
    rows: Iterable[Any], *, user_id: Any, source: str, reason: str, keep_touched: bool = True
) -> tuple[Any, ...]:
    """Upsert the (already de-duplicated) ValueRows; returns (created, updated, deleted,
    unchanged, (first, last) audit id or None). With `keep_touched` the touched keys are left
    in the temporary table for `refresh_touched`."""
    q = _tables()
    now = datetime.datetime.now(tz=datetime.UTC)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '64MB'")
        _temp(
            cur,
            _IN,
            "(e integer, c integer, r varchar(13), p varchar(8), v numeric(20,6), "
            "t varchar(1000), cm text)",
        )
        lines: list[str] = []
        append = lines.append
        for row in rows:
            v = "\\N" if row.value is None else str(row.value)
            cm = "\\N" if row.comment is None else _esc(row.comment)
            append(
                f"{row.element_id}\t{row.option_combo_id}\t{row.region_id}\t{row.period}\t"
                f"{v}\t{_esc(row.text)}\t{cm}\n"
            )
        with cur.cursor.copy(f"COPY {_IN} FROM STDIN") as copy:
            for i in range(0, len(lines), 20000):
                copy.write("".join(lines[i : i + 20000]))
        cur.execute(f"ANALYZE {_IN}")
        _temp(
            cur,
            _CMP,
            f"""AS SELECT i.*, d.id AS id, coalesce(n.old, '') AS old, n.new,
              CASE WHEN d.id IS NULL THEN (CASE WHEN n.new = '' THEN 'n' ELSE 'c' END)
                   WHEN n.old = n.new AND (i.cm IS NULL OR i.cm = d.comment) THEN 'n'
                   WHEN n.new = '' THEN 'd' ELSE 'u' END AS op,
              (d.id IS NULL AND n.new <> '') OR (d.id IS NOT NULL AND n.old <> n.new) AS audit
            FROM {_IN} i
            LEFT JOIN {q["dv"]} d ON d.element_id = i.e AND d.option_combo_id = i.c
              AND d.region_id = i.r AND d.period = i.p
            CROSS JOIN LATERAL (SELECT
              CASE WHEN i.v IS NULL THEN i.t ELSE trim_scale(i.v)::text END AS new,
              CASE WHEN d.id IS NULL THEN NULL
                   WHEN d.value IS NULL THEN d.text ELSE trim_scale(d.value)::text END AS old
            ) n""",
        )
        cur.execute(
            f"""INSERT INTO {q["dv"]} (element_id, option_combo_id, region_id, period, value,
              text, comment, status, return_reason, return_comment, updated_by_id,
              created_at, updated_at)
            SELECT e, c, r, p, v, t, coalesce(cm, ''), 'entered', '', '', %s, %s, %s
            FROM {_CMP} WHERE op = 'c'""",
            [user_id, now, now],
        )
        cur.execute(
            f"""UPDATE {q["dv"]} d SET value = x.v, text = x.t,
              comment = coalesce(x.cm, d.comment), updated_by_id = %s, updated_at = %s
            FROM {_CMP} x WHERE x.op = 'u' AND d.id = x.id""",
            [user_id, now],
        )
        cur.execute(f"DELETE FROM {q['dv']} d USING {_CMP} x WHERE x.op = 'd' AND d.id = x.id")
        cur.execute(
            f"""WITH ins AS (INSERT INTO {q["audit"]} (element_id, option_combo_id, region_id,
              period, old_value, new_value, user_id, at, reason, source)
            SELECT e, c, r, p, left(old, 1000), left(new, 1000), %s, %s, %s, %s
            FROM {_CMP} WHERE audit RETURNING id)
            SELECT min(id), max(id) FROM ins""",
            [user_id, now, reason[:300], source[:40]],
        )
        first, last = cur.fetchone()
        cur.execute(f"SELECT op, count(*) FROM {_CMP} GROUP BY op")
        counts = dict(cur.fetchall())
        if keep_touched:
            _temp(cur, _TOUCHED, f"AS SELECT DISTINCT e, c, r, p FROM {_CMP} WHERE audit")
    audits = None if first is None else (int(first), int(last))
    return (*(counts.get(op, 0) for op in "cudn"), audits)


def load_touched_from_audit(first: int, last: int) -> None:
    """The touched table from a range of audit rows (see `PendingRollup`)."""
    q = _tables()
    with connection.cursor() as cur:
        _temp(
            cur,
            _TOUCHED,
            f"""AS SELECT DISTINCT element_id AS e, option_combo_id AS c, region_id AS r,
              period AS p FROM {q["audit"]} WHERE id BETWEEN {int(first)} AND {int(last)}""",
        )


def load_touched(keys: Iterable[tuple[int, int, str, str]]) -> None:
    with connection.cursor() as cur:
        _temp(cur, _TOUCHED, "(e integer, c integer, r varchar(13), p varchar(8))")
        with cur.cursor.copy(f"COPY {_TOUCHED} FROM STDIN") as copy:
            for key in keys:
                copy.write_row(key)


def _within_rows(codes: Iterable[str]) -> list[tuple[str, str]]:
    """(period q, span s) for every period q of the touched years and each span containing q."""
    years = {periods.parse(code).year for code in codes}
    out: list[tuple[str, str]] = []
    for year in sorted(years):
        all_codes = [f"{year}{m:02d}" for m in range(1, 13)]
        all_codes += [f"{year}Q{n}" for n in range(1, 5)] + [f"{year}S1", f"{year}S2", f"{year}"]
        for code in all_codes:
            p = periods.parse(code)
            out.extend((code, span.code) for span in [p, *p.parents()])
    return out


def refresh_touched() -> int:
    """Recompute the aggregates above the keys in the touched table (see `rollups.refresh`)."""
    q = _tables()
    written = 0
    with connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '256MB'")
        # the row estimates of the temporary tables are poor: merge joins spilled to disk
        cur.execute("SET LOCAL enable_mergejoin = off")
        cur.execute(f"SELECT DISTINCT p FROM {_TOUCHED}")
        codes = [r[0] for r in cur.fetchall()]
        if not codes:
            return 0
        _temp(cur, _WITHIN, "(q varchar(8), s varchar(8))")
        with cur.cursor.copy(f"COPY {_WITHIN} FROM STDIN") as copy:
            for row in _within_rows(codes):
                copy.write_row(row)
        cur.execute(f"ANALYZE {_WITHIN}")
        _temp(
            cur,
            _LEVEL,
            f"""AS SELECT DISTINCT t.e, t.c, t.r, w.s AS p, k.aggregation AS kind
            FROM {_TOUCHED} t JOIN {_WITHIN} w ON w.q = t.p
            JOIN {q["el"]} k ON k.id = t.e WHERE k.aggregation <> 'none'""",
        )
        cur.execute(f"ANALYZE {_LEVEL}")
        # one index range scan per (element, cell, region) reads all its stored periods
        # (kept in a small analysed table so the planner hash-joins the rest); each value
        # then counts in every touched span containing its period
        _temp(
            cur,
            _VALS,
            f"""AS SELECT v.element_id AS e, v.option_combo_id AS c, v.region_id AS r,
              v.period AS q, v.value AS value, 1 AS count
            FROM (SELECT DISTINCT e, c, r FROM {_LEVEL}) g
            JOIN {q["dv"]} v ON v.element_id = g.e AND v.option_combo_id = g.c
              AND v.region_id = g.r AND v.value IS NOT NULL""",
        )
        cur.execute(f"ANALYZE {_VALS}")
        # sums and averages by hashing; stocks ("last") by one sort of their own rows (an
        # ordered aggregate for the stocks made the database sort the groups of every kind)
        _temp(
            cur,
            _RES,
            f"""AS SELECT l.e, l.c, l.r, l.p,
              CASE l.kind WHEN 'average' THEN sum(v.value) / count(*) ELSE sum(v.value) END
                AS value,
              count(*) AS count
            FROM {_VALS} v JOIN {_WITHIN} w ON w.q = v.q
            JOIN {_LEVEL} l ON l.e = v.e AND l.c = v.c AND l.r = v.r AND l.p = w.s
            WHERE l.kind <> 'last'
            GROUP BY l.e, l.c, l.r, l.p, l.kind
            UNION ALL
            (SELECT DISTINCT ON (l.e, l.c, l.r, l.p) l.e, l.c, l.r, l.p, v.value, 1
            FROM {_VALS} v JOIN {_WITHIN} w ON w.q = v.q
            JOIN {_LEVEL} l ON l.e = v.e AND l.c = v.c AND l.r = v.r AND l.p = w.s
            WHERE l.kind = 'last'
            ORDER BY l.e, l.c, l.r, l.p, v.q COLLATE "C" DESC, v.value DESC)""",
        )
        written += _save(cur, q)
        while True:
            _temp(
                cur,
                _NEXT,
                f"""AS SELECT DISTINCT e, c, regexp_replace(r, '\\.[^.]*$', '') AS r, p, kind
                FROM {_LEVEL} WHERE position('.' in r) > 0""",
            )
            cur.execute(f"SELECT count(*) FROM {_NEXT}")
            if not cur.fetchone()[0]:
                break
            cur.execute(f"DROP TABLE {_LEVEL}")
            cur.execute(f"ALTER TABLE {_NEXT} RENAME TO {_LEVEL}")
            cur.execute(f"ANALYZE {_LEVEL}")
            # the children's aggregates: one index range scan per (element, cell, child)
            _temp(
                cur,
                _VALS,
                f"""AS SELECT k.e, k.c, k.r, a.period AS p, a.value, a.count
                FROM (SELECT pg.e, pg.c, pg.r, g.code AS child
                  FROM (SELECT DISTINCT e, c, r FROM {_LEVEL}) pg
                  JOIN {q["region"]} g ON g.parent_id = pg.r) k
                CROSS JOIN LATERAL (SELECT x.period, x.value, x.count FROM {q["agg"]} x
                  WHERE x.element_id = k.e AND x.option_combo_id = k.c
                    AND x.region_id = k.child) a""",
            )
            cur.execute(f"ANALYZE {_VALS}")
            _temp(
                cur,
                _RES,
                f"""AS SELECT l.e, l.c, l.r, l.p,
                  CASE WHEN l.kind = 'average' THEN (CASE WHEN sum(a.count) > 0
                    THEN sum(a.value * a.count) / sum(a.count) ELSE 0 END)
                  ELSE sum(a.value) END AS value,
                  sum(a.count) AS count
                FROM {_VALS} a
                JOIN {_LEVEL} l ON l.e = a.e AND l.c = a.c AND l.r = a.r AND l.p = a.p
                GROUP BY l.e, l.c, l.r, l.p, l.kind""",
            )
            written += _save(cur, q)
    return written


def _save(cur: Any, q: dict[str, str]) -> int:
    cur.execute(
        f"""INSERT INTO {q["agg"]} AS a (element_id, option_combo_id, region_id, period,
          value, count)
        SELECT e, c, r, p, value, count FROM {_RES} ORDER BY e, c, r, p
        ON CONFLICT (element_id, option_combo_id, region_id, period)
        DO UPDATE SET value = EXCLUDED.value, count = EXCLUDED.count
        WHERE (a.value, a.count) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.count)"""
    )
    cur.execute(f"SELECT (SELECT count(*) FROM {_LEVEL}) - (SELECT count(*) FROM {_RES})")
    if not cur.fetchone()[0]:  # every key has a value (the results are a subset of the keys)
        cur.execute(f"SELECT count(*) FROM {_LEVEL}")
        return int(cur.fetchone()[0])
    _temp(  # the keys left without any value lose their aggregate
        cur,
        _GONE,
        f"""AS SELECT l.e, l.c, l.r, l.p FROM {_LEVEL} l LEFT JOIN {_RES} x
          ON x.e = l.e AND x.c = l.c AND x.r = l.r AND x.p = l.p WHERE x.e IS NULL""",
    )
    if cur.rowcount:
        cur.execute(
            f"""DELETE FROM {q["agg"]} a USING {_GONE} g
            WHERE a.element_id = g.e AND a.option_combo_id = g.c AND a.region_id = g.r
              AND a.period = g.p"""
        )
    cur.execute(f"SELECT count(*) FROM {_LEVEL}")
    return int(cur.fetchone()[0])

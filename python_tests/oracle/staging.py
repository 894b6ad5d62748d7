"""Rule D0: parse every raw row, quarantine the unusable ones, de-duplicate the rest.

Order of work per table: (1) quarantine checks on every raw row, first failing check
gives the reason; (2) de-duplication among the rows that survived; (3) row counts, which
reconcile: raw = quarantined + duplicates_removed + staged.

Quarantine checks, in order (a row is reported once, with the first reason; ``reasons``
lists all of them):
  missing_primary_key            the primary key is null or blank
  unparseable_timestamp  a timestamp column that is required and null, or does not parse
  timestamp_out_of_range a timestamp before min_valid_timestamp or > run_started_at + 1 day
                         (scheduled instants - subscriptions.trial_end / current_period_end /
                         pause_end, invoices.period_end - may lie in the future: lower bound only)
  unparseable_amount     a money column that is required and null, or does not parse
  unparseable_number     an integer/numeric column that is required and null, or does not parse
  no_fx_rate        (invoices, A charges, B transactions, shop orders) the row's currency
                         has no rate for the month of the row's own timestamp
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pandas as pd

from . import parse as P
from .contract import TABLES, Table


@dataclass
class Staged:
    tables: dict  # 'system.table' -> DataFrame of parsed, de-duplicated rows
    quarantine: pd.DataFrame
    row_counts: pd.DataFrame
    duplicates: pd.DataFrame  # every removed duplicate: table, key, dropped md5, kept md5


def row_md5(values) -> str:
    """md5 hex of the raw text values in contract order joined with '|', null as '\\N'."""
    txt = "|".join("\\N" if v is None else str(v) for v in values)
    return hashlib.md5(txt.encode("utf-8")).hexdigest()


def to_run_us(run_started_at) -> int:
    if run_started_at is None:
        run_started_at = dt.datetime.now(dt.timezone.utc)
    if isinstance(run_started_at, (int,)):
        return run_started_at
    if isinstance(run_started_at, str):
        return P.parse_ts(run_started_at)
    if isinstance(run_started_at, pd.Timestamp):
        run_started_at = run_started_at.to_pydatetime()
    if isinstance(run_started_at, dt.datetime):
        if run_started_at.tzinfo is None:
            run_started_at = run_started_at.replace(tzinfo=dt.timezone.utc)
        delta = run_started_at - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
        return (delta.days * 86_400 + delta.seconds) * P.US + delta.microseconds
    raise TypeError(run_started_at)


class _Cache(dict):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        try:
            v = ("ok", self.fn(key))
        except P.Unparseable:
            v = ("err", None)
        self[key] = v
        return v


def _parse_table(t: Table, df: pd.DataFrame, seeds: dict, min_us: int, max_us: int,
                 epoch_any_length: bool = False):
    cols = list(t.columns)
    ci = {c: i for i, c in enumerate(cols)}
    ts_cache = _Cache(P.parse_ts)
    epoch_cache = _Cache(P.parse_epoch_any)
    int_cache = _Cache(P.parse_int)
    num_cache = _Cache(P.parse_num)
    exp_map = seeds["exp"]
    fx = seeds["fx"]
    good, quarantined = [], []
    records = df[cols].itertuples(index=False, name=None)
    for raw in records:
        raw = list(raw)
        reasons = []  # (reason, column, raw value)
        out = {}
        key = P.norm_id(raw[ci[t.key]])
        if key is None:
            reasons.append(("missing_primary_key", t.key, raw[ci[t.key]]))
        out[t.key] = key
        # currency first: minor-unit money needs the exponent
        cur = None
        if t.money_currency:
            cur = P.norm_id(raw[ci[t.money_currency]])
            cur = cur.upper() if cur else None
        for c in cols:
            if c == t.key:
                continue
            v = raw[ci[c]]
            kind = t.kinds.get(c, "text")
            required = c not in t.nullable
            if kind == "ts":
                native_epoch = epoch_any_length and t.system == "processor_a" and c == "created"
                st, val = (epoch_cache if native_epoch else ts_cache)[v]
                if st == "err" or (val is None and required):
                    reasons.append(("unparseable_timestamp", c, v))
                elif val is not None and (val < min_us or (val > max_us and c not in t.scheduled)):
                    reasons.append(("timestamp_out_of_range", c, v))
                out[c] = val
            elif kind in ("minor", "major"):
                exponent = exp_map.get(cur, 2) if cur else 2
                try:
                    val = P.parse_money(v, kind, exponent)
                except P.Unparseable:
                    val = None
                    reasons.append(("unparseable_amount", c, v))
                else:
                    if val is None and required:
                        reasons.append(("unparseable_amount", c, v))
                out[c] = val
            elif kind in ("int", "num"):
                st, val = (int_cache if kind == "int" else num_cache)[v]
                if st == "err" or (val is None and required):
                    reasons.append(("unparseable_number", c, v))
                out[c] = val
            elif kind == "bool":
                out[c] = P.parse_bool(v)
            elif kind == "enum":
                out[c] = P.norm_enum(v, t.enums[c])
            elif kind == "cur":
                s = P.norm_id(v)
                out[c] = s.upper() if s else None
            elif kind == "id":
                out[c] = P.norm_id(v)
            elif kind == "email":
                out[c] = P.norm_email(v)
            elif kind == "lower":
                out[c] = P.norm_text_lower(v)
            else:
                out[c] = v
        if t.fx and not any(r[0] in ("unparseable_timestamp", "timestamp_out_of_range") and r[1] == t.fx[1]
                            for r in reasons):
            cur_c, ts_c = t.fx
            tsv = out.get(ts_c)
            cv = out.get(cur_c)
            if tsv is not None and (cv is None or (cv, P.month_of(tsv)) not in fx):
                reasons.append(("no_fx_rate", cur_c, raw[ci[cur_c]]))
        out["_md5"] = None  # filled only where needed (duplicate groups, quarantine)
        if reasons:
            md5 = row_md5(raw)
            order = ["missing_primary_key", "unparseable_timestamp", "timestamp_out_of_range", "unparseable_amount",
                     "unparseable_number", "no_fx_rate"]
            reasons.sort(key=lambda r: order.index(r[0]))
            quarantined.append({
                "system": t.system, "table_name": t.name, "key": key, "reason": reasons[0][0],
                "column": reasons[0][1], "raw_value": reasons[0][2],
                "reasons": ",".join(dict.fromkeys(r[0] for r in reasons)), "row_md5": md5,
            })
        else:
            out["_raw"] = raw
            good.append(out)
    return good, quarantined


def _dedupe(t: Table, rows: list[dict]):
    """Keep one row per key. Returns (kept rows, removed-duplicate records)."""
    by_key: dict[str, list[dict]] = {}
    for r in rows:
        by_key.setdefault(r[t.key], []).append(r)
    kept, removed = [], []
    for key, grp in by_key.items():
        if len(grp) == 1:
            kept.append(grp[0])
            continue
        for r in grp:
            r["_md5"] = row_md5(r["_raw"])
        if t.dedupe_updated_at:
            c = t.dedupe_updated_at
            best = max(grp, key=lambda r: (r[c] if r[c] is not None else -(1 << 62), r["_md5"]))
        elif t.dedupe_status:
            c, rank = t.dedupe_status
            best = max(grp, key=lambda r: (rank.get(r[c], 0), r["_md5"]))
        else:
            best = max(grp, key=lambda r: r["_md5"])
        kept.append(best)
        dropped = list(grp)
        dropped.remove(best)
        for r in dropped:
            removed.append({"system": t.system, "table_name": t.name, "key": key, "dropped_md5": r["_md5"],
                            "kept_md5": best["_md5"]})
    return kept, removed


def stage(raw: dict, seeds: dict, min_valid_timestamp="2000-01-01", run_started_at=None,
          epoch_any_length: bool = False) -> Staged:
    """D0 for every table. ``epoch_any_length``: read processor A's bigint ``created`` as epoch
    seconds whatever its number of digits (default: only 9-11 digits are epoch seconds)."""
    min_us = P.parse_ts(str(min_valid_timestamp))
    max_us = to_run_us(run_started_at) + P.DAY_US
    tables, qrows, counts, dups = {}, [], [], []
    for q, t in TABLES.items():
        df = raw.get(q)
        if df is None:
            df = pd.DataFrame(columns=list(t.columns))
        good, quarantined = _parse_table(t, df, seeds, min_us, max_us, epoch_any_length)
        kept, removed = _dedupe(t, good)
        cols = list(t.columns) + ["_md5"]
        tables[q] = pd.DataFrame([[r[c] for c in cols] for r in kept] or None, columns=cols, dtype=object)
        qrows += quarantined
        dups += removed
        counts.append({"system": t.system, "table_name": t.name, "raw_rows": len(df),
                       "quarantined_rows": len(quarantined), "duplicates_removed": len(removed),
                       "staged_rows": len(kept)})
    qcols = ["system", "table_name", "key", "reason", "column", "raw_value", "reasons", "row_md5"]
    quarantine = pd.DataFrame([[r[c] for c in qcols] for r in qrows] or None, columns=qcols, dtype=object)
    row_counts = pd.DataFrame(counts)
    duplicates = pd.DataFrame(dups, columns=["system", "table_name", "key", "dropped_md5", "kept_md5"])
    return Staged(tables, quarantine, row_counts, duplicates)

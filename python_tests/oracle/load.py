"""Read the raw landing files and the reference seeds, as text.

Raw layout: ``<raw_dir>/<system>/<table>.csv`` or ``.parquet`` or ``<table>/*.parquet``.
Every value is read as text: CSV fields as written (an empty field is null), parquet
values cast to text by DuckDB (``CAST(x AS VARCHAR)``: ints '123', booleans 'true'),
nulls kept as None.
"""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .contract import TABLES, Table

csv.field_size_limit(1 << 30)


def _frame(records: list[list], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(records if records else None, columns=columns, dtype=object)


def _read_csv(path: Path) -> tuple[list[str], list[list]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            return [], []
        header = [h.strip().lstrip("\ufeff") for h in header]
        rows = []
        for rec in reader:
            if not rec:
                continue
            rec = [None if v == "" else v for v in rec]
            if len(rec) < len(header):
                rec += [None] * (len(header) - len(rec))
            rows.append(rec[: len(header)])
        return header, rows


def _read_parquet(con, paths: list[Path]) -> tuple[list[str], list[list]]:
    plist = "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"
    src = f"read_parquet({plist}, union_by_name = true)"
    cols = list(con.sql(f"select * from {src} limit 0").columns)
    sel = ", ".join(f'cast("{c}" as varchar) as "{c}"' for c in cols)
    tb = con.sql(f"select {sel} from {src}").to_arrow_table()
    data = [tb.column(i).to_pylist() for i in range(tb.num_columns)]
    return cols, [list(r) for r in zip(*data)] if data else []


def _locate(raw_dir: Path, t: Table):
    base = raw_dir / t.system
    csv_p = base / f"{t.name}.csv"
    pq_p = base / f"{t.name}.parquet"
    dir_p = base / t.name
    if csv_p.exists():
        return "csv", [csv_p]
    if pq_p.exists():
        return "parquet", [pq_p]
    if dir_p.is_dir():
        files = sorted(dir_p.glob("*.parquet"))
        if files:
            return "parquet", files
    return None, []


def load_raw(raw_dir, strict: bool = False) -> dict[str, pd.DataFrame]:
    """Every raw table as an all-text DataFrame (object dtype, None for null), keyed
    'system.table', columns in contract order (extra columns dropped).

    A missing table is an empty frame unless ``strict``; a missing contract column raises.
    """
    import duckdb

    raw_dir = Path(raw_dir)
    out = {}
    con = duckdb.connect()
    for q, t in TABLES.items():
        kind, paths = _locate(raw_dir, t)
        if kind is None:
            if strict:
                raise FileNotFoundError(f"raw table {q} not found under {raw_dir}")
            out[q] = _frame([], list(t.columns))
            continue
        header, rows = _read_csv(paths[0]) if kind == "csv" else _read_parquet(con, paths)
        if not header and not rows:
            out[q] = _frame([], list(t.columns))
            continue
        missing = [c for c in t.columns if c not in header]
        if missing:
            raise ValueError(f"raw table {q}: missing contract column(s) {missing}")
        idx = [header.index(c) for c in t.columns]
        out[q] = _frame([[r[i] for i in idx] for r in rows], list(t.columns))
    con.close()
    return out


def default_seeds_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "seeds" / "reference"


def load_seeds(seeds_dir=None) -> dict:
    """fx: {(CUR, (y, m)): Decimal usd_per_unit}; exp: {CUR: int}."""
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else default_seeds_dir()
    fx = {}
    with open(seeds_dir / "fx_rates.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            y, m, _ = r["month"].strip().split("-")
            fx[(r["currency"].strip().upper(), (int(y), int(m)))] = Decimal(r["usd_per_unit"].strip())
    exp = {}
    with open(seeds_dir / "currency_exponents.csv", newline="") as fh:
        for r in csv.DictReader(fh):
            exp[r["currency"].strip().upper()] = int(r["exponent"])
    return {"fx": fx, "exp": exp}

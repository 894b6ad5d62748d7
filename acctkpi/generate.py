"""Synthetic raw-data generator for the seven source systems of the landing contract.

Run:  python -m acctkpi.generate --customers 10000 --months 24 --seed 1 --out raw/

Writes DIR/<system>/<table>.parquet (or a folder of parts DIR/<system>/<table>/part-00000.parquet
when a table is larger than --part-rows), or .csv with --format csv, plus DIR/_manifest.json.
Same arguments + seed => byte-identical files.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from . import _util as U
from ._defects import CLASSES, apply_defects
from ._schema import TABLE_INDEX, TABLES, arrow_schema

GENERATOR_VERSION = "1.0"
MAX_HORIZON = "2026-12-01"
MIN_START = "2023-01"  # first month of seeds/reference/fx_rates.csv
DEFAULT_PART_ROWS = 5_000_000
# per-class default share of --defect-rate
CLASS_DEFAULT_FACTOR = {"duplicates": 1.0, "ts_format": 1.0, "bad_ts": 0.2, "money": 1.0, "case": 1.0,
                        "orphans": 1.0, "unknown_enum": 1.0, "late_events": 1.0, "null_pk": 0.2}
CLASS_OPTION = {"duplicates": "dup_rate", "ts_format": "ts_format_rate", "bad_ts": "bad_ts_rate",
                "money": "money_rate", "case": "case_rate", "orphans": "orphan_rate",
                "unknown_enum": "unknown_enum_rate", "late_events": "late_event_rate", "null_pk": "null_pk_rate"}


@dataclass
class Ctx:
    seed: int
    chunk: int
    n: int
    cust_offset: int
    lead_offset: int
    start: int
    horizon: int

    def rng(self, stream: str, sub: int = 0) -> np.random.Generator:
        return U.rng_for(self.seed, self.chunk, stream, sub)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m acctkpi.generate",
        description="Generate the raw exports of the seven source systems (billing, processor_a, processor_b, "
                    "crm, shop, support, messaging) exactly as the landing contract "
                    "(models/staging/<system>/_<system>__sources.yml) declares them, with configurable defects.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        epilog="Defect classes (each has its own rate option; every one defaults to --defect-rate, except "
               "--bad-ts-rate and --null-pk-rate which default to --defect-rate / 5). A rate is the share of rows "
               "of every table where the class makes sense that get the defect (in one eligible column; "
               "orphans and duplicates are added as extra rows); 0 injects nothing (`--defect-rate 0` is the "
               "clean mode). Counts per table and class are in _manifest.json. Output is byte-identical for "
               "identical arguments.")
    p.add_argument("--customers", type=int, default=10_000,
                   help="number of billing customers to simulate (CRM leads, orders, tickets, messages scale with it)")
    p.add_argument("--months", type=int, default=24, help="length of the simulated range in calendar months")
    p.add_argument("--seed", type=int, default=1, help="random seed; every table derives its own child stream")
    p.add_argument("--out", required=True, help="output directory (created if missing; only the generator's "
                   "own table files and _manifest.json are replaced)")
    p.add_argument("--start-month", default="2024-01",
                   help=f"first month of the range, YYYY-MM (>= {MIN_START}; the range is cut at {MAX_HORIZON})")
    p.add_argument("--defect-rate", type=float, default=0.01,
                   help="default per-row rate of every defect class; 0 = clean data")
    p.add_argument("--dup-rate", type=float, default=None,
                   help="class 1: duplicate rows (identical; later updated_at + changed value where the table has "
                        "updated_at; a less-final status copy for invoices and charges)")
    p.add_argument("--ts-format-rate", type=float, default=None,
                   help="class 2: text timestamps in another format (ISO without offset, ISO with a non-UTC offset "
                        "denoting the same instant, ISO Z, epoch seconds, YYYYMMDDhhmmss)")
    p.add_argument("--bad-ts-rate", type=float, default=None,
                   help="class 2b: unparseable timestamps and timestamps in 1970 or 2099 "
                        "(processor A epoch columns get 1970/2099 only)")
    p.add_argument("--money-rate", type=float, default=None,
                   help="class 3: half unparseable decimal-string amounts ('N/A', '#VALUE!', ...), half rows in a "
                        "currency without an FX rate (BRL, MXN, ARS)")
    p.add_argument("--case-rate", type=float, default=None,
                   help="class 4: case / whitespace noise in enum codes and emails (' Active', 'CANCELED', "
                        "'cancelled', 'Jane@X.com ')")
    p.add_argument("--orphan-rate", type=float, default=None,
                   help="class 5: extra rows referencing an unknown invoice / subscription / customer / charge / "
                        "order / email / recipient")
    p.add_argument("--unknown-enum-rate", type=float, default=None,
                   help="class 6: enumeration values outside the contract (status 'on_hold', event 'bounced', ...)")
    p.add_argument("--late-event-rate", type=float, default=None,
                   help="class 7: subscription_events and messaging events delivered late / out of order, plus "
                        "re-delivered duplicates at the end of the file")
    p.add_argument("--null-pk-rate", type=float, default=None,
                   help="rows whose primary key is null or empty")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet",
                   help="file format: parquet (landing types) or csv (header row, empty field for null)")
    p.add_argument("--chunk-customers", type=int, default=50_000,
                   help="customers simulated per chunk (bounds memory; part of the deterministic identity)")
    p.add_argument("--part-rows", type=int, default=DEFAULT_PART_ROWS,
                   help="tables with more rows than this are written as a folder of parts "
                        "<table>/part-00000.<ext> (one or more parts per chunk, none larger than this); "
                        "smaller tables are one file <table>.<ext>")
    p.add_argument("--quiet", action="store_true", help="no progress output on stderr")
    return p


def resolve_rates(args) -> dict:
    rates = {}
    for cls in CLASSES:
        v = getattr(args, CLASS_OPTION[cls])
        rates[cls] = float(args.defect_rate * CLASS_DEFAULT_FACTOR[cls] if v is None else v)
        if not 0.0 <= rates[cls] <= 1.0:
            raise SystemExit(f"rate for {cls} must be in [0, 1]")
    return rates


def _write_part(tbl: pa.Table, path: Path, fmt: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        pq.write_table(tbl, path, compression="zstd", compression_level=1, use_dictionary=True,
                       write_statistics=True, row_group_size=1_000_000, version="2.6",
                       data_page_version="1.0", store_schema=True)
    else:
        pcsv.write_csv(tbl, path, pcsv.WriteOptions(include_header=True, batch_size=65_536))


def _finalise_table(out: Path, table: str, parts: list[Path], rows: int, fmt: str, part_rows: int) -> tuple[str, int]:
    """Single file when small enough, else keep the folder of parts. Returns (relative path, n parts)."""
    ext = fmt
    folder = out / table
    single = out / f"{table}.{ext}"
    if rows > part_rows:
        return f"{table}/", len(parts)
    if len(parts) == 1:
        os.replace(parts[0], single)
    elif fmt == "parquet":
        tbl = pa.concat_tables([pq.read_table(p, schema=arrow_schema(table)) for p in parts])
        _write_part(tbl, single, fmt)
    else:
        with open(single, "wb") as w:
            for i, p in enumerate(parts):
                with open(p, "rb") as r:
                    if i > 0:
                        r.readline()
                    shutil.copyfileobj(r, w)
    shutil.rmtree(folder, ignore_errors=True)
    return f"{table}.{ext}", 1


def _to_arrow(table, fr) -> pa.Table:
    schema = arrow_schema(table)
    cols = []
    for f in schema:
        a = fr.cols[f.name].to_arrow()
        if a.type != f.type:
            a = a.cast(f.type)
        cols.append(a)
    return pa.Table.from_arrays(cols, schema=schema)


def run(args) -> dict:
    t_start = time.time()
    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    if args.customers < 1 or args.months < 1:
        raise SystemExit("--customers and --months must be >= 1")
    try:
        m0 = U.parse_month(args.start_month)
    except ValueError:
        raise SystemExit("--start-month must look like YYYY-MM")
    if m0 < U.parse_month(MIN_START):
        raise SystemExit(f"--start-month must be >= {MIN_START} (first FX month in the reference seed)")
    start = int(U.month_start_sec(np.array([m0]))[0])
    end = int(U.month_start_sec(np.array([m0 + args.months]))[0])
    cap = int(np.datetime64(MAX_HORIZON, "s").astype(np.int64))
    horizon = min(end, cap)
    if horizon <= start + 7 * U.DAY:
        raise SystemExit(f"the range must end after its start and no later than {MAX_HORIZON}")
    rates = resolve_rates(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fmt = args.format
    # remove previous outputs of this generator only
    for table in TABLES:
        for ext in ("parquet", "csv"):
            (out / f"{table}.{ext}").unlink(missing_ok=True)
        shutil.rmtree(out / table, ignore_errors=True)

    from . import _tables
    from ._crm import build_crm
    from ._messaging import build_messaging
    from ._shop import build_shop
    from ._support import build_support
    from ._world import build_billing, build_payment_tables

    chunk_size = max(1, args.chunk_customers)
    n_chunks = (args.customers + chunk_size - 1) // chunk_size
    lead_chunk = int(round(0.35 * chunk_size))
    parts = {t: [] for t in TABLES}
    rows = {t: 0 for t in TABLES}
    defects = {t: {c: 0 for c in CLASSES} for t in TABLES}

    def emit(table, frame, chunk):
        rng = U.rng_for(args.seed, chunk, "defects", TABLE_INDEX[table])
        frame, counts = apply_defects(table, frame, rates, rng, chunk, horizon)
        tbl = _to_arrow(table, frame)
        del frame
        # one part per chunk, split further so that no part exceeds --part-rows
        step = max(1, args.part_rows)
        for off in range(0, max(tbl.num_rows, 1), step):
            path = out / table / f"part-{len(parts[table]):05d}.{fmt}"
            _write_part(tbl.slice(off, step), path, fmt)
            parts[table].append(path)
        rows[table] += tbl.num_rows
        for k, v in counts.items():
            defects[table][k] += int(v)

    emit("billing/plans", _tables.plans_frame(), 0)
    for c in range(n_chunks):
        t0 = time.time()
        n = min(chunk_size, args.customers - c * chunk_size)
        ctx = Ctx(seed=args.seed, chunk=c, n=n, cust_offset=c * chunk_size, lead_offset=c * lead_chunk,
                  start=start, horizon=horizon)
        world = build_billing(ctx)
        crm = build_crm(ctx, world)
        msg = build_messaging(ctx, world, crm)
        shop = build_shop(ctx, world, crm, msg)
        pay = build_payment_tables(world, shop.pay)
        sup = build_support(ctx, world, crm, shop)
        frames = _tables.build_frames(ctx, world, crm, msg, shop, sup, pay)
        del world, crm, msg, shop, pay, sup
        for table in TABLES:
            if table == "billing/plans":
                continue
            emit(table, frames.pop(table), c)
        log(f"chunk {c + 1}/{n_chunks}: {n} customers in {time.time() - t0:.1f}s")

    files = {}
    for table in TABLES:
        rel, k = _finalise_table(out, table, parts[table], rows[table], fmt, args.part_rows)
        files[table] = {"path": rel, "parts": k, "rows": rows[table]}
    manifest = {
        "generator": "acctkpi.generate",
        "generator_version": GENERATOR_VERSION,
        "arguments": {"customers": args.customers, "months": args.months, "seed": args.seed,
                      "start_month": args.start_month, "defect_rate": args.defect_rate, "format": fmt,
                      "chunk_customers": chunk_size, "part_rows": args.part_rows},
        "seed": args.seed,
        "range": {"start_utc": str(np.datetime64(start, "s")) + "Z", "end_utc": str(np.datetime64(horizon, "s")) + "Z"},
        "defect_rates": rates,
        "row_counts": {t: rows[t] for t in TABLES},
        "tables": files,
        "defects_injected": defects,
    }
    with open(out / "_manifest.json", "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")
    log(f"done in {time.time() - t_start:.1f}s -> {out}")
    return manifest


def main(argv=None):
    args = build_parser().parse_args(argv)
    run(args)


if __name__ == "__main__":
    main()

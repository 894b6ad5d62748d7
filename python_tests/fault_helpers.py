"""Helpers of the fault suite (python_tests/test_faults_*.py): mutate raw directories, run dbt
cheaply and repeatedly, count raw rows independently, compare warehouses.

Every dbt run of the suite goes through one `FaultDbt` runner per session. It always passes
dbt the same warehouse path, raw path and target directory (the raw path is a symlink that is
re-pointed at the directory under test; a finished warehouse is moved to its own folder), so
every run after the first reuses dbt's partial parse instead of re-parsing ~1,100 nodes —
that alone saves 10-30 s per run on the CI machine.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from conftest import PROJECT_DIR, DbtResult, Warehouse, failed_nodes, run_dbt
from raw_builder import contract_columns

# Unit tests do not read raw data (they run with the sample build); data tests do run.
BUILD = ["build", "--exclude", "resource_type:unit_test"]
STAGING_BUILD = ["build", "--select", "+tag:staging", "--exclude", "resource_type:unit_test",
                 "--indirect-selection", "cautious"]
# Everything the D0 row accounting and the D5 roll-forward rest on (all of staging, the
# subscription / MRR chain), with every data test on those models: ~45 % of a full build.
ROW_AND_MRR_BUILD = ["build", "--select", "+stg_row_reconciliation", "+int_mrr_movements_monthly",
                     "--exclude", "resource_type:unit_test", "--indirect-selection", "cautious"]
# Seeds and models only: what a repeated build writes (data tests write nothing).
MODELS_ONLY_BUILD = ["build", "--exclude", "resource_type:test", "resource_type:unit_test"]


# --------------------------------------------------------------------------- raw files

def raw_tables() -> list[tuple[str, str]]:
    """(system, table) of every raw table of the landing contract."""
    return sorted(contract_columns())


def raw_file(raw_dir: Path, system: str, table: str) -> Path:
    """The file (or folder of parts) that holds one raw table."""
    base = raw_dir / system / table
    for candidate in (base.with_suffix(".csv"), base.with_suffix(".parquet"), base):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(base)


def read_raw(raw_dir: Path, system: str, table: str) -> pd.DataFrame:
    """One raw table as landed, every value as text (None for an empty CSV field / null).

    Read with pandas / pyarrow, not with dbt's loader, so counts are independent of it.
    """
    path = raw_file(raw_dir, system, table)
    if path.suffix == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
        return frame.replace({"": None})
    parts = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    # Through Python values, not pandas dtypes: an integer column with nulls must stay '12', not '12.0'.
    columns: dict[str, list] = {}
    for part in parts:
        for name, values in pq.read_table(part).to_pydict().items():
            columns.setdefault(name, []).extend(None if v is None else str(v) for v in values)
    return pd.DataFrame(columns, dtype=object)


def raw_row_counts(raw_dir: Path) -> dict[str, int]:
    """'system/table' -> rows in the raw file(s), counted without dbt."""
    counts = {}
    for system, table in raw_tables():
        path = raw_file(raw_dir, system, table)
        if path.suffix == ".csv":
            counts[f"{system}/{table}"] = len(read_raw(raw_dir, system, table))
        else:
            parts = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
            counts[f"{system}/{table}"] = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
    return counts


def append_csv_rows(raw_dir: Path, system: str, table: str, rows: list[dict]) -> None:
    """Append rows to a raw CSV, columns in the file's header order (missing keys written empty)."""
    path = raw_dir / system / f"{table}.csv"
    with path.open(newline="") as handle:
        header = next(csv.reader(handle))
    unknown = {key for row in rows for key in row} - set(header)
    assert not unknown, f"{system}/{table}: not columns of the file: {unknown}"
    with path.open("a", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        for row in rows:
            writer.writerow(["" if row.get(name) is None else row[name] for name in header])


def _loader_read_csv(path: Path) -> str:
    """DuckDB's read_csv exactly as the raw loader calls it (all text; empty field = null)."""
    return (f"read_csv('{path}', all_varchar = true, header = true, delim = ',', quote = '\"', "
            f"escape = '\"')")


def rewrite_csv(raw_dir: Path, system: str, table: str, select: str) -> None:
    """Rewrite one raw CSV as `select <select> from <the file>` (DuckDB, so nulls stay empty
    fields and empty texts stay ""): add, drop or reorder columns."""
    path = raw_dir / system / f"{table}.csv"
    with duckdb.connect() as con:
        con.execute(f"create table t as select {select} from {_loader_read_csv(path)}")
        con.execute(f"copy t to '{path}' (header, delimiter ',', quote '\"', escape '\"')")


def csv_to_parquet(raw_dir: Path, system: str, table: str, select: str = "*", parts: int = 1) -> None:
    """Turn one raw CSV into Parquet: `select` over the CSV read exactly as the loader reads it
    (all text; empty field = null, quoted "" = empty text), as one file or `parts` part files."""
    path = raw_dir / system / f"{table}.csv"
    with duckdb.connect() as con:
        con.execute(f"create table t as select {select} from {_loader_read_csv(path)}")
        if parts == 1:
            con.execute(f"copy t to '{path.with_suffix('.parquet')}' (format parquet)")
        else:
            folder = raw_dir / system / table
            folder.mkdir()
            n = con.execute("select count(*) from t").fetchone()[0]
            size = max(1, -(-n // parts))
            for i in range(parts):
                con.execute(f"copy (select * from t limit {size} offset {i * size}) to "
                            f"'{folder / f'part-{i:05d}.parquet'}' (format parquet)")
    path.unlink()


# --------------------------------------------------------------------------- dbt runs

class FaultDbt:
    """Runs dbt with a fixed warehouse path, raw path and target dir (see the module doc)."""

    def __init__(self, root: Path):
        self.root = root
        self.raw_link = root / "raw"
        self.target = root / "target"
        self.warehouse = root / "current" / "warehouse.duckdb"
        self.warehouse.parent.mkdir(parents=True, exist_ok=True)
        self.timings: list[tuple[str, float, int]] = []

    def _point_at(self, raw_dir: Path) -> None:
        tmp = self.root / "raw.new"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(Path(raw_dir).resolve(), target_is_directory=True)
        os.replace(tmp, self.raw_link)

    def reset(self) -> None:
        """Start the next run on an empty warehouse."""
        for path in self.warehouse.parent.iterdir():
            path.unlink()

    def run(self, args: list[str], raw_dir: Path, fresh: bool = True) -> DbtResult:
        """One dbt command on raw_dir; fresh=False keeps the warehouse of the previous run."""
        if fresh:
            self.reset()
        self._point_at(raw_dir)
        started = time.monotonic()
        result = run_dbt(args, self.warehouse, self.target, self.raw_link)
        self.timings.append((" ".join(args[:3]), time.monotonic() - started, result.returncode))
        return result

    def build(self, raw_dir: Path, dest: Path, args: list[str] | None = None) -> Warehouse:
        """A fresh build of raw_dir, asserted successful, kept as dest/warehouse.duckdb."""
        result = self.run(args or BUILD, raw_dir)
        assert result.success, "dbt build failed:\n" + "\n".join(failed_nodes(result))
        return Warehouse(self.keep(dest), raw_dir, result)

    def warehouse_handle(self, raw_dir: Path, result: DbtResult | None = None) -> Warehouse:
        """The current warehouse, read in place (valid until the next run)."""
        return Warehouse(self.warehouse, raw_dir, result)

    def keep(self, dest: Path) -> Path:
        """Move the current warehouse to dest/ (the next run starts on a new one)."""
        dest.mkdir(parents=True, exist_ok=True)
        for path in list(self.warehouse.parent.iterdir()):
            os.replace(path, dest / path.name)
        return dest / self.warehouse.name

    def restore(self, warehouse: Path) -> None:
        """Put a copy of a kept warehouse back in place, for another run on it."""
        self.reset()
        shutil.copy2(warehouse, self.warehouse)

    def start(self, args: list[str], raw_dir: Path) -> "RunningDbt":
        """Start a dbt command in the background on a fresh warehouse (for interruption tests)."""
        self.reset()
        self._point_at(raw_dir)
        # The same command line and environment as conftest.run_dbt, as a child we can kill.
        cli = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", *args,
               "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles"),
               "--vars", json.dumps({"raw_data_dir": str(self.raw_link)})]
        env = {**os.environ, "DBT_DUCKDB_PATH": str(self.warehouse), "DBT_TARGET_PATH": str(self.target),
               "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_LOG_PATH": str(self.target / "logs")}
        proc = subprocess.Popen(cli, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, start_new_session=True)
        return RunningDbt(proc)


class RunningDbt:
    """A dbt child process whose console output is collected line by line."""

    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)

    def models_done(self) -> int:
        return sum(1 for line in list(self.lines) if " OK created " in line and " model " in line)

    def kill_when(self, models_done: int, timeout: float) -> int:
        """SIGKILL the process group once `models_done` models have finished; returns how many had."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None and time.monotonic() < deadline:
            if self.models_done() >= models_done:
                break
            time.sleep(0.2)
        assert self.proc.poll() is None, "dbt finished before it could be interrupted:\n" + "".join(self.lines[-30:])
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=60)
        self._reader.join(timeout=10)
        return self.models_done()


# --------------------------------------------------------------------------- warehouse checks

def tables_in(path: Path, schema: str, prefix: str = "") -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
            "order by 1", [schema]).fetchall()
    return [name for (name,) in rows if name.startswith(prefix)]


def table_differences(left: Path, right: Path, schema: str, prefix: str = "") -> dict[str, tuple[int, int]]:
    """Tables of `schema` whose rows differ between two warehouses: name -> (rows only left,
    rows only right), compared with `except all` both ways (duplicates count). A table present
    in one warehouse only is reported as (-1, -1)."""
    names_left, names_right = set(tables_in(left, schema, prefix)), set(tables_in(right, schema, prefix))
    out = {name: (-1, -1) for name in names_left ^ names_right}
    with duckdb.connect() as con:
        con.execute(f"attach '{left}' as l (read_only)")
        con.execute(f"attach '{right}' as r (read_only)")
        for name in sorted(names_left & names_right):
            cols_l = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'l' and table_schema = ? "
                "and table_name = ? order by ordinal_position", [schema, name]).fetchall()]
            cols_r = [c for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'r' and table_schema = ? "
                "and table_name = ? order by ordinal_position", [schema, name]).fetchall()]
            if cols_l != cols_r:
                out[name] = (-1, -1)
                continue
            cols = ", ".join(f'"{c}"' for c in cols_l)
            only_l = con.execute(f'select count(*) from (select {cols} from l."{schema}"."{name}" except all '
                                 f'select {cols} from r."{schema}"."{name}")').fetchone()[0]
            only_r = con.execute(f'select count(*) from (select {cols} from r."{schema}"."{name}" except all '
                                 f'select {cols} from l."{schema}"."{name}")').fetchone()[0]
            if only_l or only_r:
                out[name] = (only_l, only_r)
    return out


def reconciliation_problems(wh: Warehouse, raw_dir: Path) -> list[str]:
    """Rule D0 row accounting against raw rows counted here from the files: for every raw table,
    raw = staged + de-duplicated + quarantined, and each part equals what the warehouse holds."""
    recon = wh.sql("select * from staging.stg_row_reconciliation").set_index("source_table")
    quarantine = dict(wh.sql("select source_table, count(*) from staging.stg_quarantine group by 1").values.tolist())
    staged_counts = dict(wh.sql(" union all ".join(
        f"select '{label}', count(*) from staging.stg_{label.replace('/', '__')}" for label in staged_keys())
    ).values.tolist())
    counted = raw_row_counts(raw_dir)
    problems = []
    for label, raw_rows in counted.items():
        if label not in recon.index:
            problems.append(f"{label}: no row in stg_row_reconciliation")
            continue
        row = recon.loc[label]
        system, table = label.split("/")
        staged = int(staged_counts[label])
        parts = (int(row.staged_rows), int(row.duplicate_rows_removed), int(row.quarantined_rows))
        if int(row.raw_rows) != raw_rows:
            problems.append(f"{label}: reconciliation says {row.raw_rows} raw rows, the file holds {raw_rows}")
        if sum(parts) != raw_rows:
            problems.append(f"{label}: {raw_rows} raw rows != staged {parts[0]} + duplicates {parts[1]} "
                            f"+ quarantined {parts[2]}")
        if parts[0] != staged:
            problems.append(f"{label}: reconciliation says {parts[0]} staged, stg_{system}__{table} holds {staged}")
        if parts[2] != quarantine.get(label, 0):
            problems.append(f"{label}: reconciliation says {parts[2]} quarantined, stg_quarantine holds "
                            f"{quarantine.get(label, 0)}")
        if parts[1] < 0:
            problems.append(f"{label}: negative duplicate count {parts[1]}")
    extra = set(recon.index) - set(counted)
    if extra:
        problems.append(f"reconciliation rows for unknown tables: {sorted(extra)}")
    return problems


def staged_keys() -> dict[str, str]:
    """'system/table' -> key column of its staging model, from the registry macro staged_tables()."""
    text = (PROJECT_DIR / "macros" / "utils" / "staged_tables.sql").read_text()
    found = re.findall(r"'system': '(\w+)', 'table': '(\w+)', 'key': '(\w+)'", text)
    assert found, "no entries found in macros/utils/staged_tables.sql"
    return {f"{system}/{table}": key for system, table, key in found}


def clean_key(value) -> str | None:
    """clean_text() in Python: spaces trimmed, empty -> null."""
    if value is None:
        return None
    text = str(value).strip(" ")
    return text or None


def key_accounting_problems(wh: Warehouse, raw_dir: Path) -> list[str]:
    """Per primary key, from the raw file read here: a key with more raw rows than quarantined
    rows is staged exactly once; a key whose rows are all quarantined is not staged; nothing
    is staged or quarantined that the raw file does not hold."""
    with duckdb.connect(str(wh.path), read_only=True) as con:
        return _key_accounting_problems(con, raw_dir)


def _key_accounting_problems(con, raw_dir: Path) -> list[str]:
    keys = staged_keys()
    columns = contract_columns()
    problems = []
    for (system, table) in raw_tables():
        label = f"{system}/{table}"
        pk = columns[(system, table)][0]
        raw = read_raw(raw_dir, system, table)
        raw_counts = raw[pk].map(clean_key).value_counts(dropna=False).to_dict() if len(raw) else {}
        raw_counts = {(None if isinstance(k, float) else k): v for k, v in raw_counts.items()}
        q_counts = {k: int(n) for k, n in con.execute(
            "select record_key, count(*) from staging.stg_quarantine where source_table = ? group by 1",
            [label]).fetchall()}
        s_counts = {k: int(n) for k, n in con.execute(
            f'select "{keys[label]}", count(*) from staging.stg_{system}__{table} group by 1').fetchall()}
        if raw_counts.get(None, 0) != q_counts.get(None, 0):
            problems.append(f"{label}: {raw_counts.get(None, 0)} raw rows without a key, "
                            f"{q_counts.get(None, 0)} quarantined as such")
        for key in set(raw_counts) | set(q_counts) | set(s_counts):
            if key is None:
                continue
            n_raw, n_q, n_s = raw_counts.get(key, 0), q_counts.get(key, 0), s_counts.get(key, 0)
            expected = 1 if n_raw > n_q else 0
            if n_q > n_raw or n_s != expected:
                problems.append(f"{label} key {key!r}: {n_raw} raw rows, {n_q} quarantined, staged {n_s} times")
                if len(problems) > 50:
                    return problems
    return problems


ROLL_FORWARD = ("start_mrr_usd", "new_usd", "reactivation_usd", "expansion_usd", "contraction_usd", "churn_usd",
                "fx_impact_usd", "end_mrr_usd")


def roll_forward_breaks(wh: Warehouse) -> list[dict]:
    """Rows of int_mrr_movements_monthly where, in exact decimals computed here,
    start + new + reactivation + expansion - contraction - churn + fx_impact != end."""
    frame = wh.sql("select account_id, month_start, " + ", ".join(ROLL_FORWARD)
                   + " from intermediate.int_mrr_movements_monthly")
    breaks = []
    for row in frame.to_dict("records"):
        values = {k: Decimal(row[k]) for k in ROLL_FORWARD}
        assert all(v == v.quantize(Decimal("0.01")) for v in values.values()), f"not whole cents: {row}"
        total = (values["start_mrr_usd"] + values["new_usd"] + values["reactivation_usd"] + values["expansion_usd"]
                 - values["contraction_usd"] - values["churn_usd"] + values["fx_impact_usd"])
        if total != values["end_mrr_usd"]:
            breaks.append({**row, "computed_end": total})
    return breaks


def mrr_movement_rows(wh: Warehouse) -> int:
    return int(wh.sql("select count(*) as n from intermediate.int_mrr_movements_monthly").n[0])


# --------------------------------------------------------------------------- PII

PII_SCHEMAS = (("staging", "stg_"), ("intermediate", ""), ("marts", ""))
PHONE_CHARS = r"^[0-9 +().\-]+$"


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def pii_hits(path: Path, needles: list[str] = (), limit: int = 50) -> list[tuple[str, str]]:
    """Values in every varchar column of the staging stg_ tables, intermediate and marts that
    look like a raw email or phone: any '@'; 7+ digits written with phone separators (dates
    excluded); or equal, after trimming and lower-casing, to a needle (a raw email or phone),
    or made of phone characters whose digits are a needle phone's digits (with or without
    the leading 1). Returns (schema.table.column, value) pairs."""
    texts = sorted({n.strip().lower() for n in needles if n and n.strip()})
    phone_digits = sorted({d for n in needles if n and "@" not in n and len(d := digits(n)) >= 7}
                          | {"1" + digits(n) for n in needles if n and "@" not in n and len(digits(n)) == 10})
    hits: list[tuple[str, str]] = []
    with duckdb.connect() as con:
        con.execute(f"attach '{path}' as w (read_only)")
        con.execute("create temp table needle_text (v varchar)")
        con.execute("create temp table needle_digits (v varchar)")
        if texts:
            con.executemany("insert into needle_text values (?)", [[t] for t in texts])
        if phone_digits:
            con.executemany("insert into needle_digits values (?)", [[d] for d in phone_digits])
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_catalog = 'w' and data_type = 'VARCHAR' order by 1, 2, 3").fetchall()
        for schema, table, column in columns:
            if not any(schema == s and table.startswith(p) for s, p in PII_SCHEMAS):
                continue
            c = f'"{column}"'
            phone_like = (f"regexp_matches({c}, '{PHONE_CHARS}') "
                          f"and length(regexp_replace({c}, '[^0-9]', '', 'g')) >= 7")
            query = f"""
                select distinct {c} from w."{schema}"."{table}"
                where {c} like '%@%'
                    or ({phone_like} and regexp_matches({c}, '[ +()\\-]')
                        and not regexp_matches({c}, '^[0-9]{{4}}-[0-9]{{2}}(-[0-9]{{2}})?([ T].*)?$'))
                    or lower(trim({c})) in (select v from needle_text)
                    or ({phone_like} and regexp_replace({c}, '[^0-9]', '', 'g') in (select v from needle_digits))
                limit 5"""
            for (value,) in con.execute(query).fetchall():
                hits.append((f"{schema}.{table}.{column}", value))
                if len(hits) >= limit:
                    return hits
    return hits


def raw_emails_and_phones(raw_dir: Path) -> list[str]:
    """Every raw email / phone / message recipient value of a raw directory."""
    columns = {("billing", "customers"): ["email"], ("crm", "contacts"): ["email", "phone"],
               ("shop", "orders"): ["email"], ("support", "tickets"): ["requester_email"],
               ("messaging", "events"): ["recipient"]}
    values: set[str] = set()
    for (system, table), names in columns.items():
        frame = read_raw(raw_dir, system, table)
        for name in names:
            if name in frame:
                values.update(v for v in frame[name].tolist() if v)
    return sorted(values)


_RUNNER: FaultDbt | None = None


def shared_runner(tmp_path_factory) -> FaultDbt:
    """The session's one FaultDbt (every fault module shares its partial parse)."""
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = FaultDbt(tmp_path_factory.mktemp("fault_dbt"))
    return _RUNNER

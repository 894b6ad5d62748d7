"""The same sample data gives the same tables on DuckDB, PostgreSQL and Spark.

Skipped unless ACCTKPI_ENGINES=1 (it starts a PostgreSQL cluster and a Spark session and
builds the project three times: about 7 minutes on two cores). It needs the adapters of
requirements-engines.txt, PostgreSQL server binaries and Java 17; see docs/engines.md.

    ACCTKPI_ENGINES=1 .venv-engines/bin/python -m pytest python_tests/test_cross_engine.py -v

Each engine is built with scripts/run_engine.py (`dbt build` on sample_data/raw: seeds,
models, unit tests and data tests must all pass), which then exports every table of the
schemas compared here as sorted CSV, cells normalised (numbers rounded half away from zero
to the cent, timestamps as 'YYYY-MM-DD HH:MM:SS[.ffffff]'), and runs `dbt source freshness`.
Every exported table must equal DuckDB's row for row, and every source's freshness status and
latest load time must equal DuckDB's (the sample is stale: every checked source errors).

Settings (environment):
  ACCTKPI_ENGINES=1               run these tests
  ACCTKPI_ENGINE_NAMES            engines compared with DuckDB (default "postgres,spark")
  ACCTKPI_ENGINES_PYTHON          Python with dbt-duckdb, dbt-postgres and dbt-spark[session]
                                  (default: .venv-engines/bin/python if present, else this one)
  ACCTKPI_COMPARE_SCHEMAS         schemas compared (default "marts,staging")
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
RUN_ENGINE = PROJECT_DIR / "scripts" / "run_engine.py"

pytestmark = pytest.mark.skipif(
    os.environ.get("ACCTKPI_ENGINES") != "1",
    reason="cross-engine build: set ACCTKPI_ENGINES=1 (needs requirements-engines.txt, PostgreSQL, Java 17)",
)

ENGINES = [e.strip() for e in os.environ.get("ACCTKPI_ENGINE_NAMES", "postgres,spark").split(",") if e.strip()]
SCHEMAS = [s.strip() for s in os.environ.get("ACCTKPI_COMPARE_SCHEMAS", "marts,staging").split(",") if s.strip()]
ADAPTER_MODULES = {"duckdb": "dbt.adapters.duckdb", "postgres": "dbt.adapters.postgres", "spark": "dbt.adapters.spark"}


def engines_python() -> str:
    configured = os.environ.get("ACCTKPI_ENGINES_PYTHON")
    if configured:
        return configured
    local = PROJECT_DIR / ".venv-engines" / "bin" / "python"
    return str(local) if local.exists() else sys.executable


class EngineBuild:
    def __init__(self, engine: str, returncode: int, output: str, export_dir: Path, freshness_file: Path):
        self.engine = engine
        self.returncode = returncode
        self.output = output
        self.export_dir = export_dir
        self.freshness_file = freshness_file

    def freshness(self) -> dict[str, tuple[str, str]]:
        """{source: (status, max_loaded_at)} from `dbt source freshness` on this engine."""
        if not self.freshness_file.exists():
            return {}
        results = json.loads(self.freshness_file.read_text())["results"]
        return {r["unique_id"]: (r["status"], r.get("max_loaded_at")) for r in results}

    def tables(self) -> dict[str, Path]:
        return {f"{p.parent.name}.{p.stem}": p for p in sorted(self.export_dir.glob("*/*.csv"))}

    def summary(self) -> str:
        lines = self.output.splitlines()
        keep = [line for line in lines if any(w in line for w in ("ERROR", "FAIL", "Error", "Done.", "run_engine"))]
        return "\n".join(keep[-60:] or lines[-60:])


def build(engine: str, out: Path) -> EngineBuild:
    python = engines_python()
    module = ADAPTER_MODULES[engine]
    probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.fail(f"{python} cannot import {module}: install requirements.txt and requirements-engines.txt "
                    f"(docs/engines.md) or set ACCTKPI_ENGINES_PYTHON\n{probe.stderr[-2000:]}")
    export_dir = out / "export"
    freshness_file = out / "sources.json"
    cmd = [python, str(RUN_ENGINE), engine, "--workdir", str(out / "work"), "--export", str(export_dir),
           "--export-schemas", ",".join(SCHEMAS), "--freshness", str(freshness_file), "--", "build"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DBT_")}
    proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=3600)
    result = EngineBuild(engine, proc.returncode, proc.stdout + proc.stderr, export_dir, freshness_file)
    # dbt's totals line and the script's timings, shown with `pytest -s`
    for line in result.output.splitlines():
        if line.startswith("[run_engine] dbt exited") or "PASS=" in line:
            print(f"{engine}: {line.strip()}")
    return result


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, EngineBuild]:
    """DuckDB and each engine built once on the sample data, one after the other."""
    results = {}
    for engine in ["duckdb", *ENGINES]:
        results[engine] = build(engine, tmp_path_factory.mktemp(f"engine_{engine}"))
    return results


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def describe_difference(name: str, base: Path, other: Path, engine: str) -> str | None:
    base_header, base_rows = read_rows(base)
    other_header, other_rows = read_rows(other)
    if base_header != other_header:
        return f"{name}: columns differ\n  duckdb:  {base_header}\n  {engine}: {other_header}"
    if base_rows == other_rows:
        return None
    only_base = [r for r in base_rows if r not in other_rows]
    only_other = [r for r in other_rows if r not in base_rows]
    lines = [f"{name}: {len(base_rows)} rows on duckdb, {len(other_rows)} on {engine}; "
             f"{len(only_base)} only on duckdb, {len(only_other)} only on {engine}  (columns: {', '.join(base_header)})"]
    lines += [f"  duckdb:  {r}" for r in only_base[:5]]
    lines += [f"  {engine}: {r}" for r in only_other[:5]]
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["duckdb", *ENGINES])
def test_build_passes(builds, engine):
    result = builds[engine]
    assert result.returncode == 0, f"dbt build on {engine} failed:\n{result.summary()}"


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_tables_equal_duckdb(builds, engine):
    base, other = builds["duckdb"], builds[engine]
    if base.returncode != 0 or other.returncode != 0:
        pytest.skip("a build failed (see test_build_passes)")
    base_tables, other_tables = base.tables(), other.tables()
    assert any(name.startswith("marts.") for name in base_tables), "DuckDB exported no mart table"
    assert sorted(base_tables) == sorted(other_tables), (
        f"tables differ: only on duckdb {sorted(set(base_tables) - set(other_tables))}, "
        f"only on {engine} {sorted(set(other_tables) - set(base_tables))}")
    problems = [p for name in sorted(base_tables)
                if (p := describe_difference(name, base_tables[name], other_tables[name], engine))]
    assert not problems, f"{len(problems)} table(s) differ between duckdb and {engine}:\n" + "\n".join(problems)


@pytest.mark.slow
def test_freshness_on_duckdb_sees_a_stale_sample(builds):
    """The sample's newest load times are in 2025 (its 2099 rows are ignored, rule D0), so every
    source with a freshness check errors."""
    fresh = builds["duckdb"].freshness()
    assert len(fresh) == 14, sorted(fresh)
    assert {status for status, _ in fresh.values()} == {"error"}, fresh
    assert all(loaded and loaded < "2026" for _, loaded in fresh.values()), fresh


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_freshness_equal_duckdb(builds, engine):
    """`dbt source freshness` runs unchanged on the engine: same status and latest load time."""
    base, other = builds["duckdb"].freshness(), builds[engine].freshness()
    assert base, "no freshness results on duckdb"
    assert other == base, {k: (base.get(k), other.get(k)) for k in set(base) | set(other)
                           if base.get(k) != other.get(k)}

"""Shared fixtures: run dbt in-process against throw-away DuckDB warehouses.

Every build gets its own warehouse file and target directory under pytest's tmp dir, so
tests never touch the developer's `target/` and can run after each other in one session.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
SAMPLE_RAW = PROJECT_DIR / "sample_data" / "raw"
SEEDS_DIR = PROJECT_DIR / "seeds" / "reference"


class DbtResult:
    """Outcome of one dbt command: success flag and its console output."""

    def __init__(self, returncode: int, output: str):
        self.success = returncode == 0
        self.returncode = returncode
        self.output = output


def run_dbt(args: list[str], warehouse: Path, target_dir: Path, raw_dir: Path | None = None,
            extra_vars: dict | None = None, env: dict | None = None) -> DbtResult:
    """Run one dbt command on its own warehouse file and target directory.

    dbt runs in a child process: dbt-duckdb keeps its database open for the life of the
    process that built it, and DuckDB refuses a second, read-only handle on the same file
    from that process, so the tests could not read what they built.
    """
    variables = dict(extra_vars or {})
    if raw_dir is not None:
        variables["raw_data_dir"] = str(raw_dir)
    cli = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", *args,
           "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    if variables:
        cli += ["--vars", json.dumps(variables)]
    child_env = {**os.environ, "DBT_DUCKDB_PATH": str(warehouse), "DBT_TARGET_PATH": str(target_dir),
                 "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_LOG_PATH": str(target_dir / "logs"),
                 **(env or {})}
    proc = subprocess.run(cli, cwd=PROJECT_DIR, env=child_env, capture_output=True, text=True)
    return DbtResult(proc.returncode, proc.stdout + proc.stderr)


def failed_nodes(result: DbtResult) -> list[str]:
    """The lines of dbt's output that report errors and failures, for assertion messages."""
    keep = [line for line in result.output.splitlines()
            if any(word in line for word in ("ERROR", "FAIL", "Error", "error", "Compilation", "Runtime"))]
    return keep[-60:] or result.output.splitlines()[-60:]


class Warehouse:
    """A built DuckDB warehouse, read-only."""

    def __init__(self, path: Path, raw_dir: Path, result):
        self.path = path
        self.raw_dir = raw_dir
        self.result = result

    def sql(self, query: str):
        """Run a query read-only; values keep their Python types (Decimal stays Decimal)."""
        import pandas as pd

        with duckdb.connect(str(self.path), read_only=True) as con:
            cursor = con.execute(query)
            names = [col[0] for col in cursor.description]
            return pd.DataFrame(cursor.fetchall(), columns=names, dtype=object)


def build_warehouse(tmp: Path, raw_dir: Path, extra_vars: dict | None = None,
                    command: list[str] | None = None) -> Warehouse:
    warehouse = tmp / "warehouse.duckdb"
    result = run_dbt(command or ["build"], warehouse, tmp / "target", raw_dir, extra_vars)
    assert result.success, "dbt build failed:\n" + "\n".join(failed_nodes(result))
    return Warehouse(warehouse, raw_dir, result)


def generate_raw(out_dir: Path, customers: int, months: int, seed: int, *extra: str) -> Path:
    """Run the data generator as a user would (a subprocess of the CLI)."""
    cmd = [sys.executable, "-m", "acctkpi.generate", "--customers", str(customers),
           "--months", str(months), "--seed", str(seed), "--out", str(out_dir), *extra]
    subprocess.run(cmd, check=True, cwd=PROJECT_DIR, capture_output=True, text=True)
    return out_dir


@pytest.fixture(scope="session")
def readme_build(tmp_path_factory):
    """The README's first command (install + build on the sample), run once in a clean copy.

    Its warehouse is the session's sample warehouse, so the sample is built once per run and
    what the tests check is exactly what a new user gets.
    """
    from readme_commands import clean_copy, clean_env, readme_commands

    repo = clean_copy(tmp_path_factory.mktemp("readme") / "repo")
    install_and_build = readme_commands()[0]
    proc = subprocess.run(["bash", "-c", install_and_build], cwd=repo, env=clean_env(),
                          capture_output=True, text=True, timeout=1800)
    return repo, proc


@pytest.fixture(scope="session")
def sample_warehouse(readme_build) -> Warehouse:
    """The bundled sample data, built by the README's first command."""
    repo, proc = readme_build
    assert proc.returncode == 0, "README command 1 failed:\n" + proc.stdout[-5000:] + proc.stderr[-3000:]
    return Warehouse(repo / "target" / "account_kpis.duckdb", repo / "sample_data" / "raw",
                     DbtResult(proc.returncode, proc.stdout))


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory) -> Warehouse:
    """Generated data (2,000 customers x 12 months, seed 7, default defect rates), built once
    with every data test. (Unit tests read fixture rows, not raw data: the sample build runs them.)"""
    raw = generate_raw(tmp_path_factory.mktemp("gen_raw"), 2000, 12, 7)
    return build_warehouse(tmp_path_factory.mktemp("gen_build"), raw,
                           command=["build", "--exclude", "resource_type:unit_test"])


@pytest.fixture(scope="session")
def generated_warehouse_seed2(tmp_path_factory) -> Warehouse:
    """A second generated dataset (1,000 customers x 12 months, seed 11, default defect rates), built once.

    Seeds and models only: it serves the oracle comparisons, and the data tests already run on
    generated data in `generated_warehouse` (and on the sample and the fault datasets)."""
    raw = generate_raw(tmp_path_factory.mktemp("gen_raw_seed2"), 1000, 12, 11)
    return build_warehouse(tmp_path_factory.mktemp("gen_build_seed2"), raw,
                           command=["build", "--exclude", "resource_type:test", "resource_type:unit_test"])


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: builds a warehouse or a clean copy (part of the default run)")

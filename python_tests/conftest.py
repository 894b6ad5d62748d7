"""Shared fixtures: run dbt in-process against throw-away DuckDB warehouses.

Every build gets its own warehouse file and target directory under pytest's tmp dir, so
tests never touch the developer's `target/` and can run after each other in one session.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
SAMPLE_RAW = PROJECT_DIR / "sample_data" / "raw"
SEEDS_DIR = PROJECT_DIR / "seeds" / "reference"


def run_dbt(args: list[str], warehouse: Path, target_dir: Path, raw_dir: Path | None = None,
            extra_vars: dict | None = None):
    """Run one dbt command in-process on its own warehouse; return the dbtRunnerResult."""
    from dbt.cli.main import dbtRunner

    env = {
        "DBT_DUCKDB_PATH": str(warehouse),
        "DBT_TARGET_PATH": str(target_dir),
        "DBT_PROFILES_DIR": str(PROJECT_DIR / "profiles"),
    }
    old = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    variables = dict(extra_vars or {})
    if raw_dir is not None:
        variables["raw_data_dir"] = str(raw_dir)
    cli = [*args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR / "profiles")]
    if variables:
        import json

        cli += ["--vars", json.dumps(variables)]
    cwd = os.getcwd()
    try:
        os.chdir(PROJECT_DIR)
        return dbtRunner().invoke(cli)
    finally:
        os.chdir(cwd)
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def failed_nodes(result) -> list[str]:
    """Names and messages of the nodes that did not pass, for assertion messages."""
    out = []
    res = getattr(result, "result", None)
    for node_result in getattr(res, "results", None) or []:
        if str(node_result.status) not in ("success", "pass", "RunStatus.Success", "TestStatus.Pass"):
            out.append(f"{node_result.node.unique_id}: {node_result.status}: {node_result.message}")
    if result.exception is not None:
        out.append(repr(result.exception))
    return out


class Warehouse:
    """A built DuckDB warehouse, read-only."""

    def __init__(self, path: Path, raw_dir: Path, result):
        self.path = path
        self.raw_dir = raw_dir
        self.result = result

    def sql(self, query: str):
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.sql(query).df()


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
def sample_warehouse(tmp_path_factory) -> Warehouse:
    """The bundled sample data, built once per test session."""
    return build_warehouse(tmp_path_factory.mktemp("sample_build"), SAMPLE_RAW)


@pytest.fixture(scope="session")
def generated_warehouse(tmp_path_factory) -> Warehouse:
    """Generated data (2,000 customers x 12 months, seed 7, default defect rates), built once."""
    raw = generate_raw(tmp_path_factory.mktemp("gen_raw"), 2000, 12, 7)
    return build_warehouse(tmp_path_factory.mktemp("gen_build"), raw)

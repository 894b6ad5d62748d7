"""Raw input layouts (issue: foundation): a table is read from `<table>.csv`, `<table>.parquet`
or a folder `<table>/*.parquet`, chosen only by the raw directory's contents; two of them for
one table is an error that names the table.

That the same rows stage identically in every layout is proven by
test_faults_drift.test_extra_columns_build_unchanged: its one staging build reads a Parquet
file (processor_a/charges) and a folder of Parquet parts (messaging/events), both with extra
columns, and every staging table equals the CSV build's, row for row. (This file had a staging
build of its own for the same check; one build now serves both.)
"""
from __future__ import annotations

import shutil

from conftest import SAMPLE_RAW, run_dbt


def test_ambiguous_layout_is_an_error(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW, raw)
    shutil.copy(raw / "billing" / "plans.csv", raw / "billing" / "plans.parquet")  # two files for one table
    result = run_dbt(["build", "--select", "stg_billing__plans"], tmp_path / "wh.duckdb", tmp_path / "target", raw)
    assert not result.success
    assert "billing/plans is ambiguous" in result.output

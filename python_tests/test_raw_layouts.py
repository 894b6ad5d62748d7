"""Raw input layouts (issue: foundation): the same rows as CSV, as one Parquet file and as a
folder of Parquet parts stage identically, chosen only by the raw directory's contents."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import SAMPLE_RAW, build_warehouse


@pytest.fixture(scope="module")
def mixed_layout_warehouse(tmp_path_factory):
    raw = tmp_path_factory.mktemp("mixed_raw")
    shutil.copytree(SAMPLE_RAW, raw, dirs_exist_ok=True)
    con = duckdb.connect()
    # billing/invoices as a folder of two Parquet parts, processor_a/charges as one Parquet file.
    invoices = raw / "billing" / "invoices.csv"
    parts = raw / "billing" / "invoices"
    parts.mkdir()
    reader = f"read_csv('{invoices}', all_varchar = true, header = true)"
    con.execute(f"copy (select * from {reader} where hash(id) % 2 = 0) to '{parts / 'part-0.parquet'}' (format parquet)")
    con.execute(f"copy (select * from {reader} where hash(id) % 2 <> 0 or id is null) to '{parts / 'part-1.parquet'}' (format parquet)")
    invoices.unlink()
    charges = raw / "processor_a" / "charges.csv"
    con.execute(f"copy (select * from read_csv('{charges}', all_varchar = true, header = true)) "
                f"to '{raw / 'processor_a' / 'charges.parquet'}' (format parquet)")
    charges.unlink()
    return build_warehouse(tmp_path_factory.mktemp("mixed_build"), raw,
                           command=["build", "--select", "tag:staging", "+tag:staging",
                                    "--exclude", "resource_type:unit_test", "--indirect-selection", "cautious"])


def test_parquet_parts_and_files_stage_like_csv(mixed_layout_warehouse, sample_warehouse):
    query = ("select source_table, raw_rows, staged_rows, duplicate_rows_removed, quarantined_rows "
             "from staging.stg_row_reconciliation order by 1")
    mixed = mixed_layout_warehouse.sql(query)
    csv_only = sample_warehouse.sql(query)
    assert mixed.values.tolist() == csv_only.values.tolist()
    for table in ["stg_billing__invoices", "stg_processor_a__charges"]:
        a = mixed_layout_warehouse.sql(f"select * from staging.{table} order by 1")
        b = sample_warehouse.sql(f"select * from staging.{table} order by 1")
        assert a.values.tolist() == b.values.tolist(), table


def test_ambiguous_layout_is_an_error(tmp_path):
    from conftest import run_dbt

    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW, raw)
    shutil.copy(raw / "billing" / "plans.csv", raw / "billing" / "plans.parquet")  # two files for one table
    result = run_dbt(["build", "--select", "stg_billing__plans"], tmp_path / "wh.duckdb", tmp_path / "target", raw)
    assert not result.success
    assert "billing/plans is ambiguous" in result.output

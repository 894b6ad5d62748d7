"""Fault suite, part 3: schema drift of the raw exports.

- Extra columns (at the end, in the middle, in a Parquet file, in a folder of Parquet parts)
  are ignored: staging built from the drifted copy of the sample equals, table for table and
  row for row, the staging of the sample build. Every later model reads staging and the
  seeds only, so equal staging means an unchanged build.
- A missing contract column stops the build before any model runs, with an error that names
  the raw table and the column, for CSV and for Parquet input.
"""
from __future__ import annotations

import re
import shutil

import pytest

from fault_helpers import STAGING_BUILD, BUILD, csv_to_parquet, rewrite_csv, shared_runner, table_differences

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def fault_dbt(tmp_path_factory):
    return shared_runner(tmp_path_factory)


def test_extra_columns_build_unchanged(fault_dbt, sample_warehouse, tmp_path):
    raw = shutil.copytree(sample_warehouse.raw_dir, tmp_path / "raw")
    # A new column at the end, one in the middle (columns are read by name, not position) ...
    rewrite_csv(raw, "billing", "invoices", "*, 'exporter-v2' as exported_by")
    rewrite_csv(raw, "crm", "contacts", "contact_id, 'x' as marketing_opt_in, * exclude (contact_id)")
    # ... a typed extra column in Parquet, and in a table split into parts.
    csv_to_parquet(raw, "processor_a", "charges", "*, 42::bigint as risk_score, now() as exported_at")
    csv_to_parquet(raw, "messaging", "events", "*, true as is_test_send", parts=3)

    result = fault_dbt.run(STAGING_BUILD, raw)
    assert result.success, result.output[-3000:]
    drifted = fault_dbt.keep(tmp_path / "build")
    assert table_differences(sample_warehouse.path, drifted, "staging") == {}


def test_missing_contract_column_fails_naming_table_and_column(fault_dbt, sample_warehouse, tmp_path):
    raw = shutil.copytree(sample_warehouse.raw_dir, tmp_path / "raw")
    rewrite_csv(raw, "billing", "invoices", "* exclude (currency)")
    csv_to_parquet(raw, "crm", "contacts", "* exclude (phone, updated_at)")

    result = fault_dbt.run(BUILD, raw)
    assert not result.success
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.output)
    assert "does not match the landing contract" in text, text[-3000:]
    assert re.search(r"raw table billing/invoices is missing contract column\(s\): currency\b", text), text[-3000:]
    assert re.search(r"raw table crm/contacts is missing contract column\(s\): phone, updated_at\b", text), text[-3000:]
    # It stopped in the on-run-start check: no model ran.
    assert not re.search(r"OK created .* model", text)

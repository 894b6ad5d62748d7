"""Fault suite, part 4: `dbt source freshness` on stale, fresh and ageing raw data.

Every raw table with a load time has `loaded_at_field` and warn (36 h) / error (7 days)
thresholds in its sources YAML (plans and order lines have no load time and no check). The
loaded_at expressions ignore timestamps more than a day after now, as rule D0 does, so a
future-dated row (the sample holds 2099 rows in processor_b/transactions and
support/tickets) cannot make a stale export look fresh.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from conftest import SAMPLE_RAW
from fault_helpers import shared_runner
from raw_builder import contract_columns, write_raw_dir

pytestmark = pytest.mark.slow

NO_LOAD_TIME = {"raw_billing.plans", "raw_shop.order_lines"}
ALL_WITH_LOAD_TIME = {f"raw_{system}.{table}" for system, table in contract_columns()} - NO_LOAD_TIME


@pytest.fixture(scope="session")
def fault_dbt(tmp_path_factory):
    return shared_runner(tmp_path_factory)


def freshness(fault_dbt, raw):
    """Run `dbt source freshness`; returns (result, {source.table: status}, sources.json results)."""
    result = fault_dbt.run(["source", "freshness"], raw)
    results = json.loads((fault_dbt.target / "sources.json").read_text())["results"]
    statuses = {r["unique_id"].split(".", 2)[2]: r["status"] for r in results}
    return result, statuses, results


def crafted_dir(root, instants: dict[tuple[str, str], datetime]):
    """Per raw table: one row with every load-time column at its instant, in the format its
    system lands (ISO-8601 with offset, processor A epoch seconds, processor B
    YYYYMMDDhhmmss), and one row dated 2099."""
    def stamp(system, when):
        if system == "processor_a":
            return str(int(when.timestamp()))
        if system == "processor_b":
            return when.strftime("%Y%m%d%H%M%S")
        return when.isoformat()

    rows = {}
    for (system, table), columns in contract_columns().items():
        times = [instants[(system, table)], datetime(2099, 1, 1, tzinfo=timezone.utc)]
        rows[(system, table)] = [
            {columns[0]: f"{table}_{i}", **{c: stamp(system, when) for c in columns
                                            if c in ("created_at", "updated_at", "occurred_at", "created", "time")}}
            for i, when in enumerate(times)]
    return write_raw_dir(root, rows)


def test_sample_is_stale_even_with_future_dated_rows(fault_dbt):
    result, statuses, results = freshness(fault_dbt, SAMPLE_RAW)
    assert not result.success
    assert set(statuses) == ALL_WITH_LOAD_TIME
    assert set(statuses.values()) == {"error"}, statuses
    # The 2099 rows of processor_b/transactions and support/tickets are ignored, not the latest load.
    assert all(r["max_loaded_at"] < "2099" for r in results), [(r["unique_id"], r["max_loaded_at"]) for r in results]
    # The thresholds are the configured ones, on every checked table.
    for r in results:
        assert r["criteria"]["warn_after"] == {"count": 36, "period": "hour"}, r["unique_id"]
        assert r["criteria"]["error_after"] == {"count": 7, "period": "day"}, r["unique_id"]
    assert sum("ERROR STALE freshness of" in line for line in result.output.splitlines()) == len(ALL_WITH_LOAD_TIME)


def test_fresh_data_passes_and_three_day_old_data_warns(fault_dbt, tmp_path):
    """Every other table loaded 5 minutes ago (pass), the rest 3 days ago (warn: past 36 h,
    before 7 days); a 2099 row in every table changes neither."""
    now = datetime.now(timezone.utc)
    tables = sorted(contract_columns())
    instants = {t: now - (timedelta(minutes=5) if i % 2 == 0 else timedelta(days=3)) for i, t in enumerate(tables)}
    result, statuses, _ = freshness(fault_dbt, crafted_dir(tmp_path / "raw", instants))
    assert result.success, result.output[-3000:]       # a warning does not fail the command
    expected = {f"raw_{s}.{t}": ("pass" if i % 2 == 0 else "warn") for i, (s, t) in enumerate(tables)}
    expected = {k: v for k, v in expected.items() if k in ALL_WITH_LOAD_TIME}
    assert statuses == expected
    assert {"pass", "warn"} <= set(expected.values())

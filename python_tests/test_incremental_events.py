"""Event models built incrementally give the same rows as a full build (scale, not a KPI rule).

`int_messages_sent` and `int_payment_event_messages` materialize as the var
`event_models_materialized` says. This builds the sample with `incremental` (the first run
creates the tables whole) and checks, against the README's sample build (plain tables):

1. the incremental build's first run equals the table build, row for row;
2. after rows inside the lookback window are deleted or corrupted, one incremental run puts
   back exactly the table build's rows — and a corrupted row OLDER than the window stays as it
   was, which proves the run recomputed only the window instead of rebuilding the table.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from conftest import SAMPLE_RAW, run_dbt

pytestmark = pytest.mark.slow

LOOKBACK_DAYS = 7
INCREMENTAL = {"event_models_materialized": "incremental", "incremental_lookback_days": LOOKBACK_DAYS}
MODELS = {  # model -> (key, event-time column, a boolean column to corrupt)
    "int_messages_sent": ("message_id", "sent_at", "is_engaged"),
    "int_payment_event_messages": ("attempt_id", "attempted_at", "has_message"),
}


def rows(path, model):
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(con.execute(f"select * from intermediate.{model}").fetchall(), key=repr)


@pytest.fixture(scope="module")
def incremental_build(tmp_path_factory, sample_warehouse):
    tmp = tmp_path_factory.mktemp("incremental")
    warehouse, target = tmp / "warehouse.duckdb", tmp / "target"
    first = run_dbt(["build", "--exclude", "resource_type:unit_test"], warehouse, target, SAMPLE_RAW, INCREMENTAL)
    assert first.success, first.output[-4000:]
    return warehouse, target


def test_first_incremental_run_equals_the_table_build(incremental_build, sample_warehouse):
    warehouse, _ = incremental_build
    for model in MODELS:
        expected = rows(sample_warehouse.path, model)
        assert len(expected) > 10, f"{model}: the sample has too few rows to test"
        assert rows(warehouse, model) == expected, model


def test_incremental_run_recomputes_exactly_the_lookback_window(incremental_build, sample_warehouse):
    warehouse, target = incremental_build
    tampered_old = {}
    with duckdb.connect(str(warehouse)) as con:
        for model, (key, time_col, flag) in MODELS.items():
            table = f"intermediate.{model}"
            newest = con.execute(f"select max({time_col}) from {table}").fetchone()[0]
            window_start = newest - dt.timedelta(days=LOOKBACK_DAYS)
            recent = con.execute(f"select count(*) from {table} where {time_col} >= ? and {time_col} < ?",
                                 [window_start + dt.timedelta(days=1), newest]).fetchone()[0]
            old_key = con.execute(f"select min({key}) from {table} where {time_col} < ?",
                                  [window_start - dt.timedelta(days=1)]).fetchone()[0]
            assert recent > 0 and old_key is not None, f"{model}: no rows on both sides of the window"
            # inside the window: corrupt every row, then delete the newest day's rows (but not the
            # newest row itself, which anchors the window)
            con.execute(f"update {table} set {flag} = not {flag} where {time_col} >= ? and {time_col} < ?",
                        [window_start + dt.timedelta(days=1), newest])
            con.execute(f"delete from {table} where {time_col} >= ? and {time_col} < ?",
                        [newest - dt.timedelta(days=1), newest])
            # outside the window: corrupt one row; an incremental run must leave it alone
            con.execute(f"update {table} set {flag} = not {flag} where {key} = ?", [old_key])
            tampered_old[model] = old_key
    again = run_dbt(["run", "--select", *MODELS], warehouse, target, SAMPLE_RAW, INCREMENTAL)
    assert again.success, again.output[-4000:]
    assert "incremental" in again.output.lower()

    for model, (key, _, flag) in MODELS.items():
        expected = rows(sample_warehouse.path, model)
        got = rows(warehouse, model)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            names = [c[0] for c in con.execute(f"select * from intermediate.{model} limit 0").description]
        key_at, flag_at = names.index(key), names.index(flag)
        old_expected = [r for r in expected if r[key_at] == tampered_old[model]]
        old_got = [r for r in got if r[key_at] == tampered_old[model]]
        assert len(old_got) == 1 and old_got[0][flag_at] != old_expected[0][flag_at], (
            f"{model}: the row older than the lookback window was recomputed (a full rebuild, not incremental)")
        assert [r for r in got if r[key_at] != tampered_old[model]] == \
               [r for r in expected if r[key_at] != tampered_old[model]], (
            f"{model}: the incremental run did not restore the window to the table build's rows")

"""Issue: the reconciled core equals an independent computation, row by row.

The oracle (python_tests/oracle) recomputes D0-D5 from the raw files in plain pandas/Decimal,
written from the rules without reading the project's SQL. Here its results are compared with
the dbt models on the bundled sample and on generated data.

Both sides read two open points the same way, set explicitly below: payment-method updates
and recovery messages count when they fall between the first attempt and the win, both ends
included (`between_mode='closed'`), and any all-digit epoch of up to 11 digits is epoch seconds.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pandas as pd
import pytest

import oracle

# One run time for the whole session, so the oracle's cache serves every test of a raw dir.
ORACLE_OPTIONS = dict(between_mode="closed", epoch_any_length=True, run_started_at=datetime.now(timezone.utc))


def _oracle(wh):
    return oracle.build(str(wh.raw_dir), **ORACLE_OPTIONS)


def _norm_money(series):
    return series.map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else Decimal(str(v)).quantize(Decimal("0.01")))


def compare_renewals(wh):
    ours = wh.sql("""
        select invoice_id, outcome, coalesce(recovery_method, '') as recovery_method,
               attempt_count, amount_usd, cast(billed_month as varchar) as billed_month
        from intermediate.int_renewals_classified""")
    theirs = _oracle(wh).renewal_outcomes.copy()
    theirs["recovery_method"] = theirs["recovery_method"].fillna("")
    theirs["billed_month"] = theirs["billed_month"].astype(str)
    merged = ours.merge(theirs[["invoice_id", "outcome", "recovery_method", "attempt_count", "amount_usd", "billed_month"]],
                        on="invoice_id", how="outer", suffixes=("_dbt", "_oracle"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head(20).to_string()
    for col in ["outcome", "recovery_method", "billed_month"]:
        bad = merged[merged[f"{col}_dbt"] != merged[f"{col}_oracle"]]
        assert bad.empty, f"{col} differs on {len(bad)} rebills:\n{bad.head(20).to_string()}"
    bad = merged[merged["attempt_count_dbt"].astype(int) != merged["attempt_count_oracle"].astype(int)]
    assert bad.empty, bad.head(20).to_string()
    bad = merged[_norm_money(merged["amount_usd_dbt"]) != _norm_money(merged["amount_usd_oracle"])]
    assert bad.empty, bad.head(20).to_string()
    return ours


def test_sample_renewal_outcomes_equal_oracle(sample_warehouse):
    ours = compare_renewals(sample_warehouse)
    assert set(ours.outcome) == {"clean", "recovered", "failed", "late_recovery", "pending", "no_attempt"}


def test_generated_renewal_outcomes_equal_oracle(generated_warehouse):
    ours = compare_renewals(generated_warehouse)
    assert len(ours) > 1000


def test_sample_row_counts_equal_oracle(sample_warehouse):
    ours = sample_warehouse.sql("select * from staging.stg_row_reconciliation")
    theirs = _oracle(sample_warehouse).row_counts.copy()
    theirs["source_table"] = theirs["system"] + "/" + theirs["table_name"]
    merged = ours.merge(theirs, on="source_table", suffixes=("_dbt", "_oracle"))
    assert len(merged) == 16
    for col in ["raw_rows", "quarantined_rows", "staged_rows"]:
        assert (merged[f"{col}_dbt"] == merged[f"{col}_oracle"]).all(), merged.to_string()
    assert (merged["duplicate_rows_removed"] == merged["duplicates_removed"]).all(), merged.to_string()


MOVEMENT_COLUMNS = {  # dbt column -> oracle column
    "start_mrr_usd": "start_mrr_usd", "new_usd": "new_mrr_usd", "reactivation_usd": "reactivation_mrr_usd",
    "expansion_usd": "expansion_mrr_usd", "contraction_voluntary_usd": "contraction_voluntary_usd",
    "contraction_involuntary_usd": "contraction_involuntary_usd", "churn_voluntary_usd": "churn_voluntary_usd",
    "churn_involuntary_usd": "churn_involuntary_usd", "fx_impact_usd": "fx_impact_usd",
    "end_cc_mrr_usd": "end_cc_mrr_usd", "end_mrr_usd": "end_mrr_usd",
}


def compare_movements(wh, model: str, period_column: str, period_type: str):
    ours = wh.sql(f"select account_id, cast({period_column} as varchar) as period_start, "
                  f"{', '.join(MOVEMENT_COLUMNS)} from intermediate.{model}")
    theirs = _oracle(wh).mrr_movements
    theirs = theirs[theirs["period_type"] == period_type].copy()
    theirs["period_start"] = theirs["period_start"].astype(str)
    merged = ours.merge(theirs, on=["account_id", "period_start"], how="outer", suffixes=("_dbt", "_oracle"),
                        indicator=True)
    missing = merged[merged["_merge"] != "both"]
    assert missing.empty, f"{len(missing)} account-periods on one side only:\n{missing.head(20).to_string()}"
    for ours_col, theirs_col in MOVEMENT_COLUMNS.items():
        left = _norm_money(merged[ours_col if ours_col != theirs_col else f"{ours_col}_dbt"])
        right = _norm_money(merged[theirs_col if ours_col != theirs_col else f"{theirs_col}_oracle"])
        bad = merged[left != right]
        assert bad.empty, f"{ours_col} differs on {len(bad)} rows:\n{bad.head(10).to_string()}"
    return merged


@pytest.mark.parametrize("model,period_column,period_type", [
    ("int_mrr_movements_monthly", "month_start", "month"),
    ("int_mrr_movements_quarterly", "quarter_start", "quarter"),
])
def test_sample_movements_equal_oracle(sample_warehouse, model, period_column, period_type):
    merged = compare_movements(sample_warehouse, model, period_column, period_type)
    assert len(merged) > 20


@pytest.mark.parametrize("model,period_column,period_type", [
    ("int_mrr_movements_monthly", "month_start", "month"),
    ("int_mrr_movements_quarterly", "quarter_start", "quarter"),
])
def test_generated_movements_equal_oracle(generated_warehouse, model, period_column, period_type):
    merged = compare_movements(generated_warehouse, model, period_column, period_type)
    assert len(merged) > 1000 if period_type == "month" else len(merged) > 300


def test_sample_subscription_mrr_equals_hand_worked(sample_warehouse):
    """The model itself (not only the oracle) against sample_data/expected/: every subscription's
    non-zero month-end MRR in plan currency, rounded to the cent (134 hand-worked rows)."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "sample_data" / "expected" / "subscription_mrr_month_end.csv"
    with open(path) as handle:
        expected = {(r["subscription_id"], r["month_end"]): (Decimal(r["mrr"]), r["currency"])
                    for r in csv.DictReader(handle)}
    built = sample_warehouse.sql("""
        select subscription_id, cast(month_end_at as date) - 1 as month_end, round(mrr_plan_currency, 2) as mrr,
               currency
        from intermediate.int_subscription_mrr_month_end
        where mrr_plan_currency <> 0""")
    ours = {(r["subscription_id"], str(r["month_end"])[:10]): (Decimal(str(r["mrr"])).quantize(Decimal("0.01")),
                                                             r["currency"])
            for r in built.to_dict("records")}
    assert len(expected) == 134
    diff = {k: (expected.get(k), ours.get(k)) for k in set(expected) | set(ours) if expected.get(k) != ours.get(k)}
    assert diff == {}, sorted(diff.items())[:20]

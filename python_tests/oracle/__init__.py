"""An independent reference implementation ("oracle") of KPI rules D0-D5.

Written from shared/spec/source_systems.md and shared/spec/kpi_definitions.md only (never
from the project's SQL), to check the dbt models row by row. See ``DECISIONS`` below and
``oracle/core.py`` for the way ambiguous points are read.

Every function takes the raw directory (``<dir>/<system>/<table>.csv|.parquet|<table>/*.parquet``),
optionally the seeds directory (default: the project's ``seeds/reference``) and the options
``recovery_window_days=14``, ``as_of_date=None``, ``min_valid_timestamp='2000-01-01'``,
``run_started_at=None`` (now), and returns pandas DataFrames. Results are cached per
argument set, so calling several functions on one raw dir computes once.

    load_raw(raw_dir)                       {'system.table': all-text DataFrame}
    staged_tables(raw_dir, ...)             {'system.table': parsed, de-duplicated DataFrame}
    quarantine(raw_dir, ...)                system, table_name, key, reason, column, raw_value, reasons, row_md5
    row_counts(raw_dir, ...)                system, table_name, raw_rows, quarantined_rows, duplicates_removed,
                                            staged_rows
    duplicates(raw_dir, ...)                system, table_name, key, dropped_md5, kept_md5
    as_of(raw_dir, ...)                     as_of, is_inclusive, first_reported_month, last_reported_month
    reported_months(raw_dir, ...)           [datetime.date first-of-month, ...]
    renewal_outcomes(raw_dir, ...)          invoice_id, subscription_id, account_id, billed_month, currency,
                                            amount_usd, outcome, recovery_method, has_recovery_message,
                                            attempt_count, first_attempt_at, first_attempt_gateway,
                                            first_approved_at, approved_gateway, window_closes_at
    subscription_status_intervals(...)      subscription_id, account_id, status, valid_from, valid_to (None = open)
    cancellations(...)                      subscription_id, account_id, cancelled_at, source, reason, ref,
                                            is_involuntary, involuntary_because
    account_status_intervals(...)           account_id, status, valid_from, valid_to
    subscription_mrr(...)                   subscription_id, account_id, month, status, plan_id, quantity, currency,
                                            mrr_local, mrr_usd, plan_known
    account_mrr(...)                        account_id, month, mrr_usd (cent), mrr_usd_exact
    mrr_movements(..., period_type=None)    period_type, period_start, period_end, account_id, start_mrr_usd,
                                            new_mrr_usd, reactivation_mrr_usd, expansion_mrr_usd,
                                            contraction_mrr_usd, contraction_voluntary_usd,
                                            contraction_involuntary_usd, churn_mrr_usd, churn_voluntary_usd,
                                            churn_involuntary_usd, fx_impact_usd, end_cc_mrr_usd, end_mrr_usd
"""
from __future__ import annotations

from functools import lru_cache

from .core import Oracle
from .load import load_raw, load_seeds
from .staging import row_md5

__all__ = [
    "Oracle", "build", "load_raw", "load_seeds", "row_md5", "staged_tables", "quarantine", "row_counts",
    "duplicates", "as_of", "reported_months", "renewal_outcomes", "subscription_status_intervals",
    "cancellations", "account_status_intervals", "subscription_mrr", "account_mrr", "mrr_movements",
]

DECISIONS = """see README section in python_tests/oracle/core.py docstrings and the report"""


@lru_cache(maxsize=8)
def _build(raw_dir, seeds_dir, recovery_window_days, as_of_date, min_valid_timestamp, run_started_at,
           between_mode):
    return Oracle(raw_dir, seeds_dir, recovery_window_days=recovery_window_days, as_of_date=as_of_date,
                  min_valid_timestamp=min_valid_timestamp, run_started_at=run_started_at,
                  between_mode=between_mode)


def build(raw_dir, seeds_dir=None, *, recovery_window_days=14, as_of_date=None, min_valid_timestamp="2000-01-01",
          run_started_at=None, between_mode="open") -> Oracle:
    """The (cached) Oracle for one raw dir and option set."""
    return _build(str(raw_dir), None if seeds_dir is None else str(seeds_dir), recovery_window_days,
                  None if as_of_date is None else str(as_of_date), str(min_valid_timestamp),
                  None if run_started_at is None else str(run_started_at), between_mode)


def staged_tables(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).staged.tables


def quarantine(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).quarantine


def row_counts(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).row_counts


def duplicates(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).staged.duplicates


def as_of(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).as_of


def reported_months(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).reported_months


def renewal_outcomes(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).renewal_outcomes


def subscription_status_intervals(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).subscription_status_intervals


def cancellations(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).cancellations


def account_status_intervals(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).account_status_intervals


def subscription_mrr(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).subscription_mrr


def account_mrr(raw_dir, seeds_dir=None, **opts):
    return build(raw_dir, seeds_dir, **opts).account_mrr


def mrr_movements(raw_dir, seeds_dir=None, period_type=None, **opts):
    df = build(raw_dir, seeds_dir, **opts).mrr_movements
    if period_type is not None:
        df = df[df["period_type"] == period_type].reset_index(drop=True)
    return df

"""An independent reference implementation ("oracle") of KPI rules D0-D5.

Written from the landing contract (sources YAML) and the KPI rules (D0-D11, models/docs/) only (never
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

Mart-level rules (oracle/marts.py; open points read as in ``MARTS_DECISIONS``):

    marts(raw_dir, ...)                     the cached ``Marts`` object of the build (marts_of(build(...)))
    retention(..., period_type='month')     period_type, period_start, starting_accounts, starting_mrr_usd,
                                            expansion_usd, contraction_usd, churn_usd, churned_revenue_usd,
                                            churned_revenue_voluntary_usd, churned_revenue_involuntary_usd,
                                            starting_accounts_end_cc_mrr_usd, nrr_pct, grr_pct, revenue_churn_pct,
                                            voluntary_churn_pct, involuntary_churn_pct   (D5, segment 'all')
    payments_attributed(...)                payment_id, gateway, invoice_id, shop_order_id, account_id,
                                            account_match_rule, paid_at, paid_month, amount_usd   (D7)
    payment_reversals(...)                  reversal_id, gateway, reversal_type, reversed_payment_id, account_id,
                                            reversed_at, reversed_month, currency, amount_usd,
                                            counts_against_revenue, is_lost_chargeback   (D7)
    account_net_revenue_monthly(...)        account_id, month_start, approved_payment_count, approved_payments_usd,
                                            refund_count, refunds_usd, lost_chargeback_count, lost_chargebacks_usd,
                                            chargeback_fees_usd, net_revenue_usd, has_refund_or_lost_chargeback
    cohort_ltv(...)                         cohort_month, month_offset, month_start, cohort_size, active_accounts,
                                            net_revenue_usd, has_refund_or_lost_chargeback,
                                            cumulative_net_revenue_usd, ltv_usd   (D7)
    value_segments(...)                     account_id, first_payment_month, lifetime_net_revenue_usd,
                                            trailing_12m_net_revenue_usd, value_rank,
                                            cumulative_trailing_before_usd, total_positive_trailing_usd,
                                            value_segment   (D7; every account)
    gateway_monthly(...)                    gateway, month_start, first_attempts, first_attempts_approved,
                                            recovered, failed, late_recovery, pending,
                                            first_attempt_approval_pct, recovery_pct   (D10 / D4)
    upsell_messages(...)                    message_id, account_id, sent_at, converted_order_id   (D10)
    upsell_conversion(...)                  month_start, upsell_messages, upsell_conversions,
                                            upsell_conversion_pct   (D10 / D6)
"""
from __future__ import annotations

from functools import lru_cache

from .core import Oracle
from .load import load_raw, load_seeds
from .marts import MARTS_DECISIONS, Marts, marts_of
from .staging import row_md5

__all__ = [
    "Oracle", "build", "load_raw", "load_seeds", "row_md5", "staged_tables", "quarantine", "row_counts",
    "duplicates", "as_of", "reported_months", "renewal_outcomes", "subscription_status_intervals",
    "cancellations", "account_status_intervals", "subscription_mrr", "account_mrr", "mrr_movements",
    "Marts", "MARTS_DECISIONS", "marts_of", "marts", "retention", "payments_attributed", "payment_reversals",
    "account_net_revenue_monthly", "cohort_ltv", "value_segments", "gateway_monthly", "upsell_messages",
    "upsell_conversion",
]

DECISIONS = """
How the oracle reads the points the written rules leave open (each is a choice, not a fact).

D0 parsing and quarantine
- CSV: every field is text, an empty field is null. Parquet: DuckDB ``CAST(x AS VARCHAR)``.
- Timestamps: ISO-8601 date / date-time ('T' or space, optional fraction, optional Z / +hh:mm /
  +hhmm / +hh; no offset = UTC); all-digit text of 9-11 digits = epoch seconds; 14 digits =
  YYYYMMDDhhmmss UTC; anything else is unparseable (so processor A ``created`` = '86400' is
  unparseable; ``epoch_any_length=True`` reads any integer in A's bigint ``created`` as epoch
  seconds instead, as the hand-worked sample does).
- Out of range: t < min_valid_timestamp or t > run_started_at + 1 day (both bounds kept). The
  scheduled instants subscriptions.trial_end / current_period_end / pause_end and
  invoices.period_end get the lower bound only (they may legitimately lie in the future).
- A required (non-``?``) timestamp / money / number column that is null is quarantined like an
  unparseable one; other required columns that are null are kept.
- Money: in integer minor-unit columns an integer is minor units (a decimal text is major units);
  in decimal-string columns any number is major units. Exponent from the row's currency.
- FX quarantine only on invoices (created_at), A charges (created), B transactions (time), shop
  orders (created_at), at the rate of the UTC month of that timestamp; a null currency has no rate.
- Quarantine runs before de-duplication; a row is listed once, with the first reason in the
  order missing_primary_key, unparseable_timestamp, timestamp_out_of_range, unparseable_amount,
  unparseable_number, no_fx_rate (``reasons`` lists all).
- Keys are trimmed before grouping. De-dup: latest parsed updated_at (subscriptions, contacts,
  tickets), else status rank (invoices paid/uncollectible/void > open > draft > other; A charges
  succeeded/failed > pending > other; disputes won/lost > needs_response > other), ties and
  everything else by the greatest md5 of the raw, untrimmed text values in contract order joined
  by '|' with null as '\\N'.
- Enums: trim + lower case, 'cancelled' -> 'canceled', unknown -> 'unknown', null stays null.

D1
- Derived as_of (no var) is inclusive: max of invoice created_at, A charges succeeded/failed
  (linked or not), B sale transactions with response 1/2/3. The var as_of is exclusive.
- Quarters: every calendar quarter whose last month is a reported month.
- A missing USD rate is 1; any other missing rate needed for non-zero MRR raises ValueError.

D4
- Rebills created after as_of are left out. Attempt order: time, then A before B, then id as text.
- B chain: a sale without order_id follows original_transaction_id (any transaction types) to the
  first row that has an order_id; that row must be a sale; unknown ids or cycles attach nothing.
- The window closes at first attempt + N x 24 h, inclusive; `failed` when close <= as_of.
- Payment-method updates and recovery messages count strictly between the first attempt and the
  win (both ends excluded; ``between_mode`` changes it). pmu.customer must equal the invoice's
  customer_id. Messages: flow payment_failed_recovery / card_update_request, event_type 'sent',
  automated true, recipient -> account by oracle.identity.
- recovery_method is set for `recovered` only; has_recovery_message for recovered and
  late_recovery (None otherwise).

D2
- Only subscriptions in the snapshot get a timeline (orphan events are ignored); one that
  starts after as_of gets none. Events after as_of, and status events before the start, are
  ignored. "No events at all" = no staged event rows for it.
- Trial ends at min(snapshot trial_end if after the start, first trial_converted); a trial end
  only ends `trialing` (a cancelled trial stays cancelled).
- Both overlays apply only where the event-based status is `active`. past_due ends at
  min(first approval, window close). The overlay cancellation ends at the first `reactivated`
  event or approved attempt on any rebill of the subscription strictly after the close.
- A cancellation is a transition into `cancelled` of the final timeline (a `canceled` event
  while already cancelled is not a second one). Rule (c) uses the latest rebill created strictly
  before it whose first attempt failed strictly before it, with no approval strictly before it.
- Account status: precedence over started subscriptions; `never_paid` when none has started.

D3
- Month-end state = state just before the next month's first instant. Plan and quantity are
  resolved per field. MRR is an exact Decimal (precision 60), never quantised before the account
  sum. Unknown plan or interval -> MRR 0, plan_known False. Null discount = 0.

D5
- Accounts = customer_id of the subscriptions. "Had MRR before" = local MRR > 0 at some month end
  up to the month before the period, from the earliest subscription start on.
- Involuntary cap = cent-rounded sum of start values (MRR(b) x rate(b)) of the account's
  subscriptions with an involuntary cancellation in [period start, period end); the involuntary
  part is min(churn + contraction, cap), put on whichever of the two is non-zero.
- A row is kept when start, end_cc, end or any movement is non-zero.
"""


@lru_cache(maxsize=8)
def _build(raw_dir, seeds_dir, recovery_window_days, as_of_date, min_valid_timestamp, run_started_at,
           between_mode, epoch_any_length):
    return Oracle(raw_dir, seeds_dir, recovery_window_days=recovery_window_days, as_of_date=as_of_date,
                  min_valid_timestamp=min_valid_timestamp, run_started_at=run_started_at,
                  between_mode=between_mode, epoch_any_length=epoch_any_length)


def build(raw_dir, seeds_dir=None, *, recovery_window_days=14, as_of_date=None, min_valid_timestamp="2000-01-01",
          run_started_at=None, between_mode="open", epoch_any_length=False) -> Oracle:
    """The (cached) Oracle for one raw dir and option set."""
    return _build(str(raw_dir), None if seeds_dir is None else str(seeds_dir), recovery_window_days,
                  None if as_of_date is None else str(as_of_date), str(min_valid_timestamp),
                  None if run_started_at is None else str(run_started_at), between_mode, epoch_any_length)


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


# ---------------------------------------------------------------------------- mart-level rules (marts.py)
def marts(raw_dir, seeds_dir=None, **opts) -> Marts:
    """The cached ``Marts`` of the build (default chargeback fee 15.00, shares 0.80 / 0.95, 7 days)."""
    return marts_of(build(raw_dir, seeds_dir, **opts))


def retention(raw_dir, seeds_dir=None, period_type="month", **opts):
    return marts(raw_dir, seeds_dir, **opts).retention(period_type)


def payments_attributed(raw_dir, seeds_dir=None, **opts):
    return marts(raw_dir, seeds_dir, **opts).payments_attributed


def payment_reversals(raw_dir, seeds_dir=None, **opts):
    return marts(raw_dir, seeds_dir, **opts).payment_reversals


def account_net_revenue_monthly(raw_dir, seeds_dir=None, **opts):
    return marts(raw_dir, seeds_dir, **opts).account_net_revenue_monthly


def cohort_ltv(raw_dir, seeds_dir=None, **opts):
    return marts(raw_dir, seeds_dir, **opts).cohort_ltv


def value_segments(raw_dir, seeds_dir=None, **opts):
    return marts(raw_dir, seeds_dir, **opts).value_segments


def gateway_monthly(raw_dir, seeds_dir=None, **opts):
    return marts(raw_dir, seeds_dir, **opts).gateway_monthly


def upsell_messages(raw_dir, seeds_dir=None, **opts):
    import pandas as pd

    rows = marts(raw_dir, seeds_dir, **opts).upsell_messages
    df = pd.DataFrame([{"message_id": m["message_id"], "account_id": m["account_id"],
                        "sent_at": pd.Timestamp(m["t"] * 1000, unit="ns", tz="UTC"),
                        "converted_order_id": m["converted_order_id"]} for m in rows] or None,
                      columns=["message_id", "account_id", "sent_at", "converted_order_id"], dtype=object)
    return df


def upsell_conversion(raw_dir, seeds_dir=None, **opts):
    return marts(raw_dir, seeds_dir, **opts).upsell_conversion

"""Write the bundled, hand-written sample raw data and its hand-worked expectations.

Every row below is deliberate: each block is one account's story (see STORIES.md), then the
deliberate defect rows. The expectations (renewal outcome per rebill, MRR per subscription
and month end, quarantined rows, duplicates removed) are declared by hand next to the rows
they are about; this script does not implement any KPI rule, it only writes what the
blocks spell out.

    python sample_data/build_sample_data.py      # rewrites sample_data/raw/ and sample_data/expected/

Conventions: billing invoices are created at the anchor instant and the first processor A
charge follows two minutes later; ids spell the story (`in_ben_2509` = Ben's rebill created
for September 2025, `ch_ben_2509_2` = its second charge). The build's as_of is the last
payment attempt, `ch_fay_2512_1` at 2025-12-20T12:00:00Z.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
EXPECTED = HERE / "expected"
UTC = dt.timezone.utc

# --------------------------------------------------------------------------------------
# The landing contract (source_systems.md): column names in contract order, primary key.
# --------------------------------------------------------------------------------------
COLUMNS = {
    "billing/customers": ["id", "email", "crm_contact_id", "currency", "created_at", "deleted"],
    "billing/plans": ["id", "name", "product_line", "interval", "interval_count", "unit_amount", "currency", "active"],
    "billing/subscriptions": [
        "id", "customer_id", "plan_id", "quantity", "discount_pct", "status", "created_at", "trial_end",
        "current_period_start", "current_period_end", "canceled_at", "cancellation_reason",
        "cancellation_source", "pause_start", "pause_end", "updated_at",
    ],
    "billing/subscription_events": [
        "id", "subscription_id", "type", "occurred_at", "previous_plan_id", "plan_id",
        "previous_quantity", "quantity", "reason",
    ],
    "billing/invoices": [
        "id", "subscription_id", "customer_id", "billing_reason", "period_start", "period_end",
        "subtotal", "discount", "tax", "total", "currency", "status", "attempt_count", "created_at", "paid_at",
    ],
    "processor_a/charges": [
        "id", "invoice", "order_ref", "customer", "amount", "currency", "status", "failure_code",
        "outcome_type", "attempt", "payment_method_fingerprint", "created",
    ],
    "processor_a/refunds": ["id", "charge", "amount", "reason", "created"],
    "processor_a/disputes": ["id", "charge", "amount", "reason", "status", "created"],
    "processor_a/payment_method_updates": ["id", "customer", "source", "created"],
    "processor_b/transactions": [
        "transaction_id", "type", "response", "response_code", "response_text", "amount", "currency",
        "time", "order_id", "customer_vault_id", "original_transaction_id",
    ],
    "crm/contacts": [
        "contact_id", "email", "phone", "first_name", "last_name", "billing_customer_id",
        "lifecycle_stage", "acquisition_channel", "country", "created_at", "updated_at", "is_deleted",
    ],
    "shop/orders": [
        "id", "name", "email", "billing_customer_id", "created_at", "cancelled_at", "financial_status",
        "source_name", "subtotal_price", "total_discounts", "total_price", "currency",
    ],
    "shop/order_lines": ["id", "order_id", "sku", "product_type", "quantity", "price", "is_subscription", "offer_type"],
    "shop/refunds": ["id", "order_id", "amount", "created_at"],
    "support/tickets": [
        "id", "requester_email", "subject", "tags", "priority", "status", "satisfaction",
        "created_at", "updated_at", "solved_at",
    ],
    "messaging/events": [
        "event_id", "message_id", "channel", "recipient", "flow", "trigger_ref", "automated",
        "event_type", "occurred_at",
    ],
}
PRIMARY_KEY = {
    table: ("transaction_id" if table == "processor_b/transactions"
            else "contact_id" if table == "crm/contacts"
            else "event_id" if table == "messaging/events"
            else "id")
    for table in COLUMNS
}

ROWS: dict[str, list[dict]] = {table: [] for table in COLUMNS}
OUTCOMES: list[tuple[str, str, str]] = []          # (invoice_id, outcome, recovery_method)
MRR: list[tuple[str, str, str, str]] = []          # (subscription_id, month_end, mrr, currency)
QUARANTINE: list[tuple[str, str, str]] = []        # (source_table, record_key, reason)
DUPLICATES_REMOVED: Counter = Counter()            # source_table -> rows dropped by de-duplication


# --------------------------------------------------------------------------------------
# Small helpers: time formats and row builders. No business rule lives here.
# --------------------------------------------------------------------------------------
def ts(text: str) -> dt.datetime:
    """An ISO-8601 text as an aware datetime (no offset = UTC)."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def z(value: dt.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(text: str) -> int:
    """Processor A `created`: Unix epoch seconds."""
    return int(ts(text).timestamp())


def btime(text: str) -> str:
    """Processor B `time`: YYYYMMDDhhmmss in UTC."""
    return ts(text).astimezone(UTC).strftime("%Y%m%d%H%M%S")


def plus(text: str, **delta) -> str:
    return z(ts(text) + dt.timedelta(**delta))


def month_shift(text: str, months: int) -> str:
    """Same day and clock time `months` later, keeping the text's own offset style."""
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    index = value.month - 1 + months
    shifted = value.replace(year=value.year + index // 12, month=index % 12 + 1)
    out = shifted.isoformat()
    return out.replace("+00:00", "Z") if text.endswith("Z") else out


def add(table: str, **row) -> dict:
    unknown = set(row) - set(COLUMNS[table])
    assert not unknown, f"{table}: not contract columns {unknown}"
    ROWS[table].append(row)
    return row


def duplicate(table: str, **row) -> None:
    """A row that de-duplication must drop (another row with its key is kept)."""
    add(table, **row)
    DUPLICATES_REMOVED[table] += 1


def quarantined(table: str, why: str, **row) -> None:
    """A row that must land in the quarantine model with reason `why`."""
    add(table, **row)
    QUARANTINE.append((table, str(row.get(PRIMARY_KEY[table]) or ""), why))


def quarantine_as(why: str):
    """`table_add=` for a row builder: the row is written and must be quarantined with `why`."""
    return lambda table, **row: quarantined(table, why, **row)


def expect_outcome(invoice_id: str, outcome: str, method: str = "") -> None:
    OUTCOMES.append((invoice_id, outcome, method))


MONTH_ENDS = {m: (dt.date(2025, m + 1, 1) - dt.timedelta(days=1)).isoformat() if m < 12 else "2025-12-31"
              for m in range(1, 13)}


def expect_mrr(subscription_id: str, first_month: int, last_month: int, mrr: str, currency: str = "USD") -> None:
    """MRR (plan currency, major units) at the end of each 2025 month first..last inclusive."""
    for month in range(first_month, last_month + 1):
        MRR.append((subscription_id, MONTH_ENDS[month], mrr, currency))


def customer(cid, email, created_at, currency="USD", crm_contact_id=None, deleted=False, table_add=add):
    table_add("billing/customers", id=cid, email=email, crm_contact_id=crm_contact_id, currency=currency,
              created_at=created_at, deleted="true" if deleted else "false")


def contact(contact_id, email, phone, first, last, created_at, updated_at, billing_customer_id=None,
            lifecycle_stage="customer", acquisition_channel="paid_social", country="US", is_deleted=False,
            table_add=add):
    table_add("crm/contacts", contact_id=contact_id, email=email, phone=phone, first_name=first, last_name=last,
              billing_customer_id=billing_customer_id, lifecycle_stage=lifecycle_stage,
              acquisition_channel=acquisition_channel, country=country, created_at=created_at,
              updated_at=updated_at, is_deleted="true" if is_deleted else "false")


def subscription(sid, cid, plan, created_at, status, period_start, period_end, updated_at, quantity=1,
                 discount_pct=None, trial_end=None, canceled_at=None, cancellation_reason=None,
                 cancellation_source=None, pause_start=None, pause_end=None, table_add=add):
    table_add("billing/subscriptions", id=sid, customer_id=cid, plan_id=plan, quantity=quantity,
              discount_pct=discount_pct, status=status, created_at=created_at, trial_end=trial_end,
              current_period_start=period_start, current_period_end=period_end, canceled_at=canceled_at,
              cancellation_reason=cancellation_reason, cancellation_source=cancellation_source,
              pause_start=pause_start, pause_end=pause_end, updated_at=updated_at)


def event(eid, sid, type_, occurred_at, plan_id=None, quantity=None, previous_plan_id=None,
          previous_quantity=None, reason=None, table_add=add):
    table_add("billing/subscription_events", id=eid, subscription_id=sid, type=type_, occurred_at=occurred_at,
              previous_plan_id=previous_plan_id, plan_id=plan_id, previous_quantity=previous_quantity,
              quantity=quantity, reason=reason)


def invoice(iid, sid, cid, reason, created_at, period_end, subtotal, currency, status, attempt_count,
            paid_at=None, discount=0, tax=0, table_add=add):
    table_add("billing/invoices", id=iid, subscription_id=sid, customer_id=cid, billing_reason=reason,
              period_start=created_at, period_end=period_end, subtotal=subtotal, discount=discount, tax=tax,
              total=subtotal - discount + tax, currency=currency, status=status, attempt_count=attempt_count,
              created_at=created_at, paid_at=paid_at)


OUTCOME_TYPE = {"fraudulent": "blocked", "incorrect_number": "invalid"}


def charge(chid, amount, currency, status, created_at, attempt=1, invoice=None, customer=None, order_ref=None,
           failure_code=None, fp=None, table_add=add):
    """Processor A charge; `created_at` is ISO text, landed as epoch seconds."""
    outcome = ("authorized" if status == "succeeded"
               else OUTCOME_TYPE.get(failure_code, "issuer_declined") if status == "failed" else None)
    table_add("processor_a/charges", id=chid, invoice=invoice, order_ref=order_ref, customer=customer,
              amount=amount, currency=currency, status=status, failure_code=failure_code, outcome_type=outcome,
              attempt=attempt, payment_method_fingerprint=fp, created=epoch(created_at))


B_TEXT = {"100": "APPROVED", "201": "Do not honor", "202": "Insufficient funds", "300": "Rejected by gateway"}


def b_txn(txid, type_, response, code, amount, time_at, order_id=None, vault=None, original=None,
          currency="USD", text=None, table_add=add):
    """Processor B transaction; `time_at` is ISO text, landed as YYYYMMDDhhmmss."""
    table_add("processor_b/transactions", transaction_id=txid, type=type_, response=response, response_code=code,
              response_text=text or B_TEXT.get(code), amount=amount, currency=currency, time=btime(time_at),
              order_id=order_id, customer_vault_id=vault, original_transaction_id=original)


def clean_cycle(iid, sid, cid, created_at, period_end, subtotal, fp, currency="USD", discount=0, tax=0,
                charge_customer=True, reason="subscription_cycle"):
    """An invoice paid by one approved processor A charge two minutes after it was created.
    For a rebill (subscription_cycle) the hand-worked outcome is `clean` (D4)."""
    charged_at = plus(created_at, minutes=2)
    invoice(iid, sid, cid, reason, created_at, period_end, subtotal, currency, "paid", 1, paid_at=charged_at,
            discount=discount, tax=tax)
    charge(f"ch_{iid[3:]}_1", subtotal - discount + tax, currency.lower(), "succeeded", charged_at,
           invoice=iid, customer=cid if charge_customer else None, fp=fp)
    if reason == "subscription_cycle":
        expect_outcome(iid, "clean")


def monthly_clean(prefix, sid, cid, first_created_at, count, subtotal, fp, **kwargs):
    """`count` consecutive monthly clean rebills, ids `<prefix>_<yymm>` from the created month."""
    for k in range(count):
        created_at = month_shift(first_created_at, k)
        clean_cycle(f"{prefix}_{ts(created_at).strftime('%y%m')}", sid, cid, created_at,
                    month_shift(created_at, 1), subtotal, fp, **kwargs)


_message_seq = Counter()


def message(message_id, channel, recipient, flow, trigger_ref, automated, events):
    """One messaging message: `events` is a list of (event_type, occurred_at as landed), or
    (event_type, occurred_at, quarantine reason) for an event row that must be quarantined."""
    for event_type, occurred_at, *why in events:
        _message_seq["n"] += 1
        row = dict(event_id=f"me_{_message_seq['n']:04d}", message_id=message_id, channel=channel,
                   recipient=recipient, flow=flow, trigger_ref=trigger_ref,
                   automated="true" if automated else "false", event_type=event_type, occurred_at=occurred_at)
        if why:
            quarantined("messaging/events", why[0], **row)
        else:
            add("messaging/events", **row)


def ticket(tid, email, subject, tags, status, created_at, updated_at, solved_at=None, priority="normal",
           satisfaction=None, table_add=add):
    table_add("support/tickets", id=tid, requester_email=email, subject=subject, tags=tags, priority=priority,
              status=status, satisfaction=satisfaction, created_at=created_at, updated_at=updated_at,
              solved_at=solved_at)


def order(oid, name, email, billing_customer_id, created_at, financial_status, source_name, subtotal,
          discounts, total, currency="USD", cancelled_at=None, table_add=add):
    table_add("shop/orders", id=oid, name=name, email=email, billing_customer_id=billing_customer_id,
              created_at=created_at, cancelled_at=cancelled_at, financial_status=financial_status,
              source_name=source_name, subtotal_price=subtotal, total_discounts=discounts, total_price=total,
              currency=currency)


def line(lid, oid, sku, product_type, quantity, price, is_subscription=False, offer_type=None, table_add=add):
    table_add("shop/order_lines", id=lid, order_id=oid, sku=sku, product_type=product_type, quantity=quantity,
              price=price, is_subscription="true" if is_subscription else "false", offer_type=offer_type)


# ======================================================================================
# Reference: plans. MRR per plan (D3) is chosen to be an exact, terminating decimal.
# ======================================================================================
PLANS = [
    # id, name, product_line, interval, interval_count, unit_amount, currency, active   -> monthly MRR
    ("plan_lite_m", "Lite Monthly", "core", "month", 1, 2500, "USD", "true"),              # 25.00
    ("plan_core_m", "Core Monthly", "core", "month", 1, 4000, "USD", "true"),              # 40.00
    ("plan_plus_m", "Plus Monthly", "core", "month", 1, 6000, "USD", "true"),              # 60.00
    ("plan_core_q", "Core Quarterly", "core", "month", 3, 9000, "USD", "true"),            # 30.00
    ("plan_core_y", "Core Yearly", "core", "year", 1, 30000, "USD", "true"),               # 25.00
    ("plan_snack_w", "Snack Box Weekly", "snacks", "week", 1, 1200, "USD", "true"),        # 12 x 52 / 12 = 52.00
    ("plan_sample_30d", "Sample Pack every 30 days", "samples", "day", 30, 3600, "USD", "true"),  # 36 x 365/12/30 = 36.50
    ("plan_core_m_eur", "Core Monthly (EUR)", "core", "month", 1, 3600, "EUR", "true"),    # 36.00 EUR
    ("plan_core_m_gbp", "Core Monthly (GBP)", "core", "month", 1, 3200, "GBP", "true"),    # 32.00 GBP
    ("plan_legacy_m", "Legacy Monthly", "core", "month", 1, 3500, "USD", "false"),         # retired, unused
]
for p in PLANS:
    add("billing/plans", **dict(zip(COLUMNS["billing/plans"], p)))
# Defect: exact duplicate row of a plan.
duplicate("billing/plans", **dict(zip(COLUMNS["billing/plans"], PLANS[1])))


# ======================================================================================
# S01 Ada — clean monthly renewals; the one-time upsell account (D6, D10 upsell conversion).
# ======================================================================================
customer("cus_ada", "ada.lovelace@example.com", "2025-06-06T14:50:00Z")
contact("ct_001", "ada.lovelace@example.com", "(555) 010-0101", "Ada", "Lovelace",
        "2025-06-01T10:00:00Z", "2025-06-06T15:00:00Z", billing_customer_id="cus_ada")
subscription("sub_ada_1", "cus_ada", "plan_core_m", "2025-06-06T15:00:00Z", " Active",
             "2025-12-06T15:00:00Z", "2026-01-06T15:00:00Z", "2025-12-06T15:02:00Z")
event("ev_ada_01", "sub_ada_1", "created", "2025-06-06T15:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_ada_2506", "sub_ada_1", "cus_ada", "2025-06-06T15:00:00Z", "2025-07-06T15:00:00Z", 4000,
            "fp_ada_1", reason="subscription_create")
# Rebills Jul..Dec 2025; Aug's charge also lands once as `pending` (dropped, D0 most-final status).
monthly_clean("in_ada", "sub_ada_1", "cus_ada", "2025-07-06T15:00:00Z", 6, 4000, "fp_ada_1")
duplicate("processor_a/charges", id="ch_ada_2508_1", invoice="in_ada_2508", order_ref=None, customer="cus_ada",
          amount=4000, currency="usd", status="pending", failure_code=None, outcome_type=None, attempt=1,
          payment_method_fingerprint="fp_ada_1", created=epoch("2025-08-06T15:02:00Z"))
expect_mrr("sub_ada_1", 6, 11, "40.00")

# #1003 web order (Sep 20) matched by e-mail only; upsell + cross_sell lines = 2 x 9.50 + 12.00 = 31.00.
order("o1003", "#1003", "ADA.Lovelace@Example.com", None, "2025-09-20T12:00:00Z", "paid", "web",
      "71.00", "5.00", "66.00")
line("l1003-1", "o1003", "CORE-REFILL", "core", 1, "40.00")
line("l1003-2", "o1003", "SNK-BAR-6", "snacks", 2, "9.50", offer_type="upsell")
duplicate("shop/order_lines", id="l1003-2", order_id="o1003", sku="SNK-BAR-6", product_type="snacks",
          quantity=2, price="9.50", is_subscription="false", offer_type="upsell")
line("l1003-3", "o1003", "MUG-01", "merch", 1, "12.00", offer_type="cross_sell")
quarantined("shop/order_lines", "missing_primary_key", id="", order_id="o1003", sku="STICKER-01",
            product_type="merch", quantity=1, price="3.00", is_subscription="false", offer_type="upsell")
charge("ch_ord_1003", 6600, "usd", "succeeded", "2025-09-20T12:00:30Z", order_ref="o1003", fp="fp_ada_1")

# Post-payment upsell after the Oct rebill (sent 3 min after the charge), converted by the
# post_purchase order #1001 two days later (within 7 days): one-time 19.00.
message("msg_001", "sms", "+15550100101", "post_payment_upsell", "ch_ada_2510_1", True, [
    ("sent", "2025-10-06T15:05:00Z"), ("delivered", "2025-10-06T15:05:04Z"),
    ("clicked", "2025-10-08T20:15:00Z"), ("converted", "2025-10-08T20:21:00Z")])
order("o1001", "#1001", "ada.lovelace@example.com", "cus_ada", "2025-10-08T16:20:00-04:00", "paid",
      "post_purchase", "19.00", "0.00", "19.00")
line("l1001-1", "o1001", "SNK-BAR-12", "snacks", 1, "19.00", offer_type="upsell")
charge("ch_ord_1001", 1900, "usd", "succeeded", "2025-10-08T20:20:30Z", order_ref="o1001", customer="cus_ada",
       fp="fp_ada_1")

# SMS promo campaign (not automated), then the sms order #1002, partially refunded 10.00: one-time 20.00.
message("msg_002", "sms", "(555) 010-0101", "promo", None, False, [
    ("sent", "2025-11-12T17:30:00Z"), ("delivered", "2025-11-12T17:30:03Z"), ("clicked", "2025-11-12T17:45:00Z")])
order("o1002", "#1002", "ada.lovelace@example.com", "cus_ada", "2025-11-12T18:00:00Z", "partially_refunded",
      "sms", "30.00", "0.00", "30.00")
line("l1002-1", "o1002", "GIFT-BUNDLE", "bundle", 1, "30.00")
charge("ch_ord_1002", 3000, "usd", "succeeded", "2025-11-12T18:00:20Z", order_ref="o1002", customer="cus_ada",
       fp="fp_ada_1")
add("shop/refunds", id="sr_0001", order_id="o1002", amount="10.00", created_at="2025-11-14T10:00:00Z")
add("processor_a/refunds", id="re_ord_1002", charge="ch_ord_1002", amount=1000, reason="requested_by_customer",
    created=epoch("2025-11-14T10:00:05Z"))

# Newsletter campaign, a shipping ticket (mixed-case padded e-mail), the December subscription
# shipment order (subscription_contract, no offer lines: never one-time expansion).
message("msg_003", "email", "ada.lovelace@example.com", "newsletter", None, False, [
    ("sent", "2025-11-14T16:00:00Z"), ("delivered", "2025-11-14T16:00:05Z"), ("clicked", "2025-11-14T18:00:00Z")])
ticket(50001, "Ada.Lovelace@example.com ", "Box arrived damaged", "shipping", "solved",
       "2025-11-20T10:00:00Z", "2025-11-21T09:00:00Z", "2025-11-21T09:00:00Z", satisfaction="good")
order("o1004", "#1004", "ada.lovelace@example.com", "cus_ada", "2025-12-06T15:03:00Z", "paid",
      "subscription_contract", "40.00", "0.00", "40.00")
line("l1004-1", "o1004", "CORE-MONTHLY", "core", 1, "40.00", is_subscription=True)


# ======================================================================================
# S02 Ben — soft decline then approval on A three days later (retry_same_gateway);
#       CRM contact found through the customer's crm_contact_id; a won dispute.
# ======================================================================================
customer("cus_ben", "ben.okafor@example.com", "2025-07-10T09:55:00Z", crm_contact_id="ct_002")
contact("ct_002", "ben.okafor@example.com", "+1 555 010 0102", "Ben", "Okafor",
        "2025-07-01T08:00:00Z", "2025-07-10T10:00:00Z", acquisition_channel="search")
subscription("sub_ben_1", "cus_ben", "plan_core_m", "2025-07-10T10:00:00Z", "active",
             "2025-12-10T10:00:00Z", "2026-01-10T10:00:00Z", "2025-12-10T10:02:00Z")
event("ev_ben_01", "sub_ben_1", "created", "2025-07-10T10:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_ben_2507", "sub_ben_1", "cus_ben", "2025-07-10T10:00:00Z", "2025-08-10T10:00:00Z", 4000,
            "fp_ben_1", reason="subscription_create")
monthly_clean("in_ben", "sub_ben_1", "cus_ben", "2025-08-10T10:00:00Z", 1, 4000, "fp_ben_1")
# Sep rebill: insufficient_funds at 10:02, approved on A at Sep 13 10:02 (3 days < 14).
# The invoice lands twice: `open` (dropped) and `paid` (kept, D0 most-final status).
duplicate("billing/invoices", id="in_ben_2509", subscription_id="sub_ben_1", customer_id="cus_ben",
          billing_reason="subscription_cycle", period_start="2025-09-10T10:00:00Z",
          period_end="2025-10-10T10:00:00Z", subtotal=4000, discount=0, tax=0, total=4000, currency="USD",
          status="open", attempt_count=1, created_at="2025-09-10T10:00:00Z", paid_at=None)
invoice("in_ben_2509", "sub_ben_1", "cus_ben", "subscription_cycle", "2025-09-10T10:00:00Z",
        "2025-10-10T10:00:00Z", 4000, "USD", "paid", 2, paid_at="2025-09-13T10:02:05Z")
charge("ch_ben_2509_1", 4000, "usd", "failed", "2025-09-10T10:02:00Z", 1, "in_ben_2509", "cus_ben",
       failure_code="insufficient_funds", fp="fp_ben_1")
charge("ch_ben_2509_2", 4000, "usd", "succeeded", "2025-09-13T10:02:00Z", 2, "in_ben_2509", "cus_ben",
       fp="fp_ben_1")
expect_outcome("in_ben_2509", "recovered", "retry_same_gateway")
message("msg_004", "sms", "+1 555 010 0102", "payment_failed_recovery", "ch_ben_2509_1", True, [
    ("sent", "2025-09-10T10:05:00Z"), ("delivered", "2025-09-10T10:05:03Z"), ("clicked", "2025-09-10T11:30:00Z")])
# Defect: the `delivered` event delivered twice (exact duplicate row, same event_id).
duplicate("messaging/events", **dict(ROWS["messaging/events"][-2]))
ticket(50002, "ben.okafor@example.com", "My card was declined", "payment_issue", "solved",
       "2025-09-10T12:00:00Z", "2025-09-11T09:00:00Z", "2025-09-11T09:00:00Z", satisfaction="good")
monthly_clean("in_ben", "sub_ben_1", "cus_ben", "2025-10-10T10:00:00Z", 3, 4000, "fp_ben_1")
add("processor_a/disputes", id="dp_ben_1", charge="ch_ben_2508_1", amount=4000, reason="unrecognized",
    status="won", created=epoch("2025-08-25T12:00:00Z"))
expect_mrr("sub_ben_1", 7, 11, "40.00")


# ======================================================================================
# S03 Cleo — rerouted to gateway B (Aug); B-first after that; a B retry carrying no order_id,
#       only original_transaction_id (Nov); a B refund; a web order paid on B.
#       CRM: two contacts for one person, e-mail match only, the later updated_at wins.
# ======================================================================================
customer("cus_cleo", "cleo.martin@example.com", "2025-07-15T08:00:00Z")
contact("ct_003", "Cleo.Martin@Example.com", "5550100103", "Cleo", "Martin",
        "2025-05-01T09:00:00Z", "2025-05-02T09:00:00Z", lifecycle_stage="lead", acquisition_channel="influencer")
contact("ct_004", " cleo.martin@example.com ", "(555) 010-0103", "Cleo", "Martin-Diaz",
        "2025-07-15T08:10:00Z", "2025-09-01T12:00:00Z", acquisition_channel="influencer")
subscription("sub_cleo_1", "cus_cleo", "plan_plus_m", "2025-07-15T08:05:00Z", "active",
             "2025-12-15T08:05:00Z", "2026-01-15T08:05:00Z", "2025-12-15T08:07:00Z")
event("ev_cleo_01", "sub_cleo_1", "created", "2025-07-15T08:05:00Z", plan_id="plan_plus_m", quantity=1)
clean_cycle("in_cleo_2507", "sub_cleo_1", "cus_cleo", "2025-07-15T08:05:00Z", "2025-08-15T08:05:00Z", 6000,
            "fp_cleo_1", reason="subscription_create")
# Aug: A do_not_honor at 08:07, rerouted to B next day; B `sale` order_id = invoice id without `in_`.
invoice("in_cleo_2508", "sub_cleo_1", "cus_cleo", "subscription_cycle", "2025-08-15T08:05:00Z",
        "2025-09-15T08:05:00Z", 6000, "USD", "paid", 2, paid_at="2025-08-16T09:00:00Z")
charge("ch_cleo_2508_1", 6000, "usd", "failed", "2025-08-15T08:07:00Z", 1, "in_cleo_2508", "cus_cleo",
       failure_code="do_not_honor", fp="fp_cleo_1")
b_txn("700000101", "sale", "1", "100", "60.00", "2025-08-16T09:00:00Z", order_id="cleo_2508", vault="cus_cleo")
expect_outcome("in_cleo_2508", "recovered", "rerouted_gateway")
message("msg_005", "sms", "5550100103", "payment_failed_recovery", "ch_cleo_2508_1", True, [
    ("sent", "2025-08-15T08:08:00Z"), ("delivered", "2025-08-15T08:08:02Z"), ("clicked", "2025-08-15T08:30:00Z")])
# Sep, Oct: first (only) attempt on B approved -> clean.
invoice("in_cleo_2509", "sub_cleo_1", "cus_cleo", "subscription_cycle", "2025-09-15T08:05:00Z",
        "2025-10-15T08:05:00Z", 6000, "USD", "paid", 1, paid_at="2025-09-15T08:07:00Z")
b_txn("700000102", "sale", "1", "100", "60.00", "2025-09-15T08:07:00Z", order_id="cleo_2509", vault="cus_cleo")
expect_outcome("in_cleo_2509", "clean")
b_txn("700000103", "refund", "1", "100", "20.00", "2025-09-18T12:00:00Z", vault="cus_cleo", original="700000102")
invoice("in_cleo_2510", "sub_cleo_1", "cus_cleo", "subscription_cycle", "2025-10-15T08:05:00Z",
        "2025-11-15T08:05:00Z", 6000, "USD", "paid", 1, paid_at="2025-10-15T08:07:00Z")
b_txn("700000105", "sale", "1", "100", "60.00", "2025-10-15T08:07:00Z", order_id="cleo_2510", vault="cus_cleo")
expect_outcome("in_cleo_2510", "clean")
# Nov: B declines (202), B retry two days later has no order_id and no vault id, only
# original_transaction_id -> it chains to the Nov sale: recovered on the same gateway.
invoice("in_cleo_2511", "sub_cleo_1", "cus_cleo", "subscription_cycle", "2025-11-15T08:05:00Z",
        "2025-12-15T08:05:00Z", 6000, "USD", "paid", 2, paid_at="2025-11-17T08:07:00Z")
b_txn("700000106", "sale", "2", "202", "60.00", "2025-11-15T08:07:00Z", order_id="cleo_2511", vault="cus_cleo")
b_txn("700000107", "sale", "1", "100", "60.00", "2025-11-17T08:07:00Z", original="700000106")
expect_outcome("in_cleo_2511", "recovered", "retry_same_gateway")
message("msg_006", "email", "Cleo.Martin@example.com", "payment_failed_recovery", "700000106", True, [
    ("sent", "2025-11-15T08:09:00Z"), ("delivered", "2025-11-15T08:09:04Z"),
    ("clicked", "2025-11-17T08:00:00Z"), ("converted", "2025-11-17T08:08:00Z")])
invoice("in_cleo_2512", "sub_cleo_1", "cus_cleo", "subscription_cycle", "2025-12-15T08:05:00Z",
        "2026-01-15T08:05:00Z", 6000, "USD", "paid", 1, paid_at="2025-12-15T08:07:00Z")
b_txn("700000108", "sale", "1", "100", "60.00", "2025-12-15T08:07:00Z", order_id="cleo_2512", vault="cus_cleo")
duplicate("processor_b/transactions", **dict(ROWS["processor_b/transactions"][-1]))   # exact duplicate
expect_outcome("in_cleo_2512", "clean")
# Web order #1005 paid on B (order_id is the shop order name); cross_sell line 5.00.
order("o1005", "#1005", "cleo.martin@example.com", "cus_cleo", "2025-10-02T09:30:00Z", "paid", "web",
      "45.00", "0.00", "45.00")
duplicate("shop/orders", **dict(ROWS["shop/orders"][-1]))                              # exact duplicate
line("l1005-1", "o1005", "CORE-REFILL", "core", 1, "40.00")
line("l1005-2", "o1005", "SNK-BAR-1", "snacks", 1, "5.00", offer_type="cross_sell")
b_txn("700000109", "sale", "1", "100", "45.00", "2025-10-02T09:30:30Z", order_id="#1005", vault="cus_cleo")
expect_mrr("sub_cleo_1", 7, 11, "60.00")


# ======================================================================================
# S04 Dan — 10 % discount. Jul: hard decline expired_card, card_updater row, approval
#       (card_updater). Oct: lost_card, customer updates the card in the portal (customer_updated_card).
# ======================================================================================
customer("cus_dan", "dan.reyes@example.com", "2025-06-22T10:55:00Z")
contact("ct_005", "dan.reyes@example.com", "555.010.0105", "Dan", "Reyes",
        "2025-06-22T11:00:00Z", "2025-06-22T11:00:00Z", billing_customer_id="cus_dan", acquisition_channel="search")
subscription("sub_dan_1", "cus_dan", "plan_core_m", "2025-06-22T11:00:00Z", "active",
             "2025-11-22T11:00:00Z", "2025-12-22T11:00:00Z", "2025-11-22T11:02:00Z", discount_pct=10)
event("ev_dan_01", "sub_dan_1", "created", "2025-06-22T11:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_dan_2506", "sub_dan_1", "cus_dan", "2025-06-22T11:00:00Z", "2025-07-22T11:00:00Z", 4000,
            "fp_dan_1", discount=400, reason="subscription_create")
invoice("in_dan_2507", "sub_dan_1", "cus_dan", "subscription_cycle", "2025-07-22T11:00:00Z",
        "2025-08-22T11:00:00Z", 4000, "USD", "paid", 2, paid_at="2025-07-23T11:02:00Z", discount=400)
charge("ch_dan_2507_1", 3600, "usd", "failed", "2025-07-22T11:02:00Z", 1, "in_dan_2507", "cus_dan",
       failure_code="expired_card", fp="fp_dan_1")
message("msg_007", "email", "dan.reyes@example.com", "card_update_request", "ch_dan_2507_1", True, [
    ("sent", "2025-07-22T11:07:00Z"), ("delivered", "2025-07-22T11:07:06Z")])
add("processor_a/payment_method_updates", id="pmu_dan_1", customer="cus_dan", source="card_updater",
    created=epoch("2025-07-23T04:00:00Z"))
charge("ch_dan_2507_2", 3600, "usd", "succeeded", "2025-07-23T11:02:00Z", 2, "in_dan_2507", "cus_dan",
       fp="fp_dan_2")
expect_outcome("in_dan_2507", "recovered", "card_updater")
monthly_clean("in_dan", "sub_dan_1", "cus_dan", "2025-08-22T11:00:00Z", 2, 4000, "fp_dan_2", discount=400)
invoice("in_dan_2510", "sub_dan_1", "cus_dan", "subscription_cycle", "2025-10-22T11:00:00Z",
        "2025-11-22T11:00:00Z", 4000, "USD", "paid", 2, paid_at="2025-10-23T18:06:00Z", discount=400)
charge("ch_dan_2510_1", 3600, "usd", "failed", "2025-10-22T11:02:00Z", 1, "in_dan_2510", "cus_dan",
       failure_code="lost_card", fp="fp_dan_2")
message("msg_008", "sms", "(555) 010-0105", "card_update_request", "ch_dan_2510_1", True, [
    ("sent", "2025-10-22T11:06:00Z"), ("delivered", "2025-10-22T11:06:02Z"),
    ("clicked", "2025-10-23T18:00:00Z"), ("converted", "2025-10-23T18:07:00Z")])
add("processor_a/payment_method_updates", id="pmu_dan_2", customer="cus_dan", source="customer_portal",
    created=epoch("2025-10-23T18:05:00Z"))
duplicate("processor_a/payment_method_updates", **dict(ROWS["processor_a/payment_method_updates"][-1]))
charge("ch_dan_2510_2", 3600, "usd", "succeeded", "2025-10-23T18:06:00Z", 2, "in_dan_2510", "cus_dan",
       fp="fp_dan_3")
expect_outcome("in_dan_2510", "recovered", "customer_updated_card")
ticket(50011, "dan.reyes@example.com", "Updated my card", "payment_issue", "solved",
       "2025-10-23T18:20:00Z", "2025-10-24T09:00:00Z", "2025-10-24T09:00:00Z", satisfaction="good")
monthly_clean("in_dan", "sub_dan_1", "cus_dan", "2025-11-22T11:00:00Z", 1, 4000, "fp_dan_3", discount=400)
expect_mrr("sub_dan_1", 6, 11, "36.00")          # 40.00 x (1 - 10/100)


# ======================================================================================
# S05 Fay — Jun: approval at exactly first attempt + 14 x 24 h (recovered).
#       Sep: approval one second after the window closed (late_recovery).
#       Dec 20: the build's last payment attempt (as_of = 2025-12-20T12:00:00Z).
# ======================================================================================
customer("cus_fay", "fay.nguyen@example.com", "2025-05-20T08:50:00Z")
contact("ct_006", "fay.nguyen@example.com", "+15550100106", "Fay", "Nguyen",
        "2025-05-20T08:55:00Z", "2025-05-20T08:55:00Z", billing_customer_id="cus_fay")
subscription("sub_fay_1", "cus_fay", "plan_core_m", "2025-05-20T08:58:00Z", "active",
             "2025-12-20T11:58:00Z", "2026-01-20T11:58:00Z", "2025-12-20T12:00:00Z")
event("ev_fay_01", "sub_fay_1", "created", "2025-05-20T08:58:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_fay_2505", "sub_fay_1", "cus_fay", "2025-05-20T08:58:00Z", "2025-06-20T08:58:00Z", 4000,
            "fp_fay_1", reason="subscription_create")
invoice("in_fay_2506", "sub_fay_1", "cus_fay", "subscription_cycle", "2025-06-20T08:58:00Z",
        "2025-07-20T08:58:00Z", 4000, "USD", "paid", 3, paid_at="2025-07-04T09:00:00Z")
charge("ch_fay_2506_1", 4000, "usd", "failed", "2025-06-20T09:00:00Z", 1, "in_fay_2506", "cus_fay",
       failure_code="insufficient_funds", fp="fp_fay_1")
charge("ch_fay_2506_2", 4000, "usd", "failed", "2025-06-27T09:00:00Z", 2, "in_fay_2506", "cus_fay",
       failure_code="try_again_later", fp="fp_fay_1")
charge("ch_fay_2506_3", 4000, "usd", "succeeded", "2025-07-04T09:00:00Z", 3, "in_fay_2506", "cus_fay",
       fp="fp_fay_1")                                  # = first attempt + 336 h exactly: inside, inclusive
expect_outcome("in_fay_2506", "recovered", "retry_same_gateway")
monthly_clean("in_fay", "sub_fay_1", "cus_fay", "2025-07-20T08:58:00Z", 2, 4000, "fp_fay_1")
invoice("in_fay_2509", "sub_fay_1", "cus_fay", "subscription_cycle", "2025-09-20T08:58:00Z",
        "2025-10-20T08:58:00Z", 4000, "USD", "paid", 3, paid_at="2025-10-04T09:00:01Z")
charge("ch_fay_2509_1", 4000, "usd", "failed", "2025-09-20T09:00:00Z", 1, "in_fay_2509", "cus_fay",
       failure_code="insufficient_funds", fp="fp_fay_1")
charge("ch_fay_2509_2", 4000, "usd", "failed", "2025-09-27T09:00:00Z", 2, "in_fay_2509", "cus_fay",
       failure_code="insufficient_funds", fp="fp_fay_1")
charge("ch_fay_2509_3", 4000, "usd", "succeeded", "2025-10-04T09:00:01Z", 3, "in_fay_2509", "cus_fay",
       fp="fp_fay_1")                                  # = first attempt + 336 h + 1 s: after the close
expect_outcome("in_fay_2509", "late_recovery")
message("msg_009", "email", "fay.nguyen@example.com", "payment_failed_recovery", "ch_fay_2509_1", True, [
    ("sent", "2025-09-20T09:03:00Z"), ("delivered", "2025-09-20T09:03:04Z")])
monthly_clean("in_fay", "sub_fay_1", "cus_fay", "2025-10-20T08:58:00Z", 2, 4000, "fp_fay_1")
# December's renewal run ran late: invoice 11:58, approved charge 12:00:00 = the build's as_of.
clean_cycle("in_fay_2512", "sub_fay_1", "cus_fay", "2025-12-20T11:58:00Z", "2026-01-20T11:58:00Z", 4000,
            "fp_fay_1")
expect_mrr("sub_fay_1", 5, 11, "40.00")          # Jun 30 and Sep 30 fall inside past_due: still MRR


# ======================================================================================
# S06 Hal — declines only on both gateways, window closed -> failed; then `canceled` reason dunning.
#       A > 15-minute message; a support card update that did not help; a bad satisfaction ticket.
# ======================================================================================
customer("cus_hal", "hal.becker@example.com", "2025-06-08T12:55:00Z")
contact("ct_007", "hal.becker@example.com", "+1-555-010-0107", "Hal", "Becker",
        "2025-06-08T13:00:00Z", "2025-09-22T15:00:00Z", billing_customer_id="cus_hal", lifecycle_stage="churned")
subscription("sub_hal_1", "cus_hal", "plan_core_m", "2025-06-08T13:00:00Z", "canceled",
             "2025-09-08T13:00:00Z", "2025-10-08T13:00:00Z", "2025-09-22T14:00:00Z",
             canceled_at="2025-09-22T14:00:00Z", cancellation_reason="payment_failed", cancellation_source="dunning")
event("ev_hal_01", "sub_hal_1", "created", "2025-06-08T13:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_hal_2506", "sub_hal_1", "cus_hal", "2025-06-08T13:00:00Z", "2025-07-08T13:00:00Z", 4000,
            "fp_hal_1", reason="subscription_create")
monthly_clean("in_hal", "sub_hal_1", "cus_hal", "2025-07-08T13:00:00Z", 2, 4000, "fp_hal_1")
invoice("in_hal_2509", "sub_hal_1", "cus_hal", "subscription_cycle", "2025-09-08T13:00:00Z",
        "2025-10-08T13:00:00Z", 4000, "USD", "uncollectible", 4)
charge("ch_hal_2509_1", 4000, "usd", "failed", "2025-09-08T13:02:00Z", 1, "in_hal_2509", "cus_hal",
       failure_code="insufficient_funds", fp="fp_hal_1")
message("msg_010", "sms", "(555) 010-0107", "payment_failed_recovery", "ch_hal_2509_1", True, [
    ("sent", "2025-09-08T13:04:00Z"), ("delivered", "2025-09-08T13:04:02Z")])
charge("ch_hal_2509_2", 4000, "usd", "failed", "2025-09-11T13:02:00Z", 2, "in_hal_2509", "cus_hal",
       failure_code="insufficient_funds", fp="fp_hal_1")
ticket(50003, "Hal.Becker@example.com", "Payment keeps failing", "payment_issue,billing", "solved",
       "2025-09-12T09:00:00Z", "2025-09-23T10:00:00Z", "2025-09-23T10:00:00Z", priority="high",
       satisfaction="bad")
add("processor_a/payment_method_updates", id="pmu_hal_1", customer="cus_hal", source="support",
    created=epoch("2025-09-12T09:30:00Z"))
b_txn("700000201", "sale", "2", "201", "40.00", "2025-09-14T13:02:00Z", order_id="hal_2509", vault="cus_hal")
message("msg_011", "sms", "15550100107", "payment_failed_recovery", "700000201", True, [
    ("sent", "2025-09-14T13:45:00Z"), ("delivered", "2025-09-14T13:45:03Z")])   # 43 min after: outside SLA
charge("ch_hal_2509_3", 4000, "usd", "failed", "2025-09-18T13:02:00Z", 3, "in_hal_2509", "cus_hal",
       failure_code="do_not_honor", fp="fp_hal_2")
expect_outcome("in_hal_2509", "failed")           # window closed 2025-09-22T13:02:00Z, no approval
event("ev_hal_02", "sub_hal_1", "canceled", "2025-09-22T14:00:00Z", reason="dunning")
message("msg_012", "email", "HAL.BECKER@example.com", "winback", None, True, [
    ("sent", "2025-11-03T10:00:00Z"), ("delivered", "2025-11-03T10:00:04Z")])
expect_mrr("sub_hal_1", 6, 8, "40.00")


# ======================================================================================
# S07 Ivy — rebill fails (Oct 25), customer cancels Oct 30 with reason `customer` before any
#       approval -> involuntary (D2). Message triggered by the invoice id.
# ======================================================================================
customer("cus_ivy", "ivy.chen@example.com", "2025-07-25T15:55:00Z")
contact("ct_008", "ivy.chen@example.com", None, "Ivy", "Chen",
        "2025-07-25T16:00:00Z", "2025-07-25T16:00:00Z", billing_customer_id="cus_ivy")
subscription("sub_ivy_1", "cus_ivy", "plan_plus_m", "2025-07-25T16:00:00Z", "canceled",
             "2025-10-25T16:00:00Z", "2025-11-25T16:00:00Z", "2025-10-30T16:00:00Z",
             canceled_at="2025-10-30T16:00:00Z", cancellation_reason="not_using", cancellation_source="customer")
event("ev_ivy_01", "sub_ivy_1", "created", "2025-07-25T16:00:00Z", plan_id="plan_plus_m", quantity=1)
clean_cycle("in_ivy_2507", "sub_ivy_1", "cus_ivy", "2025-07-25T16:00:00Z", "2025-08-25T16:00:00Z", 6000,
            "fp_ivy_1", reason="subscription_create")
monthly_clean("in_ivy", "sub_ivy_1", "cus_ivy", "2025-08-25T16:00:00Z", 2, 6000, "fp_ivy_1")
invoice("in_ivy_2510", "sub_ivy_1", "cus_ivy", "subscription_cycle", "2025-10-25T16:00:00Z",
        "2025-11-25T16:00:00Z", 6000, "USD", "uncollectible", 2)
charge("ch_ivy_2510_1", 6000, "usd", "failed", "2025-10-25T16:02:00Z", 1, "in_ivy_2510", "cus_ivy",
       failure_code="do_not_honor", fp="fp_ivy_1")
message("msg_013", "email", "ivy.chen@example.com", "payment_failed_recovery", "in_ivy_2510", True, [
    ("sent", "2025-10-25T16:05:00Z"), ("delivered", "2025-10-25T16:05:05Z")])
charge("ch_ivy_2510_2", 6000, "usd", "failed", "2025-10-28T16:02:00Z", 2, "in_ivy_2510", "cus_ivy",
       failure_code="generic_decline", fp="fp_ivy_1")
ticket(50004, "ivy.chen@example.com", "Please cancel my subscription", "cancel_request, billing", "solved",
       "2025-10-30T15:30:00Z", "2025-10-30T16:05:00Z", "2025-10-30T16:05:00Z", satisfaction="offered")
event("ev_ivy_02", "sub_ivy_1", "canceled", "2025-10-30T16:00:00Z", reason="customer")
expect_outcome("in_ivy_2510", "failed")           # window closed 2025-11-08T16:02:00Z <= as_of
expect_mrr("sub_ivy_1", 7, 9, "60.00")


# ======================================================================================
# S08 Jon — voluntary cancellation (customer, too_expensive); full A refund of the last rebill;
#       winback SMS answered with an opt-out; a voided rebill after the cancellation (not a rebill).
# ======================================================================================
customer("cus_jon", "jon.silva@example.com", "2025-05-14T09:55:00Z")
duplicate("crm/contacts", contact_id="ct_009", email="jon.silva@example.com", phone="5550100109",
          first_name="Jon", last_name="Silva", billing_customer_id="cus_jon", lifecycle_stage="customer",
          acquisition_channel="referral", country="US", created_at="2025-05-14T10:00:00Z",
          updated_at="2025-05-14T10:00:00Z", is_deleted="false")
contact("ct_009", "jon.silva@example.com", "5550100109", "Jon", "Silva", "2025-05-14T10:00:00Z",
        "2025-08-20T09:30:00Z", billing_customer_id="cus_jon", lifecycle_stage="churned",
        acquisition_channel="referral")
# The snapshot lands twice: the older `active` row is dropped, the later updated_at wins.
duplicate("billing/subscriptions", id="sub_jon_1", customer_id="cus_jon", plan_id="plan_core_m", quantity=1,
          discount_pct=None, status="active", created_at="2025-05-14T10:00:00Z", trial_end=None,
          current_period_start="2025-08-14T10:00:00Z", current_period_end="2025-09-14T10:00:00Z",
          canceled_at=None, cancellation_reason=None, cancellation_source=None, pause_start=None,
          pause_end=None, updated_at="2025-08-14T10:02:00Z")
subscription("sub_jon_1", "cus_jon", "plan_core_m", "2025-05-14T10:00:00Z", "cancelled",
             "2025-08-14T10:00:00Z", "2025-09-14T10:00:00Z", "2025-08-20T09:00:00Z",
             canceled_at="2025-08-20T09:00:00Z", cancellation_reason="too_expensive", cancellation_source="customer")
event("ev_jon_01", "sub_jon_1", "created", "2025-05-14T10:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_jon_2505", "sub_jon_1", "cus_jon", "2025-05-14T10:00:00Z", "2025-06-14T10:00:00Z", 4000,
            "fp_jon_1", reason="subscription_create")
monthly_clean("in_jon", "sub_jon_1", "cus_jon", "2025-06-14T10:00:00Z", 3, 4000, "fp_jon_1")
ticket(50005, "jon.silva@example.com", "Too expensive - please cancel", "cancel_request", "solved",
       "2025-08-19T15:00:00Z", "2025-08-20T09:05:00Z", "20250820090500", satisfaction="good")
event("ev_jon_02", "sub_jon_1", "canceled", "2025-08-20T09:00:00Z", reason="customer")
add("processor_a/refunds", id="re_jon_1", charge="ch_jon_2508_1", amount=4000, reason="requested_by_customer",
    created=epoch("2025-08-21T10:00:00Z"))
invoice("in_jon_2509", "sub_jon_1", "cus_jon", "subscription_cycle", "2025-09-14T10:00:00Z",
        "2025-10-14T10:00:00Z", 4000, "USD", "void", 0)          # void: not a rebill, no outcome row
message("msg_014", "sms", "555-010-0109", "winback", None, True, [
    ("sent", "2025-10-15T17:00:00Z"), ("delivered", "2025-10-15T17:00:02Z"), ("opted_out", "2025-10-15T17:03:00Z")])
expect_mrr("sub_jon_1", 5, 7, "40.00")


# ======================================================================================
# S09 Kim — cancelled by support (voluntary); the billing customer is deleted and keeps its
#       history; CRM contact found through the customer's crm_contact_id; a draft rebill.
# ======================================================================================
customer("cus_kim", "kim.park@example.com", "2025-06-02T11:55:00Z", crm_contact_id="ct_010", deleted=True)
contact("ct_010", "kim.park@example.com", "(555) 010-0110", "Kim", "Park",
        "2025-06-02T12:00:00Z", "2025-09-15T14:10:00Z", lifecycle_stage="churned", acquisition_channel="search")
subscription("sub_kim_1", "cus_kim", "plan_lite_m", "2025-06-02T12:00:00Z", "CANCELED",
             "2025-09-02T12:00:00Z", "2025-10-02T12:00:00Z", "2025-09-15T14:00:00Z",
             canceled_at="2025-09-15T14:00:00Z", cancellation_reason="moving", cancellation_source="support")
event("ev_kim_01", "sub_kim_1", "created", "2025-06-02T12:00:00Z", plan_id="plan_lite_m", quantity=1)
clean_cycle("in_kim_2506", "sub_kim_1", "cus_kim", "2025-06-02T12:00:00Z", "2025-07-02T12:00:00Z", 2500,
            "fp_kim_1", reason="subscription_create")
monthly_clean("in_kim", "sub_kim_1", "cus_kim", "2025-07-02T12:00:00Z", 3, 2500, "fp_kim_1")
ticket(50006, "kim.park@example.com", "Cancel and delete my account", "cancel_request", "closed",
       "2025-09-15T13:00:00Z", "2025-09-20T13:00:00Z", "2025-09-15T14:05:00Z", satisfaction="unoffered")
event("ev_kim_02", "sub_kim_1", "canceled", "2025-09-15T14:00:00Z", reason="support")
invoice("in_kim_2510", "sub_kim_1", "cus_kim", "subscription_cycle", "2025-10-02T12:00:00Z",
        "2025-11-02T12:00:00Z", 2500, "USD", "draft", 0)         # draft: not a rebill, no outcome row
expect_mrr("sub_kim_1", 6, 8, "25.00")


# ======================================================================================
# S10 Lea — fraud: lost dispute on her Aug A charge, a B chargeback on her Sep B sale,
#       cancelled by fraud_review (cancellation_reason fraud) -> involuntary.
# ======================================================================================
customer("cus_lea", "lea.fischer@example.com", "2025-07-01T09:55:00Z")
contact("ct_011", "lea.fischer@example.com", None, "Lea", "Fischer",
        "2025-07-01T10:00:00Z", "2025-07-01T10:00:00Z", billing_customer_id="cus_lea", acquisition_channel="affiliate")
duplicate("billing/subscriptions", id="sub_lea_1", customer_id="cus_lea", plan_id="plan_plus_m", quantity=1,
          discount_pct=None, status=" Active", created_at="2025-07-01T10:00:00Z", trial_end=None,
          current_period_start="2025-09-01T10:00:00Z", current_period_end="2025-10-01T10:00:00Z",
          canceled_at=None, cancellation_reason=None, cancellation_source=None, pause_start=None,
          pause_end=None, updated_at="2025-09-01T10:02:00Z")
subscription("sub_lea_1", "cus_lea", "plan_plus_m", "2025-07-01T10:00:00Z", "canceled",
             "2025-09-01T10:00:00Z", "2025-10-01T10:00:00Z", "2025-09-05T18:00:00Z",
             canceled_at="2025-09-05T18:00:00Z", cancellation_reason="fraud", cancellation_source="fraud_review")
event("ev_lea_01", "sub_lea_1", "created", "2025-07-01T10:00:00Z", plan_id="plan_plus_m", quantity=1)
clean_cycle("in_lea_2507", "sub_lea_1", "cus_lea", "2025-07-01T10:00:00Z", "2025-08-01T10:00:00Z", 6000,
            "fp_lea_1", reason="subscription_create")
monthly_clean("in_lea", "sub_lea_1", "cus_lea", "2025-08-01T10:00:00Z", 1, 6000, "fp_lea_1")
invoice("in_lea_2509", "sub_lea_1", "cus_lea", "subscription_cycle", "2025-09-01T10:00:00Z",
        "2025-10-01T10:00:00Z", 6000, "USD", "paid", 1, paid_at="2025-09-01T10:02:00Z")
b_txn("700000301", "sale", "1", "100", "60.00", "2025-09-01T10:02:00Z", order_id="lea_2509", vault="cus_lea")
expect_outcome("in_lea_2509", "clean")
add("processor_a/disputes", id="dp_lea_1", charge="ch_lea_2508_1", amount=6000, reason="fraudulent",
    status="lost", created=epoch("2025-09-03T12:00:00Z"))
event("ev_lea_02", "sub_lea_1", "canceled", "2025-09-05T18:00:00Z", reason="fraud_review")
b_txn("700000302", "chargeback", "1", "100", "60.00", "2025-09-25T00:00:00Z", vault="cus_lea",
      original="700000301", text="Chargeback: fraudulent")
expect_mrr("sub_lea_1", 7, 8, "60.00")


# ======================================================================================
# S11 Max — Nov rebill with no attempt at all (no_attempt); Dec rebill failed 4 days before
#       as_of, window open (pending, past_due at as_of, billing says ' Past_Due ').
# ======================================================================================
customer("cus_max", "max.weber@example.com", "2025-08-16T08:55:00Z")
contact("ct_012", "max.weber@example.com", "555-010-0112", "Max", "Weber",
        "2025-08-16T09:00:00Z", "2025-08-16T09:00:00Z", billing_customer_id="cus_max")
subscription("sub_max_1", "cus_max", "plan_core_m", "2025-08-16T09:00:00Z", " Past_Due ",
             "2025-12-16T09:00:00Z", "2026-01-16T09:00:00Z", "2025-12-16T09:02:00Z")
event("ev_max_01", "sub_max_1", "created", "2025-08-16T09:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_max_2508", "sub_max_1", "cus_max", "2025-08-16T09:00:00Z", "2025-09-16T09:00:00Z", 4000,
            "fp_max_1", reason="subscription_create")
monthly_clean("in_max", "sub_max_1", "cus_max", "2025-09-16T09:00:00Z", 2, 4000, "fp_max_1")
invoice("in_max_2511", "sub_max_1", "cus_max", "subscription_cycle", "2025-11-16T09:00:00Z",
        "2025-12-16T09:00:00Z", 4000, "USD", "open", 0)
expect_outcome("in_max_2511", "no_attempt")
invoice("in_max_2512", "sub_max_1", "cus_max", "subscription_cycle", "2025-12-16T09:00:00Z",
        "2026-01-16T09:00:00Z", 4000, "USD", "open", 1)
charge("ch_max_2512_1", 4000, "usd", "failed", "2025-12-16T09:02:00Z", 1, "in_max_2512", "cus_max",
       failure_code="insufficient_funds", fp="fp_max_1")
expect_outcome("in_max_2512", "pending")          # window closes 2025-12-30T09:02:00Z > as_of
message("msg_015", "sms", "+1 (555) 010-0112", "payment_failed_recovery", "ch_max_2512_1", True, [
    ("sent", "2025-12-16T09:04:00Z"), ("delivered", "2025-12-16T09:04:02Z"), ("clicked", "2025-12-16T12:00:00Z")])
message("msg_016", "email", "max.weber@example.com", "payment_failed_recovery", "in_max_2512", True, [
    ("sent", "2025-12-16T09:08:00Z"), ("delivered", "2025-12-16T09:08:03Z")])
# The ticket lands twice: `new` (dropped) and the later-updated `open` (kept).
duplicate("support/tickets", id=50007, requester_email="max.weber@example.com", subject="Payment failed again",
          tags="payment_issue", priority="high", status="new", satisfaction=None,
          created_at="2025-12-17T08:00:00Z", updated_at="2025-12-17T08:00:00Z", solved_at=None)
ticket(50007, "max.weber@example.com", "Payment failed again", "payment_issue", "open",
       "2025-12-17T08:00:00Z", "2025-12-18T10:00:00Z", priority="high")
expect_mrr("sub_max_1", 8, 11, "40.00")


# ======================================================================================
# S12 Oli — pause spanning the June month end (paused Jun 20, resumed Jul 10), pause_start /
#       pause_end on the snapshot; billing re-anchored to the 10th on resume.
# ======================================================================================
customer("cus_oli", "oli.haddad@example.com", "2025-04-05T09:55:00Z")
contact("ct_013", "oli.haddad@example.com", "(555) 010-0113", "Oli", "Haddad",
        "2025-04-05T10:00:00Z", "2025-04-05T10:00:00Z", billing_customer_id="cus_oli")
subscription("sub_oli_1", "cus_oli", "plan_core_m", "2025-04-05T10:00:00Z", "active",
             "2025-12-10T08:00:00Z", "2026-01-10T08:00:00Z", "2025-12-10T08:02:00Z",
             pause_start="2025-06-20T08:00:00Z", pause_end="2025-07-10T08:00:00Z")
event("ev_oli_01", "sub_oli_1", "created", "2025-04-05T10:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_oli_2504", "sub_oli_1", "cus_oli", "2025-04-05T10:00:00Z", "2025-05-05T10:00:00Z", 4000,
            "fp_oli_1", reason="subscription_create")
monthly_clean("in_oli", "sub_oli_1", "cus_oli", "2025-05-05T10:00:00Z", 2, 4000, "fp_oli_1")
event("ev_oli_02", "sub_oli_1", "paused", "2025-06-20T08:00:00Z")
duplicate("billing/subscription_events", **dict(ROWS["billing/subscription_events"][-1]))  # delivered twice
event("ev_oli_03", "sub_oli_1", "resumed", "2025-07-10T08:00:00Z")
monthly_clean("in_oli", "sub_oli_1", "cus_oli", "2025-07-10T08:00:00Z", 6, 4000, "fp_oli_1")
expect_mrr("sub_oli_1", 4, 5, "40.00")
expect_mrr("sub_oli_1", 7, 11, "40.00")          # June 30: paused -> 0 (no row)


# ======================================================================================
# S13 Pia — upgrade core -> plus (May 20, with a proration invoice), downgrade plus -> lite
#       (Sep 25). Events land out of order (the downgrade row first).
# ======================================================================================
customer("cus_pia", "pia.rossi@example.com", "2025-04-09T11:55:00Z")
contact("ct_014", "pia.rossi@example.com", "+1 555 010 0114", "Pia", "Rossi",
        "2025-04-09T12:00:00Z", "2025-09-25T15:00:00Z", billing_customer_id="cus_pia")
subscription("sub_pia_1", "cus_pia", "plan_lite_m", "2025-04-09T12:00:00Z", "active",
             "2025-12-09T12:00:00Z", "2026-01-09T12:00:00Z", "2025-12-09T12:02:00Z")
event("ev_pia_03", "sub_pia_1", "plan_changed", "2025-09-25T15:00:00Z",
      previous_plan_id="plan_plus_m", plan_id="plan_lite_m")
event("ev_pia_01", "sub_pia_1", "created", "2025-04-09T12:00:00Z", plan_id="plan_core_m", quantity=1)
event("ev_pia_02", "sub_pia_1", "plan_changed", "2025-05-20T15:00:00Z",
      previous_plan_id="plan_core_m", plan_id="plan_plus_m")
clean_cycle("in_pia_2504", "sub_pia_1", "cus_pia", "2025-04-09T12:00:00Z", "2025-05-09T12:00:00Z", 4000,
            "fp_pia_1", reason="subscription_create")
monthly_clean("in_pia", "sub_pia_1", "cus_pia", "2025-05-09T12:00:00Z", 1, 4000, "fp_pia_1")
clean_cycle("in_pia_2505u", "sub_pia_1", "cus_pia", "2025-05-20T15:00:00Z", "2025-06-09T12:00:00Z", 1290,
            "fp_pia_1", reason="subscription_update")          # proration: not a rebill, not MRR
monthly_clean("in_pia", "sub_pia_1", "cus_pia", "2025-06-09T12:00:00Z", 4, 6000, "fp_pia_1")
monthly_clean("in_pia", "sub_pia_1", "cus_pia", "2025-10-09T12:00:00Z", 3, 2500, "fp_pia_1")
message("msg_017", "email", "Pia.Rossi@example.com", "newsletter", None, False, [
    ("sent", "2025-11-14T16:00:00Z"), ("delivered", "2025-11-14T16:00:06Z")])
expect_mrr("sub_pia_1", 4, 4, "40.00")
expect_mrr("sub_pia_1", 5, 8, "60.00")
expect_mrr("sub_pia_1", 9, 11, "25.00")


# ======================================================================================
# S14 Quinn — quantity 1 -> 2 (Jul 3) and NO `created` event: starts at the snapshot's created_at,
#       quantity before the change = the event's previous_quantity. Billing timestamps without
#       offset (UTC). Snapshot status 'on_hold' (unknown enum).
# ======================================================================================
customer("cus_quinn", "quinn.adams@example.com", "2025-06-11T07:25:00")
contact("ct_015", "quinn.adams@example.com", "+1 555 010 0115", "Quinn", "Adams",
        "2025-06-11T07:30:00Z", "2025-07-03T12:00:00Z", billing_customer_id="cus_quinn")
subscription("sub_quinn_1", "cus_quinn", "plan_core_m", "2025-06-11T07:30:00", "on_hold",
             "2025-12-11T07:30:00", "2026-01-11T07:30:00", "2025-12-11T07:32:00", quantity=2)
clean_cycle("in_quinn_2506", "sub_quinn_1", "cus_quinn", "2025-06-11T07:30:00", "2025-07-11T07:30:00", 4000,
            "fp_quinn_1", reason="subscription_create")
event("ev_quinn_01", "sub_quinn_1", "quantity_changed", "2025-07-03T12:00:00", previous_quantity=1, quantity=2)
clean_cycle("in_quinn_2507u", "sub_quinn_1", "cus_quinn", "2025-07-03T12:00:00", "2025-07-11T07:30:00", 1067,
            "fp_quinn_1", reason="subscription_update")
monthly_clean("in_quinn", "sub_quinn_1", "cus_quinn", "2025-07-11T07:30:00", 6, 8000, "fp_quinn_1")
message("msg_018", "sms", "+1 555 010 0115", "renewal_reminder", None, True, [
    ("sent", "2025-11-08T15:00:00Z"), ("failed", "2025-11-08T15:00:09Z")])
expect_mrr("sub_quinn_1", 6, 6, "40.00")
expect_mrr("sub_quinn_1", 7, 11, "80.00")


# ======================================================================================
# S15 Ray — two subscriptions. sub_ray_1 upgraded core -> plus on Oct 12; sub_ray_2's Oct 3 rebill
#       fails and its window closes Oct 17 unpaid (failed; no cancel event, billing says 'unpaid';
#       the D2 overlay cancels it at the close, involuntarily). Upgrade + failed renewal, same month.
# ======================================================================================
customer("cus_ray", "ray.costa@example.com", "2025-06-04T09:55:00Z")
contact("ct_016", "ray.costa@example.com", None, "Ray", "Costa",
        "2025-06-04T10:00:00Z", "2025-06-04T10:00:00Z", billing_customer_id="cus_ray")
subscription("sub_ray_1", "cus_ray", "plan_plus_m", "2025-06-04T10:00:00Z", "active",
             "2025-12-04T10:00:00Z", "2026-01-04T10:00:00Z", "2025-12-04T10:02:00Z")
event("ev_ray_01", "sub_ray_1", "created", "2025-06-04T10:00:00Z", plan_id="plan_core_m", quantity=1)
clean_cycle("in_ray1_2506", "sub_ray_1", "cus_ray", "2025-06-04T10:00:00Z", "2025-07-04T10:00:00Z", 4000,
            "fp_ray_1", reason="subscription_create")
monthly_clean("in_ray1", "sub_ray_1", "cus_ray", "2025-07-04T10:00:00Z", 4, 4000, "fp_ray_1")
event("ev_ray_02", "sub_ray_1", "plan_changed", "2025-10-12T10:00:00Z",
      previous_plan_id="plan_core_m", plan_id="plan_plus_m")
clean_cycle("in_ray1_2510u", "sub_ray_1", "cus_ray", "2025-10-12T10:00:00Z", "2025-11-04T10:00:00Z", 1484,
            "fp_ray_1", reason="subscription_update")
monthly_clean("in_ray1", "sub_ray_1", "cus_ray", "2025-11-04T10:00:00Z", 2, 6000, "fp_ray_1")
expect_mrr("sub_ray_1", 6, 9, "40.00")
expect_mrr("sub_ray_1", 10, 11, "60.00")

subscription("sub_ray_2", "cus_ray", "plan_lite_m", "2025-07-03T10:00:00Z", "unpaid",
             "2025-10-03T10:00:00Z", "2025-11-03T10:00:00Z", "2025-10-17T10:02:00Z")
event("ev_ray_03", "sub_ray_2", "created", "2025-07-03T10:00:00Z", plan_id="plan_lite_m", quantity=1)
clean_cycle("in_ray2_2507", "sub_ray_2", "cus_ray", "2025-07-03T10:00:00Z", "2025-08-03T10:00:00Z", 2500,
            "fp_ray_1", reason="subscription_create")
monthly_clean("in_ray2", "sub_ray_2", "cus_ray", "2025-08-03T10:00:00Z", 2, 2500, "fp_ray_1")
invoice("in_ray2_2510", "sub_ray_2", "cus_ray", "subscription_cycle", "2025-10-03T10:00:00Z",
        "2025-11-03T10:00:00Z", 2500, "USD", "open", 2)
charge("ch_ray2_2510_1", 2500, "usd", "failed", "2025-10-03T10:02:00Z", 1, "in_ray2_2510", "cus_ray",
       failure_code="insufficient_funds", fp="fp_ray_1")
charge("ch_ray2_2510_2", 2500, "usd", "failed", "2025-10-08T10:02:00Z", 2, "in_ray2_2510", "cus_ray",
       failure_code="insufficient_funds", fp="fp_ray_1")
expect_outcome("in_ray2_2510", "failed")          # window closed 2025-10-17T10:02:00Z
expect_mrr("sub_ray_2", 7, 9, "25.00")


# ======================================================================================
# S16 Sol — cancelled Apr 25 (customer, voluntary), winback, `reactivated` Aug 7.
#       Events out of order (reactivated row first) and the reactivated event delivered twice.
# ======================================================================================
customer("cus_sol", "sol.ortega@example.com", "2025-02-20T09:55:00Z")
contact("ct_017", "sol.ortega@example.com", None, "Sol", "Ortega",
        "2025-02-20T10:00:00Z", "2025-08-07T10:05:00Z", billing_customer_id="cus_sol")
subscription("sub_sol_1", "cus_sol", "plan_core_m", "2025-02-20T10:00:00Z", "active",
             "2025-12-07T10:00:00Z", "2026-01-07T10:00:00Z", "2025-12-07T10:02:00Z")
event("ev_sol_03", "sub_sol_1", "reactivated", "2025-08-07T10:00:00Z")
duplicate("billing/subscription_events", **dict(ROWS["billing/subscription_events"][-1]))  # delivered twice
event("ev_sol_01", "sub_sol_1", "created", "2025-02-20T10:00:00Z", plan_id="plan_core_m", quantity=1)
event("ev_sol_02", "sub_sol_1", "canceled", "2025-04-25T10:00:00Z", reason="customer")
clean_cycle("in_sol_2502", "sub_sol_1", "cus_sol", "2025-02-20T10:00:00Z", "2025-03-20T10:00:00Z", 4000,
            "fp_sol_1", reason="subscription_create")
monthly_clean("in_sol", "sub_sol_1", "cus_sol", "2025-03-20T10:00:00Z", 2, 4000, "fp_sol_1")
message("msg_019", "email", "sol.ortega@example.com", "winback", None, True, [
    ("sent", "2025-08-05T14:00:00Z"), ("delivered", "2025-08-05T14:00:03Z"),
    ("clicked", "2025-08-06T09:00:00Z"), ("converted", "2025-08-07T10:00:00Z")])
monthly_clean("in_sol", "sub_sol_1", "cus_sol", "2025-08-07T10:00:00Z", 5, 4000, "fp_sol_1")
expect_mrr("sub_sol_1", 2, 3, "40.00")
expect_mrr("sub_sol_1", 8, 11, "40.00")


# ======================================================================================
# S17 Tom — churn and return inside Q3: sub_tom_1 cancelled Jul 8, new sub_tom_2 on Aug 26.
#       A voided post_purchase order (never one-time expansion). Space-separated ISO timestamps.
# ======================================================================================
customer("cus_tom", "tom.baker@example.com", "2025-05-14 08:55:00+00:00")
contact("ct_018", "tom.baker@example.com", None, "Tom", "Baker",
        "2025-05-14T09:00:00Z", "2025-08-26T09:05:00Z", billing_customer_id="cus_tom")
subscription("sub_tom_1", "cus_tom", "plan_core_m", "2025-05-14 09:00:00+00:00", "canceled",
             "2025-06-14 09:00:00+00:00", "2025-07-14 09:00:00+00:00", "2025-07-08 09:00:00+00:00",
             canceled_at="2025-07-08 09:00:00+00:00", cancellation_reason="not_using", cancellation_source="customer")
event("ev_tom_01", "sub_tom_1", "created", "2025-05-14 09:00:00+00:00", plan_id="plan_core_m", quantity=1)
clean_cycle("in_tom1_2505", "sub_tom_1", "cus_tom", "2025-05-14T09:00:00Z", "2025-06-14T09:00:00Z", 4000,
            "fp_tom_1", reason="subscription_create")
monthly_clean("in_tom1", "sub_tom_1", "cus_tom", "2025-06-14T09:00:00Z", 1, 4000, "fp_tom_1")
event("ev_tom_02", "sub_tom_1", "canceled", "2025-07-08 09:00:00+00:00", reason="customer")
expect_mrr("sub_tom_1", 5, 6, "40.00")

subscription("sub_tom_2", "cus_tom", "plan_core_m", "2025-08-26 09:00:00+00:00", "active",
             "2025-11-26 09:00:00+00:00", "2025-12-26 09:00:00+00:00", "2025-11-26 09:02:00+00:00")
event("ev_tom_03", "sub_tom_2", "created", "2025-08-26 09:00:00+00:00", plan_id="plan_core_m", quantity=1)
clean_cycle("in_tom2_2508", "sub_tom_2", "cus_tom", "2025-08-26T09:00:00Z", "2025-09-26T09:00:00Z", 4000,
            "fp_tom_2", reason="subscription_create")
monthly_clean("in_tom2", "sub_tom_2", "cus_tom", "2025-09-26T09:00:00Z", 3, 4000, "fp_tom_2")
order("o1009", "#1009", "tom.baker@example.com", "cus_tom", "2025-11-01T10:00:00Z", "voided", "post_purchase",
      "19.00", "0.00", "19.00", cancelled_at="2025-11-01T11:00:00Z")
line("l1009-1", "o1009", "SNK-BAR-12", "snacks", 1, "19.00", offer_type="upsell")
expect_mrr("sub_tom_2", 8, 11, "40.00")


# ======================================================================================
# S18 Uma — EUR plan (36.00 EUR + 20 % VAT), same plan all year while the EUR rate moves.
#       Billing times carry +02:00 / +01:00 offsets at 00:30 local, so every invoice falls in the
#       PREVIOUS UTC month (created 2025-04-01T00:30:00+02:00 = 2025-03-31T22:30:00Z): MRR from
#       March. Her A charges carry no customer (attach through the invoice).
# ======================================================================================
customer("cus_uma", "uma.schulz@example.de", "2025-04-01T00:25:00+02:00", currency="EUR")
contact("ct_019", "uma.schulz@example.de", "+49 30 1234567", "Uma", "Schulz",
        "2025-04-01T00:26:00+02:00", "2025-04-01T00:26:00+02:00", billing_customer_id="cus_uma", country="DE")
subscription("sub_uma_1", "cus_uma", "plan_core_m_eur", "2025-04-01T00:30:00+02:00", "active",
             "2025-12-01T00:30:00+01:00", "2026-01-01T00:30:00+01:00", "2025-12-01T00:32:00+01:00")
event("ev_uma_01", "sub_uma_1", "created", "2025-04-01T00:30:00+02:00", plan_id="plan_core_m_eur", quantity=1)
UMA_LOCAL = ["2025-04-01T00:30:00+02:00", "2025-05-01T00:30:00+02:00", "2025-06-01T00:30:00+02:00",
             "2025-07-01T00:30:00+02:00", "2025-08-01T00:30:00+02:00", "2025-09-01T00:30:00+02:00",
             "2025-10-01T00:30:00+02:00", "2025-11-01T00:30:00+01:00", "2025-12-01T00:30:00+01:00",
             "2026-01-01T00:30:00+01:00"]
for k in range(9):   # id month = the local (Berlin) period month; billed month (UTC) is the one before
    clean_cycle(f"in_uma_25{UMA_LOCAL[k][5:7]}", "sub_uma_1", "cus_uma", UMA_LOCAL[k], UMA_LOCAL[k + 1], 3600,
                "fp_uma_1", currency="EUR", tax=720, charge_customer=False,
                reason="subscription_create" if k == 0 else "subscription_cycle")
message("msg_020", "email", "uma.schulz@example.de", "newsletter", None, False, [
    ("sent", str(epoch("2025-11-14T16:05:00Z"))), ("delivered", str(epoch("2025-11-14T16:05:07Z")))])
expect_mrr("sub_uma_1", 3, 11, "36.00", "EUR")


# ======================================================================================
# S19 Vic — GBP plan (32.00 GBP + 20 % VAT), same plan while the GBP rate moves; customer row
#       landed twice (exact duplicate); a post_payment_upsell that did not convert; an open dispute.
# ======================================================================================
customer("cus_vic", "vic.hughes@example.co.uk", "2025-08-03T09:55:00+01:00", currency="GBP")
duplicate("billing/customers", **dict(ROWS["billing/customers"][-1]))
contact("ct_020", "vic.hughes@example.co.uk", "+44 7700 900123", "Vic", "Hughes",
        "2025-08-03T08:56:00Z", "2025-08-03T08:56:00Z", billing_customer_id="cus_vic", country="GB")
subscription("sub_vic_1", "cus_vic", "plan_core_m_gbp", "2025-08-03T10:00:00+01:00", "active",
             "2025-12-03T09:00:00Z", "2026-01-03T09:00:00Z", "2025-12-03T09:02:00Z")
event("ev_vic_01", "sub_vic_1", "created", "2025-08-03T10:00:00+01:00", plan_id="plan_core_m_gbp", quantity=1)
clean_cycle("in_vic_2508", "sub_vic_1", "cus_vic", "2025-08-03T10:00:00+01:00", "2025-09-03T10:00:00+01:00",
            3200, "fp_vic_1", currency="GBP", tax=640, reason="subscription_create")
monthly_clean("in_vic", "sub_vic_1", "cus_vic", "2025-09-03T10:00:00+01:00", 2, 3200, "fp_vic_1",
              currency="GBP", tax=640)
monthly_clean("in_vic", "sub_vic_1", "cus_vic", "2025-11-03T09:00:00Z", 2, 3200, "fp_vic_1",
              currency="GBP", tax=640)
message("msg_021", "email", "vic.hughes@example.co.uk", "post_payment_upsell", "ch_vic_2511_1", True, [
    ("sent", "2025-11-03T09:05:00Z"), ("delivered", "1970-01-01T00:00:00Z", "timestamp_out_of_range")])
add("processor_a/disputes", id="dp_vic_1", charge="ch_vic_2512_1", amount=3840, reason="product_not_received",
    status="needs_response", created=epoch("2025-12-18T10:00:00Z"))
expect_mrr("sub_vic_1", 8, 11, "32.00", "GBP")


# ======================================================================================
# S20 Wes — yearly plan from Jan 9 (the earliest invoice: reported months start 2025-01) and a
#       quarterly plan added Feb 17 (new_subscription); renewal reminders.
# ======================================================================================
customer("cus_wes", "wes.turner@example.com", "2025-01-09T09:55:00Z")
contact("ct_021", "wes.turner@example.com", "555-010-0121", "Wes", "Turner",
        "2025-01-09T10:00:00Z", "2025-02-17T10:00:00Z", billing_customer_id="cus_wes", acquisition_channel="organic")
subscription("sub_wes_y", "cus_wes", "plan_core_y", "2025-01-09T10:00:00Z", "active",
             "2025-01-09T10:00:00Z", "2026-01-09T10:00:00Z", "2025-01-09T10:02:00Z")
event("ev_wes_01", "sub_wes_y", "created", "2025-01-09T10:00:00Z", plan_id="plan_core_y", quantity=1)
clean_cycle("in_wes_y_2501", "sub_wes_y", "cus_wes", "2025-01-09T10:00:00Z", "2026-01-09T10:00:00Z", 30000,
            "fp_wes_1", reason="subscription_create")
expect_mrr("sub_wes_y", 1, 11, "25.00")         # 300.00 / 12

subscription("sub_wes_q", "cus_wes", "plan_core_q", "2025-02-17T10:00:00Z", "active",
             "2025-11-17T10:00:00Z", "2026-02-17T10:00:00Z", "2025-11-17T10:02:00Z")
event("ev_wes_02", "sub_wes_q", "created", "2025-02-17T10:00:00Z", plan_id="plan_core_q", quantity=1)
clean_cycle("in_wes_q_2502", "sub_wes_q", "cus_wes", "2025-02-17T10:00:00Z", "2025-05-17T10:00:00Z", 9000,
            "fp_wes_1", reason="subscription_create")
# May rebill lands twice: `open` (dropped) and `paid` (kept).
duplicate("billing/invoices", id="in_wes_q_2505", subscription_id="sub_wes_q", customer_id="cus_wes",
          billing_reason="subscription_cycle", period_start="2025-05-17T10:00:00Z",
          period_end="2025-08-17T10:00:00Z", subtotal=9000, discount=0, tax=0, total=9000, currency="USD",
          status="open", attempt_count=0, created_at="2025-05-17T10:00:00Z", paid_at=None)
clean_cycle("in_wes_q_2505", "sub_wes_q", "cus_wes", "2025-05-17T10:00:00Z", "2025-08-17T10:00:00Z", 9000,
            "fp_wes_1")
message("msg_022", "sms", "+1 555 010 0121", "renewal_reminder", None, True, [
    ("sent", "2025-08-14T10:00:00Z"), ("delivered", "2025-08-14T10:00:02Z")])
clean_cycle("in_wes_q_2508", "sub_wes_q", "cus_wes", "2025-08-17T10:00:00Z", "2025-11-17T10:00:00Z", 9000,
            "fp_wes_1")
message("msg_023", "email", "wes.turner@example.com", "renewal_reminder", None, True, [
    ("sent", "2025-11-14T10:00:00Z"), ("delivered", "2025-11-14T10:00:04Z"), ("clicked", "not-a-date", "unparseable_timestamp")])
clean_cycle("in_wes_q_2511", "sub_wes_q", "cus_wes", "2025-11-17T10:00:00Z", "2026-02-17T10:00:00Z", 9000,
            "fp_wes_1")
expect_mrr("sub_wes_q", 2, 11, "30.00")         # 90.00 / 3


# ======================================================================================
# S21 Yara — weekly plan (12.00 / week = 52.00 / month), billing timestamps without offset.
# ======================================================================================
customer("cus_yara", "yara.ali@example.com", "2025-10-27T07:55:00")
contact("ct_022", "yara.ali@example.com", "5550100122", "Yara", "Ali",
        "2025-10-27T08:00:00Z", "2025-10-27T08:00:00Z", billing_customer_id="cus_yara")
subscription("sub_yara_1", "cus_yara", "plan_snack_w", "2025-10-27T08:00:00", "active",
             "2025-12-15T08:00:00", "2025-12-22T08:00:00", "2025-12-15T08:02:00")
event("ev_yara_01", "sub_yara_1", "created", "2025-10-27T08:00:00", plan_id="plan_snack_w", quantity=1)
clean_cycle("in_yara_1027", "sub_yara_1", "cus_yara", "2025-10-27T08:00:00", "2025-11-03T08:00:00", 1200,
            "fp_yara_1", reason="subscription_create")
for start, end in [("11-03", "11-10"), ("11-10", "11-17"), ("11-17", "11-24"), ("11-24", "12-01"),
                   ("12-01", "12-08"), ("12-08", "12-15"), ("12-15", "12-22")]:
    clean_cycle(f"in_yara_{start.replace('-', '')}", "sub_yara_1", "cus_yara", f"2025-{start}T08:00:00",
                f"2025-{end}T08:00:00", 1200, "fp_yara_1")
expect_mrr("sub_yara_1", 10, 11, "52.00")


# ======================================================================================
# S22 Zed — trial Sep 5, trial_end (snapshot) Sep 19, converted early on Sep 17 -> active Sep 17.
# ======================================================================================
customer("cus_zed", "zed.kowalski@example.com", "2025-09-05T11:55:00Z")
contact("ct_023", "zed.kowalski@example.com", None, "Zed", "Kowalski",
        "2025-09-05T12:00:00Z", "2025-09-17T12:00:00Z", billing_customer_id="cus_zed")
subscription("sub_zed_1", "cus_zed", "plan_core_m", "2025-09-05T12:00:00Z", "active",
             "2025-12-17T12:00:00Z", "2026-01-17T12:00:00Z", "2025-12-17T12:02:00Z",
             trial_end="2025-09-19T12:00:00Z")
event("ev_zed_01", "sub_zed_1", "created", "2025-09-05T12:00:00Z", plan_id="plan_core_m", quantity=1)
invoice("in_zed_2509", "sub_zed_1", "cus_zed", "subscription_create", "2025-09-05T12:00:00Z",
        "2025-09-17T12:00:00Z", 0, "USD", "paid", 0, paid_at="2025-09-05T12:00:00Z")   # 0.00 trial invoice
event("ev_zed_02", "sub_zed_1", "trial_converted", "2025-09-17T12:00:00Z")
clean_cycle("in_zed_2509b", "sub_zed_1", "cus_zed", "2025-09-17T12:00:00Z", "2025-10-17T12:00:00Z", 4000,
            "fp_zed_1")
monthly_clean("in_zed", "sub_zed_1", "cus_zed", "2025-10-17T12:00:00Z", 3, 4000, "fp_zed_1")
expect_mrr("sub_zed_1", 9, 11, "40.00")


# ======================================================================================
# S23 Jane — 14-day trial with NO trial_converted event: active from the snapshot trial_end
#       (Sep 24). Customer e-mail 'Jane@X.com ' matches CRM 'jane@x.com' by e-mail only.
#       15 % discount; an unknown event type.
# ======================================================================================
customer("cus_jane", "Jane@X.com ", "2025-09-10T14:55:00Z")
contact("ct_024", "jane@x.com", "555 010 0124", "Jane", "Doe",
        "2025-09-01T10:00:00Z", "2025-09-10T15:00:00Z", acquisition_channel="podcast")
subscription("sub_jane_1", "cus_jane", "plan_lite_m", "2025-09-10T15:00:00Z", "active",
             "2025-11-24T15:00:00Z", "2025-12-24T15:00:00Z", "2025-11-24T15:02:00Z",
             discount_pct=15, trial_end="2025-09-24T15:00:00Z")
event("ev_jane_01", "sub_jane_1", "created", "2025-09-10T15:00:00Z", plan_id="plan_lite_m", quantity=1)
event("ev_jane_02", "sub_jane_1", "discount_applied", "2025-09-10T15:00:05Z")           # unknown -> 'unknown'
invoice("in_jane_2509", "sub_jane_1", "cus_jane", "subscription_create", "2025-09-10T15:00:00Z",
        "2025-09-24T15:00:00Z", 0, "USD", "paid", 0, paid_at="2025-09-10T15:00:00Z")
clean_cycle("in_jane_2509b", "sub_jane_1", "cus_jane", "2025-09-24T15:00:00Z", "2025-10-24T15:00:00Z", 2500,
            "fp_jane_1", discount=375)
monthly_clean("in_jane", "sub_jane_1", "cus_jane", "2025-10-24T15:00:00Z", 2, 2500, "fp_jane_1", discount=375)
ticket(50008, "JANE@x.com", "Where is my discount?", "billing", "solved",
       "2025-10-25T10:00:00Z", "2025-10-25T12:00:00Z", "2025-10-25T12:00:00Z", priority="low", satisfaction="good")
expect_mrr("sub_jane_1", 9, 11, "21.25")         # 25.00 x (1 - 15/100)


# ======================================================================================
# S24 Bea — trial cancelled before its trial_end, never paid (MRR 0 throughout).
# ======================================================================================
customer("cus_bea", "bea.lund@example.com", "2025-11-03T09:55:00Z")
contact("ct_025", "bea.lund@example.com", None, "Bea", "Lund",
        "2025-11-03T10:00:00Z", "2025-11-10T10:00:00Z", billing_customer_id="cus_bea")
subscription("sub_bea_1", "cus_bea", "plan_core_m", "2025-11-03T10:00:00Z", "canceled",
             "2025-11-03T10:00:00Z", "2025-11-17T10:00:00Z", "2025-11-10T10:00:00Z",
             trial_end="2025-11-17T10:00:00Z", canceled_at="2025-11-10T10:00:00Z",
             cancellation_reason="not_using", cancellation_source="customer")
event("ev_bea_01", "sub_bea_1", "created", "2025-11-03T10:00:00Z", plan_id="plan_core_m", quantity=1)
event("ev_bea_02", "sub_bea_1", "canceled", "2025-11-10T10:00:00Z", reason="customer")
invoice("in_bea_2511", "sub_bea_1", "cus_bea", "subscription_create", "2025-11-03T10:00:00Z",
        "2025-11-17T10:00:00Z", 0, "USD", "paid", 0, paid_at="2025-11-03T10:00:00Z")


# ======================================================================================
# S25 Cal — snapshot-only subscription (no events at all) on the every-30-days plan.
# ======================================================================================
customer("cus_cal", "cal.murphy@example.com", "2025-09-12T09:55:00Z")
contact("ct_026", "cal.murphy@example.com", None, "Cal", "Murphy",
        "2025-09-12T10:00:00Z", "2025-09-12T10:00:00Z", billing_customer_id="cus_cal")
subscription("sub_cal_1", "cus_cal", "plan_sample_30d", "2025-09-12T10:00:00Z", "active",
             "2025-12-11T10:00:00Z", "2026-01-10T10:00:00Z", "2025-12-11T10:02:00Z")
clean_cycle("in_cal_2509", "sub_cal_1", "cus_cal", "2025-09-12T10:00:00Z", "2025-10-12T10:00:00Z", 3600,
            "fp_cal_1", reason="subscription_create")
for start, end in [("10-12", "11-11"), ("11-11", "12-11"), ("12-11", "2026-01-10")]:
    end_at = f"{end}T10:00:00Z" if end.startswith("2026") else f"2025-{end}T10:00:00Z"
    clean_cycle(f"in_cal_25{start[:2]}", "sub_cal_1", "cus_cal", f"2025-{start}T10:00:00Z", end_at, 3600,
                "fp_cal_1")
duplicate("processor_a/charges", **dict(ROWS["processor_a/charges"][-2]))   # ch_cal_2511_1, exact duplicate
expect_mrr("sub_cal_1", 9, 11, "36.50")          # 36.00 x 365 / 12 / 30


# ======================================================================================
# Unmatched records and orphans (kept, flagged, counted in the unmatched audit; D0, D1).
# ======================================================================================
# A charge for an invoice billing never exported (customer known: attaches to Ben's account).
charge("ch_orphan_1", 4000, "usd", "failed", "2025-08-20T10:00:00Z", 1, "in_unknown_0001", "cus_ben",
       failure_code="do_not_honor", fp="fp_ben_1")
# A `canceled` event for a subscription billing never exported.
event("ev_ghost_01", "sub_ghost_1", "canceled", "2025-06-30T12:00:00Z", reason="customer")
# A ticket from an e-mail no customer or contact has.
ticket(50009, "stranger@unknown.test", "Where is my order?", "shipping", "open",
       "2025-11-05T10:00:00Z", "2025-11-05T10:00:00Z", priority=None)
# A guest web order (no customer, unknown e-mail) paid on A; its charge has no customer either.
order("o1006", "#1006", "guest.buyer@example.net", None, "2025-07-04T11:00:00Z", "paid", "web",
      "25.00", "0.00", "25.00")
line("l1006-1", "o1006", "TEE-01", "merch", 1, "25.00")
charge("ch_ord_1006", 2500, "usd", "succeeded", "2025-07-04T11:00:30Z", order_ref="o1006", fp="fp_guest_1")
# An order line whose order is unknown.
line("l9999-1", "o9999", "SNK-BAR-12", "snacks", 1, "19.00", offer_type="upsell")
# CRM lead that never became a customer.
contact("ct_900", "prospect@example.net", "(555) 010-0900", "Pat", "Prospect",
        "2025-10-01T10:00:00Z", "2025-10-02T10:00:00Z", lifecycle_stage="lead", acquisition_channel="organic")
# Newsletter to an address nobody has; the platform reports an unknown event type.
message("msg_024", "email", "old.subscriber@example.org", "newsletter", None, False, [
    ("sent", "2025-11-14T16:00:00Z"), ("bounced", "2025-11-14T16:00:09Z")])          # 'bounced' -> 'unknown'


# ======================================================================================
# Rows that must be quarantined (D0) — one line each, none of them part of a story.
# ======================================================================================
customer("", "ghost.customer@example.com", "2025-03-01T10:00:00Z",
         table_add=quarantine_as("missing_primary_key"))
event("", "sub_oli_1", "resumed", "2025-07-10T08:00:00Z",
      table_add=quarantine_as("missing_primary_key"))
invoice("in_ada_manual_1", None, "cus_ada", "manual", "not-a-date", None, 500, "USD", "open", 0,
        table_add=quarantine_as("unparseable_timestamp"))
charge("", 1900, "usd", "failed", "2025-10-08T20:19:00Z", order_ref="o1001", customer="cus_ada",
       failure_code="generic_decline", fp="fp_ada_1",
       table_add=quarantine_as("missing_primary_key"))
charge("ch_brl_1", 15000, "brl", "succeeded", "2025-06-15T13:00:00Z", fp="fp_guest_2",
       table_add=quarantine_as("no_fx_rate"))
quarantined("processor_a/refunds", "timestamp_out_of_range", id="re_bad_1970", charge="ch_ada_2507_1",
            amount=4000, reason="duplicate", created=86400)                       # 1970-01-02
b_txn("700000104", "refund", "3", "300", "N/A", "2025-09-18T11:59:00Z", vault="cus_cleo", original="700000102",
      table_add=quarantine_as("unparseable_amount"))
quarantined("processor_b/transactions", "timestamp_out_of_range", transaction_id="700000901", type="sale",
            response="1", response_code="100", response_text="APPROVED", amount="25.00", currency="USD",
            time="20990101000000", order_id="#1006", customer_vault_id=None, original_transaction_id=None)
quarantined("processor_b/transactions", "unparseable_timestamp", transaction_id="700000903", type="sale",
            response="3", response_code="400", response_text="Processor error", amount="10.00", currency="USD",
            time="20251341000000", order_id=None, customer_vault_id=None, original_transaction_id=None)
contact("ct_901", "old.lead@example.net", None, "Old", "Lead", "2025-02-01T10:00:00Z", "not-a-date",
        lifecycle_stage="lead", table_add=quarantine_as("unparseable_timestamp"))
order("o1007", "#1007", "comprador@example.com.br", None, "2025-07-10T14:00:00Z", "paid", "web",
      "120.00", "0.00", "120.00", currency="BRL",
      table_add=quarantine_as("no_fx_rate"))
order("o1008", "#1008", "guest2@example.net", None, "2025-08-01T10:00:00Z", "pending", "web",
      "25.00", "0.00", "N/A", table_add=quarantine_as("unparseable_amount"))
ticket(50010, "pia.rossi@example.com", "Question about my plan", "product_issue", "new",
       "2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z",
       table_add=quarantine_as("timestamp_out_of_range"))
ticket("", "oli.haddad@example.com", "Pause my box", "billing", "solved",
       "2025-06-19T09:00:00Z", "2025-06-19T10:00:00Z", "2025-06-19T10:00:00Z",
       table_add=quarantine_as("missing_primary_key"))
quarantined("messaging/events", "missing_primary_key", event_id="", message_id="msg_004", channel="sms",
            recipient="+1 555 010 0102", flow="payment_failed_recovery", trigger_ref="ch_ben_2509_1",
            automated="true", event_type="converted", occurred_at="2025-09-13T10:05:00Z")
# Also quarantined, written inside their stories: msg_021's 1970 `delivered` (S19) and
# msg_023's 'not-a-date' `clicked` (S20).


# ======================================================================================
# Write.
# ======================================================================================
def write_csv(path: Path, header: list[str], rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def main() -> None:
    for table, rows in ROWS.items():
        write_csv(RAW / f"{table}.csv", COLUMNS[table], ([row.get(c) for c in COLUMNS[table]] for row in rows))

    assert len({i for i, _, _ in OUTCOMES}) == len(OUTCOMES), "one outcome per rebill"
    write_csv(EXPECTED / "renewal_outcomes.csv", ["invoice_id", "outcome", "recovery_method"], sorted(OUTCOMES))
    write_csv(EXPECTED / "subscription_mrr_month_end.csv", ["subscription_id", "month_end", "mrr", "currency"],
              sorted(MRR))
    write_csv(EXPECTED / "quarantine.csv", ["source_table", "record_key", "reason"], sorted(QUARANTINE))
    quarantined_rows = Counter(t for t, _, _ in QUARANTINE)
    write_csv(EXPECTED / "row_counts.csv",
              ["source_table", "raw_rows", "duplicate_rows_removed", "quarantined_rows", "staged_rows"],
              ([t, len(ROWS[t]), DUPLICATES_REMOVED[t], quarantined_rows[t],
                len(ROWS[t]) - DUPLICATES_REMOVED[t] - quarantined_rows[t]] for t in COLUMNS))


if __name__ == "__main__":
    main()

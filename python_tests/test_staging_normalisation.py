"""Staging on crafted raw rows (rule D0, D1): timestamps to UTC, money to minor units and
USD, enum and email/phone normalisation, quarantine reasons, de-duplication tie-breaks.

Expected values are worked out by hand here (or from the seeds with Python's Decimal), not
read back from the models.
"""
from __future__ import annotations

import csv
import hashlib
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conftest import SEEDS_DIR, build_warehouse
from raw_builder import write_raw_dir


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def fx(currency: str, month: str) -> Decimal:
    with open(SEEDS_DIR / "fx_rates.csv") as handle:
        for row in csv.DictReader(handle):
            if row["currency"] == currency and row["month"] == month:
                return Decimal(row["usd_per_unit"])
    raise KeyError((currency, month))


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


INVOICE = dict(subscription_id="sub_1", customer_id="cus_1", billing_reason="subscription_cycle",
               period_start="2025-01-01T00:00:00+00:00", period_end="2025-02-01T00:00:00+00:00",
               subtotal="2999", discount="0", tax="0", total="2999", currency="USD", status="open",
               attempt_count="1", created_at="2025-01-01T00:00:00+00:00", paid_at="")

ROWS = {
    ("billing", "invoices"): [
        {**INVOICE, "id": "in_dup", "status": "open"},
        {**INVOICE, "id": "in_dup", "status": "paid", "paid_at": "2025-01-01T00:05:00Z"},
        {**INVOICE, "id": "in_dup", "status": "draft"},
        {**INVOICE, "id": " in_eur ", "currency": " eur ", "total": "1000",
         "created_at": "2025-03-10T23:30:00-02:00", "billing_reason": " SUBSCRIPTION_CYCLE "},
        {**INVOICE, "id": "in_epoch", "created_at": "1735689600", "billing_reason": "weird_reason"},
        {**INVOICE, "id": "in_compact", "created_at": "20250102030405"},
        {**INVOICE, "id": "in_naive", "created_at": "2025-01-02 03:04:05"},
        {**INVOICE, "id": "in_jpy", "currency": "JPY", "total": "1500", "created_at": "2025-06-15T12:00:00+09:00"},
        {**INVOICE, "id": "in_bad_ts", "created_at": "not-a-date"},
        {**INVOICE, "id": "in_1970", "created_at": "1970-01-01T00:00:00Z"},
        {**INVOICE, "id": "in_2099", "created_at": "2099-01-01T00:00:00Z"},
        {**INVOICE, "id": "in_na", "total": "N/A"},
        {**INVOICE, "id": "in_brl", "currency": "BRL"},
        {**INVOICE, "id": "", "total": "100"},
    ],
    ("billing", "customers"): [
        {"id": "cus_1", "email": " Jane@X.com ", "crm_contact_id": "", "currency": "usd",
         "created_at": "2025-01-01T00:00:00Z", "deleted": "FALSE"},
        {"id": "cus_2", "email": "", "crm_contact_id": "c_2", "currency": "EUR",
         "created_at": "2025-01-01T00:00:00Z", "deleted": "true"},
    ],
    ("billing", "subscriptions"): [
        {"id": "sub_a", "customer_id": "cus_1", "plan_id": "p", "quantity": "1", "status": " Active",
         "created_at": "2025-01-01T00:00:00Z", "current_period_start": "2025-01-01T00:00:00Z",
         "current_period_end": "2025-02-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
        {"id": "sub_b", "customer_id": "cus_1", "plan_id": "p", "quantity": "1", "status": "CANCELED",
         "created_at": "2025-01-01T00:00:00Z", "current_period_start": "2025-01-01T00:00:00Z",
         "current_period_end": "2025-02-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
        {"id": "sub_c", "customer_id": "cus_1", "plan_id": "p", "quantity": "1", "status": "cancelled",
         "created_at": "2025-01-01T00:00:00Z", "current_period_start": "2025-01-01T00:00:00Z",
         "current_period_end": "2025-02-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
        {"id": "sub_d", "customer_id": "cus_1", "plan_id": "p", "quantity": "1", "status": " Past_Due ",
         "created_at": "2025-01-01T00:00:00Z", "current_period_start": "2025-01-01T00:00:00Z",
         "current_period_end": "2025-02-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
        {"id": "sub_e", "customer_id": "cus_1", "plan_id": "p", "quantity": "1", "status": "on_hold",
         "created_at": "2025-01-01T00:00:00Z", "current_period_start": "2025-01-01T00:00:00Z",
         "current_period_end": "2025-02-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
        # A later snapshot of sub_a wins even though it comes first in the file order below.
        {"id": "sub_a", "customer_id": "cus_1", "plan_id": "p2", "quantity": "3", "status": "paused",
         "created_at": "2025-01-01T00:00:00Z", "current_period_start": "2025-01-01T00:00:00Z",
         "current_period_end": "2025-02-01T00:00:00Z", "updated_at": "2025-02-01T00:00:00Z"},
    ],
    ("processor_a", "charges"): [
        {"id": "ch_1", "invoice": "in_dup", "customer": "cus_1", "amount": "2999", "currency": "usd",
         "status": "pending", "attempt": "1", "created": "1735689900"},
        {"id": "ch_1", "invoice": "in_dup", "customer": "cus_1", "amount": "2999", "currency": "usd",
         "status": "succeeded", "outcome_type": "authorized", "attempt": "1", "created": "1735689900"},
        {"id": "ch_2", "invoice": "in_unknown", "customer": "cus_404", "amount": "500", "currency": "gbp",
         "status": "FAILED", "failure_code": " Insufficient_Funds ", "attempt": "1", "created": "1740000000"},
    ],
    ("processor_b", "transactions"): [
        {"transaction_id": "9001", "type": "sale", "response": "1", "response_code": "100",
         "amount": "29.99", "currency": "usd", "time": "20250105103000", "order_id": "12345",
         "customer_vault_id": "cus_1"},
        {"transaction_id": "9002", "type": "SALE", "response": "2", "response_code": "202",
         "amount": "1500", "currency": "JPY", "time": "20250615000000", "order_id": "#1042"},
        {"transaction_id": "9003", "type": "refund", "response": "1", "response_code": "100",
         "amount": "abc", "currency": "USD", "time": "20250105103000"},
    ],
    ("crm", "contacts"): [
        {"contact_id": "c_1", "email": "JANE@x.com", "phone": "(555) 010-0199", "created_at": "2025-01-01T00:00:00Z",
         "updated_at": "2025-01-01T00:00:00Z", "is_deleted": "false"},
        {"contact_id": "c_2", "email": "", "phone": "+1 555 010 0199", "created_at": "2025-01-01T00:00:00Z",
         "updated_at": "2025-01-01T00:00:00Z", "is_deleted": "false"},
        {"contact_id": "c_3", "email": "", "phone": "5550100199", "created_at": "2025-01-01T00:00:00Z",
         "updated_at": "2025-01-01T00:00:00Z", "is_deleted": "false"},
    ],
    ("support", "tickets"): [
        {"id": "77", "requester_email": "jane@x.com", "tags": " Billing , cancel_request", "status": "Open",
         "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z"},
        {"id": "78", "requester_email": "jane@x.com", "tags": "billing_v2,shipping", "status": "solved",
         "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-02T00:00:00Z"},
    ],
    ("messaging", "events"): [
        {"event_id": "e1", "message_id": "m1", "channel": "SMS", "recipient": "+1 (555) 010-0199",
         "flow": "payment_failed_recovery", "automated": "true", "event_type": "sent",
         "occurred_at": "2025-01-01T00:00:00Z"},
        {"event_id": "e2", "message_id": "m2", "channel": "email", "recipient": " Jane@X.com",
         "flow": "newsletter", "automated": "false", "event_type": "Bounced",
         "occurred_at": "2025-01-01T00:00:00Z"},
    ],
}


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    raw = write_raw_dir(tmp_path_factory.mktemp("crafted_raw"), ROWS)
    return build_warehouse(tmp_path_factory.mktemp("crafted_build"), raw,
                           command=["build", "--select", "tag:staging", "+tag:staging", "--exclude", "resource_type:unit_test",
                                    "--indirect-selection", "cautious"])


def one(wh, query):
    frame = wh.sql(query)
    assert len(frame) == 1, f"expected one row for {query!r}, got {len(frame)}"
    return frame.iloc[0]


def test_timestamps_parse_to_utc(wh):
    got = dict(wh.sql("select invoice_id, created_at from staging.stg_billing__invoices").values.tolist())
    assert got["in_eur"] == datetime(2025, 3, 11, 1, 30, 0)       # 23:30 at -02:00
    assert got["in_epoch"] == datetime(2025, 1, 1, 0, 0, 0)        # 1735689600
    assert got["in_compact"] == datetime(2025, 1, 2, 3, 4, 5)      # YYYYMMDDhhmmss
    assert got["in_naive"] == datetime(2025, 1, 2, 3, 4, 5)        # no offset = UTC
    assert got["in_jpy"] == datetime(2025, 6, 15, 3, 0, 0)         # +09:00


def test_money_minor_units_and_usd(wh):
    eur = one(wh, "select * from staging.stg_billing__invoices where invoice_id = 'in_eur'")
    assert eur.currency == "EUR" and eur.total_minor == 1000
    assert eur.total_usd == cents(Decimal("10.00") * fx("EUR", "2025-03-01"))
    jpy = one(wh, "select * from staging.stg_billing__invoices where invoice_id = 'in_jpy'")
    assert jpy.total_usd == cents(Decimal(1500) * fx("JPY", "2025-06-01"))  # exponent 0
    sale = one(wh, "select * from staging.stg_processor_b__transactions where transaction_id = '9001'")
    assert sale.amount_minor == 2999 and sale.currency == "USD"
    assert sale.invoice_id == "in_12345" and sale.shop_order_name is None
    assert sale.transacted_at == datetime(2025, 1, 5, 10, 30, 0)
    yen = one(wh, "select * from staging.stg_processor_b__transactions where transaction_id = '9002'")
    assert yen.amount_minor == 1500 and yen.invoice_id is None and yen.shop_order_name == "#1042"
    assert yen.amount_usd == cents(Decimal(1500) * fx("JPY", "2025-06-01"))
    assert yen.transaction_type == "sale" and yen.response == "declined"


def test_enums_normalised_and_unknown_kept(wh):
    status = dict(wh.sql("select subscription_id, billing_status from staging.stg_billing__subscriptions").values.tolist())
    assert status == {"sub_a": "paused", "sub_b": "canceled", "sub_c": "canceled", "sub_d": "past_due", "sub_e": "unknown"}
    reasons = dict(wh.sql("select invoice_id, billing_reason from staging.stg_billing__invoices").values.tolist())
    assert reasons["in_eur"] == "subscription_cycle" and reasons["in_epoch"] == "unknown"
    charge = one(wh, "select * from staging.stg_processor_a__charges where charge_id = 'ch_2'")
    assert charge.charge_status == "failed" and charge.failure_code == "insufficient_funds" and charge.currency == "GBP"
    event = one(wh, "select * from staging.stg_messaging__events where message_event_id = 'e2'")
    assert event.event_type == "unknown" and event.channel == "email" and not event.is_automated


def test_emails_and_phones_hashed_after_normalising(wh):
    jane, phone = md5("jane@x.com"), md5("15550100199")
    assert one(wh, "select email_hash from staging.stg_billing__customers where customer_id = 'cus_1'").email_hash == jane
    contacts = wh.sql("select contact_id, email_hash, phone_hash from staging.stg_crm__contacts order by 1")
    assert contacts.phone_hash.tolist() == [phone, phone, phone]
    assert contacts.email_hash.tolist()[0] == jane
    msgs = dict(wh.sql("select message_event_id, coalesce(recipient_email_hash, recipient_phone_hash) from staging.stg_messaging__events").values.tolist())
    assert msgs == {"e1": phone, "e2": jane}
    deleted = one(wh, "select is_deleted from staging.stg_billing__customers where customer_id = 'cus_2'")
    assert bool(deleted.is_deleted) is True


def test_ticket_tags_match_whole_tokens(wh):
    tickets = wh.sql("select ticket_id, tags, has_billing_tag, has_cancel_request_tag from staging.stg_support__tickets order by 1")
    assert tickets.tags.tolist() == ["billing,cancel_request", "billing_v2,shipping"]
    assert tickets.has_billing_tag.tolist() == [True, False]
    assert tickets.has_cancel_request_tag.tolist() == [True, False]


def test_quarantine_reasons(wh):
    got = {tuple(r) for r in wh.sql(
        "select source_table, coalesce(record_key, '<none>'), quarantine_reason, quarantine_column from staging.stg_quarantine").values.tolist()}
    assert got == {
        ("billing/invoices", "in_bad_ts", "unparseable_timestamp", "created_at"),
        ("billing/invoices", "in_1970", "timestamp_out_of_range", "created_at"),
        ("billing/invoices", "in_2099", "timestamp_out_of_range", "created_at"),
        ("billing/invoices", "in_na", "unparseable_amount", "total"),
        ("billing/invoices", "in_brl", "no_fx_rate", "currency"),
        ("billing/invoices", "<none>", "missing_primary_key", "id"),
        ("processor_b/transactions", "9003", "unparseable_amount", "amount"),
    }


def test_duplicates_keep_the_rule_d0_row(wh):
    inv = one(wh, "select * from staging.stg_billing__invoices where invoice_id = 'in_dup'")
    assert inv.status == "paid"                                     # most final status
    sub = one(wh, "select * from staging.stg_billing__subscriptions where subscription_id = 'sub_a'")
    assert (sub.plan_id, sub.quantity) == ("p2", 3)                 # latest updated_at
    charge = one(wh, "select * from staging.stg_processor_a__charges where charge_id = 'ch_1'")
    assert charge.charge_status == "succeeded"                      # succeeded over pending


def test_row_counts_reconcile(wh):
    counts = wh.sql("select * from staging.stg_row_reconciliation").set_index("source_table")
    inv = counts.loc["billing/invoices"]
    # 14 raw rows: 6 quarantined, 3 copies of in_dup -> 2 removed, 6 staged.
    assert (inv.raw_rows, inv.quarantined_rows, inv.duplicate_rows_removed, inv.staged_rows) == (14, 6, 2, 6)
    subs = counts.loc["billing/subscriptions"]
    assert (subs.raw_rows, subs.duplicate_rows_removed, subs.staged_rows) == (6, 1, 5)

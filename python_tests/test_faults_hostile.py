"""Fault suite, part 1: every defect class of the landing contract at high rates, plus hostile
values, in one dataset built once (module fixture `fault_wh`, a full `dbt build`).

The dataset is generated data (every defect class at 10-30 % of rows) with hand-written
hostile rows appended to the raw CSVs: amounts of zero, negative, 10^13 minor units (the
largest usable amount), 10^15 minor units and beyond a bigint (quarantined as
unparseable_amount: see macros/quality/quarantine_reason.sql), non-numeric text; timestamps
in 1970 and 2099, impossible dates, negative and huge epochs; currencies without an FX rate
(unknown codes, and USD in a month the seed does not cover); emails, phones and free text
with SQL, quotes, tabs, newlines, CR-LF and control characters inside quoted CSV fields. Each
hostile row states where rule D0 puts it (quarantined with a reason and column, or staged
with given values); the tests check exactly that, that every raw row is accounted for
(counted here from the files, per table and per key), that the D5 roll-forward still holds
to the cent, that money is converted at the seed rate of its month, that no raw email or
phone leaves staging, and that building again on the same data changes no row.
"""
from __future__ import annotations

import hashlib
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from conftest import SEEDS_DIR, generate_raw
from fault_helpers import (
    MODELS_ONLY_BUILD, append_csv_rows, key_accounting_problems, pii_hits, raw_emails_and_phones,
    reconciliation_problems, roll_forward_breaks, shared_runner, table_differences,
)

pytestmark = pytest.mark.slow

# Every defect class of the contract at a high rate (generator flags; see `acctkpi.generate --help`).
HIGH_RATES = {"--dup-rate": "0.25", "--ts-format-rate": "0.3", "--bad-ts-rate": "0.15", "--money-rate": "0.2",
              "--case-rate": "0.3", "--orphan-rate": "0.2", "--unknown-enum-rate": "0.2",
              "--late-event-rate": "0.25", "--null-pk-rate": "0.1"}
MANIFEST_CLASSES = ("duplicates", "ts_format", "bad_ts", "money", "case", "orphans", "unknown_enum",
                    "late_events", "null_pk")

TEN_13 = "10000000000000"            # 10^13 minor units ($100 billion): the largest usable amount
TEN_15 = "1000000000000000"          # 10^15 minor units ($10 trillion): beyond it, quarantined
MAX_BIGINT = "9223372036854775807"
TEN_20 = "100000000000000000000"      # beyond bigint

# Emails / phones / text with SQL and control characters (values as they land in the CSV).
EMAIL_SQL = "x'; drop table x; --@evil.example"
EMAIL_SQL_NO_AT = "'; drop table x; --"
EMAIL_TAB = "tab\tinside@evil.example"
EMAIL_NEWLINE = "new\nline@evil.example"
EMAIL_CRLF = "cr\r\nlf@evil.example"
EMAIL_PADDED = "\t Padded@Evil.Example \n"
EMAIL_BELL = "bell\x07ctrl@evil.example"
EMAIL_QUOTE = 'quote"in\'side@evil.example'
PHONE_SQL = "'; drop table x; --"
PHONE_NEWLINE = "+1 (555) 010-0199\n"
PHONE_TABS = "555\t010\t0199"
TEXT_HOSTILE = "Refund'); DROP TABLE tickets;--\nsecond line, with a comma and \"quotes\"\t\x01"

T = "2024-03-05T10:00:00Z"            # inside the generated range (2024-01 .. 2024-06)
EPOCH_T = "1709632800"                # the same instant as epoch seconds
COMPACT_T = "20240305100000"


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def norm_email(value: str) -> str | None:
    """Rule D1 normalised email: trimmed, lower case; null without an '@'."""
    text = value.strip().lower()
    return text if "@" in text else None


def norm_phone(value: str) -> str | None:
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 10:
        return "1" + digits
    return digits if len(digits) >= 7 else None


def q(reason: str, column: str) -> tuple:
    return ("quarantined", reason, column)


def staged(**values) -> tuple:
    return ("staged", values)


INVOICE = dict(subscription_id="sub_hz_big", customer_id="cus_hz_big", billing_reason="manual",
               period_start=T, period_end="2024-04-05T10:00:00Z", subtotal="0", discount="0", tax="0", total="0",
               currency="USD", status="paid", attempt_count="1", created_at=T, paid_at=T)
CHARGE = dict(invoice="in_hz_big", customer="cus_hz_big", amount="0", currency="usd", status="succeeded",
              outcome_type="authorized", attempt="1", created=EPOCH_T)
TXN = dict(type="sale", response="1", response_code="100", amount="0.00", currency="USD", time=COMPACT_T,
           customer_vault_id="cus_hz_big")
ORDER = dict(name="#hz", email="", billing_customer_id="cus_hz_big", created_at=T, financial_status="paid",
             source_name="web", subtotal_price="0.00", total_discounts="0.00", total_price="0.00", currency="USD")
CONTACT = dict(first_name="Hz", last_name="Test", lifecycle_stage="customer", created_at=T, updated_at=T,
               is_deleted="false")
TICKET = dict(subject="hi", tags="billing", priority="normal", status="open", created_at=T, updated_at=T)
MESSAGE = dict(message_id="msg_hz", channel="email", flow="newsletter", automated="false", event_type="sent",
               occurred_at=T)

# (system, table) -> list of (raw row, expected outcome). Keys are unique to this file ('hz').
HOSTILE: dict[tuple[str, str], list[tuple[dict, tuple]]] = {
    ("billing", "customers"): [
        (dict(id="cus_hz_big", email=EMAIL_SQL, currency="USD", created_at="2024-01-02T00:00:00Z", deleted="false"),
         staged(email_hash=md5(norm_email(EMAIL_SQL)))),
        (dict(id="cus_hz_noat", email=EMAIL_SQL_NO_AT, currency="usd", created_at=T, deleted="false"),
         staged(email_hash=None)),
        (dict(id="cus_hz_tab", email=EMAIL_TAB, currency="USD", created_at=T, deleted="false"),
         staged(email_hash=md5(norm_email(EMAIL_TAB)))),
        (dict(id="cus_hz_nl", email=EMAIL_NEWLINE, currency="USD", created_at=T, deleted="false"),
         staged(email_hash=md5(norm_email(EMAIL_NEWLINE)))),
        (dict(id="cus_hz_crlf", email=EMAIL_CRLF, currency="USD", created_at=T, deleted="false"),
         staged(email_hash=md5(norm_email(EMAIL_CRLF)))),
        (dict(id="cus_hz_pad", email=EMAIL_PADDED, currency="USD", created_at=T, deleted="false"),
         staged(email_hash=md5("padded@evil.example"))),
        (dict(id="cus_hz_bell", email=EMAIL_BELL, currency="USD", created_at=T, deleted="false"),
         staged(email_hash=md5(norm_email(EMAIL_BELL)))),
        (dict(id="cus_hz_quote", email=EMAIL_QUOTE, currency="USD", created_at=T, deleted="false"),
         staged(email_hash=md5(norm_email(EMAIL_QUOTE)))),
        (dict(id="cus_hz_1970", email="old@evil.example", currency="USD", created_at="1970-01-01T00:00:00Z",
              deleted="false"), q("timestamp_out_of_range", "created_at")),
        (dict(id="cus_hz_2099", email="future@evil.example", currency="USD", created_at="2099-01-01T00:00:00Z",
              deleted="false"), q("timestamp_out_of_range", "created_at")),
        (dict(id="cus_hz_feb30", currency="USD", created_at="2024-02-30T00:00:00Z", deleted="false"),
         q("unparseable_timestamp", "created_at")),
    ],
    ("billing", "plans"): [
        (dict(id="plan_hz_big", name="Absurd", product_line="essentials", interval="month", interval_count="1",
              unit_amount=TEN_13, currency="USD", active="true"), staged(unit_amount_minor=int(TEN_13))),
        (dict(id="plan_hz_1e15", name="Beyond", product_line="essentials", interval="month", interval_count="1",
              unit_amount=TEN_15, currency="USD", active="true"), q("unparseable_amount", "unit_amount")),
        (dict(id="plan_hz_text", name="Text", product_line="essentials", interval="month", interval_count="1",
              unit_amount="twenty", currency="USD", active="true"), q("unparseable_amount", "unit_amount")),
    ],
    ("billing", "subscriptions"): [
        (dict(id="sub_hz_big", customer_id="cus_hz_big", plan_id="plan_hz_big", quantity="1", status="active",
              created_at="2024-01-02T00:00:00Z", current_period_start="2024-06-02T00:00:00Z",
              current_period_end="2024-07-02T00:00:00Z", updated_at="2024-06-02T00:00:00Z"),
         staged(quantity=1)),
    ],
    ("billing", "subscription_events"): [
        (dict(id="evt_hz_big", subscription_id="sub_hz_big", type="created", occurred_at="2024-01-02T00:00:00Z",
              plan_id="plan_hz_big", quantity="1"), staged()),
        (dict(id="evt_hz_2099", subscription_id="sub_hz_big", type="canceled", occurred_at="2099-01-01T00:00:00Z",
              reason="customer"), q("timestamp_out_of_range", "occurred_at")),
    ],
    ("billing", "invoices"): [
        (dict(INVOICE, id="in_hz_big", total=TEN_13, subtotal=TEN_13), staged(total_minor=int(TEN_13))),
        (dict(INVOICE, id="in_hz_1e15", total=TEN_15, subtotal=TEN_15), q("unparseable_amount", "subtotal")),
        (dict(INVOICE, id="in_hz_zero", total="0"), staged(total_minor=0, total_usd=Decimal("0.00"))),
        (dict(INVOICE, id="in_hz_neg", total="-2999"), staged(total_minor=-2999, total_usd=Decimal("-29.99"))),
        (dict(INVOICE, id="in_hz_maxint", total=MAX_BIGINT), q("unparseable_amount", "total")),
        (dict(INVOICE, id="in_hz_1e20", total=TEN_20), q("unparseable_amount", "total")),
        (dict(INVOICE, id="in_hz_text", total="ten dollars"), q("unparseable_amount", "total")),
        (dict(INVOICE, id="in_hz_sql", total="0; drop table x"), q("unparseable_amount", "total")),
        (dict(INVOICE, id="in_hz_1970", created_at="1970-01-01T00:00:00Z"), q("timestamp_out_of_range", "created_at")),
        (dict(INVOICE, id="in_hz_2099", created_at="2099-06-01T00:00:00Z"), q("timestamp_out_of_range", "created_at")),
        (dict(INVOICE, id="in_hz_brl", currency="BRL", total="1000"), q("no_fx_rate", "currency")),
        (dict(INVOICE, id="in_hz_sqlcur", currency=PHONE_SQL, total="1000"), q("no_fx_rate", "currency")),
        (dict(INVOICE, id="in_hz_usd2010", total="1000", period_start="2010-05-01T00:00:00Z",
              period_end="2010-06-01T00:00:00Z", created_at="2010-05-01T00:00:00Z", paid_at="2010-05-01T00:00:00Z"),
         q("no_fx_rate", "currency")),
    ],
    ("processor_a", "charges"): [
        (dict(CHARGE, id="ch_hz_big", amount=TEN_13), staged(amount_minor=int(TEN_13),
                                                             amount_usd=Decimal(TEN_13) / 100)),
        (dict(CHARGE, id="ch_hz_1e15", amount=TEN_15), q("unparseable_amount", "amount")),
        (dict(CHARGE, id="ch_hz_zero", amount="0"), staged(amount_minor=0, amount_usd=Decimal("0.00"))),
        (dict(CHARGE, id="ch_hz_neg", amount="-100"), staged(amount_minor=-100, amount_usd=Decimal("-1.00"))),
        (dict(CHARGE, id="ch_hz_maxint", amount=MAX_BIGINT), q("unparseable_amount", "amount")),
        (dict(CHARGE, id="ch_hz_minint", amount="-9223372036854775808"), q("unparseable_amount", "amount")),
        (dict(CHARGE, id="ch_hz_above", amount="10000000000001"), q("unparseable_amount", "amount")),
        (dict(CHARGE, id="ch_hz_negbig", amount="-" + TEN_13),
         staged(amount_minor=-int(TEN_13), amount_usd=-Decimal(TEN_13) / 100)),
        (dict(CHARGE, id="ch_hz_nan", amount="NaN"), q("unparseable_amount", "amount")),
        (dict(CHARGE, id="ch_hz_1970", created="0"), q("timestamp_out_of_range", "created")),
        (dict(CHARGE, id="ch_hz_2099", created="4070908800"), q("timestamp_out_of_range", "created")),
        (dict(CHARGE, id="ch_hz_negepoch", created="-1"), q("unparseable_timestamp", "created")),
        (dict(CHARGE, id="ch_hz_hugeepoch", created="99999999999999999"), q("unparseable_timestamp", "created")),
        (dict(CHARGE, id="ch_hz_brl", currency="brl", amount="100"), q("no_fx_rate", "currency")),
    ],
    ("processor_b", "transactions"): [
        (dict(TXN, transaction_id="990000001", amount="0.00"), staged(amount_minor=0)),
        (dict(TXN, transaction_id="990000002", amount="-10.50"), staged(amount_minor=-1050)),
        (dict(TXN, transaction_id="990000003", amount="100000000000.00"), staged(amount_minor=int(TEN_13))),
        (dict(TXN, transaction_id="990000011", amount="10000000000000.00"), q("unparseable_amount", "amount")),
        (dict(TXN, transaction_id="990000004", amount="1e3"), q("unparseable_amount", "amount")),
        (dict(TXN, transaction_id="990000005", amount="Infinity"), q("unparseable_amount", "amount")),
        (dict(TXN, transaction_id="990000006", amount=TEN_20), q("unparseable_amount", "amount")),
        (dict(TXN, transaction_id="990000010", amount="100000000000.01"), q("unparseable_amount", "amount")),
        (dict(TXN, transaction_id="990000007", time="19700101000000"), q("timestamp_out_of_range", "time")),
        (dict(TXN, transaction_id="990000008", time="20990101000000"), q("timestamp_out_of_range", "time")),
        (dict(TXN, transaction_id="990000009", currency="ARS", amount="10.00"), q("no_fx_rate", "currency")),
    ],
    ("shop", "orders"): [
        (dict(ORDER, id="99000000001", email=EMAIL_NEWLINE), staged(total_price_minor=0)),
        (dict(ORDER, id="99000000002", total_price="-5.00"), staged(total_price_minor=-500)),
        (dict(ORDER, id="99000000003", total_price="100000000000.00", subtotal_price="100000000000.00"),
         staged(total_price_minor=int(TEN_13))),
        (dict(ORDER, id="99000000007", total_price="10000000000000.00"), q("unparseable_amount", "total_price")),
        (dict(ORDER, id="99000000004", total_price="abc"), q("unparseable_amount", "total_price")),
        (dict(ORDER, id="99000000005", total_price=TEN_20), q("unparseable_amount", "total_price")),
        (dict(ORDER, id="99000000006", email=EMAIL_SQL, created_at="2099-01-01T00:00:00Z"),
         q("timestamp_out_of_range", "created_at")),
    ],
    ("shop", "order_lines"): [
        (dict(id="99000000101", order_id="99000000003", sku="HZ", product_type="supplement", quantity="1",
              price="100000000000.00", is_subscription="false", offer_type="upsell"), staged(quantity=1)),
        (dict(id="99000000104", order_id="99000000003", sku="HZ", product_type="supplement",
              quantity="1000000000000", price="1.00", is_subscription="false", offer_type="upsell"),
         staged(quantity=1000000000000)),
        (dict(id="99000000102", order_id="99000000003", sku="HZ", product_type="supplement", quantity="1",
              price="-0.01", is_subscription="false", offer_type="upsell"), staged(quantity=1)),
        (dict(id="99000000103", order_id="99000000003", sku="HZ", product_type="supplement", quantity="lots",
              price="1.00", is_subscription="false"), q("unparseable_number", "quantity")),
    ],
    ("crm", "contacts"): [
        (dict(CONTACT, contact_id="hz_c1", email=EMAIL_SQL, phone=PHONE_SQL), staged(
            email_hash=md5(norm_email(EMAIL_SQL)), phone_hash=None)),
        (dict(CONTACT, contact_id="hz_c2", email=EMAIL_PADDED, phone=PHONE_NEWLINE), staged(
            email_hash=md5("padded@evil.example"), phone_hash=md5("15550100199"))),
        (dict(CONTACT, contact_id="hz_c3", email=EMAIL_CRLF, phone=PHONE_TABS), staged(
            email_hash=md5(norm_email(EMAIL_CRLF)), phone_hash=md5("15550100199"))),
        (dict(CONTACT, contact_id="hz_c4", email=EMAIL_BELL, updated_at="2099-01-01T00:00:00Z"),
         q("timestamp_out_of_range", "updated_at")),
    ],
    ("support", "tickets"): [
        (dict(TICKET, id="9900001", requester_email=EMAIL_NEWLINE, subject=TEXT_HOSTILE),
         staged(requester_email_hash=md5(norm_email(EMAIL_NEWLINE)))),
        (dict(TICKET, id="9900002", requester_email=EMAIL_PADDED, subject=EMAIL_SQL),
         staged(requester_email_hash=md5("padded@evil.example"))),
        (dict(TICKET, id="9900003", requester_email=EMAIL_TAB, created_at="1970-01-01T00:00:00Z"),
         q("timestamp_out_of_range", "created_at")),
    ],
    ("messaging", "events"): [
        (dict(MESSAGE, event_id="ev_hz_1", recipient=EMAIL_SQL),
         staged(recipient_email_hash=md5(norm_email(EMAIL_SQL)))),
        (dict(MESSAGE, event_id="ev_hz_2", channel="sms", recipient=PHONE_NEWLINE),
         staged(recipient_phone_hash=md5("15550100199"))),
        (dict(MESSAGE, event_id="ev_hz_3", recipient=EMAIL_CRLF, occurred_at="2099-01-01T00:00:00Z"),
         q("timestamp_out_of_range", "occurred_at")),
    ],
}

PK = {("processor_b", "transactions"): "transaction_id", ("crm", "contacts"): "contact_id",
      ("messaging", "events"): "event_id"}
STAGED_KEY = {("billing", "customers"): "customer_id", ("billing", "plans"): "plan_id",
              ("billing", "subscriptions"): "subscription_id",
              ("billing", "subscription_events"): "subscription_event_id",
              ("billing", "invoices"): "invoice_id", ("processor_a", "charges"): "charge_id",
              ("processor_b", "transactions"): "transaction_id", ("shop", "orders"): "order_id",
              ("shop", "order_lines"): "order_line_id", ("crm", "contacts"): "contact_id",
              ("support", "tickets"): "ticket_id", ("messaging", "events"): "message_event_id"}


def write_fault_dataset(out: Path) -> Path:
    """Generated data with every defect class at a high rate, CSV, plus the hostile rows."""
    flags = [item for pair in HIGH_RATES.items() for item in pair]
    generate_raw(out, 300, 6, 23, "--format", "csv", *flags)
    for (system, table), cases in HOSTILE.items():
        append_csv_rows(out, system, table, [row for row, _ in cases])
    return out


@pytest.fixture(scope="session")
def fault_dbt(tmp_path_factory):
    return shared_runner(tmp_path_factory)


@pytest.fixture(scope="module")
def fault_raw(tmp_path_factory) -> Path:
    return write_fault_dataset(tmp_path_factory.mktemp("fault_raw") / "raw")


@pytest.fixture(scope="module")
def fault_wh(fault_dbt, fault_raw, tmp_path_factory):
    return fault_dbt.build(fault_raw, tmp_path_factory.mktemp("fault_build"))


def test_every_defect_class_is_injected_at_a_high_rate(fault_raw):
    manifest = json.loads((fault_raw / "_manifest.json").read_text())
    injected = {cls: sum(per_table.get(cls, 0) for per_table in manifest["defects_injected"].values())
                for cls in MANIFEST_CLASSES}
    assert set(injected) == set(manifest["defect_rates"]), "the generator has a defect class this suite does not set"
    assert all(n >= 20 for n in injected.values()), injected


def test_build_survives_and_every_raw_row_is_accounted_for(fault_wh, fault_raw):
    assert not reconciliation_problems(fault_wh, fault_raw)
    assert not key_accounting_problems(fault_wh, fault_raw)


def test_roll_forward_identity_to_the_cent(fault_wh):
    assert not roll_forward_breaks(fault_wh)


@pytest.mark.parametrize("system, table", sorted(HOSTILE), ids=lambda v: str(v))
def test_hostile_rows_land_where_d0_says(fault_wh, system, table):
    label = f"{system}/{table}"
    key_col = STAGED_KEY[(system, table)]
    pk = PK.get((system, table), "id")
    quarantine = {r[0]: (r[1], r[2]) for r in fault_wh.sql(
        "select record_key, quarantine_reason, quarantine_column from staging.stg_quarantine "
        f"where source_table = '{label}'").values.tolist()}
    stg = fault_wh.sql(f"select * from staging.stg_{system}__{table}").set_index(key_col, drop=False)
    wrong = []
    for row, expected in HOSTILE[(system, table)]:
        key = row[pk]
        if expected[0] == "quarantined":
            got = quarantine.get(key)
            if got != expected[1:] or key in stg.index:
                wrong.append(f"{key}: expected quarantine {expected[1:]}, got {got}, staged={key in stg.index}")
            continue
        if key in quarantine or key not in stg.index:
            wrong.append(f"{key}: expected staged, quarantine says {quarantine.get(key)}")
            continue
        for column, value in expected[1].items():
            actual = stg.loc[key, column]
            if actual != value and not (actual is None and value is None):
                wrong.append(f"{key}.{column}: expected {value!r}, got {actual!r}")
    assert not wrong, "\n".join(wrong)


def test_staged_money_is_converted_at_the_seed_rate_of_its_month(fault_wh):
    """D0/D1: rows whose currency has no rate for their month are quarantined (checked above);
    every staged money row is converted at exactly the fx_rates seed rate of its own month,
    recomputed here in Decimal from the seed files, so nothing is converted at a guessed rate."""
    import csv

    with open(SEEDS_DIR / "fx_rates.csv") as handle:
        rates = {(r["currency"], r["month"]): Decimal(r["usd_per_unit"]) for r in csv.DictReader(handle)}
    with open(SEEDS_DIR / "currency_exponents.csv") as handle:
        exponents = {r["currency"]: int(r["exponent"]) for r in csv.DictReader(handle)}
    wrong = []
    for model, minor, usd, at in [("stg_billing__invoices", "total_minor", "total_usd", "created_at"),
                                  ("stg_processor_a__charges", "amount_minor", "amount_usd", "created_at"),
                                  ("stg_processor_b__transactions", "amount_minor", "amount_usd", "transacted_at"),
                                  ("stg_shop__orders", "total_price_minor", "total_price_usd", "created_at")]:
        frame = fault_wh.sql(f"select currency, strftime({at}, '%Y-%m-01') as month, {minor} as minor, {usd} as usd "
                             f"from staging.{model}")
        for currency, month, amount_minor, amount_usd in frame.values.tolist():
            rate = rates.get((currency, month))
            if rate is None or amount_usd is None:
                wrong.append(f"{model}: {currency} {month} staged without a seed rate")
                continue
            expected = (Decimal(amount_minor).scaleb(-exponents[currency]) * rate).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP)
            if amount_usd != expected:
                wrong.append(f"{model}: {amount_minor} {currency} in {month} -> {amount_usd}, expected {expected}")
    assert not wrong, "\n".join(wrong[:20])


def test_absurd_amounts_flow_through_mrr_exactly(fault_wh):
    """The largest usable amount, a 10^13-minor-unit monthly plan, is $100 billion of MRR at
    every month end, to the cent, through every movement and mart without overflow."""
    mrr = fault_wh.sql("select month_start, end_mrr_usd from intermediate.int_mrr_movements_monthly "
                       "where account_id = 'cus_hz_big' order by 1")
    assert len(mrr) >= 4
    assert all(v == Decimal(TEN_13) / 100 for v in mrr.end_mrr_usd), mrr


def test_no_raw_email_or_phone_after_staging(fault_wh, fault_raw):
    """Raw emails and phones of this dataset (hostile ones included) appear in no stg_ table,
    intermediate or mart value, verbatim, normalised, or as phone digits."""
    assert not pii_hits(fault_wh.path, raw_emails_and_phones(fault_raw))


def test_second_build_on_unchanged_data_changes_no_row(fault_dbt, fault_wh, fault_raw, tmp_path):
    """Running the build again on the same data and warehouse rewrites every seed and model with
    the same rows (de-duplication tie-breaks, quarantine and every mart are deterministic). The
    second run skips the data tests, which write nothing."""
    fault_dbt.restore(fault_wh.path)
    result = fault_dbt.run(MODELS_ONLY_BUILD, fault_raw, fresh=False)
    assert result.success, result.output[-3000:]
    again = fault_dbt.keep(tmp_path / "again")
    for schema in ("reference", "staging", "intermediate", "marts"):
        assert table_differences(fault_wh.path, again, schema) == {}, schema

"""Tests of the oracle itself (python_tests/oracle), on tiny hand-built raw directories.

Every expected value here is worked out by hand from the KPI rules (D0-D11, models/docs/), not
read off the oracle's output. The last tests compare the oracle with the hand-worked
expectations of the bundled sample (sample_data/expected/) when they exist.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
from decimal import Decimal, localcontext
from pathlib import Path

import pandas as pd
import pytest

from oracle import Oracle
from oracle import parse as P
from oracle.contract import TABLES

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE_RAW = PROJECT / "sample_data" / "raw"
SAMPLE_EXPECTED = PROJECT / "sample_data" / "expected"
RUN = "2026-01-01T00:00:00Z"
D = Decimal


# ------------------------------------------------------------------------------ helpers
def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert("UTC") if pd.Timestamp(text).tzinfo else pd.Timestamp(text, tz="UTC")


def epoch(text: str) -> str:
    return str(int(utc(text).timestamp()))


def compact(text: str) -> str:
    return utc(text).strftime("%Y%m%d%H%M%S")


def write_raw(root: Path, tables: dict[str, list[dict]]) -> Path:
    """Write 'system.table' -> rows (dicts; missing contract columns are null) as CSV."""
    for q, rows in tables.items():
        t = TABLES[q]
        (root / t.system).mkdir(parents=True, exist_ok=True)
        with open(root / t.system / f"{t.name}.csv", "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(t.columns)
            for r in rows:
                unknown = set(r) - set(t.columns)
                assert not unknown, (q, unknown)
                w.writerow(["" if r.get(c) is None else r[c] for c in t.columns])
    return root


def write_seeds(root: Path, rates: dict[str, dict[str, str]], default_usd=("2024-06", "2026-06")) -> Path:
    """rates: currency -> {'YYYY-MM': usd_per_unit}; USD = 1 over default_usd months."""
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    y, m = map(int, default_usd[0].split("-"))
    while f"{y:04d}-{m:02d}" <= default_usd[1]:
        rows.append(("USD", f"{y:04d}-{m:02d}-01", "1.000000"))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    for cur, months in rates.items():
        for ym, r in months.items():
            rows.append((cur, f"{ym}-01", r))
    with open(root / "fx_rates.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["currency", "month", "usd_per_unit"])
        w.writerows(rows)
    (root / "currency_exponents.csv").write_text(
        "currency,exponent,currency_name\nUSD,2,US dollar\nEUR,2,Euro\nJPY,0,Japanese yen\n")
    return root


def months(first: str, last: str, rate: str) -> dict[str, str]:
    out = {}
    y, m = map(int, first.split("-"))
    while f"{y:04d}-{m:02d}" <= last:
        out[f"{y:04d}-{m:02d}"] = rate
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def customer(cid, email=None, created="2024-11-01T00:00:00Z", **kw):
    return {"id": cid, "email": email, "currency": "USD", "created_at": created, "deleted": "false", **kw}


def plan(pid, amount, interval="month", count=1, currency="USD"):
    return {"id": pid, "name": pid, "product_line": "core", "interval": interval, "interval_count": count,
            "unit_amount": amount, "currency": currency, "active": "true"}


def sub(sid, cid, plan_id, created, quantity=1, status="active", **kw):
    return {"id": sid, "customer_id": cid, "plan_id": plan_id, "quantity": quantity, "status": status,
            "created_at": created, "current_period_start": created, "current_period_end": created,
            "updated_at": created, **kw}


def ev(eid, sid, typ, when, **kw):
    return {"id": eid, "subscription_id": sid, "type": typ, "occurred_at": when, **kw}


def inv(iid, cid, created, reason="subscription_cycle", status="paid", total=4000, currency="USD", sub_id=None):
    return {"id": iid, "subscription_id": sub_id, "customer_id": cid, "billing_reason": reason,
            "period_start": created, "period_end": created, "subtotal": total, "discount": 0, "tax": 0,
            "total": total, "currency": currency, "status": status, "attempt_count": 1, "created_at": created}


def ch(chid, invoice, status, when, amount=4000, currency="usd", customer=None):
    return {"id": chid, "invoice": invoice, "customer": customer, "amount": amount, "currency": currency,
            "status": status, "attempt": 1, "created": epoch(when)}


def bt(tid, response, when, order_id=None, original=None, type_="sale", amount="40.00"):
    return {"transaction_id": tid, "type": type_, "response": response, "response_code": "100", "amount": amount,
            "currency": "USD", "time": compact(when), "order_id": order_id, "original_transaction_id": original}


def msg(eid, recipient, flow, when, event_type="sent", automated="true", channel="email"):
    return {"event_id": eid, "message_id": "m_" + eid, "channel": channel, "recipient": recipient, "flow": flow,
            "automated": automated, "event_type": event_type, "occurred_at": when}


def rows_by(df: pd.DataFrame, key: str) -> dict:
    return {r[key]: r for r in df.to_dict("records")}


# ------------------------------------------------------------------------------ D0 parsing
@pytest.mark.parametrize("text, expected", [
    ("2025-03-01T10:00:00Z", "2025-03-01T10:00:00Z"),
    ("2025-03-01T10:00:00+02:00", "2025-03-01T08:00:00Z"),
    ("2025-03-01T10:00:00-0530", "2025-03-01T15:30:00Z"),
    ("2025-02-28T23:30:00-01:00", "2025-03-01T00:30:00Z"),          # offset moves the month
    ("2025-03-01T10:00:00", "2025-03-01T10:00:00Z"),                # no offset = UTC
    ("2025-03-01 10:00:00", "2025-03-01T10:00:00Z"),
    (" 2025-03-01T10:00:00.250Z ", "2025-03-01T10:00:00.250Z"),
    ("1740823200", "2025-03-01T10:00:00Z"),                         # epoch seconds, 10 digits
    ("20250301100000", "2025-03-01T10:00:00Z"),                     # YYYYMMDDhhmmss
    ("946684800", "2000-01-01T00:00:00Z"),                          # 9 digits
])
def test_timestamp_formats_to_utc(text, expected):
    assert P.ts_to_datetime(P.parse_ts(text)) == utc(expected).to_pydatetime()


@pytest.mark.parametrize("text", ["not a date", "2024-13-45T25:61:00", "0000-00-00 00:00:00", "N/A", "yesterday",
                                  "31/02/2024 10:00", "2025-02-30T00:00:00Z", "12345", "123456789012",
                                  "20251341000000"])
def test_unparseable_timestamps(text):
    with pytest.raises(P.Unparseable):
        P.parse_ts(text)


def test_money_and_enums():
    assert P.parse_money("2999", "minor", 2) == D("29.99")
    assert P.parse_money("4500", "minor", 0) == D("4500")
    assert P.parse_money("29.99", "major", 2) == D("29.99")
    assert P.parse_money("30", "major", 2) == D("30")
    for bad in ("N/A", "#VALUE!", "--", "twelve", "1,234.50"):
        with pytest.raises(P.Unparseable):
            P.parse_money(bad, "major", 2)
    allowed = ("active", "canceled", "past_due")
    assert P.norm_enum(" Active", allowed) == "active"
    assert P.norm_enum("CANCELLED ", allowed) == "canceled"
    assert P.norm_enum("suspended", allowed) == "unknown"
    assert P.norm_enum(None, allowed) is None
    assert P.norm_phone("(555) 010-0199") == P.norm_phone("+1 555 010 0199") == P.norm_phone("5550100199") \
        == "15550100199"
    assert P.round_cent(D("10.005")) == D("10.01") and P.round_cent(D("-10.005")) == D("-10.01")


def test_quarantine_bounds_and_counts(tmp_path):
    """min_valid_timestamp inclusive, run_started_at + 1 day inclusive, FX per the row's own month."""
    raw = write_raw(tmp_path / "raw", {
        "processor_b.transactions": [
            bt("1", "1", "2000-01-01T00:00:00Z"),                         # exactly the minimum: kept
            bt("2", "1", "1999-12-31T23:59:59Z"),                         # before: out of range
            bt("3", "1", "2026-01-02T00:00:00Z"),                         # run + 1 day exactly: kept
            bt("4", "1", "2026-01-02T00:00:01Z"),                         # out of range
            {**bt("5", "1", "2025-01-01T00:00:00Z"), "currency": "BRL"},  # no FX rate
            {**bt("6", "1", "2025-01-01T00:00:00Z"), "currency": " usd "},  # normalised: kept
            {**bt("7", "1", "2025-01-01T00:00:00Z"), "amount": "N/A"},
            {**bt("8", "1", "2025-01-01T00:00:00Z"), "time": "yesterday"},
            {**bt("9", "1", "2025-01-01T00:00:00Z"), "amount": None},     # required amount missing
            {**bt(" ", "1", "2025-01-01T00:00:00Z")},                     # blank key
            bt("10", "1", "2025-01-01T00:00:00Z"),
            bt("10", "1", "2025-01-01T00:00:00Z"),                        # exact duplicate
        ],
        "billing.invoices": [
            # EUR has a rate for January only: the February invoice is quarantined
            inv("in_1", "cus_1", "2025-01-31T23:00:00-02:00", currency="EUR"),  # = Feb 1 01:00 UTC
            inv("in_2", "cus_1", "2025-01-31T23:00:00Z", currency="EUR"),
        ],
    })
    seeds = write_seeds(tmp_path / "seeds", {"EUR": {"2025-01": "1.08"}}, default_usd=("1999-12", "2026-12"))
    o = Oracle(raw, seeds, run_started_at=RUN)
    q = {(r["table_name"], r["key"]): r["reason"] for r in o.quarantine.to_dict("records")}
    assert q == {
        ("transactions", "2"): "timestamp_out_of_range", ("transactions", "4"): "timestamp_out_of_range",
        ("transactions", "5"): "no_fx_rate", ("transactions", "7"): "unparseable_amount",
        ("transactions", "8"): "unparseable_timestamp", ("transactions", "9"): "unparseable_amount",
        ("transactions", None): "missing_primary_key", ("invoices", "in_1"): "no_fx_rate",
    }
    rc = o.row_counts.set_index("table_name")
    assert rc.loc["transactions"].to_dict() == {"system": "processor_b", "raw_rows": 12, "quarantined_rows": 7,
                                               "duplicates_removed": 1, "staged_rows": 4}
    assert (rc.raw_rows == rc.quarantined_rows + rc.duplicates_removed + rc.staged_rows).all()
    assert sorted(o.t("processor_b.transactions")["transaction_id"]) == ["1", "10", "3", "6"]


# ------------------------------------------------------------------------------ D0 de-duplication
def md5_of(t, row: dict) -> str:
    text = "|".join("\\N" if row.get(c) in (None, "") else str(row[c]) for c in TABLES[t].columns)
    return hashlib.md5(text.encode()).hexdigest()


def test_dedupe_tie_breaks(tmp_path):
    s_old = sub("sub_1", "cus_1", "p", "2025-01-01T00:00:00Z", quantity=1, updated_at="2025-02-01T00:00:00Z")
    s_new = sub("sub_1", "cus_1", "p", "2025-01-01T00:00:00Z", quantity=2, updated_at="2025-02-01T00:00:01Z")
    # same updated_at instant written two ways: tie -> greatest md5
    s_t1 = sub("sub_2", "cus_1", "p", "2025-01-01T00:00:00Z", quantity=1, updated_at="2025-02-01T00:00:00Z")
    s_t2 = sub("sub_2", "cus_1", "p", "2025-01-01T00:00:00Z", quantity=3, updated_at="2025-02-01T01:00:00+01:00")
    c_pend = ch("ch_1", "in_1", "pending", "2025-01-01T00:00:00Z")
    c_fail = ch("ch_1", "in_1", "failed", "2025-01-01T00:00:00Z")
    c_a = ch("ch_2", "in_1", "succeeded", "2025-01-01T00:00:00Z", amount=1)
    c_b = ch("ch_2", "in_1", "failed", "2025-01-01T00:00:00Z", amount=2)
    i_draft, i_open, i_paid = (inv("in_9", "cus_1", "2025-01-05T00:00:00Z", status=s) for s in ("draft", " OPEN",
                                                                                                 "Paid"))
    i_open2, i_draft2 = (inv("in_8", "cus_1", "2025-01-05T00:00:00Z", status=s) for s in ("open", "draft"))
    d_nr = {"id": "dp_1", "charge": "ch_1", "amount": 4000, "reason": "fraudulent", "status": "needs_response",
            "created": epoch("2025-01-10T00:00:00Z")}
    d_won = {**d_nr, "status": "won"}
    e1 = ev("ev_1", "sub_1", "created", "2025-01-01T00:00:00Z", plan_id="p", quantity=1)
    e2 = ev("ev_1", "sub_1", "created", "2025-01-01T00:00:00Z", plan_id="p", quantity=1, reason="x")
    good = msg("me_1", "a@x.com", "promo", "2025-01-01T00:00:00Z")
    bad = msg("me_1", "a@x.com", "promo", "not a date")          # quarantined, so the good copy is kept
    raw = write_raw(tmp_path / "raw", {
        "billing.subscriptions": [s_old, s_new, s_t2, s_t1],
        "processor_a.charges": [c_fail, c_pend, c_b, c_a],
        "billing.invoices": [i_paid, i_draft, i_open, i_draft2, i_open2],
        "processor_a.disputes": [d_won, d_nr],
        "billing.subscription_events": [e1, e2, e1],
        "messaging.events": [bad, good],
    })
    o = Oracle(raw, write_seeds(tmp_path / "seeds", {}), run_started_at=RUN)
    subs = rows_by(o.t("billing.subscriptions"), "id")
    assert subs["sub_1"]["quantity"] == 2
    t2_wins = md5_of("billing.subscriptions", s_t2) > md5_of("billing.subscriptions", s_t1)
    assert subs["sub_2"]["quantity"] == (3 if t2_wins else 1)
    charges = rows_by(o.t("processor_a.charges"), "id")
    assert charges["ch_1"]["status"] == "failed"
    a_wins = md5_of("processor_a.charges", c_a) > md5_of("processor_a.charges", c_b)
    assert charges["ch_2"]["status"] == ("succeeded" if a_wins else "failed")
    invoices = rows_by(o.t("billing.invoices"), "id")
    assert invoices["in_9"]["status"] == "paid" and invoices["in_8"]["status"] == "open"
    assert rows_by(o.t("processor_a.disputes"), "id")["dp_1"]["status"] == "won"
    evs = o.t("billing.subscription_events")
    assert len(evs) == 1
    assert evs.iloc[0]["_md5"] == max(md5_of("billing.subscription_events", e1),
                                      md5_of("billing.subscription_events", e2))
    assert o.t("messaging.events").iloc[0]["occurred_at"] == P.parse_ts("2025-01-01T00:00:00Z")
    rc = o.row_counts.set_index("table_name")
    assert rc.loc["subscription_events", "duplicates_removed"] == 2
    assert rc.loc["events", "quarantined_rows"] == 1 and rc.loc["events", "duplicates_removed"] == 0
    assert (rc.raw_rows == rc.quarantined_rows + rc.duplicates_removed + rc.staged_rows).all()


def test_row_md5_spelling():
    from oracle import row_md5
    assert row_md5(["a", None, "1"]) == hashlib.md5(b"a|\\N|1").hexdigest()


# ------------------------------------------------------------------------------ D4 renewal outcomes
def _d4_world(tmp_path):
    j = "2025-01-"
    tables = {
        "billing.customers": [customer("cus_a", "a@example.com"), customer("cus_b", "b@example.com"),
                              customer("cus_c", "cus.c@example.com"), customer("cus_d", "d@example.com"),
                              customer("cus_e", "e@example.com"), customer("cus_f", "f@example.com"),
                              customer("cus_g", None)],
        "crm.contacts": [{"contact_id": "ct_d", "email": "other.d@example.com", "phone": "+1 555 010 0199",
                          "billing_customer_id": "cus_d", "created_at": "2024-11-01T00:00:00Z",
                          "updated_at": "2024-11-01T00:00:00Z", "is_deleted": "false"}],
        "billing.invoices": [
            inv("in_clean", "cus_a", j + "05T00:00:00Z"),
            inv("in_cleanb", "cus_a", j + "06T00:00:00Z"),
            inv("in_edge", "cus_b", j + "10T00:00:00Z"),
            inv("in_late", "cus_b", j + "10T00:00:00Z"),
            inv("in_failed", "cus_a", "2025-02-01T00:00:00Z"),
            inv("in_pend", "cus_a", "2025-03-25T00:00:00Z"),
            inv("in_none", "cus_a", "2025-03-01T00:00:00Z"),
            inv("in_pendonly", "cus_a", "2025-03-01T00:00:00Z"),
            inv("in_reroute", "cus_a", j + "12T00:00:00Z"),
            inv("in_chain", "cus_a", j + "15T00:00:00Z"),
            inv("in_cu", "cus_c", j + "20T00:00:00Z"),
            inv("in_cp", "cus_d", "2025-02-10T00:00:00Z"),
            inv("in_pmu_out", "cus_e", "2025-02-20T00:00:00Z"),
            inv("in_tie", "cus_f", "2025-03-01T00:00:00Z"),
            inv("in_tie_id", "cus_f", "2025-03-02T00:00:00Z"),
            inv("in_tie_id2", "cus_f", "2025-03-02T00:00:00Z"),
            inv("in_void", "cus_a", j + "07T00:00:00Z", status="void"),
            inv("in_draft", "cus_a", j + "07T00:00:00Z", status="draft"),
            inv("in_create", "cus_a", j + "07T00:00:00Z", reason="subscription_create"),
            inv("in_closeeq", "cus_g", "2025-03-17T00:00:00Z"),
            inv("in_closeafter", "cus_g", "2025-03-17T00:00:00Z"),
            inv("in_eur", "cus_g", j + "08T00:00:00Z", total=1000, currency="EUR"),
            inv("in_jpy", "cus_g", j + "08T00:00:00Z", total=4501, currency="JPY"),
            inv("in_anchor", "cus_g", "2025-03-30T00:00:00Z"),
        ],
        "processor_a.charges": [
            ch("ch_clean", "in_clean", "succeeded", j + "05T00:02:00Z"),
            ch("ch_cleanb_p", "in_cleanb", "pending", j + "06T00:01:00Z"),
            ch("ch_edge_1", "in_edge", "failed", j + "10T00:00:00Z"),
            ch("ch_edge_2", "in_edge", "succeeded", j + "24T00:00:00Z"),       # first + 14 x 24 h exactly
            ch("ch_late_1", "in_late", "failed", j + "10T00:00:00Z"),
            ch("ch_late_2", "in_late", "succeeded", j + "24T00:00:01Z"),       # one second after the close
            ch("ch_failed_1", "in_failed", "failed", "2025-02-01T00:00:00Z"),
            ch("ch_pend_1", "in_pend", "failed", "2025-03-25T00:00:00Z"),
            ch("ch_pendonly", "in_pendonly", "pending", "2025-03-01T00:00:00Z"),
            ch("ch_reroute_1", "in_reroute", "failed", j + "12T00:00:00Z"),
            ch("ch_cu_1", "in_cu", "failed", j + "20T00:00:00Z"),
            ch("ch_cu_2", "in_cu", "succeeded", j + "22T00:00:00Z"),
            ch("ch_cp_1", "in_cp", "failed", "2025-02-10T00:00:00Z"),
            ch("ch_cp_2", "in_cp", "succeeded", "2025-02-12T00:00:00Z"),
            ch("ch_out_1", "in_pmu_out", "failed", "2025-02-20T00:00:00Z"),
            ch("ch_out_2", "in_pmu_out", "succeeded", "2025-02-21T00:00:00Z"),
            ch("ch_tie_1", "in_tie", "failed", "2025-03-01T00:00:00Z"),
            ch("ch_tid_a", "in_tie_id", "failed", "2025-03-02T00:00:00Z"),
            ch("ch_tid_b", "in_tie_id", "succeeded", "2025-03-02T00:00:00Z"),
            ch("ch_tid2_a", "in_tie_id2", "succeeded", "2025-03-02T00:00:00Z"),
            ch("ch_tid2_b", "in_tie_id2", "failed", "2025-03-02T00:00:00Z"),
            ch("ch_void", "in_void", "succeeded", j + "07T00:02:00Z"),
            ch("ch_draft", "in_draft", "succeeded", j + "07T00:02:00Z"),
            ch("ch_create", "in_create", "succeeded", j + "07T00:02:00Z"),
            ch("ch_closeeq", "in_closeeq", "failed", "2025-03-17T00:00:00Z"),
            ch("ch_closeafter", "in_closeafter", "failed", "2025-03-17T00:00:01Z"),
            ch("ch_eur", "in_eur", "succeeded", j + "08T00:02:00Z", amount=1000, currency="eur"),
            ch("ch_jpy", "in_jpy", "succeeded", j + "08T00:02:00Z", amount=4501, currency="jpy"),
            ch("ch_anchor", "in_anchor", "succeeded", "2025-03-31T00:00:00Z"),   # the build's as_of
        ],
        "processor_b.transactions": [
            bt("8001", "1", j + "06T00:02:00Z", order_id="cleanb"),
            bt("8010", "3", "2025-02-03T00:00:00Z", order_id="failed"),
            bt("8020", "1", j + "13T00:00:00Z", order_id="reroute"),
            bt("9001", "2", j + "15T00:00:00Z", order_id="chain"),
            bt("9002", "2", j + "16T00:00:00Z", original="9001"),
            bt("9003", "1", j + "17T00:00:00Z", original="9002"),
            bt("9004", "1", j + "18T00:00:00Z", original="9003", type_="refund"),   # not an attempt
            bt("8030", "1", "2025-03-01T00:00:00Z", order_id="tie"),               # same instant as ch_tie_1
            bt("8040", "1", j + "09T00:00:00Z", order_id="#1042"),                 # a shop order, not a rebill
        ],
        "processor_a.payment_method_updates": [
            {"id": "pmu_c", "customer": "cus_c", "source": "card_updater", "created": epoch(j + "21T00:00:00Z")},
            {"id": "pmu_d", "customer": "cus_d", "source": "Customer_Portal",
             "created": epoch("2025-02-11T00:00:00Z")},
            {"id": "pmu_e1", "customer": "cus_e", "source": "card_updater",
             "created": epoch("2025-02-19T23:00:00Z")},                               # before the first attempt
            {"id": "pmu_e2", "customer": "cus_e", "source": "card_updater",
             "created": epoch("2025-02-21T00:00:00Z")},                               # at the win: not between
        ],
        "messaging.events": [
            msg("me_1", " Cus.C@Example.COM ", "payment_failed_recovery", j + "20T00:05:00Z"),
            msg("me_2", "(555) 010-0199", "card_update_request", "2025-02-10T00:05:00Z", channel="sms"),
            msg("me_3", "e@example.com", "renewal_reminder", "2025-02-20T00:05:00Z"),
            msg("me_4", "e@example.com", "payment_failed_recovery", "2025-02-20T00:05:00Z",
                event_type="delivered"),
        ],
    }
    raw = write_raw(tmp_path / "raw", tables)
    seeds = write_seeds(tmp_path / "seeds", {"EUR": {"2025-01": "1.0005"}, "JPY": {"2025-01": "0.0065"}})
    return raw, seeds


EXPECTED_D4 = {
    # invoice: (outcome, recovery_method, attempt_count)
    "in_clean": ("clean", None, 1),
    "in_cleanb": ("clean", None, 1),
    "in_edge": ("recovered", "retry_same_gateway", 2),
    "in_late": ("late_recovery", None, 2),
    "in_failed": ("failed", None, 2),
    "in_pend": ("pending", None, 1),
    "in_none": ("no_attempt", None, 0),
    "in_pendonly": ("no_attempt", None, 0),
    "in_reroute": ("recovered", "rerouted_gateway", 2),
    "in_chain": ("recovered", "retry_same_gateway", 3),
    "in_cu": ("recovered", "card_updater", 2),
    "in_cp": ("recovered", "customer_updated_card", 2),
    "in_pmu_out": ("recovered", "retry_same_gateway", 2),
    "in_tie": ("recovered", "rerouted_gateway", 2),
    "in_tie_id": ("recovered", "retry_same_gateway", 2),
    "in_tie_id2": ("clean", None, 2),
    "in_closeeq": ("failed", None, 1),
    "in_closeafter": ("pending", None, 1),
    "in_eur": ("clean", None, 1),
    "in_jpy": ("clean", None, 1),
    "in_anchor": ("clean", None, 1),
}


def test_d4_outcomes(tmp_path):
    raw, seeds = _d4_world(tmp_path)
    o = Oracle(raw, seeds, run_started_at=RUN)
    assert o.as_of_us == P.parse_ts("2025-03-31T00:00:00Z") and o.as_of_inclusive
    ro = rows_by(o.renewal_outcomes, "invoice_id")
    assert set(ro) == set(EXPECTED_D4)          # void, draft and subscription_create are not rebills
    got = {k: (r["outcome"], r["recovery_method"], r["attempt_count"]) for k, r in ro.items()}
    assert got == EXPECTED_D4
    assert ro["in_edge"]["window_closes_at"] == utc("2025-01-24T00:00:00Z")
    assert ro["in_late"]["first_approved_at"] == utc("2025-01-24T00:00:01Z")
    assert ro["in_cleanb"]["first_attempt_gateway"] == "processor_b"
    assert ro["in_tie"]["first_attempt_gateway"] == "processor_a"   # A before B at the same instant
    assert ro["in_clean"]["billed_month"] == dt.date(2025, 1, 1)
    assert ro["in_eur"]["amount_usd"] == D("10.01")    # 10.00 x 1.0005 = 10.005 -> half away from zero
    assert ro["in_jpy"]["amount_usd"] == D("29.26")    # 4501 yen (exponent 0) x 0.0065 = 29.2565
    assert ro["in_clean"]["amount_usd"] == D("40.00")
    # recovery messages: e-mail with case/space noise; SMS phone through the CRM contact
    assert ro["in_cu"]["has_recovery_message"] is True
    assert ro["in_cp"]["has_recovery_message"] is True
    assert ro["in_pmu_out"]["has_recovery_message"] is False     # other flow / not 'sent'
    assert ro["in_edge"]["has_recovery_message"] is False
    assert o.identity.recipient_account("OTHER.d@example.com ") == "cus_d"     # CRM e-mail, attached contact
    assert o.identity.recipient_account("555.010.0199") == "cus_d"
    assert o.identity.recipient_account("nobody@example.com") is None


def test_d4_as_of_date_var(tmp_path):
    """as_of_date = 2025-01-23 -> as_of 2025-01-24T00:00:00Z exclusive: the approval at exactly that
    instant is ignored, and the window (closing at that instant) counts as closed."""
    raw, seeds = _d4_world(tmp_path)
    o = Oracle(raw, seeds, run_started_at=RUN, as_of_date="2025-01-23")
    ro = rows_by(o.renewal_outcomes, "invoice_id")
    assert ro["in_edge"]["outcome"] == "failed" and ro["in_late"]["outcome"] == "failed"
    assert ro["in_cu"]["outcome"] == "recovered"
    assert "in_failed" not in ro                     # created after as_of
    assert o.reported_months == []                   # January ends after as_of


def test_d4_window_option(tmp_path):
    raw, seeds = _d4_world(tmp_path)
    ro = rows_by(Oracle(raw, seeds, run_started_at=RUN, recovery_window_days=1).renewal_outcomes, "invoice_id")
    assert ro["in_edge"]["outcome"] == "late_recovery"
    assert ro["in_cu"]["outcome"] == "late_recovery"      # 48 h > 24 h
    assert ro["in_reroute"]["outcome"] == "recovered"     # 24 h exactly


# ------------------------------------------------------------------------------ D2 / D3 / D5
def _d5_world(tmp_path, extra: dict | None = None):
    c = "2024-12-05T00:00:00Z"
    subs = [
        sub("sub_new", "cus_new", "p40", "2025-02-10T00:00:00Z"),
        sub("sub_churn", "cus_churn", "p40", c, status=" CANCELLED "),
        sub("sub_inv", "cus_inv", "p40", c),
        sub("sub_react", "cus_react", "p40", c),
        sub("sub_exp", "cus_exp", "p40", c),
        sub("sub_contr", "cus_contr", "p40", c),
        sub("sub_fx", "cus_fx", "peur", c),
        sub("sub_pause", "cus_pause", "p40", c),
        sub("sub_mix_a", "cus_mix", "p40", c),
        sub("sub_mix_b", "cus_mix", "p25", c),
        sub("sub_trial", "cus_trial", "p40", "2025-02-01T00:00:00Z", trial_end="2025-03-15T00:00:00Z"),
        sub("sub_noev", "cus_noev", "p40", c, canceled_at="2025-06-10T00:00:00Z", cancellation_source="Dunning"),
        sub("sub_year", "cus_year", "pyear", c),
        sub("sub_week", "cus_week", "pweek", c),
        sub("sub_day", "cus_day", "pday", c),
        sub("sub_disc", "cus_disc", "p40", c, discount_pct="12.5"),
    ]
    events = []
    for s in subs:
        if s["id"] == "sub_noev":
            continue
        events.append(ev("cr_" + s["id"], s["id"], "created", s["created_at"], plan_id=s["plan_id"], quantity=1))
    events += [
        ev("e01", "sub_churn", "Cancelled", "2025-03-10T00:00:00Z", reason="customer"),
        ev("e02", "sub_inv", "canceled", "2025-03-12T00:00:00Z", reason="dunning"),
        ev("e03", "sub_react", "canceled", "2025-02-05T00:00:00Z", reason="customer"),
        ev("e04", "sub_react", "reactivated", "2025-04-10T00:00:00Z"),
        ev("e05", "sub_exp", "quantity_changed", "2025-02-15T00:00:00Z", previous_quantity=1, quantity=2),
        ev("e06", "sub_contr", "plan_changed", "2025-05-03T00:00:00Z", previous_plan_id="p40", plan_id="p25"),
        ev("e07", "sub_pause", "paused", "2025-04-01T00:00:00Z"),
        ev("e08", "sub_pause", "resumed", "2025-05-20T00:00:00Z"),
        ev("e09", "sub_mix_a", "canceled", "2025-03-20T00:00:00Z", reason="fraud_review"),
        ev("e10", "sub_mix_b", "quantity_changed", "2025-03-21T00:00:00Z", previous_quantity=1, quantity=2),
        ev("e10", "sub_mix_b", "quantity_changed", "2025-03-21T00:00:00Z", previous_quantity=1, quantity=2),
        ev("e11", "sub_pause", "wibbled", "2025-04-15T00:00:00Z"),          # unknown type: no status change
        ev("e12", "sub_exp", "canceled", "2025-08-01T00:00:00Z", reason="customer"),  # after as_of: ignored
    ]
    tables = {
        "billing.plans": [plan("p40", 4000), plan("p25", 2500), plan("peur", 3000, currency="EUR"),
                          plan("pyear", 29900, "year"), plan("pweek", 899, "week"), plan("pday", 1899, "day", 30)],
        "billing.subscriptions": subs,
        "billing.subscription_events": events,
        "billing.invoices": [inv("in_anchor", "cus_anchor", "2025-01-02T00:00:00Z", reason="subscription_create")],
        "processor_a.charges": [ch("ch_anchor", "in_anchor", "succeeded", "2025-07-01T00:00:00Z")],
    }
    for k, v in (extra or {}).items():
        tables[k] = tables.get(k, []) + v
    raw = write_raw(tmp_path / "raw", tables)
    seeds = write_seeds(tmp_path / "seeds", {"EUR": {"2024-12": "1.10", "2025-01": "1.10",
                                                     **months("2025-02", "2025-12", "1.12")}})
    return Oracle(raw, seeds, run_started_at=RUN)


MOVE_COLS = ["start_mrr_usd", "new_mrr_usd", "reactivation_mrr_usd", "expansion_mrr_usd", "contraction_mrr_usd",
             "churn_mrr_usd", "fx_impact_usd", "end_cc_mrr_usd", "end_mrr_usd"]


def _assert_identities(mv: pd.DataFrame):
    assert len(mv) > 0
    for r in mv.to_dict("records"):
        lhs = (r["start_mrr_usd"] + r["new_mrr_usd"] + r["reactivation_mrr_usd"] + r["expansion_mrr_usd"]
               - r["contraction_mrr_usd"] - r["churn_mrr_usd"] + r["fx_impact_usd"])
        assert lhs == r["end_mrr_usd"], r
        assert r["fx_impact_usd"] == r["end_mrr_usd"] - r["end_cc_mrr_usd"], r
        assert r["churn_voluntary_usd"] + r["churn_involuntary_usd"] == r["churn_mrr_usd"], r
        assert r["contraction_voluntary_usd"] + r["contraction_involuntary_usd"] == r["contraction_mrr_usd"], r
        for c in [c for c in mv.columns if c.endswith("_usd")]:
            assert r[c] == r[c].quantize(D("0.01")), (c, r)
        if r["start_mrr_usd"] == 0:                  # 0 -> positive is new or reactivation, never expansion
            assert r["expansion_mrr_usd"] == 0 and r["contraction_mrr_usd"] == 0 and r["churn_mrr_usd"] == 0
            assert (r["new_mrr_usd"] + r["reactivation_mrr_usd"]) == r["end_cc_mrr_usd"]
            assert r["new_mrr_usd"] == 0 or r["reactivation_mrr_usd"] == 0
        if r["start_mrr_usd"] > 0 and r["end_cc_mrr_usd"] == 0:   # positive -> 0 is churn, never contraction
            assert r["churn_mrr_usd"] == r["start_mrr_usd"] and r["contraction_mrr_usd"] == 0
        if r["start_mrr_usd"] > 0:
            assert r["new_mrr_usd"] == 0 and r["reactivation_mrr_usd"] == 0
        assert any(r[c] != 0 for c in MOVE_COLS), r


def _mv(o, kind):
    mv = o.mrr_movements
    mv = mv[mv.period_type == kind]
    return {(r["period_start"].month, r["account_id"]): r for r in mv.to_dict("records")}


def _moves(r) -> dict:
    """Non-zero movements of a row, as strings, without start/end."""
    keys = ["new_mrr_usd", "reactivation_mrr_usd", "expansion_mrr_usd", "contraction_mrr_usd",
            "contraction_voluntary_usd", "contraction_involuntary_usd", "churn_mrr_usd", "churn_voluntary_usd",
            "churn_involuntary_usd", "fx_impact_usd"]
    return {k.replace("_mrr_usd", "").replace("_usd", ""): str(r[k]) for k in keys if r[k] != 0}


def test_d5_monthly_movements(tmp_path):
    o = _d5_world(tmp_path)
    assert o.reported_months == [dt.date(2025, m, 1) for m in range(1, 7)]
    mv = _mv(o, "month")
    _assert_identities(o.mrr_movements)
    expect = {
        (2, "cus_new"): {"new": "40.00"},
        (2, "cus_react"): {"churn": "40.00", "churn_voluntary": "40.00"},
        (2, "cus_exp"): {"expansion": "40.00"},
        (3, "cus_churn"): {"churn": "40.00", "churn_voluntary": "40.00"},
        (3, "cus_inv"): {"churn": "40.00", "churn_involuntary": "40.00"},
        (3, "cus_mix"): {"contraction": "15.00", "contraction_involuntary": "15.00"},   # 65 -> 50
        (3, "cus_trial"): {"new": "40.00"},                                              # trial ended Mar 15
        (4, "cus_react"): {"reactivation": "40.00"},
        (4, "cus_pause"): {"churn": "40.00", "churn_voluntary": "40.00"},               # a pause is voluntary
        (5, "cus_contr"): {"contraction": "15.00", "contraction_voluntary": "15.00"},
        (5, "cus_pause"): {"reactivation": "40.00"},
        (6, "cus_noev"): {"churn": "40.00", "churn_involuntary": "40.00"},               # snapshot: dunning
        (2, "cus_fx"): {"fx_impact": "0.60"},                                                    # 30 EUR: 1.10 -> 1.12
    }
    for k, v in expect.items():
        assert k in mv, k
        assert _moves(mv[k]) == v, (k, _moves(mv[k]))
    others = {k: _moves(r) for k, r in mv.items() if k not in expect and _moves(r)}
    assert others == {}, others
    # FX-only change: start and end_cc unchanged, only fx_impact moves
    fx = mv[(2, "cus_fx")]
    assert (fx["start_mrr_usd"], fx["end_cc_mrr_usd"], fx["end_mrr_usd"]) == (D("33.00"), D("33.00"), D("33.60"))
    assert (3, "cus_fx") in mv and _moves(mv[(3, "cus_fx")]) == {}
    # rows only where something is non-zero: cus_new before it starts, cus_churn after churning
    assert (1, "cus_new") not in mv and (4, "cus_churn") not in mv and (2, "cus_trial") not in mv
    assert (1, "cus_exp") in mv and mv[(1, "cus_exp")]["start_mrr_usd"] == D("40.00")


def test_d5_quarterly_movements(tmp_path):
    o = _d5_world(tmp_path)
    q = _mv(o, "quarter")
    expect = {
        (1, "cus_new"): {"new": "40.00"},
        (1, "cus_react"): {"churn": "40.00", "churn_voluntary": "40.00"},
        (1, "cus_exp"): {"expansion": "40.00"},
        (1, "cus_churn"): {"churn": "40.00", "churn_voluntary": "40.00"},
        (1, "cus_inv"): {"churn": "40.00", "churn_involuntary": "40.00"},
        (1, "cus_mix"): {"contraction": "15.00", "contraction_involuntary": "15.00"},
        (1, "cus_trial"): {"new": "40.00"},
        (1, "cus_fx"): {"fx_impact": "0.60"},
        (4, "cus_react"): {"reactivation": "40.00"},
        (4, "cus_contr"): {"contraction": "15.00", "contraction_voluntary": "15.00"},
        (4, "cus_noev"): {"churn": "40.00", "churn_involuntary": "40.00"},
    }
    for k, v in expect.items():
        assert _moves(q[k]) == v, (k, _moves(q[k]))
    others = {k: _moves(r) for k, r in q.items() if k not in expect and _moves(r)}
    assert others == {}, others
    # paused in April, back in May: the quarter nets out (computed from quarter start/end, not months)
    assert q[(4, "cus_pause")]["start_mrr_usd"] == q[(4, "cus_pause")]["end_mrr_usd"] == D("40.00")


def test_d3_mrr_normalisation_and_d2_status(tmp_path):
    o = _d5_world(tmp_path)
    sm = {(r["subscription_id"], r["month"].month): r for r in o.subscription_mrr.to_dict("records")}
    with localcontext() as ctx:
        ctx.prec = 60
        assert sm[("sub_year", 1)]["mrr_local"] == D("299.00") / 12
        assert sm[("sub_week", 1)]["mrr_local"] == D("8.99") * 52 / 12
        assert sm[("sub_day", 1)]["mrr_local"] == D("18.99") * 365 / 12 / 30
    assert sm[("sub_disc", 1)]["mrr_local"] == D("35")
    assert sm[("sub_trial", 2)]["status"] == "trialing" and sm[("sub_trial", 2)]["mrr_local"] == 0
    assert sm[("sub_pause", 4)]["status"] == "paused" and sm[("sub_pause", 4)]["mrr_local"] == 0
    assert sm[("sub_exp", 6)]["status"] == "active"                # cancel after as_of is ignored
    assert sm[("sub_contr", 5)]["plan_id"] == "p25" and sm[("sub_contr", 4)]["plan_id"] == "p40"
    am = {(r["account_id"], r["month"].month): r["mrr_usd"] for r in o.account_mrr.to_dict("records")}
    assert am[("cus_year", 1)] == D("24.92") and am[("cus_week", 1)] == D("38.96")
    assert am[("cus_day", 1)] == D("19.25")                         # 19.25375
    assert am[("cus_fx", 1)] == D("33.00") and am[("cus_fx", 2)] == D("33.60")
    si = o.subscription_status_intervals
    tr = si[si.subscription_id == "sub_trial"][["status", "valid_from"]].values.tolist()
    assert tr == [["trialing", utc("2025-02-01T00:00:00Z")], ["active", utc("2025-03-15T00:00:00Z")]]
    pa = si[si.subscription_id == "sub_pause"][["status", "valid_from"]].values.tolist()
    assert [s for s, _ in pa] == ["active", "paused", "active"]
    cx = {r["subscription_id"]: r for r in o.cancellations.to_dict("records")}
    assert {k: v["is_involuntary"] for k, v in cx.items()} == {
        "sub_churn": False, "sub_inv": True, "sub_react": False, "sub_mix_a": True, "sub_noev": True}


def test_d5_account_rounding_half_up(tmp_path):
    raw = write_raw(tmp_path / "raw", {
        "billing.plans": [plan("pe", 1000, currency="EUR")],
        "billing.subscriptions": [sub("sub_h", "cus_h", "pe", "2024-12-05T00:00:00Z")],
        "billing.invoices": [inv("in_x", "cus_x", "2025-01-02T00:00:00Z", reason="manual")],
        "processor_a.charges": [ch("ch_x", "in_x", "succeeded", "2025-02-01T00:00:00Z")],
    })
    seeds = write_seeds(tmp_path / "seeds", {"EUR": {"2024-12": "1.0005", "2025-01": "1.0015"}})
    o = Oracle(raw, seeds, run_started_at=RUN)
    (r,) = o.mrr_movements.to_dict("records")
    # 10.00 EUR x 1.0005 = 10.005 -> 10.01 ; x 1.0015 = 10.015 -> 10.02
    assert (r["start_mrr_usd"], r["end_cc_mrr_usd"], r["end_mrr_usd"], r["fx_impact_usd"]) == \
        (D("10.01"), D("10.01"), D("10.02"), D("0.01"))


def _overlay_world(tmp_path):
    c = "2025-01-01T00:00:00Z"
    subs = [sub(f"sub_o{i}", f"cus_o{i}", "p40", c) for i in range(1, 6)]
    events = [ev(f"cr_o{i}", f"sub_o{i}", "created", c, plan_id="p40", quantity=1) for i in range(1, 6)]
    events += [ev("x2", "sub_o2", "canceled", "2025-02-05T00:00:00Z", reason="customer"),
               ev("x3", "sub_o3", "canceled", "2025-02-20T00:00:00Z", reason="customer"),
               ev("x4", "sub_o4", "canceled", "2025-02-20T00:00:00Z", reason="support"),
               ev("x5", "sub_o5", "reactivated", "2025-02-25T00:00:00Z")]
    f = "2025-02-01T00:00:00Z"
    invoices = [inv(f"in_o{i}_feb", f"cus_o{i}", f, sub_id=f"sub_o{i}") for i in range(1, 6)]
    invoices.append(inv("in_o1_mar", "cus_o1", "2025-03-01T00:00:00Z", sub_id="sub_o1"))
    charges = [ch("c1", "in_o1_feb", "failed", f), ch("c1m", "in_o1_mar", "succeeded", "2025-03-01T00:02:00Z"),
               ch("c2", "in_o2_feb", "failed", f), ch("c3", "in_o3_feb", "succeeded", f),
               ch("c4", "in_o4_feb", "failed", f), ch("c4b", "in_o4_feb", "succeeded", "2025-02-03T00:00:00Z"),
               ch("c5", "in_o5_feb", "failed", f)]
    raw = write_raw(tmp_path / "raw", {
        "billing.plans": [plan("p40", 4000)], "billing.subscriptions": subs,
        "billing.subscription_events": events, "billing.invoices": invoices, "processor_a.charges": charges})
    return Oracle(raw, write_seeds(tmp_path / "seeds", {}), run_started_at=RUN, as_of_date="2025-03-31")


def test_d2_renewal_overlay_and_involuntary(tmp_path):
    o = _overlay_world(tmp_path)
    si = o.subscription_status_intervals

    def tl(s):
        return [(r["status"], r["valid_from"].strftime("%m-%d")) for r in si[si.subscription_id == s].to_dict(
            "records")]

    assert tl("sub_o1") == [("active", "01-01"), ("past_due", "02-01"), ("cancelled", "02-15"),
                            ("active", "03-01")]
    assert tl("sub_o2") == [("active", "01-01"), ("past_due", "02-01"), ("cancelled", "02-05")]
    assert tl("sub_o4") == [("active", "01-01"), ("past_due", "02-01"), ("active", "02-03"),
                            ("cancelled", "02-20")]
    assert tl("sub_o5") == [("active", "01-01"), ("past_due", "02-01"), ("cancelled", "02-15"),
                            ("active", "02-25")]
    cx = {r["subscription_id"]: (r["source"], r["is_involuntary"]) for r in o.cancellations.to_dict("records")}
    assert cx == {"sub_o1": ("overlay", True),     # window closed unpaid
                  "sub_o2": ("event", True),       # 'customer', but the latest rebill failed and was not paid
                  "sub_o3": ("event", False),
                  "sub_o4": ("event", False),      # the failed rebill had been recovered before
                  "sub_o5": ("overlay", True)}
    sm = {(r["subscription_id"], r["month"].month): r["mrr_local"] for r in o.subscription_mrr.to_dict("records")}
    assert sm[("sub_o1", 2)] == 0 and sm[("sub_o1", 3)] == 40 and sm[("sub_o5", 2)] == 40
    mv = _mv(o, "month")
    assert _moves(mv[(2, "cus_o1")]) == {"churn": "40.00", "churn_involuntary": "40.00"}
    assert _moves(mv[(3, "cus_o1")]) == {"reactivation": "40.00"}
    assert _moves(mv[(2, "cus_o2")]) == {"churn": "40.00", "churn_involuntary": "40.00"}
    assert _moves(mv[(2, "cus_o4")]) == {"churn": "40.00", "churn_voluntary": "40.00"}
    assert (2, "cus_o5") in mv and _moves(mv[(2, "cus_o5")]) == {}   # cancelled and back inside February
    _assert_identities(o.mrr_movements)


# ------------------------------------------------------------------------------ the bundled sample
# Disagreements with the hand-worked sample that the oracle keeps on purpose (see the report):
#   re_bad_1970: `created` = '86400' (5 digits). The oracle reads epoch seconds only as 9-11 digits,
#   so it is unparseable; the sample reads it as epoch 1970-01-02, out of range. Both quarantine it.
KNOWN_QUARANTINE_DISAGREEMENTS = {
    ("processor_a/refunds", "re_bad_1970"): ("timestamp_out_of_range", "unparseable_timestamp"),
}
SAMPLE_RUN = "2026-01-01T00:00:00Z"
needs_sample = pytest.mark.skipif(not (SAMPLE_EXPECTED / "renewal_outcomes.csv").exists(),
                                  reason="sample_data/expected not written yet")


@pytest.fixture(scope="module")
def sample_oracle():
    return Oracle(SAMPLE_RAW, run_started_at=SAMPLE_RUN)


def _read_expected(name):
    return pd.read_csv(SAMPLE_EXPECTED / name, dtype=str, keep_default_na=False)


@needs_sample
def test_sample_renewal_outcomes_match_hand_worked(sample_oracle):
    exp = _read_expected("renewal_outcomes.csv")
    got = sample_oracle.renewal_outcomes
    e = {r["invoice_id"]: (r["outcome"], r["recovery_method"] or None) for r in exp.to_dict("records")}
    g = {r["invoice_id"]: (r["outcome"], r["recovery_method"]) for r in got.to_dict("records")}
    diff = {k: {"expected": e.get(k), "oracle": g.get(k)} for k in set(e) | set(g) if e.get(k) != g.get(k)}
    assert diff == {}, diff


@needs_sample
def test_sample_quarantine_matches_hand_worked(sample_oracle):
    exp = _read_expected("quarantine.csv")
    e = {(r["source_table"], r["record_key"] or None): r["reason"] for r in exp.to_dict("records")}
    g = {}
    for r in sample_oracle.quarantine.to_dict("records"):
        g[(f"{r['system']}/{r['table_name']}", r["key"])] = r["reason"]
    diff = {k: (e.get(k), g.get(k)) for k in set(e) | set(g) if e.get(k) != g.get(k)}
    known = {k: v for k, v in KNOWN_QUARANTINE_DISAGREEMENTS.items()}
    assert diff == known, {"unexpected": {k: v for k, v in diff.items() if known.get(k) != v},
                           "no longer disagreeing": [k for k in known if k not in diff]}


@needs_sample
def test_sample_quarantine_with_any_length_epochs():
    """With processor A's bigint `created` read as epoch seconds whatever its length, the
    oracle agrees with every hand-worked quarantine reason."""
    o = Oracle(SAMPLE_RAW, run_started_at=SAMPLE_RUN, epoch_any_length=True)
    exp = _read_expected("quarantine.csv")
    e = {(r["source_table"], r["record_key"] or None): r["reason"] for r in exp.to_dict("records")}
    g = {(f"{r['system']}/{r['table_name']}", r["key"]): r["reason"] for r in o.quarantine.to_dict("records")}
    assert e == g


@needs_sample
def test_sample_row_counts_match_hand_worked(sample_oracle):
    path = SAMPLE_EXPECTED / "row_counts.csv"
    if not path.exists():
        pytest.skip("no row_counts.csv")
    exp = _read_expected("row_counts.csv")
    got = {f"{r['system']}/{r['table_name']}": r for r in sample_oracle.row_counts.to_dict("records")}
    for r in exp.to_dict("records"):
        g = got[r["source_table"]]
        assert (int(r["raw_rows"]), int(r["duplicate_rows_removed"]), int(r["quarantined_rows"]),
                int(r["staged_rows"])) == (g["raw_rows"], g["duplicates_removed"], g["quarantined_rows"],
                                           g["staged_rows"]), r["source_table"]


@needs_sample
def test_sample_subscription_mrr_matches_hand_worked(sample_oracle):
    path = SAMPLE_EXPECTED / "subscription_mrr_month_end.csv"
    if not path.exists():
        pytest.skip("no subscription_mrr_month_end.csv")
    exp = _read_expected("subscription_mrr_month_end.csv")
    e = {(r["subscription_id"], dt.date.fromisoformat(r["month_end"]).replace(day=1)): (D(r["mrr"]), r["currency"])
         for r in exp.to_dict("records")}
    g = {(r["subscription_id"], r["month"]): (P.round_cent(r["mrr_local"]), r["currency"])
         for r in sample_oracle.subscription_mrr.to_dict("records") if r["mrr_local"] != 0}
    diff = {k: (e.get(k), g.get(k)) for k in set(e) | set(g) if e.get(k) != g.get(k)}
    assert diff == {}, diff


@pytest.mark.skipif(not (SAMPLE_RAW / "billing").exists(), reason="no sample raw data")
def test_sample_roll_forward_identity(sample_oracle):
    _assert_identities(sample_oracle.mrr_movements)


def test_generated_data_smoke(tmp_path):
    """A small generated raw dir (parquet, default defect rates): every count reconciles, every
    movement row satisfies the roll-forward identity and the classification order."""
    import subprocess
    import sys

    if not (PROJECT / "acctkpi" / "generate.py").exists():
        pytest.skip("no generator")
    out = tmp_path / "gen"
    subprocess.run([sys.executable, "-m", "acctkpi.generate", "--customers", "150", "--months", "6", "--seed", "3",
                    "--out", str(out), "--quiet"], check=True, cwd=PROJECT, capture_output=True)
    o = Oracle(out)
    rc = o.row_counts
    assert (rc.raw_rows == rc.quarantined_rows + rc.duplicates_removed + rc.staged_rows).all()
    assert rc.raw_rows.sum() > 0
    assert set(o.renewal_outcomes.outcome) <= {"clean", "recovered", "failed", "late_recovery", "pending",
                                               "no_attempt"}
    _assert_identities(o.mrr_movements)


@pytest.mark.skipif(not (PROJECT / "sample_data" / "STORIES.md").exists(), reason="no STORIES.md")
def test_sample_stories_d2_d5(sample_oracle):
    """Figures worked by hand in sample_data/STORIES.md (D2 classification, D4 messages, D5)."""
    o = sample_oracle
    mv = {(r["period_type"], r["period_start"].isoformat()[:7], r["account_id"]): r
          for r in o.mrr_movements.to_dict("records")}

    def m(kind, month, acct):
        return mv[(kind, month, acct)]

    assert _moves(m("month", "2025-10", "cus_ray")) == {"contraction": "5.00", "contraction_involuntary": "5.00"}
    assert (m("month", "2025-10", "cus_ray")["start_mrr_usd"], m("month", "2025-10", "cus_ray")["end_cc_mrr_usd"]) \
        == (D("65.00"), D("60.00"))
    assert _moves(m("month", "2025-04", "cus_sol")) == {"churn": "40.00", "churn_voluntary": "40.00"}
    assert _moves(m("month", "2025-08", "cus_sol")) == {"reactivation": "40.00"}
    assert _moves(m("month", "2025-07", "cus_tom")) == {"churn": "40.00", "churn_voluntary": "40.00"}
    assert _moves(m("month", "2025-08", "cus_tom")) == {"reactivation": "40.00"}
    q3 = m("quarter", "2025-07", "cus_tom")
    assert _moves(q3) == {} and q3["start_mrr_usd"] == q3["end_mrr_usd"] == D("40.00")
    assert _moves(m("month", "2025-03", "cus_uma")) == {"new": "37.84", "fx_impact": "0.09"}
    assert _moves(m("month", "2025-04", "cus_uma")) == {"fx_impact": "0.12"}
    assert _moves(m("month", "2025-08", "cus_vic")) == {"new": "40.28", "fx_impact": "0.25"}
    assert _moves(m("month", "2025-02", "cus_wes")) == {"expansion": "30.00"}
    am = {(r["account_id"], r["month"].month): str(r["mrr_usd"]) for r in o.account_mrr.to_dict("records")}
    assert [am[("cus_uma", k)] for k in range(3, 12)] == ["37.93", "38.05", "38.20", "38.38", "38.58", "38.79",
                                                           "39.01", "39.22", "39.41"]
    assert [am[("cus_vic", k)] for k in range(8, 12)] == ["40.53", "40.79", "41.04", "41.27"]
    cx = o.cancellations
    invol = set(cx[cx.is_involuntary.astype(bool)].subscription_id)
    vol = set(cx[~cx.is_involuntary.astype(bool)].subscription_id)
    assert invol == {"sub_hal_1", "sub_ivy_1", "sub_lea_1", "sub_ray_2", "sub_fay_1"}
    assert vol == {"sub_jon_1", "sub_kim_1", "sub_sol_1", "sub_tom_1", "sub_bea_1"}
    ro = o.renewal_outcomes
    rec = ro[ro.outcome == "recovered"]
    assert {r["invoice_id"]: r["has_recovery_message"] for r in rec.to_dict("records")} == {
        "in_ben_2509": True, "in_cleo_2508": True, "in_cleo_2511": True, "in_dan_2507": True,
        "in_dan_2510": True, "in_fay_2506": False}
    st = o.account_status_intervals.groupby("account_id").tail(1)
    by = {s: set(g.account_id) for s, g in st.groupby("status")}
    assert by["past_due"] == {"cus_max"}
    assert by["cancelled"] == {"cus_hal", "cus_ivy", "cus_jon", "cus_kim", "cus_lea", "cus_bea"}
    assert o.as_of_us == P.parse_ts("2025-12-20T12:00:00Z")
    assert o.reported_months[0] == dt.date(2025, 1, 1) and o.reported_months[-1] == dt.date(2025, 11, 1)

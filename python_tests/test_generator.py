"""Tests for the synthetic raw-data generator (python -m acctkpi.generate).

Small sizes so the file runs in well under a minute. The expected contract below is
copied from the landing contract (sources YAML) on purpose (not imported from acctkpi),
so the generator is checked against the contract, not against itself.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "reference"
BASE_ARGS = ["--customers", "1000", "--months", "12", "--start-month", "2024-07"]
RANGE_START = pd.Timestamp("2024-07-01", tz="UTC")
RANGE_END = pd.Timestamp("2025-07-01", tz="UTC")
DIRTY_RATE = "0.05"

# table -> [(column, type family)]  (text / int / bool / numeric), from the landing contract
CONTRACT = {
    "billing/customers": "id:text email:text crm_contact_id:text currency:text created_at:text deleted:bool",
    "billing/plans": "id:text name:text product_line:text interval:text interval_count:int unit_amount:int "
                     "currency:text active:bool",
    "billing/subscriptions": "id:text customer_id:text plan_id:text quantity:int discount_pct:numeric status:text "
                             "created_at:text trial_end:text current_period_start:text current_period_end:text "
                             "canceled_at:text cancellation_reason:text cancellation_source:text pause_start:text "
                             "pause_end:text updated_at:text",
    "billing/subscription_events": "id:text subscription_id:text type:text occurred_at:text previous_plan_id:text "
                                   "plan_id:text previous_quantity:int quantity:int reason:text",
    "billing/invoices": "id:text subscription_id:text customer_id:text billing_reason:text period_start:text "
                        "period_end:text subtotal:int discount:int tax:int total:int currency:text status:text "
                        "attempt_count:int created_at:text paid_at:text",
    "processor_a/charges": "id:text invoice:text order_ref:text customer:text amount:int currency:text status:text "
                           "failure_code:text outcome_type:text attempt:int payment_method_fingerprint:text "
                           "created:int",
    "processor_a/refunds": "id:text charge:text amount:int reason:text created:int",
    "processor_a/disputes": "id:text charge:text amount:int reason:text status:text created:int",
    "processor_a/payment_method_updates": "id:text customer:text source:text created:int",
    "processor_b/transactions": "transaction_id:text type:text response:text response_code:text response_text:text "
                                "amount:text currency:text time:text order_id:text customer_vault_id:text "
                                "original_transaction_id:text",
    "crm/contacts": "contact_id:text email:text phone:text first_name:text last_name:text billing_customer_id:text "
                    "lifecycle_stage:text acquisition_channel:text country:text created_at:text updated_at:text "
                    "is_deleted:bool",
    "shop/orders": "id:text name:text email:text billing_customer_id:text created_at:text cancelled_at:text "
                   "financial_status:text source_name:text subtotal_price:text total_discounts:text "
                   "total_price:text currency:text",
    "shop/order_lines": "id:text order_id:text sku:text product_type:text quantity:int price:text "
                        "is_subscription:bool offer_type:text",
    "shop/refunds": "id:text order_id:text amount:text created_at:text",
    "support/tickets": "id:int requester_email:text subject:text tags:text priority:text status:text "
                       "satisfaction:text created_at:text updated_at:text solved_at:text",
    "messaging/events": "event_id:text message_id:text channel:text recipient:text flow:text trigger_ref:text "
                        "automated:bool event_type:text occurred_at:text",
}
CONTRACT = {t: [tuple(c.split(":")) for c in cols.split()] for t, cols in CONTRACT.items()}
PK = {"processor_b/transactions": "transaction_id", "crm/contacts": "contact_id", "messaging/events": "event_id"}

# documented enumerations (clean mode must stay inside them)
ENUMS = {
    ("billing/plans", "interval"): {"day", "week", "month", "year"},
    ("billing/subscriptions", "status"): {"trialing", "active", "past_due", "unpaid", "paused", "canceled"},
    ("billing/subscriptions", "cancellation_source"): {"customer", "support", "dunning", "fraud_review", None},
    ("billing/subscription_events", "type"): {"created", "trial_converted", "plan_changed", "quantity_changed",
                                              "paused", "resumed", "canceled", "reactivated"},
    ("billing/subscription_events", "reason"): {"customer", "support", "dunning", "fraud_review", None},
    ("billing/invoices", "billing_reason"): {"subscription_create", "subscription_cycle", "subscription_update",
                                             "manual"},
    ("billing/invoices", "status"): {"draft", "open", "paid", "uncollectible", "void"},
    ("processor_a/charges", "status"): {"succeeded", "failed", "pending"},
    ("processor_a/charges", "outcome_type"): {"authorized", "issuer_declined", "blocked", "invalid", None},
    ("processor_a/disputes", "status"): {"needs_response", "won", "lost"},
    ("processor_a/payment_method_updates", "source"): {"card_updater", "customer_portal", "support"},
    ("processor_b/transactions", "type"): {"sale", "refund", "chargeback"},
    ("processor_b/transactions", "response"): {"1", "2", "3"},
    ("shop/orders", "financial_status"): {"paid", "partially_refunded", "refunded", "voided", "pending"},
    ("shop/orders", "source_name"): {"web", "subscription_contract", "post_purchase", "sms"},
    ("shop/order_lines", "offer_type"): {"upsell", "cross_sell", None},
    ("support/tickets", "status"): {"new", "open", "pending", "solved", "closed"},
    ("support/tickets", "satisfaction"): {"good", "bad", "offered", "unoffered", None},
    ("messaging/events", "channel"): {"sms", "email"},
    ("messaging/events", "event_type"): {"sent", "delivered", "clicked", "converted", "opted_out", "failed"},
    ("messaging/events", "flow"): {"payment_failed_recovery", "card_update_request", "renewal_reminder",
                                   "post_payment_upsell", "winback", "newsletter", "promo"},
}
TAGS = {"billing", "cancel_request", "payment_issue", "shipping", "product_issue"}
ISO_OFFSET = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"
ISO_Z = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"
COMPACT = r"^\d{14}$"
# native timestamp format per system (clean mode) and the text timestamp columns
NATIVE_TS = {"billing": ISO_OFFSET, "crm": ISO_Z, "shop": ISO_OFFSET, "support": ISO_Z, "messaging": ISO_OFFSET,
             "processor_b": COMPACT}


# --------------------------------------------------------------------------- fixtures
def _generate(out: Path, *extra: str, subprocess_run: bool = False) -> Path:
    """In-process by default (fast); as a separate interpreter (own hash seed) for the
    byte-identity checks."""
    args = [*BASE_ARGS, "--out", str(out), "--quiet", *extra]
    if subprocess_run:
        subprocess.run([sys.executable, "-m", "acctkpi.generate", *args], cwd=REPO, check=True,
                       capture_output=True, text=True)
    else:
        if str(REPO) not in sys.path:
            sys.path.insert(0, str(REPO))
        from acctkpi import generate

        generate.main(args)
    return out


@pytest.fixture(scope="session")
def gen(tmp_path_factory):
    base = tmp_path_factory.mktemp("acctkpi_generator")
    return {
        "clean": _generate(base / "clean", "--seed", "11", "--defect-rate", "0"),
        "clean_again": _generate(base / "clean_again", "--seed", "11", "--defect-rate", "0", subprocess_run=True),
        "dirty": _generate(base / "dirty", "--seed", "11", "--defect-rate", DIRTY_RATE),
        "dirty_again": _generate(base / "dirty_again", "--seed", "11", "--defect-rate", DIRTY_RATE,
                                 subprocess_run=True),
        "other_seed": _generate(base / "other_seed", "--seed", "12", "--defect-rate", "0"),
        "csv": _generate(base / "csv", "--seed", "11", "--defect-rate", "0", "--format", "csv"),
        "parts": _generate(base / "parts", "--seed", "5", "--customers", "900", "--chunk-customers", "400",
                           "--part-rows", "2500"),
    }


def _files(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


def _read(d: Path, table: str) -> pd.DataFrame:
    f = d / f"{table}.parquet"
    src = f if f.exists() else d / table
    return pq.read_table(src).to_pandas()


@pytest.fixture(scope="session")
def clean(gen):
    return {t: _read(gen["clean"], t) for t in CONTRACT}


@pytest.fixture(scope="session")
def dirty(gen):
    return {t: _read(gen["dirty"], t) for t in CONTRACT}


def _norm(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lower()


def _digits9(s: pd.Series) -> pd.Series:
    return s.astype("string").str.replace(r"\D", "", regex=True).str[-9:]


def _text_ts_columns(table):
    return [c for c, t in CONTRACT[table] if t == "text" and (c.endswith("_at") or c in (
        "trial_end", "current_period_start", "current_period_end", "period_start", "period_end", "pause_start",
        "pause_end", "time"))]


# --------------------------------------------------------------------------- determinism
def test_same_seed_is_byte_identical(gen):
    a, b = _files(gen["clean"]), _files(gen["clean_again"])
    assert len(a) == 17 and a == b
    assert _files(gen["dirty"]) == _files(gen["dirty_again"])


def test_different_seed_differs(gen):
    a, b = _files(gen["clean"]), _files(gen["other_seed"])
    assert a.keys() == b.keys()
    differing = [k for k in a if k != "billing/plans.parquet" and a[k] != b[k]]
    assert len(differing) == len(a) - 1


# --------------------------------------------------------------------------- contract shape
def _family(t: pa.DataType) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "text"
    if pa.types.is_integer(t):
        return "int"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "numeric"
    return str(t)


@pytest.mark.parametrize("which", ["clean", "dirty", "parts"])
def test_every_table_and_column_with_landing_types(gen, which):
    d = gen[which]
    for table, cols in CONTRACT.items():
        single, folder = d / f"{table}.parquet", d / table
        assert single.exists() != folder.is_dir(), table
        schema = pq.read_schema(single if single.exists() else sorted(folder.glob("part-*.parquet"))[0])
        assert [(f.name, _family(f.type)) for f in schema] == cols, table


def test_manifest_and_parts(gen):
    for which in ("clean", "dirty", "parts"):
        d = gen[which]
        m = json.loads((d / "_manifest.json").read_text())
        assert m["seed"] in (11, 5)
        assert set(m["row_counts"]) == set(CONTRACT)
        for table in CONTRACT:
            assert pq.ParquetDataset(d / m["tables"][table]["path"]).read().num_rows == m["row_counts"][table]
    m = json.loads((gen["parts"] / "_manifest.json").read_text())
    big = [t for t, n in m["row_counts"].items() if n > 2500]
    assert big, "the parts run should produce some folders"
    for t in big:
        parts = sorted((gen["parts"] / t).glob("part-*.parquet"))
        assert len(parts) >= 3  # at least one part per chunk of customers
        assert [p.name for p in parts] == [f"part-{i:05d}.parquet" for i in range(len(parts))]
        assert all(pq.ParquetFile(p).metadata.num_rows <= 2500 for p in parts)


def test_csv_format(gen, clean):
    d = gen["csv"]
    for table, cols in CONTRACT.items():
        f = d / f"{table}.csv"
        assert f.exists(), table
        header = f.open().readline().strip()
        assert header == ",".join(f'"{c}"' for c, _ in cols)
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        assert len(df) == len(clean[table]), table
    subs = pd.read_csv(d / "billing/subscriptions.csv", dtype=str, keep_default_na=False)
    assert (subs["canceled_at"] == "").any()  # null -> empty field


def test_help_explains_every_option():
    out = subprocess.run([sys.executable, "-m", "acctkpi.generate", "--help"], cwd=REPO, check=True,
                         capture_output=True, text=True).stdout
    for opt in ("--customers", "--months", "--seed", "--out", "--start-month", "--defect-rate", "--dup-rate",
                "--ts-format-rate", "--bad-ts-rate", "--money-rate", "--case-rate", "--orphan-rate",
                "--unknown-enum-rate", "--late-event-rate", "--null-pk-rate", "--format", "--chunk-customers",
                "--part-rows"):
        assert opt in out


# --------------------------------------------------------------------------- clean mode
def test_clean_primary_keys_unique_and_present(clean):
    for table, df in clean.items():
        pk = PK.get(table, "id")
        assert df[pk].notna().all() and (df[pk].astype(str) != "").all(), table
        if table == "billing/plans":
            continue
        assert df[pk].is_unique, table


def test_clean_enums_are_documented(clean):
    for (table, col), allowed in ENUMS.items():
        vals = set(clean[table][col].astype(object).where(clean[table][col].notna(), None))
        assert vals <= allowed, (table, col, vals - allowed)
    declines = pd.read_csv(SEEDS / "decline_codes.csv", dtype=str)
    a_codes = set(declines.loc[declines.gateway == "processor_a", "decline_code"])
    b_codes = set(declines.loc[declines.gateway == "processor_b", "decline_code"]) | {"100"}
    assert set(clean["processor_a/charges"]["failure_code"].dropna()) <= a_codes
    assert set(clean["processor_b/transactions"]["response_code"]) <= b_codes
    fx = set(pd.read_csv(SEEDS / "fx_rates.csv")["currency"])
    for table, col in (("billing/customers", "currency"), ("billing/plans", "currency"), ("billing/invoices", "currency"),
                       ("processor_b/transactions", "currency"), ("shop/orders", "currency")):
        assert set(clean[table][col]) <= fx, table
    assert set(clean["processor_a/charges"]["currency"]) <= {c.lower() for c in fx}
    tags = set(",".join(clean["support/tickets"]["tags"]).split(","))
    assert tags <= TAGS


def test_clean_timestamps_native_and_inside_range(clean):
    for table in CONTRACT:
        system = table.split("/")[0]
        for col in _text_ts_columns(table):
            s = clean[table][col].dropna()
            assert s.str.match(NATIVE_TS[system]).all(), (table, col)
            ts = (pd.to_datetime(s, format="%Y%m%d%H%M%S", utc=True) if system == "processor_b"
                  else pd.to_datetime(s, utc=True, format="ISO8601"))
            assert ts.min() >= RANGE_START and ts.max() <= RANGE_END, (table, col)
        for col in [c for c, t in CONTRACT[table] if c == "created" and t == "int"]:
            ts = pd.to_datetime(clean[table][col], unit="s", utc=True)
            assert ts.min() >= RANGE_START and ts.max() <= RANGE_END, (table, col)


def test_clean_references_resolve(clean):
    inv = clean["billing/invoices"]
    ch = clean["processor_a/charges"]
    b = clean["processor_b/transactions"]
    orders = clean["shop/orders"]
    subs = clean["billing/subscriptions"]
    cust = clean["billing/customers"]
    assert ch["invoice"].dropna().isin(inv["id"]).all()
    assert ch["order_ref"].dropna().isin(orders["id"]).all()
    assert ch["customer"].dropna().isin(cust["id"]).all()
    assert (ch["invoice"].notna() | ch["order_ref"].notna()).all()
    for t in ("processor_a/refunds", "processor_a/disputes"):
        assert clean[t]["charge"].isin(ch["id"]).all()
    assert clean["billing/subscription_events"]["subscription_id"].isin(subs["id"]).all()
    assert inv["subscription_id"].dropna().isin(subs["id"]).all() and inv["customer_id"].isin(cust["id"]).all()
    assert subs["customer_id"].isin(cust["id"]).all()
    # processor B: order_id is an invoice id without 'in_' or a shop order name like '#1042'
    oid = b["order_id"].dropna()
    names = oid[oid.str.startswith("#")]
    assert names.isin(orders["name"]).all()
    inv_sans = set(inv["id"].str.slice(3))
    assert oid[~oid.str.startswith("#")].isin(inv_sans).all()
    assert b["original_transaction_id"].dropna().isin(b["transaction_id"]).all()
    retries = b[(b["type"] == "sale") & b["order_id"].isna()]
    assert len(retries) > 0 and retries["original_transaction_id"].notna().all()
    assert clean["shop/order_lines"]["order_id"].isin(orders["id"]).all()
    assert clean["shop/refunds"]["order_id"].isin(orders["id"]).all()
    # people: tickets and messages reach a known email / phone (after normalisation)
    emails = set(_norm(cust["email"].dropna())) | set(_norm(clean["crm/contacts"]["email"].dropna()))
    assert _norm(clean["support/tickets"]["requester_email"].dropna()).isin(emails).all()
    ev = clean["messaging/events"]
    phones = set(_digits9(clean["crm/contacts"]["phone"].dropna()))
    assert _norm(ev.loc[ev.channel == "email", "recipient"]).isin(emails).all()
    assert _digits9(ev.loc[ev.channel == "sms", "recipient"]).isin(phones).all()
    trig = ev["trigger_ref"].dropna()
    assert trig.isin(set(ch["id"]) | set(b["transaction_id"]) | set(inv["id"])).all()


def test_invoice_totals_add_up(clean, dirty):
    for data in (clean, dirty):
        inv = data["billing/invoices"]
        assert (inv["subtotal"] - inv["discount"] + inv["tax"] == inv["total"]).all()
    # shop orders too (decimal strings), where they parse
    o = clean["shop/orders"]
    sub, disc, tot = (pd.to_numeric(o[c]) for c in ("subtotal_price", "total_discounts", "total_price"))
    assert ((sub - disc - tot).abs() < 0.005).all()


def test_clean_subscription_snapshot_matches_events(clean):
    subs = clean["billing/subscriptions"]
    ev = clean["billing/subscription_events"]
    created = ev[ev.type == "created"]
    assert created["plan_id"].notna().all() and created["quantity"].notna().all()
    pc_ = ev[ev.type == "plan_changed"]
    assert pc_["plan_id"].notna().all() and pc_["previous_plan_id"].notna().all()
    qc = ev[ev.type == "quantity_changed"]
    assert qc["quantity"].notna().all() and qc["previous_quantity"].notna().all()
    assert set(ev.loc[ev.type == "canceled", "reason"]) <= {"customer", "support", "dunning", "fraud_review"}
    life = ev[~ev.type.isin(["plan_changed", "quantity_changed"])].sort_values(["subscription_id", "occurred_at", "id"])
    last = life.groupby("subscription_id")["type"].last()
    s = subs.set_index("id")
    assert (last.reindex(s.index[s.status == "canceled"]) == "canceled").all()
    assert (last.reindex(s.index[s.status == "paused"]) == "paused").all()
    assert not (last.reindex(s.index[s.status.isin(["active", "trialing"])]) == "canceled").any()
    # the snapshot's plan and quantity are those of the latest plan / quantity event
    chg = ev[ev.type.isin(["created", "plan_changed"])].sort_values(["subscription_id", "occurred_at", "id"])
    assert (chg.groupby("subscription_id")["plan_id"].last().reindex(s.index) == s["plan_id"]).all()
    qty = ev[ev.type.isin(["created", "quantity_changed"])].sort_values(["subscription_id", "occurred_at", "id"])
    assert (qty.groupby("subscription_id")["quantity"].last().reindex(s.index) == s["quantity"]).all()
    # the mix of behaviour the KPIs need is there
    assert {"customer", "support", "dunning", "fraud_review"} <= set(s["cancellation_source"].dropna())
    assert set(ENUMS[("billing/subscription_events", "type")]) == set(ev["type"])
    assert s["trial_end"].notna().any() and s["pause_start"].notna().any()


def _renewal_outcomes(data) -> pd.Series:
    """D4 in plain pandas: rebills, their attempts on both gateways (B retries through the
    original_transaction_id chain), ordered by time then A before B then id."""
    inv = data["billing/invoices"]
    ch = data["processor_a/charges"]
    b = data["processor_b/transactions"]
    rebills = inv[(inv.billing_reason == "subscription_cycle") & ~inv.status.isin(["void", "draft"])].copy()
    rebills["created"] = pd.to_datetime(rebills.created_at, utc=True, format="ISO8601")
    a = ch[ch.invoice.notna() & ch.status.isin(["succeeded", "failed"])]
    a = pd.DataFrame({"invoice": a.invoice, "t": pd.to_datetime(a.created, unit="s", utc=True), "gw": 0,
                      "id": a.id, "ok": a.status == "succeeded"})
    sales = b[b.type == "sale"].set_index("transaction_id")
    root = sales["order_id"].copy()
    parent = sales["original_transaction_id"]
    for _ in range(10):  # follow retry chains to the sale that carries the order_id
        missing = root.isna() & parent.notna()
        if not missing.any():
            break
        root[missing] = parent[missing].map(root).values
    sales = sales.assign(root=root)
    sales = sales[sales.root.notna() & ~sales.root.str.startswith("#")]
    bb = pd.DataFrame({"invoice": "in_" + sales.root, "t": pd.to_datetime(sales.time, format="%Y%m%d%H%M%S", utc=True),
                       "gw": 1, "id": sales.index, "ok": sales.response == "1"})
    att = pd.concat([a, bb]).sort_values(["invoice", "t", "gw", "id"])
    as_of = max(att.t.max(), rebills.created.max())
    first = att.groupby("invoice").first()
    win = att[att.ok].groupby("invoice")["t"].min()
    r = rebills.set_index("id")
    t0 = first["t"].reindex(r.index)
    ok0 = first["ok"].reindex(r.index)
    w = win.reindex(r.index)
    window = pd.Timedelta(days=14)
    out = pd.Series("pending", index=r.index)
    out[t0.isna()] = "no_attempt"
    out[t0.notna() & ok0.fillna(False).astype(bool)] = "clean"
    failed_first = t0.notna() & ~ok0.fillna(False).astype(bool)
    out[failed_first & w.notna() & (w <= t0 + window)] = "recovered"
    out[failed_first & w.notna() & (w > t0 + window)] = "late_recovery"
    out[failed_first & w.isna() & (t0 + window <= as_of)] = "failed"
    return out


def test_renewal_outcome_mix(clean):
    mix = _renewal_outcomes(clean).value_counts()
    assert {"clean", "recovered", "failed", "late_recovery", "no_attempt"} <= set(mix.index), mix
    assert mix["clean"] / mix.sum() > 0.8
    # recovery paths: rerouted to B, after a card-updater / customer card update, plain retries
    ch = clean["processor_a/charges"]
    pmu = clean["processor_a/payment_method_updates"]
    assert {"card_updater", "customer_portal", "support"} <= set(pmu.source)
    fails = ch[ch.invoice.notna() & (ch.status == "failed")]
    assert fails.failure_code.notna().all() and (fails.outcome_type != "authorized").all()
    first_b = clean["processor_b/transactions"]
    assert (first_b.response == "2").mean() > 0 and (ch.status == "failed").mean() > 0


def test_gateway_b_declines_more(clean):
    ch = clean["processor_a/charges"]
    b = clean["processor_b/transactions"]
    a_first = ch[ch.invoice.notna() & (ch.attempt == 1) & ch.status.isin(["succeeded", "failed"])]
    b_first = b[(b.type == "sale") & b.order_id.notna() & ~b.order_id.str.startswith("#")]
    b_first = b_first.sort_values("time").drop_duplicates("order_id")
    assert (b_first.response != "1").mean() > (a_first.status == "failed").mean()


# --------------------------------------------------------------------------- defects
def _defect_counts(data) -> dict[str, int]:
    c = {}
    # 1 duplicates: same non-empty primary key more than once
    dup = 0
    for table, df in data.items():
        pk = df[PK.get(table, "id")].astype("string")
        pk = pk[pk.notna() & (pk != "")]
        dup += int(pk.duplicated().sum())
    c["duplicates"] = dup
    subs = data["billing/subscriptions"]
    d = subs[subs.id.duplicated(keep=False) & subs.id.notna() & (subs.id != "")]
    c["dup_later_updated_at"] = int(d.groupby("id")["updated_at"].nunique().gt(1).sum())
    # 2 timestamp formats and bad timestamps
    fmt, bad = 0, 0
    for table in CONTRACT:
        system = table.split("/")[0]
        for col in _text_ts_columns(table):
            s = data[table][col].dropna()
            fmt += int((~s.str.match(NATIVE_TS[system])).sum())
            parsed = pd.to_datetime(s, utc=True, errors="coerce", format="ISO8601")
            bad += int(((parsed.dt.year < 2000) | (parsed.dt.year > 2030)).sum())
            bad += int(s.isin(["not a date", "N/A", "yesterday", "0000-00-00 00:00:00"]).sum())
    ch = data["processor_a/charges"]
    ct = pd.to_datetime(ch.created, unit="s", utc=True)
    bad += int(((ct.dt.year < 2000) | (ct.dt.year > 2030)).sum())
    c["ts_format"], c["bad_ts"] = fmt, bad
    # 3 money
    fx = set(pd.read_csv(SEEDS / "fx_rates.csv")["currency"])
    unparseable = int(pd.to_numeric(data["processor_b/transactions"].amount, errors="coerce").isna().sum())
    unparseable += int(pd.to_numeric(data["shop/orders"].total_price, errors="coerce").isna().sum())
    nofx = sum(int((~_norm(data[t]["currency"]).str.upper().isin(fx)).sum())
               for t in ("billing/invoices", "processor_a/charges", "processor_b/transactions", "shop/orders"))
    c["money_unparseable"], c["money_no_fx"] = unparseable, nofx
    # 4 case / whitespace noise
    st = data["billing/subscriptions"].status.dropna()
    em = data["billing/customers"].email.dropna()
    c["case"] = int((st != st.str.strip().str.lower()).sum() + (em != em.str.strip().str.lower()).sum())
    # 5 orphans
    inv = data["billing/invoices"]
    emails = set(_norm(data["billing/customers"].email.dropna())) | set(_norm(data["crm/contacts"].email.dropna()))
    ev = data["messaging/events"]
    phones = set(_digits9(data["crm/contacts"].phone.dropna()))
    rec_known = pd.Series(True, index=ev.index)
    rec_known[ev.channel == "email"] = _norm(ev.loc[ev.channel == "email", "recipient"]).isin(emails)
    rec_known[ev.channel == "sms"] = _digits9(ev.loc[ev.channel == "sms", "recipient"]).isin(phones)
    c["orphan_charge_invoice"] = int((~ch.invoice.dropna().isin(inv.id)).sum())
    c["orphan_event_subscription"] = int((~data["billing/subscription_events"].subscription_id
                                          .isin(data["billing/subscriptions"].id)).sum())
    c["orphan_ticket_email"] = int((~_norm(data["support/tickets"].requester_email.dropna()).isin(emails)).sum())
    c["orphan_message_recipient"] = int((~rec_known).sum())
    # 6 unknown enum values (after trimming, lower-casing and the documented 'cancelled' spelling)
    unk = 0
    for (table, col), allowed in ENUMS.items():
        v = _norm(data[table][col].dropna()).replace({"cancelled": "canceled"})
        unk += int((~v.isin(allowed)).sum())
    c["unknown_enum"] = unk
    # 7 late / out-of-order events
    c["late_events"] = 0
    for table, tcol in (("billing/subscription_events", "occurred_at"), ("messaging/events", "occurred_at")):
        t = pd.to_datetime(data[table][tcol], utc=True, errors="coerce", format="ISO8601")
        c["late_events"] += int((t.diff().dt.total_seconds() < 0).sum())
    # null / empty primary keys
    c["null_pk"] = sum(int((data[t][PK.get(t, "id")].isna() | (data[t][PK.get(t, "id")].astype(str) == "")).sum())
                       for t in CONTRACT)
    return c


def test_clean_mode_has_no_defects(clean):
    counts = _defect_counts(clean)
    assert all(v == 0 for v in counts.values()), counts


def test_defect_mode_contains_every_class(dirty, gen):
    counts = _defect_counts(dirty)
    assert all(v > 0 for v in counts.values()), counts
    manifest = json.loads((gen["dirty"] / "_manifest.json").read_text())
    per_class = {}
    for table_counts in manifest["defects_injected"].values():
        for k, v in table_counts.items():
            per_class[k] = per_class.get(k, 0) + v
    assert all(v > 0 for v in per_class.values()), per_class
    # timestamps with a non-UTC offset denote the same instant as the clean value
    ev = dirty["billing/invoices"]
    s = ev.created_at.dropna()
    assert s.str.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-](?!00:00)\d\d:\d\d$").any()
    assert s.str.match(r"^\d{9,10}$").any() and s.str.match(COMPACT).any()
    assert dirty["processor_b/transactions"].amount.isin(["N/A"]).any() or \
        dirty["shop/orders"].total_price.isin(["N/A"]).any()
    assert set(_norm(dirty["processor_b/transactions"].currency)) & {"brl", "mxn", "ars"}
    assert dirty["billing/subscriptions"].status.isin(["cancelled", "Cancelled"]).any()


def test_offset_timestamps_keep_the_instant(gen):
    con = duckdb.connect()
    clean_p = str(gen["clean"] / "billing/invoices.parquet")
    rows = con.execute(f"select id, created_at from '{clean_p}'").fetchall()
    clean_ts = {i: pd.Timestamp(t) for i, t in rows}
    con.close()
    # regenerate the same seed with only the timestamp-format class switched on
    d = gen["clean"].parent / "ts_only"
    _generate(d, "--seed", "11", "--defect-rate", "0", "--ts-format-rate", "0.3")
    inv = _read(d, "billing/invoices")
    assert len(inv) == len(clean_ts)
    for fmt in (r"[+-]\d\d:\d\d$", r"Z$", r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d$"):
        sel = inv[inv.created_at.str.contains(fmt) & ~inv.created_at.str.endswith("+00:00")]
        assert len(sel) > 0, fmt
        parsed = pd.to_datetime(sel.created_at, utc=True, format="ISO8601")
        assert parsed.equals(pd.to_datetime(sel.id.map(clean_ts), utc=True)), fmt
    ep = inv[inv.created_at.str.match(r"^\d{9,10}$")]
    assert len(ep) > 0
    assert pd.to_datetime(ep.created_at.astype("int64"), unit="s", utc=True).equals(
        pd.to_datetime(ep.id.map(clean_ts), utc=True))

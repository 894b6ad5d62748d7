"""Tests of the oracle's mart-level rules (python_tests/oracle/marts.py) on tiny hand-built raw
directories. Every expected value is worked out by hand from the KPI rules (D0-D11, models/docs/)
(D5 percentages, D7 net revenue / LTV / value segments, D10 gateway view, upsell conversion,
payment-event engagement and automation coverage),
not read off the oracle's output.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oracle import Oracle, marts_of
from test_oracle_selfcheck import (RUN, _d4_world, bt, ch, customer, ev, inv, msg, plan, sub, write_raw,
                                   write_seeds)

D = Decimal


def by(df, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in df.to_dict("records")}


def m(y, mo):
    return dt.date(y, mo, 1)


# ------------------------------------------------------------------------------ D5 worked check
def _d5_worked_world(tmp_path):
    c = "2025-01-05T00:00:00Z"
    subs = [sub("sub_a", "cus_a", "p_a60", c), sub("sub_b1", "cus_b", "p_b", c, quantity=38),
            sub("sub_b2", "cus_b", "p_b", c, quantity=2), sub("sub_c", "cus_c", "p_b", "2025-03-20T00:00:00Z")]
    events = [ev("cr_" + s["id"], s["id"], "created", s["created_at"], plan_id=s["plan_id"], quantity=s["quantity"])
              for s in subs]
    events += [
        ev("e1", "sub_a", "plan_changed", "2025-03-10T00:00:00Z", previous_plan_id="p_a60", plan_id="p_a75"),
        ev("e2", "sub_b1", "quantity_changed", "2025-03-12T00:00:00Z", previous_quantity=38, quantity=35),
        ev("e3", "sub_b2", "canceled", "2025-03-15T00:00:00Z", reason="dunning"),
    ]
    raw = write_raw(tmp_path / "raw", {
        "billing.plans": [plan("p_a60", 60_000_000), plan("p_a75", 75_000_000), plan("p_b", 1_000_000)],
        "billing.subscriptions": subs,
        "billing.subscription_events": events,
        "billing.invoices": [inv("in_a1", "cus_a", c, reason="subscription_create", total=60_000_000)],
    })
    return Oracle(raw, write_seeds(tmp_path / "seeds", {}), run_started_at=RUN, as_of_date="2025-03-31")


def test_d5_worked_check_nrr_110_grr_95(tmp_path):
    """End of Feb: a 600,000 + b 380,000 + 20,000 = 1,000,000 (the base). March: a upgrades to
    750,000 (+150,000); b drops 30,000 by quantity (voluntary) and loses its 20,000 subscription to
    dunning (involuntary): churned 50,000. c is new (10,000) and never enters the base.
    NRR = (1,000,000 + 150,000 - 50,000) / 1,000,000 = 110.00; GRR = 95.00; churn 5.00 = 3.00 + 2.00."""
    ret = by(marts_of(_d5_worked_world(tmp_path)).retention("month"), "period_start")
    assert list(ret) == [m(2025, 1), m(2025, 2), m(2025, 3)]
    mar = ret[m(2025, 3)]
    assert mar["starting_accounts"] == 2
    assert (mar["starting_mrr_usd"], mar["expansion_usd"], mar["churned_revenue_usd"]) == \
        (D("1000000.00"), D("150000.00"), D("50000.00"))
    assert (mar["churned_revenue_voluntary_usd"], mar["churned_revenue_involuntary_usd"]) == \
        (D("30000.00"), D("20000.00"))
    assert mar["starting_accounts_end_cc_mrr_usd"] == D("1100000.00")   # NRR identity
    assert (mar["nrr_pct"], mar["grr_pct"], mar["revenue_churn_pct"]) == (D("110.00"), D("95.00"), D("5.00"))
    assert (mar["voluntary_churn_pct"], mar["involuntary_churn_pct"]) == (D("3.00"), D("2.00"))
    feb = ret[m(2025, 2)]
    assert feb["starting_mrr_usd"] == D("1000000.00")
    assert (feb["nrr_pct"], feb["grr_pct"], feb["revenue_churn_pct"]) == (D("100.00"), D("100.00"), D("0.00"))
    jan = ret[m(2025, 1)]                                   # nobody had MRR at the end of December
    assert jan["starting_mrr_usd"] == 0 and jan["nrr_pct"] is None and jan["grr_pct"] is None
    assert jan["revenue_churn_pct"] is None and jan["involuntary_churn_pct"] is None


def test_d5_quarter_from_quarter_start(tmp_path):
    """Q1 2025 starts at the end of December 2024 (no MRR): NULL percentages, never the sum of months."""
    q = by(marts_of(_d5_worked_world(tmp_path)).retention("quarter"), "period_start")
    assert list(q) == [m(2025, 1)]
    assert q[m(2025, 1)]["starting_mrr_usd"] == 0 and q[m(2025, 1)]["nrr_pct"] is None


# ------------------------------------------------------------------------------ D7 net revenue
def _chargeback_world(tmp_path):
    raw = write_raw(tmp_path / "raw", {
        "billing.customers": [customer("cus_l"), customer("cus_j")],
        "billing.invoices": [inv("in_l1", "cus_l", "2025-09-01T00:00:00Z", reason="subscription_create")],
        "processor_a.charges": [
            ch("ch_l1", None, "succeeded", "2025-09-02T00:00:00Z", amount=6000, customer="cus_l"),
            ch("ch_l2", None, "succeeded", "2025-10-02T00:00:00Z", amount=4000, customer="cus_l"),
            ch("ch_j1", None, "succeeded", "2025-09-05T00:00:00Z", amount=4500, currency="jpy", customer="cus_j"),
        ],
        "processor_a.disputes": [
            {"id": "dp_lost", "charge": "ch_l1", "amount": 6000, "reason": "fraudulent", "status": "lost",
             "created": str(int(dt.datetime(2025, 9, 20, tzinfo=dt.timezone.utc).timestamp()))},
            {"id": "dp_won", "charge": "ch_l2", "amount": 4000, "reason": "fraudulent", "status": "won",
             "created": str(int(dt.datetime(2025, 10, 15, tzinfo=dt.timezone.utc).timestamp()))},
        ],
        "processor_a.refunds": [
            # 1500 yen: minor units of the charge's currency (JPY, exponent 0), at October's rate
            {"id": "re_j1", "charge": "ch_j1", "amount": 1500,
             "created": str(int(dt.datetime(2025, 10, 1, tzinfo=dt.timezone.utc).timestamp()))},
        ],
        "processor_b.transactions": [
            {**bt("7001", "1", "2025-10-05T00:00:00Z", order_id=None, amount="40.00"), "customer_vault_id": "cus_l"},
            bt("7002", "3", "2025-11-03T00:00:00Z", original="7001", type_="chargeback", amount="40.00"),
            bt("7003", "2", "2025-10-20T00:00:00Z", original="7001", type_="refund", amount="25.00"),
            bt("7004", "1", "2025-10-21T00:00:00Z", original="7001", type_="refund", amount="10.00"),
        ],
    })
    seeds = write_seeds(tmp_path / "seeds", {"JPY": {"2025-09": "0.0065", "2025-10": "0.0070", "2025-11": "0.0070"}})
    return Oracle(raw, seeds, run_started_at=RUN, as_of_date="2025-11-30")


def test_d7_lost_chargebacks_with_fee(tmp_path):
    mk = marts_of(_chargeback_world(tmp_path))
    net = by(mk.account_net_revenue_monthly, "account_id", "month_start")
    # Sep: paid 60.00, A dispute lost 60.00 (by its created), fee 15.00 -> -15.00
    sep = net[("cus_l", m(2025, 9))]
    assert (sep["approved_payments_usd"], sep["lost_chargebacks_usd"], sep["lost_chargeback_count"],
            sep["chargeback_fees_usd"], sep["net_revenue_usd"]) == (D("60.00"), D("60.00"), 1, D("15.00"), D("-15.00"))
    # Oct: A 40.00 + B 40.00; won dispute deducts nothing; declined B refund nothing; approved B refund 10.00
    oct_ = net[("cus_l", m(2025, 10))]
    assert (oct_["approved_payments_usd"], oct_["refunds_usd"], oct_["lost_chargeback_count"],
            oct_["net_revenue_usd"]) == (D("80.00"), D("10.00"), 0, D("70.00"))
    # Nov: a B chargeback counts whatever its response, attached through its original transaction, + fee
    nov = net[("cus_l", m(2025, 11))]
    assert (nov["approved_payments_usd"], nov["lost_chargebacks_usd"], nov["chargeback_fees_usd"],
            nov["net_revenue_usd"]) == (D("0.00"), D("40.00"), D("15.00"), D("-55.00"))
    # JPY: 4500 yen x 0.0065 = 29.25 in Sep; refund 1500 yen x 0.0070 = 10.50 in Oct
    assert net[("cus_j", m(2025, 9))]["net_revenue_usd"] == D("29.25")
    assert net[("cus_j", m(2025, 10))]["net_revenue_usd"] == D("-10.50")
    seg = by(mk.value_segments, "account_id")
    assert seg["cus_l"]["lifetime_net_revenue_usd"] == D("0.00") and seg["cus_l"]["value_segment"] == "tail"
    assert seg["cus_j"]["trailing_12m_net_revenue_usd"] == D("18.75") and seg["cus_j"]["value_segment"] == "top"


# ------------------------------------------------------------------------------ D7 cohort LTV
def _ltv_world(tmp_path):
    s = "2025-09-05T00:00:00Z"
    raw = write_raw(tmp_path / "raw", {
        "billing.customers": [customer("cus_p", "p@example.com"), customer("cus_q", "q@example.com")],
        "billing.plans": [plan("p40", 4000)],
        "billing.subscriptions": [sub("sub_p", "cus_p", "p40", s), sub("sub_q", "cus_q", "p40", s)],
        "billing.subscription_events": [
            ev("cr_p", "sub_p", "created", s, plan_id="p40", quantity=1),
            ev("cr_q", "sub_q", "created", s, plan_id="p40", quantity=1),
            ev("x_p", "sub_p", "canceled", "2025-11-20T00:00:00Z", reason="customer"),
        ],
        "billing.invoices": [
            inv("in_p9", "cus_p", s, reason="subscription_create"), inv("in_q9", "cus_q", s, reason="subscription_create"),
            inv("in_p10", "cus_p", "2025-10-05T00:00:00Z"), inv("in_q10", "cus_q", "2025-10-05T00:00:00Z"),
        ],
        # no `customer` on the charges: they attach through their invoice
        "processor_a.charges": [
            ch("ch_p9", "in_p9", "succeeded", "2025-09-05T00:05:00Z"),
            ch("ch_q9", "in_q9", "succeeded", "2025-09-05T00:05:00Z"),
            ch("ch_p10", "in_p10", "succeeded", "2025-10-05T00:05:00Z"),
        ],
        "processor_a.refunds": [
            {"id": "re_p10", "charge": "ch_p10", "amount": 3000,
             "created": str(int(dt.datetime(2025, 11, 10, tzinfo=dt.timezone.utc).timestamp()))},
        ],
        "processor_b.transactions": [
            bt("8001", "1", "2025-10-05T00:05:00Z", order_id="q10", amount="40.00"),     # invoice in_q10
            bt("8002", "1", "2025-12-02T00:00:00Z", order_id="#1050", amount="10.00"),   # shop order by e-mail
        ],
        "shop.orders": [{"id": "o_q", "name": "#1050", "email": " Q@Example.com", "created_at": "2025-12-02T00:00:00Z",
                         "financial_status": "partially_refunded", "source_name": "web", "subtotal_price": "10.00",
                         "total_discounts": "0", "total_price": "10.00", "currency": "USD"}],
        "shop.refunds": [{"id": "sr_1", "order_id": "o_q", "amount": "5.00", "created_at": "2025-12-03T00:00:00Z"}],
    })
    return Oracle(raw, write_seeds(tmp_path / "seeds", {}), run_started_at=RUN, as_of_date="2025-12-31")


def test_d7_ltv_falls_only_in_a_refund_month(tmp_path):
    """Cohort Sep 2025, 2 accounts. Sep 80 -> LTV 40.00; Oct +80 -> 80.00; Nov refund 30 -> 130 / 2 =
    65.00 (the only fall, flagged); Dec +10 through the shop order (its shop refund is not counted)
    -> 70.00. Active: both until p cancels on Nov 20."""
    mk = marts_of(_ltv_world(tmp_path))
    pays = by(mk.payments_attributed, "payment_id")
    assert {k: (v["account_id"], v["account_match_rule"]) for k, v in pays.items()} == {
        "ch_p9": ("cus_p", "invoice"), "ch_q9": ("cus_q", "invoice"), "ch_p10": ("cus_p", "invoice"),
        "8001": ("cus_q", "invoice"), "8002": ("cus_q", "shop_order")}
    rows = mk.cohort_ltv.to_dict("records")
    got = [(r["cohort_month"], r["month_offset"], r["cohort_size"], r["active_accounts"], r["net_revenue_usd"],
            r["has_refund_or_lost_chargeback"], r["cumulative_net_revenue_usd"], r["ltv_usd"]) for r in rows]
    assert got == [
        (m(2025, 9), 0, 2, 2, D("80.00"), False, D("80.00"), D("40.00")),
        (m(2025, 9), 1, 2, 2, D("80.00"), False, D("160.00"), D("80.00")),
        (m(2025, 9), 2, 2, 1, D("-30.00"), True, D("130.00"), D("65.00")),
        (m(2025, 9), 3, 2, 1, D("10.00"), False, D("140.00"), D("70.00")),
    ]


# ------------------------------------------------------------------------------ D7 value segments
def _pareto_world(tmp_path):
    def sale(tid, who, when, amount, **kw):
        return {**bt(tid, "1", when, amount=amount), "customer_vault_id": who, **kw}

    accts = ["cus_a", "cus_m", "cus_n", "cus_y", "cus_z", "cus_neg", "cus_never", "cus_old"]
    raw = write_raw(tmp_path / "raw", {
        "billing.customers": [customer(a) for a in accts],
        "billing.invoices": [inv("in_first", "cus_a", "2024-11-03T00:00:00Z", reason="manual")],
        "processor_b.transactions": [
            sale("1", "cus_a", "2025-03-01T00:00:00Z", "70.00"),
            sale("2", "cus_n", "2025-05-01T00:00:00Z", "10.00"),
            sale("3", "cus_m", "2025-05-01T00:00:00Z", "10.00"),       # tie with cus_n: by account id
            sale("4", "cus_z", "2025-06-01T00:00:00Z", "5.00"),
            sale("5", "cus_y", "2025-06-01T00:00:00Z", "5.00"),
            sale("6", "cus_neg", "2025-08-01T00:00:00Z", "20.00"),
            bt("7", "1", "2025-09-01T00:00:00Z", original="6", type_="chargeback", amount="20.00"),
            sale("8", "cus_old", "2024-12-15T00:00:00Z", "500.00"),     # outside the 12 months
        ],
    })
    return Oracle(raw, write_seeds(tmp_path / "seeds", {}), run_started_at=RUN, as_of_date="2025-12-31")


def test_d7_value_segments_pareto(tmp_path):
    """Trailing Jan..Dec 2025: a 70, m 10, n 10, y 5, z 5 (total 100). Share before: a 0 -> top,
    m 0.70 -> top, n 0.80 (not < 0.80) -> core, y 0.90 -> core, z 0.95 (not < 0.95) -> tail.
    neg: 20 - 20 - 15 fee = -15 -> tail; never paid -> tail; old: 500 in Dec 2024 only -> tail."""
    vs = by(marts_of(_pareto_world(tmp_path)).value_segments, "account_id")
    assert {a: r["value_segment"] for a, r in vs.items()} == {
        "cus_a": "top", "cus_m": "top", "cus_n": "core", "cus_y": "core", "cus_z": "tail",
        "cus_neg": "tail", "cus_never": "tail", "cus_old": "tail"}
    assert [a for a, _ in sorted(vs.items(), key=lambda kv: kv[1]["value_rank"])][:5] == \
        ["cus_a", "cus_m", "cus_n", "cus_y", "cus_z"]
    assert vs["cus_n"]["cumulative_trailing_before_usd"] == D("80.00")
    assert vs["cus_neg"]["trailing_12m_net_revenue_usd"] == D("-15.00")
    assert vs["cus_old"]["lifetime_net_revenue_usd"] == D("500.00")
    assert vs["cus_old"]["trailing_12m_net_revenue_usd"] == D("0.00")
    assert vs["cus_old"]["first_payment_month"] == m(2024, 12) and vs["cus_never"]["first_payment_month"] is None


# ------------------------------------------------------------------------------ D10 gateway view
def test_d10_gateway_view_on_the_d4_world(tmp_path):
    """The D4 world (test_oracle_selfcheck.EXPECTED_D4).

    First-attempt approval (the marts' reading: the first attempt of EVERY invoice, in its own
    month): Jan A: clean, void, draft, create, eur, jpy approved; edge, late, reroute, cu failed
    -> 6 of 10 = 60.00. Jan B: cleanb (A charge only pending) approved, chain failed -> 50.00.
    All Jan 7 of 12 = 58.33. Feb A: failed, cp, pmu_out -> 0.00. Mar A: tie_id2 and anchor of
    pend, tie, tie_id, tie_id2, closeeq, closeafter, anchor -> 28.57 (tie: A before B at the same
    instant; tie_id: ids ordered). pendonly (pending only) and none have no attempt.
    Recovery (rebills by billed month and first-attempt gateway): Jan A recovered edge, reroute,
    cu vs late -> 75.00; Jan B chain -> 100.00; all Jan 4 of 5 = 80.00; Feb A cp, pmu_out vs failed
    -> 66.67; Mar A tie, tie_id vs closeeq -> 66.67 (pending out of it)."""
    raw, seeds = _d4_world(tmp_path)
    mk = marts_of(Oracle(raw, seeds, run_started_at=RUN))
    got = {(r["gateway"], r["month_start"].month): (r["first_attempts"], r["first_attempt_approval_pct"],
                                                    r["recovery_pct"]) for r in mk.gateway_monthly.to_dict("records")}
    assert got == {
        ("processor_a", 1): (10, D("60.00"), D("75.00")), ("processor_b", 1): (2, D("50.00"), D("100.00")),
        ("all", 1): (12, D("58.33"), D("80.00")),
        ("processor_a", 2): (3, D("0.00"), D("66.67")), ("all", 2): (3, D("0.00"), D("66.67")),
        ("processor_a", 3): (7, D("28.57"), D("66.67")), ("all", 3): (7, D("28.57"), D("66.67")),
    }
    # the other reading (rebills only, by billed month): Jan A 3 clean of 7 rebills, Jan B 1 of 2
    rb = {(r["gateway"], r["month_start"].month): (r["first_attempts"], r["first_attempt_approval_pct"])
          for r in mk.gateway_monthly_frame("rebills").to_dict("records")}
    assert rb == {("processor_a", 1): (7, D("42.86")), ("processor_b", 1): (2, D("50.00")), ("all", 1): (9, D("44.44")),
                  ("processor_a", 2): (3, D("0.00")), ("all", 2): (3, D("0.00")),
                  ("processor_a", 3): (7, D("28.57")), ("all", 3): (7, D("28.57"))}


# ------------------------------------------------------------------------------ D10 upsell conversion
def _upsell_world(tmp_path):
    def order(oid, name, when, source, status="paid", email="u@example.com", **kw):
        return {"id": oid, "name": name, "email": email, "created_at": when, "financial_status": status,
                "source_name": source, "subtotal_price": "20.00", "total_discounts": "0", "total_price": "20.00",
                "currency": "USD", **kw}

    s_u, s_v = "2025-09-01T00:00:00Z", "2025-11-01T00:00:00Z"
    raw = write_raw(tmp_path / "raw", {
        "billing.customers": [customer("cus_u", "u@example.com"), customer("cus_v", "v@example.com")],
        "billing.plans": [plan("p40", 4000)],
        "billing.subscriptions": [sub("sub_u", "cus_u", "p40", s_u), sub("sub_v", "cus_v", "p40", s_v)],
        "billing.subscription_events": [ev("cr_u", "sub_u", "created", s_u, plan_id="p40", quantity=1),
                                        ev("cr_v", "sub_v", "created", s_v, plan_id="p40", quantity=1)],
        "billing.invoices": [inv("in_u", "cus_u", s_u, reason="subscription_create")],
        "messaging.events": [
            msg("e1", "U@Example.com ", "post_payment_upsell", "2025-10-06T15:05:00Z", channel="sms"),
            {**msg("e1d", "U@Example.com ", "post_payment_upsell", "2025-10-06T15:06:00Z", event_type="delivered"),
             "message_id": "m_e1"},
            msg("e2", "u@example.com", "post_payment_upsell", "2025-10-20T00:00:00Z"),
            msg("e3", "v@example.com", "post_payment_upsell", "2025-11-03T00:00:00Z"),
            msg("e4", "u@example.com", "post_payment_upsell", "2025-11-10T00:00:00Z"),
            msg("e5", "u@example.com", "promo", "2025-11-10T00:00:00Z", automated="false"),
        ],
        "shop.orders": [
            order("o1", "#1", "2025-10-08T16:20:00-04:00", "post_purchase"),            # m1 + 2 days: converts
            order("o2", "#2", "2025-10-28T00:00:01Z", "web"),                           # m2 + 8 days: too late
            order("o3", "#3", "2025-11-04T00:00:00Z", "post_purchase", email="v@example.com"),  # v: start MRR 0
            order("o4", "#4", "2025-11-12T00:00:00Z", "sms", status="refunded"),         # not paid
            order("o5", "#5", "2025-11-16T23:00:00Z", "web", status="partially_refunded"),  # upsell line: converts
            order("o6", "#6", "2025-11-11T00:00:00Z", "web"),                            # no offer line
            order("o7", "#7", "2025-11-11T00:00:00Z", "web"),                            # offer line worth 0
        ],
        "shop.order_lines": [
            {"id": "l2", "order_id": "o2", "sku": "X", "product_type": "x", "quantity": 1, "price": "20.00",
             "is_subscription": "false", "offer_type": "upsell"},
            {"id": "l5", "order_id": "o5", "sku": "X", "product_type": "x", "quantity": 1, "price": "20.00",
             "is_subscription": "false", "offer_type": "Cross_Sell"},
            {"id": "l6", "order_id": "o6", "sku": "X", "product_type": "x", "quantity": 1, "price": "20.00",
             "is_subscription": "false"},
            {"id": "l7", "order_id": "o7", "sku": "X", "product_type": "x", "quantity": 1, "price": "0.00",
             "is_subscription": "false", "offer_type": "upsell"},
        ],
    })
    return Oracle(raw, write_seeds(tmp_path / "seeds", {}), run_started_at=RUN, as_of_date="2025-11-30")


def test_d10_upsell_conversion(tmp_path):
    """Oct: m1 converts (post_purchase order 2 days later), m2 does not (web upsell order 8 days later)
    -> 50.00. Nov: m3 does not (cus_v's start MRR in November is 0, so its order is no one-time
    expansion), m4 converts through o5 (cross_sell line, partially refunded, 6 d 23 h later; the
    refunded sms order, the order without offer lines and the one whose upsell line is worth 0.00
    - no positive one-time amount - do not count) -> 50.00. A delivered event
    and a promo are not upsell messages."""
    mk = marts_of(_upsell_world(tmp_path))
    msgs = {r["message_id"]: r["converted_order_id"] for r in mk.upsell_messages}
    assert msgs == {"m_e1": "o1", "m_e2": None, "m_e3": None, "m_e4": "o5"}
    uc = by(mk.upsell_conversion, "month_start")
    assert [(d.month, r["upsell_messages"], r["upsell_conversion_pct"]) for d, r in uc.items()] == [
        (9, 0, None), (10, 2, D("50.00")), (11, 2, D("50.00"))]


# ------------------------------------------------------------------------------ D10 payment events, touches
def _payment_event_world(tmp_path):
    def ticket(tid, tags, when):
        return {"id": tid, "requester_email": "p@example.com", "subject": "help", "tags": tags, "priority": "normal",
                "status": "open", "created_at": when, "updated_at": when}

    o = "2025-10-01T00:00:00Z"
    raw = write_raw(tmp_path / "raw", {
        "billing.customers": [customer("cus_p", "p@example.com"), customer("cus_q", "q@example.com")],
        "billing.plans": [plan("p40", 4000)],
        "billing.subscriptions": [sub("sub_p", "cus_p", "p40", o)],
        "billing.subscription_events": [ev("cr_p", "sub_p", "created", o, plan_id="p40", quantity=1)],
        "billing.invoices": [inv("in_p1", "cus_p", o), inv("in_p2", "cus_p", o), inv("in_p3", "cus_p", o),
                             inv("in_q1", "cus_q", o)],
        "processor_a.charges": [
            ch("ch1", "in_p1", "failed", "2025-10-05T10:00:00Z"),
            ch("ch2", "in_p2", "succeeded", "2025-10-06T10:00:00Z", customer="cus_p"),
            ch("ch3", "in_p3", "failed", "2025-10-08T10:00:00Z", customer="cus_p"),
        ],
        "processor_b.transactions": [
            bt("tx1", "2", "2025-10-07T10:00:00Z", order_id="q1"),
            bt("tx2", "1", "2025-10-07T11:00:00Z", original="tx1"),
        ],
        "messaging.events": [
            # ch1: names it in trigger_ref, to a phone nobody knows; clicked -> covered, engaged, 200 s
            {**msg("a", "+1 555 000 0000", "payment_failed_recovery", "2025-10-05T10:03:20Z", channel="sms"),
             "trigger_ref": "ch1"},
            {**msg("a_click", "+1 555 000 0000", "payment_failed_recovery", "2025-10-05T10:30:00Z",
                   event_type="clicked", channel="sms"), "message_id": "m_a"},
            # ch2: no trigger_ref, same account, exactly 15 minutes later (inclusive); delivered only
            msg("b", "p@example.com", "post_payment_upsell", "2025-10-06T10:15:00Z"),
            {**msg("b_dlv", "p@example.com", "post_payment_upsell", "2025-10-06T10:16:00Z", event_type="delivered"),
             "message_id": "m_b"},
            # tx1: names its invoice (B order q1 -> in_q1), 600 s; converted BEFORE the send: not engaged
            {**msg("c", "q@example.com", "payment_failed_recovery", "2025-10-07T10:10:00Z"), "trigger_ref": "in_q1"},
            {**msg("c_conv", "q@example.com", "payment_failed_recovery", "2025-10-07T09:00:00Z",
                   event_type="converted"), "message_id": "m_c"},
            # tx2 (cus_q through its chain): a reminder naming ch1 and a promo are not its messages
            {**msg("d", "q@example.com", "renewal_reminder", "2025-10-07T11:05:00Z"), "trigger_ref": "ch1"},
            msg("e", "q@example.com", "promo", "2025-10-07T11:01:00Z", automated="false"),
            # ch3: names its invoice, 301 s, clicked
            {**msg("f", "p@example.com", "card_update_request", "2025-10-08T10:05:01Z"), "trigger_ref": "in_p3"},
            {**msg("f_click", "p@example.com", "card_update_request", "2025-10-08T12:00:00Z", event_type="clicked"),
             "message_id": "m_f"},
        ],
        "support.tickets": [ticket("t1", " Billing , refund", "2025-10-09T08:00:00Z"),
                            ticket("t2", "shipping", "2025-10-09T09:00:00Z"),
                            ticket("t3", "payment_issue", "2025-11-02T09:00:00Z")],
    })
    return Oracle(raw, write_seeds(tmp_path / "seeds", {}), run_started_at=RUN, as_of_date="2025-10-31")


def test_d10_payment_event_engagement_and_automation_coverage(tmp_path):
    """October: 5 payment events (ch1, ch2, ch3, tx1, tx2). Messages: ch1 <- m_a (trigger_ref, unmatched
    phone, 200 s, clicked), ch2 <- m_b (same account, 900 s = the SLA, not engaged), tx1 <- m_c (its
    invoice in_q1, 600 s, conversion before the send does not count), ch3 <- m_f (in_p3, 301 s,
    clicked); tx2 none (m_d names ch1, m_e is a campaign). Coverage 4 / 5 = 80.00; engagement
    2 / 4 = 50.00; median of 200, 301, 600, 900 s = 450.5 s = 7.508 min -> 7.51.
    Touches: automated recovery / expansion m_a, m_b, m_c, m_f (the reminder and the promo are
    not touches) + ticket t1 (tag billing; t2 untagged, t3 after as_of) = 5 -> 4 / 5 = 80.00."""
    mk = marts_of(_payment_event_world(tmp_path))
    links = {e["attempt_id"]: (e["message_id"], e["seconds_to_send"], e["engaged"]) for e in mk.payment_events}
    assert links == {"ch1": ("m_a", 200, True), "ch2": ("m_b", 900, False), "ch3": ("m_f", 301, True),
                     "tx1": ("m_c", 600, False), "tx2": (None, None, False)}
    rows = mk.event_kpis.to_dict("records")
    assert [r["month_start"] for r in rows] == [m(2025, 10)]
    oct_ = rows[0]
    assert (oct_["payment_events"], oct_["payment_events_with_message"], oct_["payment_events_engaged"]) == (5, 4, 2)
    assert (oct_["payment_event_coverage_pct"], oct_["payment_event_engagement_pct"],
            oct_["median_minutes_to_send"]) == (D("80.00"), D("50.00"), D("7.51"))
    assert (oct_["recovery_expansion_touches"], oct_["automated_touches"], oct_["automation_coverage_pct"]) == \
        (5, 4, D("80.00"))

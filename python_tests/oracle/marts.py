"""The oracle for the mart-level KPIs: D5 retention percentages, D7 net revenue / cohort LTV /
value segments, and the D10 gateway view and upsell conversion.

Written from the KPI rules (D0-D11, models/docs/) on top of the D0-D5 ``Oracle`` (oracle/core.py),
never from the project's SQL. One ``Marts`` object per ``Oracle`` (``marts_of(o)``), every
result computed once and cached. Money is ``Decimal``; months are ``datetime.date``
(first day); instants inside are integer microseconds UTC (oracle/parse.py).

How the open points are read is listed in ``MARTS_DECISIONS`` (oracle/__init__.py re-exports it).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

import pandas as pd

from . import parse as P
from .core import _df, _ts
from .staging import row_md5

Z = Decimal("0.00")
CENT = Decimal("0.01")

MARTS_DECISIONS = """
D5 retention (segment 'all')
- From ``Oracle.mrr_movements`` (cent-rounded account start / end_cc / movements). The base is
  the accounts with start > 0; starting, expansion, contraction, churn, churned revenue and its
  voluntary / involuntary split are summed over it. Percentages = 100 x numerator / starting,
  rounded to 2 decimals half away from zero; NULL when starting = 0.
- Months: every reported month. Quarters: only those whose three months are all reported
  (the marts' documented reading; ``Oracle.periods`` also lists a quarter whose last month is
  reported, this module drops the partial ones).

D7 net collected revenue
- Accounts = billing customers + orphan customer ids carried by subscriptions or invoices
  (an account whose customer row is missing still has MRR and payments).
- Approved payments: A charges ``succeeded``, B ``sale`` with response ``1``, on or before as_of,
  whatever they pay (invoice, shop order, nothing). Account, first match wins: the gateway's
  customer reference (A ``customer``, B ``customer_vault_id``) when it names an account; else the
  customer of its (staged) invoice (A ``invoice``; B ``order_id`` without '#', = invoice id
  without ``in_``); else the account of its shop order (A ``order_ref`` = order id; B ``order_id``
  '#...' = order name, the newest order of that name by created_at then id); else (B only) the
  account of the transaction named by ``original_transaction_id``, resolved the same way
  (recursively, cycles attach nothing).
- A shop order's account: its ``billing_customer_id`` when that is a billing customer, else its
  normalised e-mail through ``Identity`` (customer e-mail, newest customer; else an attached CRM
  contact's e-mail).
- Reversals (on or before as_of): every A refund and every A dispute ``lost`` take the account and
  the currency of their charge (an unknown charge: no currency, left out); B ``refund`` with
  response ``1`` and every B ``chargeback`` (any response) take the account of the same cascade
  as a payment (their own references first, then the chain). A refund / dispute amount is minor
  units of the charge's currency (the staged value is re-read from the raw text, since the
  refunds / disputes tables carry no currency of their own).
- Every amount is absolute, x the rate of its own month (disputes: ``created``), rounded to the
  cent per row, half away from zero; a row whose currency has no rate for its month is left out.
  A missing USD rate is 1. Fee: ``chargeback_fee_usd`` per lost chargeback, in its month.
- Cohort = month of the account's first approved (attributed) payment. The grid runs from k = 0
  through the last reported month, for cohorts on or before it; active = the account's
  cent-rounded MRR (own month's rate) > 0 at the end of month cohort + k. Reversals before the
  cohort month stay outside the grid. LTV_k = round(cumulative / size, 2), half away from zero.
- Lifetime = every month up to as_of. Trailing = the 12 months ending with the last reported
  month. Pareto: accounts with positive trailing revenue, highest first, ties by account id;
  share before < 0.80 x total -> top, < 0.95 x total -> core, else tail (exact decimals);
  non-positive trailing revenue -> tail; every account that the oracle does not list is tail.

D10
- Gateway view per gateway (``processor_a``, ``processor_b``, ``all``) x month. First-attempt
  approval % (the marts' documented reading): the first attempt of every invoice that has one
  (A charges succeeded / failed with an ``invoice``; B sales 1/2/3 whose ``order_id``, or the
  first ``order_id`` up their chain, names an invoice, '#...' names a shop order and does not),
  ordered by time, A before B, id, on or before as_of, whatever the invoice's billing reason or
  status and whether billing knows it; counted in the month of that attempt on its gateway:
  approved / all x 100. ``gateway_monthly_frame('rebills')`` gives the other reading (the D4
  rebills only, by billed month: clean / rebills with an attempt). Recovery % = recovered /
  (recovered + failed + late_recovery) over the rebills billed in the month whose first attempt
  was on the gateway (Oracle.rebills, D4); pending and no_attempt are in no denominator. NULL on a
  zero denominator.
- Upsell conversion: a message = a ``message_id`` with a ``sent`` event of flow
  ``post_payment_upsell`` (any ``automated`` value) on or before as_of, dated by its earliest
  ``sent``; its account = the recipient through ``Identity``. It converts when a one-time
  expansion order (D6) of the same account is created in [sent, sent + 7 x 24 h] (both ends
  included). A D6 one-time expansion order: attached to an account, ``financial_status`` ``paid``
  or ``partially_refunded``, created on or before as_of in a reported month, the account's D5
  monthly start MRR > 0 in that month, and a positive one-time amount: ``post_purchase`` / ``sms``
  orders total_price less their shop refunds (created on or before as_of), other orders the
  price x quantity of their staged ``upsell`` / ``cross_sell`` lines. A message that reaches no
  account stays in the denominator. Credited to the month of the message's ``sent``; NULL with
  no message.
- Payment events (engagement, coverage, median minutes): every A charge ``succeeded`` / ``failed``
  and every B ``sale`` with response 1 / 2 / 3, on or before as_of, counted in the month of the
  attempt. Its invoice: A ``invoice``; B the first ``order_id`` up its chain of sales (itself
  first) that is not '#...', as ``in_`` + id (kept when it already starts with ``in_``). Its
  account: the gateway customer reference (A ``customer``; B the first ``customer_vault_id`` up
  the same chain) when it names an account, else the customer of its (staged) invoice.
  Messages: per ``message_id`` its earliest ``sent`` event on or before as_of (time, then event
  id), automated when that event says ``automated`` true; engaged when the message has a
  ``clicked`` or ``converted`` event at or after that send and on or before as_of; its account
  = the recipient through ``Identity``. An event's message: the earliest (send time, then
  message id) automated message sent in [attempt, attempt + 15 min] that belongs to it: a
  message with ``trigger_ref`` belongs to the attempt it names or to every attempt of the
  invoice it names (any recipient); one without to the attempts of its recipient's account.
  Engagement % = engaged / events with a message; coverage % = events with a message / events;
  median minutes = the median of the whole seconds from attempt to send over events with a
  message (mean of the two middle values for an even count) / 60, rounded to 2 decimals half
  away from zero (exact decimals).
- Automation coverage: touches = automated messages (as above) of the flows
  ``payment_failed_recovery``, ``card_update_request`` (recovery) and ``post_payment_upsell``
  (expansion), by send month, plus staged support tickets created on or before as_of whose tag
  list (comma-separated, trimmed) holds ``payment_issue`` or ``billing`` (human), by created
  month, with or without an account. % = automated / all touches.
"""


def q2(x: Decimal) -> Decimal:
    """Round to 2 decimals, half away from zero."""
    return Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP)


def pct(num, den):
    if den is None or den == 0:
        return None
    return q2(Decimal(num) * 100 / Decimal(den))


def marts_of(o) -> "Marts":
    m = o.__dict__.get("_marts")
    if m is None:
        m = Marts(o)
        o.__dict__["_marts"] = m
    return m


class Marts:
    def __init__(self, o, chargeback_fee_usd="15.00", top_share="0.80", core_share="0.95",
                 upsell_conversion_days=7):
        self.o = o
        self.fee = Decimal(str(chargeback_fee_usd))
        self.top_share = Decimal(str(top_share))
        self.core_share = Decimal(str(core_share))
        self.upsell_window_us = int(upsell_conversion_days) * P.DAY_US

    # ------------------------------------------------------------------ helpers
    def usd(self, amount, cur, t):
        """Absolute amount x rate of the month of instant t, rounded to the cent; None without a rate."""
        if amount is None or cur is None or t is None:
            return None
        ym = P.month_of(t)
        r = self.o.rate(cur, ym)
        if r is None and cur == "USD":
            r = Decimal(1)
        if r is None:
            return None
        return P.round_cent(abs(amount) * r)

    @cached_property
    def accounts(self) -> set:
        o = self.o
        acc = set(o.t("billing.customers")["id"].dropna())
        acc |= set(o.t("billing.subscriptions")["customer_id"].dropna())
        acc |= set(o.t("billing.invoices")["customer_id"].dropna())
        return acc

    @cached_property
    def movements(self) -> pd.DataFrame:
        """``Oracle.mrr_movements`` computed once (it is a plain property there)."""
        return self.o.mrr_movements

    @cached_property
    def last_reported_ym(self):
        rep = self.o.reported_months_ym
        return rep[-1] if rep else None

    @cached_property
    def invoices(self) -> dict:
        return {r.id: r for r in self.o.t("billing.invoices").itertuples(index=False)}

    @cached_property
    def invoice_by_stripped(self) -> dict:
        out: dict[str, list] = {}
        for i in self.invoices:
            out.setdefault(i[3:] if i.startswith("in_") else i, []).append(i)
        return out

    @cached_property
    def orders(self) -> dict:
        return {r.id: r for r in self.o.t("shop.orders").itertuples(index=False)}

    @cached_property
    def order_by_name(self) -> dict:
        best: dict[str, tuple] = {}
        for r in self.orders.values():
            if r.name is None:
                continue
            rank = (r.created_at if r.created_at is not None else -(1 << 62), r.id)
            if r.name not in best or rank > best[r.name][0]:
                best[r.name] = (rank, r.id)
        return {k: v[1] for k, v in best.items()}

    @cached_property
    def order_account(self) -> dict:
        ident = self.o.identity
        out = {}
        for r in self.orders.values():
            acct = None
            if r.billing_customer_id is not None and r.billing_customer_id in ident.customer_ids:
                acct = r.billing_customer_id
            elif r.email:
                acct = ident.recipient_account(r.email)
            out[r.id] = acct
        return out

    def _raw_minor_amounts(self, q: str, key_col: str) -> dict:
        """key -> the raw text of ``amount`` of the staged row (A refunds / disputes)."""
        raw = self.o.raw[q]
        staged = self.o.t(q)
        if len(raw) == 0 or len(staged) == 0:
            return {}
        from .contract import TABLES

        cols = list(TABLES[q].columns)
        by_key: dict[str, list] = {}
        for rec in raw[cols].itertuples(index=False, name=None):
            k = P.norm_id(rec[cols.index(key_col)])
            if k is not None:
                by_key.setdefault(k, []).append(list(rec))
        out = {}
        ai = cols.index("amount")
        for k, md5, amount in zip(staged[key_col], staged["_md5"], staged["amount"]):
            cands = by_key.get(k, [])
            pick = None
            if md5 is not None:
                pick = next((c for c in cands if row_md5(c) == md5), None)
            if pick is None:
                for c in cands:
                    try:
                        if P.parse_money(c[ai], "minor", 2) == amount:
                            pick = c
                            break
                    except P.Unparseable:
                        continue
            out[k] = pick[ai] if pick is not None else None
        return out

    def _minor_in(self, text, cur):
        if text is None or cur is None:
            return None
        try:
            return P.parse_money(text, "minor", self.o.seeds["exp"].get(cur, 2))
        except P.Unparseable:
            return None

    # ------------------------------------------------------------------ D7 attribution
    @cached_property
    def a_charges(self) -> dict:
        return {r.id: r for r in self.o.t("processor_a.charges").itertuples(index=False)}

    @cached_property
    def b_txns(self) -> dict:
        return {r.transaction_id: r for r in self.o.t("processor_b.transactions").itertuples(index=False)}

    @cached_property
    def a_charge_account(self) -> dict:
        """charge id -> (account, rule)."""
        out = {}
        for r in self.a_charges.values():
            acct, rule = None, "unmatched"
            if r.customer is not None and r.customer in self.accounts:
                acct, rule = r.customer, "gateway_customer"
            elif r.invoice is not None and r.invoice in self.invoices \
                    and self.invoices[r.invoice].customer_id is not None:
                acct, rule = self.invoices[r.invoice].customer_id, "invoice"
            elif r.order_ref is not None and self.order_account.get(r.order_ref) is not None:
                acct, rule = self.order_account[r.order_ref], "shop_order"
            out[r.id] = (acct, rule)
        return out

    def _b_refs(self, r):
        """(invoice id, shop order id) named by a B transaction's own order_id."""
        oid = r.order_id
        if oid is None:
            return None, None
        if oid.startswith("#"):
            return None, self.order_by_name.get(oid)
        invs = self.invoice_by_stripped.get(oid, [])
        return (sorted(invs)[0] if invs else None), None

    @cached_property
    def b_txn_account(self) -> dict:
        """transaction id -> (account, rule)."""
        memo: dict[str, tuple] = {}

        def resolve(tid, seen):
            if tid in memo:
                return memo[tid]
            r = self.b_txns[tid]
            res = (None, "unmatched")
            inv, order = self._b_refs(r)
            if r.customer_vault_id is not None and r.customer_vault_id in self.accounts:
                res = (r.customer_vault_id, "gateway_customer")
            elif inv is not None and self.invoices[inv].customer_id is not None:
                res = (self.invoices[inv].customer_id, "invoice")
            elif order is not None and self.order_account.get(order) is not None:
                res = (self.order_account[order], "shop_order")
            elif r.original_transaction_id is not None and r.original_transaction_id in self.b_txns \
                    and r.original_transaction_id not in seen:
                acct, _ = resolve(r.original_transaction_id, seen | {r.original_transaction_id})
                if acct is not None:
                    res = (acct, "transaction_chain")
            memo[tid] = res
            return res

        for tid in self.b_txns:
            resolve(tid, {tid})
        return memo

    @cached_property
    def payments(self) -> list[dict]:
        o = self.o
        rows = []
        for r in self.a_charges.values():
            if r.status != "succeeded" or not o.le_as_of(r.created):
                continue
            acct, rule = self.a_charge_account[r.id]
            rows.append({"payment_id": r.id, "gateway": "processor_a", "invoice_id": r.invoice,
                         "shop_order_id": r.order_ref, "account_id": acct, "account_match_rule": rule,
                         "t": r.created, "amount_usd": self.usd(r.amount, r.currency, r.created)})
        for r in self.b_txns.values():
            if r.type != "sale" or r.response != "1" or not o.le_as_of(r.time):
                continue
            acct, rule = self.b_txn_account[r.transaction_id]
            inv, order = self._b_refs(r)
            rows.append({"payment_id": r.transaction_id, "gateway": "processor_b", "invoice_id": inv,
                         "shop_order_id": order, "account_id": acct, "account_match_rule": rule,
                         "t": r.time, "amount_usd": self.usd(r.amount, r.currency, r.time)})
        rows.sort(key=lambda x: (x["t"], x["payment_id"]))
        return rows

    @property
    def payments_attributed(self) -> pd.DataFrame:
        rows = [{**{k: v for k, v in p.items() if k != "t"}, "paid_at": _ts(p["t"]),
                 "paid_month": P.month_date(P.month_of(p["t"]))} for p in self.payments]
        return _df(rows, ["payment_id", "gateway", "invoice_id", "shop_order_id", "account_id",
                          "account_match_rule", "paid_at", "paid_month", "amount_usd"])

    @cached_property
    def reversals(self) -> list[dict]:
        o = self.o
        rows = []
        ref_amt = self._raw_minor_amounts("processor_a.refunds", "id")
        for r in o.t("processor_a.refunds").itertuples(index=False):
            if not o.le_as_of(r.created):
                continue
            ch = self.a_charges.get(r.charge)
            cur = ch.currency if ch is not None else None
            acct = self.a_charge_account[ch.id][0] if ch is not None else None
            amt = self._minor_in(ref_amt.get(r.id), cur)
            rows.append({"reversal_id": r.id, "gateway": "processor_a", "reversal_type": "refund",
                         "reversed_payment_id": r.charge, "account_id": acct, "t": r.created,
                         "currency": cur, "amount_usd": self.usd(amt, cur, r.created),
                         "counts_against_revenue": True, "is_lost_chargeback": False})
        dp_amt = self._raw_minor_amounts("processor_a.disputes", "id")
        for r in o.t("processor_a.disputes").itertuples(index=False):
            if not o.le_as_of(r.created):
                continue
            ch = self.a_charges.get(r.charge)
            cur = ch.currency if ch is not None else None
            acct = self.a_charge_account[ch.id][0] if ch is not None else None
            amt = self._minor_in(dp_amt.get(r.id), cur)
            lost = r.status == "lost"
            rows.append({"reversal_id": r.id, "gateway": "processor_a", "reversal_type": "chargeback",
                         "reversed_payment_id": r.charge, "account_id": acct, "t": r.created,
                         "currency": cur, "amount_usd": self.usd(amt, cur, r.created),
                         "counts_against_revenue": lost, "is_lost_chargeback": lost})
        for r in self.b_txns.values():
            if r.type not in ("refund", "chargeback") or not o.le_as_of(r.time):
                continue
            counts = r.type == "chargeback" or r.response == "1"
            rows.append({"reversal_id": r.transaction_id, "gateway": "processor_b", "reversal_type": r.type,
                         "reversed_payment_id": r.original_transaction_id,
                         "account_id": self.b_txn_account[r.transaction_id][0], "t": r.time,
                         "currency": r.currency, "amount_usd": self.usd(r.amount, r.currency, r.time),
                         "counts_against_revenue": counts, "is_lost_chargeback": r.type == "chargeback"})
        rows.sort(key=lambda x: (x["t"], x["reversal_id"]))
        return rows

    @property
    def payment_reversals(self) -> pd.DataFrame:
        rows = [{**{k: v for k, v in p.items() if k != "t"}, "reversed_at": _ts(p["t"]),
                 "reversed_month": P.month_date(P.month_of(p["t"]))} for p in self.reversals]
        return _df(rows, ["reversal_id", "gateway", "reversal_type", "reversed_payment_id", "account_id",
                          "reversed_at", "reversed_month", "currency", "amount_usd", "counts_against_revenue",
                          "is_lost_chargeback"])

    # ------------------------------------------------------------------ D7 net revenue
    @cached_property
    def net_by_account_month(self) -> dict:
        """(account, ym) -> dict of the month's components."""
        out: dict[tuple, dict] = {}

        def cell(acct, ym):
            c = out.get((acct, ym))
            if c is None:
                c = {"approved_payment_count": 0, "approved_payments_usd": Z, "refund_count": 0,
                     "refunds_usd": Z, "lost_chargeback_count": 0, "lost_chargebacks_usd": Z}
                out[(acct, ym)] = c
            return c

        for p in self.payments:
            if p["account_id"] is None or p["amount_usd"] is None:
                continue
            c = cell(p["account_id"], P.month_of(p["t"]))
            c["approved_payment_count"] += 1
            c["approved_payments_usd"] += p["amount_usd"]
        for r in self.reversals:
            if not r["counts_against_revenue"] or r["account_id"] is None or r["amount_usd"] is None:
                continue
            c = cell(r["account_id"], P.month_of(r["t"]))
            if r["is_lost_chargeback"]:
                c["lost_chargeback_count"] += 1
                c["lost_chargebacks_usd"] += r["amount_usd"]
            else:
                c["refund_count"] += 1
                c["refunds_usd"] += r["amount_usd"]
        for c in out.values():
            c["chargeback_fees_usd"] = q2(self.fee * c["lost_chargeback_count"])
            c["net_revenue_usd"] = (c["approved_payments_usd"] - c["refunds_usd"] - c["lost_chargebacks_usd"]
                                    - c["chargeback_fees_usd"])
            c["has_refund_or_lost_chargeback"] = c["refund_count"] + c["lost_chargeback_count"] > 0
        return out

    @property
    def account_net_revenue_monthly(self) -> pd.DataFrame:
        cols = ["account_id", "month_start", "approved_payment_count", "approved_payments_usd", "refund_count",
                "refunds_usd", "lost_chargeback_count", "lost_chargebacks_usd", "chargeback_fees_usd",
                "net_revenue_usd", "has_refund_or_lost_chargeback"]
        rows = [{"account_id": a, "month_start": P.month_date(ym), **c}
                for (a, ym), c in sorted(self.net_by_account_month.items())]
        return _df(rows, cols)

    @cached_property
    def cohort_of(self) -> dict:
        """account -> ym of its first approved payment."""
        out = {}
        for p in self.payments:
            if p["account_id"] is None:
                continue
            ym = P.month_of(p["t"])
            if p["account_id"] not in out or ym < out[p["account_id"]]:
                out[p["account_id"]] = ym
        return out

    def _months_between(self, a, b):
        return (b[0] - a[0]) * 12 + (b[1] - a[1])

    def account_mrr_usd(self, acct, ym) -> Decimal:
        """Cent-rounded account MRR at the end of ym, USD at ym's rate (0 when unknown)."""
        try:
            return P.round_cent(self.o._acct_value(acct, ym, ym))
        except ValueError:
            return Z

    @cached_property
    def _cohort_rows(self) -> list[dict]:
        last = self.last_reported_ym
        if last is None:
            return []
        members: dict[tuple, list] = {}
        for acct, ym in self.cohort_of.items():
            if ym <= last:
                members.setdefault(ym, []).append(acct)
        rows = []
        for cm in sorted(members):
            accts = sorted(members[cm])
            size = len(accts)
            cum = Z
            for k in range(self._months_between(cm, last) + 1):
                ym = P.add_months(cm, k)
                net = Z
                flag = False
                for a in accts:
                    c = self.net_by_account_month.get((a, ym))
                    if c is not None:
                        net += c["net_revenue_usd"]
                        flag = flag or c["has_refund_or_lost_chargeback"]
                cum += net
                active = sum(1 for a in accts if self.account_mrr_usd(a, ym) > 0)
                rows.append({"cohort_month": P.month_date(cm), "month_offset": k, "month_start": P.month_date(ym),
                             "cohort_size": size, "active_accounts": active, "net_revenue_usd": net,
                             "has_refund_or_lost_chargeback": flag, "cumulative_net_revenue_usd": cum,
                             "ltv_usd": q2(cum / size)})
        return rows

    @property
    def cohort_ltv(self) -> pd.DataFrame:
        return _df(self._cohort_rows, ["cohort_month", "month_offset", "month_start", "cohort_size",
                                        "active_accounts", "net_revenue_usd", "has_refund_or_lost_chargeback",
                                        "cumulative_net_revenue_usd", "ltv_usd"])

    @property
    def value_segments(self) -> pd.DataFrame:
        last = self.last_reported_ym
        window = set(P.add_months(last, -i) for i in range(12)) if last is not None else set()
        life: dict[str, Decimal] = {}
        trail: dict[str, Decimal] = {}
        for (a, ym), c in self.net_by_account_month.items():
            life[a] = life.get(a, Z) + c["net_revenue_usd"]
            if ym in window:
                trail[a] = trail.get(a, Z) + c["net_revenue_usd"]
        accts = sorted(self.accounts | set(life))
        positive = sorted((a for a in accts if trail.get(a, Z) > 0), key=lambda a: (-trail[a], a))
        others = sorted((a for a in accts if trail.get(a, Z) <= 0), key=lambda a: (-trail.get(a, Z), a))
        total = sum((trail[a] for a in positive), Z)
        rows = []
        cum = Z
        for rank, a in enumerate(positive + others, start=1):
            t = trail.get(a, Z)
            if t > 0:
                before = cum
                seg = "top" if before < self.top_share * total else (
                    "core" if before < self.core_share * total else "tail")
                cum += t
            else:
                before = total
                seg = "tail"
            cm = self.cohort_of.get(a)
            rows.append({"account_id": a, "first_payment_month": P.month_date(cm) if cm else None,
                         "lifetime_net_revenue_usd": life.get(a, Z), "trailing_12m_net_revenue_usd": t,
                         "value_rank": rank, "cumulative_trailing_before_usd": before,
                         "total_positive_trailing_usd": total, "value_segment": seg})
        return _df(rows, ["account_id", "first_payment_month", "lifetime_net_revenue_usd",
                          "trailing_12m_net_revenue_usd", "value_rank", "cumulative_trailing_before_usd",
                          "total_positive_trailing_usd", "value_segment"])

    # ------------------------------------------------------------------ D5 retention
    def retention(self, period_type: str = "month") -> pd.DataFrame:
        """D5 retention of the whole base, one row per reported period."""
        return self._retention(period_type, lambda account: "all")

    def retention_by_value_segment(self, period_type: str = "month") -> pd.DataFrame:
        """D5 sliced by the account's D7 value segment as of the last reported month (an account
        without one is `tail`): one row per period and segment that has an account-period."""
        segment_of = dict(zip(self.value_segments["account_id"], self.value_segments["value_segment"]))
        return self._retention(period_type, lambda account: segment_of.get(account, "tail"))

    def _retention(self, period_type, segment_of) -> pd.DataFrame:
        o = self.o
        rep = set(o.reported_months_ym)
        periods = []
        for kind, first, last in o.periods():
            if kind != period_type:
                continue
            if kind == "quarter" and not all(P.add_months(first, i) in rep for i in range(3)):
                continue
            periods.append(P.month_date(first))
        mv = self.movements
        mv = mv[mv["period_type"] == period_type]

        def empty():
            return {"starting_accounts": 0, "starting_mrr_usd": Z, "expansion_usd": Z, "contraction_usd": Z,
                    "churn_usd": Z, "churned_revenue_usd": Z, "churned_revenue_voluntary_usd": Z,
                    "churned_revenue_involuntary_usd": Z, "starting_accounts_end_cc_mrr_usd": Z}

        whole_base = segment_of("") == "all"
        acc = {(p, "all"): empty() for p in periods} if whole_base else {}
        for r in mv.itertuples(index=False):
            if r.period_start not in periods:
                continue
            a = acc.setdefault((r.period_start, segment_of(r.account_id)), empty())
            if not r.start_mrr_usd > 0:
                continue
            a["starting_accounts"] += 1
            a["starting_mrr_usd"] += r.start_mrr_usd
            a["expansion_usd"] += r.expansion_mrr_usd
            a["contraction_usd"] += r.contraction_mrr_usd
            a["churn_usd"] += r.churn_mrr_usd
            a["churned_revenue_usd"] += r.contraction_mrr_usd + r.churn_mrr_usd
            a["churned_revenue_voluntary_usd"] += r.contraction_voluntary_usd + r.churn_voluntary_usd
            a["churned_revenue_involuntary_usd"] += r.contraction_involuntary_usd + r.churn_involuntary_usd
            a["starting_accounts_end_cc_mrr_usd"] += r.end_cc_mrr_usd
        rows = []
        for (p, segment), a in sorted(acc.items()):
            s = a["starting_mrr_usd"]
            rows.append({"period_type": period_type, "period_start": p, "segment": segment, **a,
                         "nrr_pct": pct(s + a["expansion_usd"] - a["churned_revenue_usd"], s),
                         "grr_pct": pct(s - a["churned_revenue_usd"], s),
                         "revenue_churn_pct": pct(a["churned_revenue_usd"], s),
                         "voluntary_churn_pct": pct(a["churned_revenue_voluntary_usd"], s),
                         "involuntary_churn_pct": pct(a["churned_revenue_involuntary_usd"], s)})
        cols = ["period_type", "period_start", "segment", "starting_accounts", "starting_mrr_usd", "expansion_usd",
                "contraction_usd", "churn_usd", "churned_revenue_usd", "churned_revenue_voluntary_usd",
                "churned_revenue_involuntary_usd", "starting_accounts_end_cc_mrr_usd", "nrr_pct", "grr_pct",
                "revenue_churn_pct", "voluntary_churn_pct", "involuntary_churn_pct"]
        return _df(rows, cols)

    # ------------------------------------------------------------------ D10 gateway view
    @cached_property
    def invoice_first_attempts(self) -> dict:
        """invoice id (known or not) -> its first attempt (time, gateway rank, id, gateway, approved),
        over every invoice that has an attempt on or before as_of (any billing reason or status)."""
        o = self.o
        atts: dict[str, list] = {}
        for r in self.a_charges.values():
            if r.status in ("succeeded", "failed") and r.invoice is not None and o.le_as_of(r.created):
                atts.setdefault(r.invoice, []).append((r.created, 0, r.id, "processor_a", r.status == "succeeded"))

        def b_invoice(oid):
            if oid.startswith("#"):
                return None
            known = self.invoice_by_stripped.get(oid)
            return sorted(known)[0] if known else "in_" + oid

        for r in self.b_txns.values():
            if r.type != "sale" or r.response not in ("1", "2", "3") or not o.le_as_of(r.time):
                continue
            cur, seen = r, {r.transaction_id}
            while cur is not None and cur.order_id is None:
                nxt = cur.original_transaction_id
                cur = self.b_txns.get(nxt) if nxt is not None and nxt not in seen else None
                seen.add(nxt)
            if cur is None or cur.type != "sale":
                continue
            inv = b_invoice(cur.order_id)
            if inv is not None:
                atts.setdefault(inv, []).append((r.time, 1, r.transaction_id, "processor_b", r.response == "1"))
        return {k: min(v, key=lambda a: (a[0], a[1], a[2])) for k, v in atts.items()}

    def gateway_monthly_frame(self, first_attempt_scope: str = "invoices") -> pd.DataFrame:
        """D10 gateway view per gateway (``processor_a``, ``processor_b``, ``all``) and month.

        first_attempt_scope='invoices' (the marts' documented reading): the first attempt of every
        invoice, in the month of that attempt, on its gateway. 'rebills': the first attempt of the
        D4 rebills only, by billed month. Recovery % is always over the rebills billed in the month
        whose first attempt was on the gateway."""
        cells: dict[tuple, dict] = {}

        def cell(g, mth):
            return cells.setdefault((g, mth), {"first_attempts": 0, "first_attempts_approved": 0, "recovered": 0,
                                               "failed": 0, "late_recovery": 0, "pending": 0})

        if first_attempt_scope == "invoices":
            for inv, a in self.invoice_first_attempts.items():
                mth = P.month_date(P.month_of(a[0]))
                for g in (a[3], "all"):
                    c = cell(g, mth)
                    c["first_attempts"] += 1
                    c["first_attempts_approved"] += a[4]
        for rb in self.o.rebills:
            if rb["first_attempt_gateway"] is None:
                continue
            for g in (rb["first_attempt_gateway"], "all"):
                c = cell(g, rb["billed_month"])
                if first_attempt_scope == "rebills":
                    c["first_attempts"] += 1
                    c["first_attempts_approved"] += rb["outcome"] == "clean"
                if rb["outcome"] in ("recovered", "failed", "late_recovery", "pending"):
                    c[rb["outcome"]] += 1
        rows = []
        for (g, mth), c in sorted(cells.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            den = c["recovered"] + c["failed"] + c["late_recovery"]
            rows.append({"gateway": g, "month_start": mth, **c,
                         "first_attempt_approval_pct": pct(c["first_attempts_approved"], c["first_attempts"]),
                         "recovery_pct": pct(c["recovered"], den)})
        return _df(rows, ["gateway", "month_start", "first_attempts", "first_attempts_approved", "recovered",
                          "failed", "late_recovery", "pending", "first_attempt_approval_pct", "recovery_pct"])

    @property
    def gateway_monthly(self) -> pd.DataFrame:
        return self.gateway_monthly_frame("invoices")

    # ------------------------------------------------------------------ D10 payment events and touches
    @cached_property
    def sent_messages(self) -> dict:
        """message id -> {t, event_id, automated, flow, trigger_ref, account_id, engaged}."""
        o = self.o
        first: dict[str, dict] = {}
        engagements: dict[str, list] = {}
        for r in o.t("messaging.events").itertuples(index=False):
            if r.message_id is None or r.occurred_at is None or not o.le_as_of(r.occurred_at):
                continue
            if r.event_type in ("clicked", "converted"):
                engagements.setdefault(r.message_id, []).append(r.occurred_at)
            if r.event_type != "sent":
                continue
            cur = first.get(r.message_id)
            if cur is None or (r.occurred_at, r.event_id) < (cur["t"], cur["event_id"]):
                first[r.message_id] = {"t": r.occurred_at, "event_id": r.event_id, "automated": r.automated is True,
                                       "flow": r.flow, "trigger_ref": r.trigger_ref,
                                       "account_id": o.identity.recipient_account(r.recipient)}
        for mid, m in first.items():
            m["engaged"] = any(t >= m["t"] for t in engagements.get(mid, []))
        return first

    def _b_sale_chain(self, r) -> tuple:
        """(invoice id, customer ref) of a B sale: the first of each up its chain of sales."""
        inv = cust = None
        cur, seen = r, {r.transaction_id}
        while cur is not None:
            if inv is None and cur.order_id is not None and not cur.order_id.startswith("#"):
                inv = cur.order_id if cur.order_id.startswith("in_") else "in_" + cur.order_id
            if cust is None and cur.customer_vault_id is not None:
                cust = cur.customer_vault_id
            nxt = cur.original_transaction_id
            parent = self.b_txns.get(nxt) if nxt is not None and nxt not in seen else None
            cur = parent if parent is not None and parent.type == "sale" else None
            seen.add(nxt)
        return inv, cust

    @cached_property
    def payment_events(self) -> list[dict]:
        o = self.o
        events = []
        for r in self.a_charges.values():
            if r.status in ("succeeded", "failed") and o.le_as_of(r.created):
                events.append({"attempt_id": r.id, "t": r.created, "invoice_id": r.invoice, "customer": r.customer})
        for r in self.b_txns.values():
            if r.type == "sale" and r.response in ("1", "2", "3") and o.le_as_of(r.time):
                inv, cust = self._b_sale_chain(r)
                events.append({"attempt_id": r.transaction_id, "t": r.time, "invoice_id": inv, "customer": cust})
        for e in events:
            inv = self.invoices.get(e["invoice_id"]) if e["invoice_id"] is not None else None
            if e["customer"] is not None and e["customer"] in self.accounts:
                e["account_id"] = e["customer"]
            else:
                e["account_id"] = inv.customer_id if inv is not None else None
        by_ref: dict[str, list] = {}
        by_acct: dict[str, list] = {}
        for mid, m in self.sent_messages.items():
            if not m["automated"]:
                continue
            if m["trigger_ref"] is not None:
                by_ref.setdefault(m["trigger_ref"], []).append((m["t"], mid))
            elif m["account_id"] is not None:
                by_acct.setdefault(m["account_id"], []).append((m["t"], mid))
        sla = 15 * 60 * P.US
        for e in events:
            pool = by_ref.get(e["attempt_id"], []) + by_ref.get(e["invoice_id"], []) + by_acct.get(e["account_id"], [])
            hits = sorted(x for x in pool if e["t"] <= x[0] <= e["t"] + sla)
            e["message_id"] = hits[0][1] if hits else None
            if hits:
                seconds = (hits[0][0] - e["t"]) // P.US
                e["seconds_to_send"] = seconds
                e["minutes_to_send"] = q2(Decimal(seconds) / 60)
                e["engaged"] = self.sent_messages[hits[0][1]]["engaged"]
            else:
                e["seconds_to_send"] = e["minutes_to_send"] = None
                e["engaged"] = False
        return events

    @property
    def event_kpis(self) -> pd.DataFrame:
        """Per reported month: payment-event engagement, coverage, median minutes; automation coverage."""
        months = {P.month_date(m): {"events": 0, "with_message": 0, "engaged": 0, "seconds": [],
                                    "touches": 0, "automated": 0} for m in self.o.reported_months_ym}
        for e in self.payment_events:
            c = months.get(P.month_date(P.month_of(e["t"])))
            if c is None:
                continue
            c["events"] += 1
            if e["message_id"] is not None:
                c["with_message"] += 1
                c["engaged"] += e["engaged"]
                c["seconds"].append(e["seconds_to_send"])
        for m in self.sent_messages.values():
            if m["automated"] and m["flow"] in ("payment_failed_recovery", "card_update_request", "post_payment_upsell"):
                c = months.get(P.month_date(P.month_of(m["t"])))
                if c is not None:
                    c["touches"] += 1
                    c["automated"] += 1
        for r in self.o.t("support.tickets").itertuples(index=False):
            tags = {x.strip() for x in (r.tags or "").split(",")}
            if r.created_at is None or not self.o.le_as_of(r.created_at) or not tags & {"payment_issue", "billing"}:
                continue
            c = months.get(P.month_date(P.month_of(r.created_at)))
            if c is not None:
                c["touches"] += 1
        rows = []
        for d, c in sorted(months.items()):
            secs = sorted(c["seconds"])
            n = len(secs)
            mid = None if n == 0 else (Decimal(secs[n // 2]) if n % 2 else Decimal(secs[n // 2 - 1] + secs[n // 2]) / 2)
            median = None if mid is None else q2(mid / 60)
            rows.append({"month_start": d, "payment_events": c["events"], "payment_events_with_message": c["with_message"],
                         "payment_events_engaged": c["engaged"],
                         "payment_event_engagement_pct": pct(c["engaged"], c["with_message"]),
                         "payment_event_coverage_pct": pct(c["with_message"], c["events"]),
                         "median_minutes_to_send": median, "recovery_expansion_touches": c["touches"],
                         "automated_touches": c["automated"],
                         "automation_coverage_pct": pct(c["automated"], c["touches"])})
        return _df(rows, list(rows[0]) if rows else ["month_start"])

    # ------------------------------------------------------------------ D6 / D10 upsell conversion
    @cached_property
    def _start_mrr(self) -> dict:
        """(account, month date) -> D5 monthly start MRR (cent)."""
        mv = self.movements
        mv = mv[mv["period_type"] == "month"]
        return {(r.account_id, r.period_start): r.start_mrr_usd for r in mv.itertuples(index=False)}

    @cached_property
    def _offer_line_amounts(self) -> dict:
        """order id -> sum of price x quantity of its upsell / cross_sell lines (order currency)."""
        out: dict[str, Decimal] = {}
        for r in self.o.t("shop.order_lines").itertuples(index=False):
            if r.offer_type in ("upsell", "cross_sell") and r.order_id is not None:
                out[r.order_id] = out.get(r.order_id, Z) + (r.price or Z) * (r.quantity or 0)
        return out

    @cached_property
    def _shop_refunds(self) -> dict:
        """order id -> shop refunds created on or before as_of (order currency)."""
        out: dict[str, Decimal] = {}
        for r in self.o.t("shop.refunds").itertuples(index=False):
            if r.order_id is not None and r.amount is not None and self.o.le_as_of(r.created_at):
                out[r.order_id] = out.get(r.order_id, Z) + r.amount
        return out

    @cached_property
    def one_time_expansion_orders(self) -> list[dict]:
        o = self.o
        rep = set(o.reported_months_ym)
        out = []
        for r in self.orders.values():
            acct = self.order_account.get(r.id)
            if acct is None or r.financial_status not in ("paid", "partially_refunded"):
                continue
            if r.created_at is None or not o.le_as_of(r.created_at):
                continue
            ym = P.month_of(r.created_at)
            if ym not in rep:
                continue
            if self._start_mrr.get((acct, P.month_date(ym)), Z) <= 0:
                continue
            if r.source_name in ("post_purchase", "sms"):
                basis = "whole_order"
                amount = (r.total_price or Z) - self._shop_refunds.get(r.id, Z)
            else:
                basis = "offer_lines"
                amount = self._offer_line_amounts.get(r.id, Z)
            if not amount > 0:
                continue
            out.append({"order_id": r.id, "account_id": acct, "t": r.created_at, "basis": basis,
                        "amount_local": amount, "currency": r.currency})
        out.sort(key=lambda x: (x["t"], x["order_id"]))
        return out

    @cached_property
    def upsell_messages(self) -> list[dict]:
        o = self.o
        first_sent: dict[str, tuple] = {}
        for r in o.t("messaging.events").itertuples(index=False):
            if r.flow != "post_payment_upsell" or r.event_type != "sent" or r.message_id is None:
                continue
            if r.occurred_at is None or not o.le_as_of(r.occurred_at):
                continue
            cur = first_sent.get(r.message_id)
            if cur is None or (r.occurred_at, r.event_id) < cur[:2]:
                first_sent[r.message_id] = (r.occurred_at, r.event_id, r.recipient)
        by_acct: dict[str, list] = {}
        for od in self.one_time_expansion_orders:
            by_acct.setdefault(od["account_id"], []).append(od)
        out = []
        for mid, (t, _, recipient) in sorted(first_sent.items()):
            acct = o.identity.recipient_account(recipient)
            conv = None
            for od in by_acct.get(acct, []) if acct is not None else []:
                if t <= od["t"] <= t + self.upsell_window_us:
                    conv = od["order_id"]
                    break
            out.append({"message_id": mid, "account_id": acct, "t": t, "converted_order_id": conv})
        return out

    @property
    def upsell_conversion(self) -> pd.DataFrame:
        months = {P.month_date(m): [0, 0] for m in self.o.reported_months_ym}
        for m in self.upsell_messages:
            d = P.month_date(P.month_of(m["t"]))
            if d not in months:
                continue
            months[d][0] += 1
            months[d][1] += m["converted_order_id"] is not None
        rows = [{"month_start": d, "upsell_messages": n, "upsell_conversions": c, "upsell_conversion_pct": pct(c, n)}
                for d, (n, c) in sorted(months.items())]
        return _df(rows, ["month_start", "upsell_messages", "upsell_conversions", "upsell_conversion_pct"])

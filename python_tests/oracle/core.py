"""The oracle: an independent re-computation of rules D0-D5 from the raw files.

Everything is computed lazily and cached on one ``Oracle`` object; the module-level
functions in ``oracle/__init__.py`` are thin wrappers. Internally instants are integer
microseconds since 1970-01-01 UTC and money is ``Decimal``; outputs use tz-aware UTC
pandas timestamps, ``datetime.date`` for months and ``Decimal`` for money.
"""
from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal, localcontext
from functools import cached_property
from pathlib import Path

import pandas as pd

from . import parse as P
from .identity import Identity
from .load import load_raw, load_seeds
from .staging import stage

INF = 1 << 62
RECOVERY_FLOWS = ("payment_failed_recovery", "card_update_request")
STATUS_PRECEDENCE = ["past_due", "active", "paused", "trialing", "cancelled", "never_paid"]
MRR_STATUSES = ("active", "past_due")


def _ts(t):
    """microseconds -> tz-aware UTC pandas Timestamp (None stays None)."""
    if t is None or t >= INF:
        return None
    return pd.Timestamp(t * 1000, unit="ns", tz="UTC")


def _df(rows, cols) -> pd.DataFrame:
    """Rows (dicts) -> object-dtype DataFrame that keeps None as None."""
    df = pd.DataFrame([[r.get(c) for c in cols] for r in rows] or None, columns=cols, dtype=object)
    for c in cols:  # instants as tz-aware UTC datetime columns (NaT for null)
        if c.endswith("_at") or c in ("valid_from", "valid_to", "as_of"):
            df[c] = pd.to_datetime(df[c], utc=True)
    return df


def _in_window(t, lo, hi, mode):
    """Is lo ? t ? hi, with mode 'open' (lo < t < hi), 'closed' (lo <= t <= hi),
    'left_open' (lo < t <= hi) or 'right_open' (lo <= t < hi)."""
    if mode == "open":
        return lo < t < hi
    if mode == "closed":
        return lo <= t <= hi
    if mode == "left_open":
        return lo < t <= hi
    if mode == "right_open":
        return lo <= t < hi
    raise ValueError(mode)


class Oracle:
    def __init__(self, raw_dir=None, seeds_dir=None, *, raw: dict | None = None, recovery_window_days=14,
                 as_of_date=None, min_valid_timestamp="2000-01-01", run_started_at=None,
                 between_mode: str = "open", require_automated: bool = True, epoch_any_length: bool = False):
        self.raw_dir = Path(raw_dir) if raw_dir is not None else None
        self.seeds_dir = seeds_dir
        self._raw = raw
        self.recovery_window_days = Decimal(str(recovery_window_days))
        self.as_of_date = as_of_date
        self.min_valid_timestamp = min_valid_timestamp
        self.run_started_at = run_started_at
        self.between_mode = between_mode
        self.require_automated = require_automated
        self.epoch_any_length = epoch_any_length

    # ------------------------------------------------------------------ D0
    @cached_property
    def raw(self) -> dict:
        return self._raw if self._raw is not None else load_raw(self.raw_dir)

    @cached_property
    def seeds(self) -> dict:
        return load_seeds(self.seeds_dir)

    @cached_property
    def staged(self):
        return stage(self.raw, self.seeds, self.min_valid_timestamp, self.run_started_at, self.epoch_any_length)

    def t(self, q) -> pd.DataFrame:
        return self.staged.tables[q]

    def staged_frame(self, q) -> pd.DataFrame:
        """A staged table for output: timestamps as pandas UTC timestamps."""
        from .contract import TABLES

        df = self.t(q).copy()
        tab = TABLES[q]
        for c, k in tab.kinds.items():
            if k == "ts":
                df[c] = [_ts(v) for v in df[c]]
        return df

    @property
    def quarantine(self) -> pd.DataFrame:
        return self.staged.quarantine

    @property
    def row_counts(self) -> pd.DataFrame:
        return self.staged.row_counts

    def rate(self, cur, ym):
        return self.seeds["fx"].get((cur, ym))

    # ------------------------------------------------------------------ D1
    @cached_property
    def _as_of(self):
        if self.as_of_date is not None:
            d = self.as_of_date
            if isinstance(d, str):
                d = dt.date.fromisoformat(d.strip()[:10])
            return P.month_start_us(d.year, d.month) + (d.day - 1) * P.DAY_US + P.DAY_US, False
        cands = [v for v in self.t("billing.invoices")["created_at"] if v is not None]
        ch = self.t("processor_a.charges")
        cands += [r.created for r in ch.itertuples(index=False) if r.status in ("succeeded", "failed")]
        tx = self.t("processor_b.transactions")
        cands += [r.time for r in tx.itertuples(index=False) if r.type == "sale" and r.response in ("1", "2", "3")]
        if not cands:
            return None, True
        return max(cands), True

    @property
    def as_of_us(self):
        return self._as_of[0]

    @property
    def as_of_inclusive(self):
        return self._as_of[1]

    def le_as_of(self, t) -> bool:
        """Is instant t inside the build (not after as_of)?"""
        if t is None:
            return False
        a, inc = self._as_of
        if a is None:
            return True
        return t <= a if inc else t < a

    @property
    def as_of(self) -> pd.DataFrame:
        return pd.DataFrame([{"as_of": _ts(self.as_of_us), "is_inclusive": self.as_of_inclusive,
                              "first_reported_month": self.reported_months[0] if self.reported_months else None,
                              "last_reported_month": self.reported_months[-1] if self.reported_months else None}])

    @cached_property
    def reported_months_ym(self) -> list:
        inv = [v for v in self.t("billing.invoices")["created_at"] if v is not None and self.le_as_of(v)]
        if not inv or self.as_of_us is None:
            return []
        ym = P.month_of(min(inv))
        out = []
        while P.month_start_us(*P.add_months(ym, 1)) <= self.as_of_us:
            out.append(ym)
            ym = P.add_months(ym, 1)
        return out

    @property
    def reported_months(self) -> list:
        return [P.month_date(m) for m in self.reported_months_ym]

    # ------------------------------------------------------------------ identity
    @cached_property
    def identity(self) -> Identity:
        return Identity(self.t("billing.customers"), self.t("crm.contacts"))

    # ------------------------------------------------------------------ D4
    @cached_property
    def attempts_by_invoice(self) -> dict:
        """invoice id -> sorted list of (time, gateway_rank, id, gateway, approved)."""
        inv_ids = set(self.t("billing.invoices")["id"])
        strip = {}
        for i in inv_ids:
            strip.setdefault(i[3:] if i.startswith("in_") else i, []).append(i)
        out: dict[str, list] = {}
        for r in self.t("processor_a.charges").itertuples(index=False):
            if r.status not in ("succeeded", "failed") or r.invoice is None or not self.le_as_of(r.created):
                continue
            out.setdefault(r.invoice, []).append((r.created, 0, r.id, "processor_a", r.status == "succeeded"))
        tx = self.t("processor_b.transactions")
        by_id = {r.transaction_id: r for r in tx.itertuples(index=False)}

        def origin_order(r):
            seen = set()
            cur = r
            while cur.order_id is None:
                nxt = cur.original_transaction_id
                if nxt is None or nxt in seen or nxt not in by_id:
                    return None
                seen.add(nxt)
                cur = by_id[nxt]
            return cur.order_id if cur.type == "sale" else None

        for r in by_id.values():
            if r.type != "sale" or r.response not in ("1", "2", "3") or not self.le_as_of(r.time):
                continue
            oid = r.order_id if r.order_id is not None else origin_order(r)
            if oid is None:
                continue
            for inv in strip.get(oid, []):
                out.setdefault(inv, []).append((r.time, 1, r.transaction_id, "processor_b", r.response == "1"))
        for v in out.values():
            v.sort(key=lambda a: (a[0], a[1], a[2]))
        return out

    @cached_property
    def _pmu_by_customer(self) -> dict:
        out: dict[str, list] = {}
        for r in self.t("processor_a.payment_method_updates").itertuples(index=False):
            if r.customer is not None and r.created is not None:
                out.setdefault(r.customer, []).append((r.created, r.source))
        return out

    @cached_property
    def _recovery_messages_by_account(self) -> dict:
        out: dict[str, list] = {}
        for r in self.t("messaging.events").itertuples(index=False):
            if r.flow not in RECOVERY_FLOWS or r.event_type != "sent":
                continue
            if self.require_automated and r.automated is not True:
                continue
            acct = self.identity.recipient_account(r.recipient)
            if acct is not None:
                out.setdefault(acct, []).append(r.occurred_at)
        return out

    @cached_property
    def rebills(self) -> list[dict]:
        window = int(self.recovery_window_days * P.DAY_US)
        res = []
        for r in self.t("billing.invoices").itertuples(index=False):
            if r.billing_reason != "subscription_cycle" or r.status in ("void", "draft"):
                continue
            if not self.le_as_of(r.created_at):
                continue
            ym = P.month_of(r.created_at)
            rate = self.rate(r.currency, ym)
            amount_usd = P.round_cent(r.total * rate) if (rate is not None and r.total is not None) else None
            atts = self.attempts_by_invoice.get(r.id, [])
            rec = {"invoice_id": r.id, "subscription_id": r.subscription_id, "account_id": r.customer_id,
                   "created_at_us": r.created_at, "billed_month": P.month_date(ym), "currency": r.currency,
                   "amount_usd": amount_usd, "attempts": atts, "n_attempts": len(atts),
                   "first_attempt_us": None, "first_attempt_gateway": None, "first_approved_us": None,
                   "approved_gateway": None, "window_closes_us": None, "outcome": "no_attempt",
                   "recovery_method": None, "has_recovery_message": None}
            if atts:
                first = atts[0]
                rec["first_attempt_us"] = first[0]
                rec["first_attempt_gateway"] = first[3]
                win = next((a for a in atts if a[4]), None)
                if win is not None:
                    rec["first_approved_us"] = win[0]
                    rec["approved_gateway"] = win[3]
                if first[4]:
                    rec["outcome"] = "clean"
                else:
                    close = first[0] + window
                    rec["window_closes_us"] = close
                    if win is not None and win[0] <= close:
                        rec["outcome"] = "recovered"
                    elif win is not None:
                        rec["outcome"] = "late_recovery"
                    elif close <= self.as_of_us:
                        rec["outcome"] = "failed"
                    else:
                        rec["outcome"] = "pending"
                    if win is not None:
                        rec["has_recovery_message"] = any(
                            _in_window(t, first[0], win[0], self.between_mode)
                            for t in self._recovery_messages_by_account.get(r.customer_id, []))
                    if rec["outcome"] == "recovered":
                        pmus = [s for t, s in self._pmu_by_customer.get(r.customer_id, [])
                                if _in_window(t, first[0], win[0], self.between_mode)]
                        if win[3] != first[3]:
                            rec["recovery_method"] = "rerouted_gateway"
                        elif "card_updater" in pmus:
                            rec["recovery_method"] = "card_updater"
                        elif "customer_portal" in pmus or "support" in pmus:
                            rec["recovery_method"] = "customer_updated_card"
                        else:
                            rec["recovery_method"] = "retry_same_gateway"
            res.append(rec)
        res.sort(key=lambda x: x["invoice_id"])
        return res

    @property
    def renewal_outcomes(self) -> pd.DataFrame:
        cols = ["invoice_id", "subscription_id", "account_id", "billed_month", "currency", "amount_usd", "outcome",
                "recovery_method", "has_recovery_message", "attempt_count", "first_attempt_at",
                "first_attempt_gateway", "first_approved_at", "approved_gateway", "window_closes_at"]
        rows = []
        for r in self.rebills:
            rows.append({"invoice_id": r["invoice_id"], "subscription_id": r["subscription_id"],
                         "account_id": r["account_id"], "billed_month": r["billed_month"],
                         "currency": r["currency"], "amount_usd": r["amount_usd"], "outcome": r["outcome"],
                         "recovery_method": r["recovery_method"],
                         "has_recovery_message": r["has_recovery_message"], "attempt_count": r["n_attempts"],
                         "first_attempt_at": _ts(r["first_attempt_us"]),
                         "first_attempt_gateway": r["first_attempt_gateway"],
                         "first_approved_at": _ts(r["first_approved_us"]),
                         "approved_gateway": r["approved_gateway"],
                         "window_closes_at": _ts(r["window_closes_us"])})
        return _df(rows, cols)

    # ------------------------------------------------------------------ D2
    @cached_property
    def _events_by_sub(self) -> dict:
        out: dict[str, list] = {}
        for r in self.t("billing.subscription_events").itertuples(index=False):
            if r.subscription_id is not None:
                out.setdefault(r.subscription_id, []).append(r)
        for v in out.values():
            v.sort(key=lambda e: (e.occurred_at, e.id))
        return out

    @cached_property
    def _rebills_by_sub(self) -> dict:
        out: dict[str, list] = {}
        for rb in self.rebills:
            if rb["subscription_id"] is not None:
                out.setdefault(rb["subscription_id"], []).append(rb)
        return out

    @cached_property
    def timelines(self) -> dict:
        """subscription id -> dict(start, segments=[(from, to, status)], cancellations=[...])."""
        out = {}
        for s in self.t("billing.subscriptions").itertuples(index=False):
            tl = self._timeline(s)
            if tl is not None:
                out[s.id] = tl
        return out

    def _timeline(self, s):
        all_events = self._events_by_sub.get(s.id, [])
        created = [e.occurred_at for e in all_events if e.type == "created"]
        start = min(created) if created else s.created_at
        if start is None or not self.le_as_of(start):
            return None
        end_cap = self.as_of_us if self.as_of_us is not None else INF
        events = [e for e in all_events if self.le_as_of(e.occurred_at)]

        # ---- base transitions: list of (t, seq, status, cause) with cause for cancellations
        trans = []
        if all_events:
            conv = [e.occurred_at for e in events if e.type == "trial_converted" and e.occurred_at >= start]
            cands = ([s.trial_end] if s.trial_end is not None and s.trial_end > start else []) + conv[:1]
            trial_end = min(cands) if cands else None
            trans.append((start, 0, "trialing" if trial_end is not None else "active", None))
            steps = []
            if trial_end is not None and self.le_as_of(trial_end):
                steps.append((trial_end, 0, "", "trial_end", None))
            for e in events:
                if e.occurred_at < start:
                    continue
                steps.append((e.occurred_at, 1, e.id, e.type, e))
            steps.sort(key=lambda x: (x[0], x[1], x[2]))
            status = trans[0][2]
            for t, _, _, typ, e in steps:
                new = status
                if typ == "trial_end":
                    if status == "trialing":
                        new = "active"
                elif typ in ("trial_converted", "resumed", "reactivated"):
                    new = "active"
                elif typ == "paused":
                    new = "paused"
                elif typ == "canceled":
                    new = "cancelled"
                if new != status or typ == "canceled":
                    trans.append((t, 1, new, ("event", e.reason, e.id) if typ == "canceled" else None))
                status = new
        else:
            pts = {start}
            for v in (s.trial_end, s.pause_start, s.pause_end, s.canceled_at):
                if v is not None and v > start and self.le_as_of(v):
                    pts.add(v)

            def f(t):
                if s.canceled_at is not None and s.canceled_at <= t:
                    return "cancelled"
                if s.pause_start is not None and s.pause_start <= t and (s.pause_end is None or t < s.pause_end):
                    return "paused"
                if s.trial_end is not None and t < s.trial_end:
                    return "trialing"
                return "active"

            for t in sorted(pts):
                st = f(t)
                cause = None
                if st == "cancelled":
                    cause = ("snapshot", s.cancellation_source, None)
                trans.append((t, 1, st, cause))

        # collapse base transitions to a step function (one status per instant: the last)
        base_pts, base_st, base_cause = [], [], []
        k = 0
        while k < len(trans):
            t = trans[k][0]
            grp = []
            while k < len(trans) and trans[k][0] == t:
                grp.append(trans[k])
                k += 1
            st = grp[-1][2]
            causes = [g[3] for g in grp if g[3] is not None]
            prev = base_st[-1] if base_st else None
            if st == prev:
                continue
            base_pts.append(t)
            base_st.append(st)
            base_cause.append((causes[-1] if causes else ("event", None, None)) if st == "cancelled" else None)

        def base_at(t):
            i = bisect.bisect_right(base_pts, t) - 1
            return base_st[i] if i >= 0 else None

        # ---- renewal overlay
        rebills = self._rebills_by_sub.get(s.id, [])
        approved_times = sorted(a[0] for rb in rebills for a in rb["attempts"] if a[4])
        react_times = sorted(e.occurred_at for e in events if e.type == "reactivated")
        past_due, over_cancel = [], []
        for rb in rebills:
            atts = rb["attempts"]
            if not atts or atts[0][4]:
                continue
            close = rb["window_closes_us"]
            win = rb["first_approved_us"]
            past_due.append((atts[0][0], min(win if win is not None else INF, close), rb["invoice_id"]))
            if rb["outcome"] in ("failed", "late_recovery"):
                nxt = [t for t in react_times if t > close][:1] + [t for t in approved_times if t > close][:1]
                over_cancel.append((close, min(nxt) if nxt else INF, rb["invoice_id"]))

        pts = set(base_pts)
        for a, b, _ in past_due + over_cancel:
            for v in (a, b):
                if v >= start and v < INF and v <= end_cap:
                    pts.add(v)
        pts = sorted(p for p in pts if p >= start and self.le_as_of(p))

        def eff_at(t):
            b = base_at(t)
            if b == "active":
                for a, z, inv in over_cancel:
                    if a <= t < z:
                        return "cancelled", ("overlay", None, inv)
                for a, z, inv in past_due:
                    if a <= t < z:
                        return "past_due", None
            return b, None

        segs = []  # [from, status, cause]
        for p in pts:
            st, ocause = eff_at(p)
            if segs and segs[-1][1] == st:
                continue
            cause = None
            if st == "cancelled":
                i = bisect.bisect_right(base_pts, p) - 1
                if base_st[i] == "cancelled" and base_pts[i] == p and base_cause[i] is not None:
                    cause = base_cause[i]
                elif ocause is not None:
                    cause = ocause
                else:  # entered cancelled because an overlay ended while base is cancelled
                    j = i
                    while j > 0 and base_cause[j] is None:
                        j -= 1
                    cause = base_cause[j] or ("event", None, None)
            segs.append([p, st, cause])
        segments = []
        for i, (p, st, _) in enumerate(segs):
            to = segs[i + 1][0] if i + 1 < len(segs) else None
            segments.append((p, to, st))

        # ---- cancellations and their classification
        cancels = []
        for p, st, cause in segs:
            if st != "cancelled":
                continue
            kind, reason, ref = cause
            why = None
            if kind in ("event", "snapshot") and reason in ("dunning", "fraud_review"):
                why = "reason_" + reason
            elif kind == "overlay":
                why = "window_close"
            else:
                prior = [rb for rb in rebills if rb["created_at_us"] < p]
                if prior:
                    latest = max(prior, key=lambda rb: (rb["created_at_us"], rb["invoice_id"]))
                    atts = latest["attempts"]
                    if atts and not atts[0][4] and atts[0][0] < p and not any(a[4] and a[0] < p for a in atts):
                        why = "failed_rebill"
            cancels.append({"subscription_id": s.id, "account_id": s.customer_id, "cancelled_at_us": p,
                            "source": kind, "reason": reason,
                            "ref": ref, "is_involuntary": why is not None, "involuntary_because": why})
        return {"start": start, "segments": segments, "cancellations": cancels, "sub": s}

    def status_before(self, sub_id, T):
        """Effective status just before instant T (the state at the last instant before T)."""
        tl = self.timelines.get(sub_id)
        if tl is None or tl["start"] >= T:
            return None
        st = None
        for a, _, s in tl["segments"]:
            if a < T:
                st = s
            else:
                break
        return st

    @property
    def subscription_status_intervals(self) -> pd.DataFrame:
        rows = []
        for sid, tl in sorted(self.timelines.items()):
            for a, b, st in tl["segments"]:
                rows.append({"subscription_id": sid, "account_id": tl["sub"].customer_id, "status": st,
                             "valid_from": _ts(a), "valid_to": _ts(b)})
        return _df(rows, ["subscription_id", "account_id", "status", "valid_from", "valid_to"])

    @property
    def cancellations(self) -> pd.DataFrame:
        rows = []
        for sid, tl in sorted(self.timelines.items()):
            for c in tl["cancellations"]:
                d = dict(c)
                d["cancelled_at"] = _ts(d.pop("cancelled_at_us"))
                rows.append(d)
        cols = ["subscription_id", "account_id", "cancelled_at", "source", "reason", "ref", "is_involuntary",
                "involuntary_because"]
        return _df(rows, cols)

    @property
    def account_status_intervals(self) -> pd.DataFrame:
        """D2 account status by precedence over its subscriptions; 'never_paid' while the
        account has no started subscription (from the customer's created_at)."""
        by_acct: dict[str, list] = {}
        for sid, tl in self.timelines.items():
            by_acct.setdefault(tl["sub"].customer_id, []).append(tl)
        created = {r.id: r.created_at for r in self.t("billing.customers").itertuples(index=False)}
        rows = []
        for acct in sorted(set(by_acct) | set(created)):
            tls = by_acct.get(acct, [])
            c0 = created.get(acct)
            pts = {seg[0] for tl in tls for seg in tl["segments"]}
            if c0 is not None and self.le_as_of(c0):
                pts.add(c0)
            pts = sorted(pts)
            cur = None
            out = []
            for p in pts:
                sts = []
                for tl in tls:
                    st = None
                    for a, b, s in tl["segments"]:
                        if a <= p and (b is None or p < b):
                            st = s
                            break
                    if st:
                        sts.append(st)
                st = min(sts, key=STATUS_PRECEDENCE.index) if sts else "never_paid"
                if st != cur:
                    out.append([p, st])
                    cur = st
            for i, (p, st) in enumerate(out):
                rows.append({"account_id": acct, "status": st, "valid_from": _ts(p),
                             "valid_to": _ts(out[i + 1][0]) if i + 1 < len(out) else None})
        return _df(rows, ["account_id", "status", "valid_from", "valid_to"])

    # ------------------------------------------------------------------ D3
    @cached_property
    def plans(self) -> dict:
        return {r.id: r for r in self.t("billing.plans").itertuples(index=False)}

    def plan_qty_before(self, sub_id, T):
        s = self.timelines[sub_id]["sub"]
        events = [e for e in self._events_by_sub.get(sub_id, []) if self.le_as_of(e.occurred_at)]
        plan = qty = None
        for e in events:
            if e.occurred_at >= T:
                break
            if e.type in ("created", "plan_changed") and e.plan_id is not None:
                plan = e.plan_id
            if e.type in ("created", "quantity_changed") and e.quantity is not None:
                qty = e.quantity
        if plan is None:
            cr = [e for e in events if e.type == "created" and e.plan_id is not None]
            pc = [e for e in events if e.type == "plan_changed" and e.previous_plan_id is not None]
            plan = cr[0].plan_id if cr else (pc[0].previous_plan_id if pc else s.plan_id)
        if qty is None:
            cr = [e for e in events if e.type == "created" and e.quantity is not None]
            qc = [e for e in events if e.type == "quantity_changed" and e.previous_quantity is not None]
            qty = cr[0].quantity if cr else (qc[0].previous_quantity if qc else s.quantity)
        return plan, qty

    def monthly_amount(self, plan_id, qty, discount_pct):
        """D3: (MRR in major units of the plan currency, currency), exact Decimal."""
        p = self.plans.get(plan_id)
        if p is None or p.unit_amount is None or qty is None:
            return None, None
        with localcontext() as ctx:
            ctx.prec = 60
            disc = discount_pct if discount_pct is not None else Decimal(0)
            base = p.unit_amount * Decimal(qty) * (1 - disc / 100)
            ic = Decimal(p.interval_count or 1)
            if p.interval == "month":
                v = base / ic
            elif p.interval == "year":
                v = base / (12 * ic)
            elif p.interval == "week":
                v = base * 52 / (12 * ic)
            elif p.interval == "day":
                v = base * 365 / (12 * ic)
            else:
                return None, p.currency
            return +v, p.currency

    @cached_property
    def history_months_ym(self) -> list:
        """Every month from the earliest subscription start through the last reported month."""
        if not self.reported_months_ym:
            return []
        starts = [tl["start"] for tl in self.timelines.values()]
        first = P.add_months(self.reported_months_ym[0], -1)
        if starts:
            first = min(first, P.month_of(min(starts)))
        out = []
        ym = first
        while ym <= self.reported_months_ym[-1]:
            out.append(ym)
            ym = P.add_months(ym, 1)
        return out

    @cached_property
    def _sub_mrr(self) -> dict:
        """(sub id, ym) -> dict(status, plan_id, quantity, currency, mrr) at the end of month ym."""
        out = {}
        for sid, tl in self.timelines.items():
            s = tl["sub"]
            for ym in self.history_months_ym:
                T = P.month_start_us(*P.add_months(ym, 1))
                st = self.status_before(sid, T)
                if st is None:
                    continue
                plan, qty = self.plan_qty_before(sid, T)
                amt, cur = self.monthly_amount(plan, qty, s.discount_pct)
                mrr = amt if (st in MRR_STATUSES and amt is not None) else Decimal(0)
                out[(sid, ym)] = {"status": st, "plan_id": plan, "quantity": qty, "currency": cur, "mrr": mrr,
                                  "plan_known": amt is not None, "account_id": s.customer_id}
        return out

    def _usd(self, cur, ym, amount):
        if amount == 0:
            return Decimal(0)
        r = self.rate(cur, ym)
        if r is None and cur == "USD":
            r = Decimal(1)
        if r is None:
            raise ValueError(f"no FX rate for {cur} {ym}: MRR is never guessed (D1)")
        return amount * r

    @property
    def subscription_mrr(self) -> pd.DataFrame:
        rows = []
        rep = set(self.reported_months_ym)
        for (sid, ym), v in sorted(self._sub_mrr.items()):
            if ym not in rep:
                continue
            rows.append({"subscription_id": sid, "account_id": v["account_id"], "month": P.month_date(ym),
                         "status": v["status"], "plan_id": v["plan_id"], "quantity": v["quantity"],
                         "currency": v["currency"], "mrr_local": v["mrr"],
                         "mrr_usd": self._usd(v["currency"], ym, v["mrr"]), "plan_known": v["plan_known"]})
        cols = ["subscription_id", "account_id", "month", "status", "plan_id", "quantity", "currency", "mrr_local",
                "mrr_usd", "plan_known"]
        return _df(rows, cols)

    @cached_property
    def _subs_by_account(self) -> dict:
        out: dict[str, list] = {}
        for sid, tl in self.timelines.items():
            out.setdefault(tl["sub"].customer_id, []).append(sid)
        return out

    def _acct_value(self, acct, mrr_ym, rate_ym) -> Decimal:
        tot = Decimal(0)
        for sid in self._subs_by_account.get(acct, []):
            v = self._sub_mrr.get((sid, mrr_ym))
            if v is not None and v["mrr"] != 0:
                tot += self._usd(v["currency"], rate_ym, v["mrr"])
        return tot

    @property
    def account_mrr(self) -> pd.DataFrame:
        rows = []
        for acct in sorted(self._subs_by_account):
            for ym in self.reported_months_ym:
                exact = self._acct_value(acct, ym, ym)
                rows.append({"account_id": acct, "month": P.month_date(ym), "mrr_usd": P.round_cent(exact),
                             "mrr_usd_exact": exact})
        return _df(rows, ["account_id", "month", "mrr_usd", "mrr_usd_exact"])

    # ------------------------------------------------------------------ D5
    @cached_property
    def _had_mrr(self) -> dict:
        """account -> sorted list of months (ym) whose month-end MRR was > 0."""
        out: dict[str, list] = {}
        for (sid, ym), v in self._sub_mrr.items():
            if v["mrr"] > 0:
                out.setdefault(v["account_id"], set()).add(ym)
        return {k: sorted(v) for k, v in out.items()}

    def periods(self):
        """(kind, first month ym, last month ym) of every reported month and of every quarter
        whose last month is a reported month."""
        out = [("month", m, m) for m in self.reported_months_ym]
        rep = self.reported_months_ym
        for m in rep:
            if m[1] % 3 == 0:
                out.append(("quarter", (m[0], m[1] - 2), m))
        return out

    @cached_property
    def _involuntary_cancels(self) -> dict:
        out: dict[str, list] = {}
        for sid, tl in self.timelines.items():
            for c in tl["cancellations"]:
                if c["is_involuntary"]:
                    out.setdefault(sid, []).append(c["cancelled_at_us"])
        return out

    @property
    def mrr_movements(self) -> pd.DataFrame:
        rows = []
        for kind, first, last in self.periods():
            b = P.add_months(first, -1)
            e = last
            p_start = P.month_start_us(*first)
            p_end = P.month_start_us(*P.add_months(last, 1))
            for acct in sorted(self._subs_by_account):
                start = P.round_cent(self._acct_value(acct, b, b))
                end_cc = P.round_cent(self._acct_value(acct, e, b))
                end = P.round_cent(self._acct_value(acct, e, e))
                z = Decimal("0.00")
                new = react = exp = contr = churn = z
                if start == 0 and end_cc > 0:
                    had = any(m <= b for m in self._had_mrr.get(acct, []))
                    if had:
                        react = end_cc
                    else:
                        new = end_cc
                elif start > 0 and end_cc > start:
                    exp = end_cc - start
                elif start > 0 and 0 < end_cc < start:
                    contr = start - end_cc
                elif start > 0 and end_cc == 0:
                    churn = start
                fx_imp = end - end_cc
                churned = churn + contr
                cap = z
                if churned > 0:
                    inv_subs = [sid for sid in self._subs_by_account[acct]
                                if any(p_start <= t < p_end for t in self._involuntary_cancels.get(sid, []))]
                    capx = Decimal(0)
                    for sid in inv_subs:
                        v = self._sub_mrr.get((sid, b))
                        if v is not None and v["mrr"] != 0:
                            capx += self._usd(v["currency"], b, v["mrr"])
                    cap = P.round_cent(capx)
                invol = min(churned, cap)
                churn_inv = invol if churn > 0 else z
                contr_inv = invol if contr > 0 else z
                if not any(x != 0 for x in (start, end, new, react, exp, contr, churn, fx_imp)):
                    continue
                rows.append({"period_type": kind, "period_start": P.month_date(first),
                             "period_end": P.month_date(P.add_months(last, 1)), "account_id": acct,
                             "start_mrr_usd": start, "new_mrr_usd": new, "reactivation_mrr_usd": react,
                             "expansion_mrr_usd": exp, "contraction_mrr_usd": contr,
                             "contraction_voluntary_usd": contr - contr_inv,
                             "contraction_involuntary_usd": contr_inv, "churn_mrr_usd": churn,
                             "churn_voluntary_usd": churn - churn_inv, "churn_involuntary_usd": churn_inv,
                             "fx_impact_usd": fx_imp, "end_cc_mrr_usd": end_cc, "end_mrr_usd": end})
        cols = ["period_type", "period_start", "period_end", "account_id", "start_mrr_usd", "new_mrr_usd",
                "reactivation_mrr_usd", "expansion_mrr_usd", "contraction_mrr_usd", "contraction_voluntary_usd",
                "contraction_involuntary_usd", "churn_mrr_usd", "churn_voluntary_usd", "churn_involuntary_usd",
                "fx_impact_usd", "end_cc_mrr_usd", "end_mrr_usd"]
        return _df(rows, cols)

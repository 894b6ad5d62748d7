"""Subscriptions, their event history, invoices and renewal outcomes.

The lifecycle is simulated period by period: one loop iteration handles the next
billing period of every live subscription at once (vectorised over
subscriptions); the number of iterations is bounded by the number of billing
periods in the range (about 110 for weekly plans over 24 months)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from . import _catalog as C
from . import _util as U

E_SUB, E_INV, E_EVT = 2, 3, 8

# renewal outcome classes drawn per invoice
CLEAN, SAME, REROUTE, CARDUPD, CUSTCARD, LATE, FAILED, NOATT, ZERO, NOCHARGE = range(10)
# conditional on a failed first attempt; rows: A soft, A hard, B soft, B hard
#                  SAME  REROUTE CARDUPD CUSTCARD LATE  FAILED
COND = np.array([[0.42, 0.20, 0.00, 0.05, 0.08, 0.25],
                 [0.00, 0.00, 0.35, 0.22, 0.08, 0.35],
                 [0.45, 0.22, 0.00, 0.03, 0.08, 0.22],
                 [0.00, 0.00, 0.00, 0.30, 0.08, 0.62]])
WINDOW = 14 * U.DAY

# event types
EV_TYPES = ["created", "trial_converted", "plan_changed", "quantity_changed", "paused", "resumed",
            "canceled", "reactivated"]
EV_CREATED, EV_TRIALCONV, EV_PLAN, EV_QTY, EV_PAUSED, EV_RESUMED, EV_CANCELED, EV_REACT = range(8)
REASONS = ["subscription_create", "subscription_cycle", "subscription_update", "manual"]
R_CREATE, R_CYCLE, R_UPDATE, R_MANUAL = range(4)
# final snapshot status
ST = ["trialing", "active", "past_due", "unpaid", "paused", "canceled"]
S_TRIAL, S_ACTIVE, S_PASTDUE, S_UNPAID, S_PAUSED, S_CANCELED = range(6)
INF = np.iinfo(np.int64).max // 4


class Acc:
    """Accumulates arrays produced per loop iteration (concatenated once at the end)."""

    def __init__(self, *names):
        self.names = names
        self.parts = {k: [] for k in names}

    def add(self, **kw):
        for k in self.names:
            self.parts[k].append(np.asarray(kw[k]))

    def done(self):
        return SimpleNamespace(**{k: (np.concatenate(v) if v else np.zeros(0, np.int64))
                                  for k, v in self.parts.items()})


def draw_outcomes(rng, g1, risk, kind_cycle: bool, p_noatt: float = 0.006, base=(0.085, 0.16)):
    """Renewal outcome class, hard/soft first decline and time to the winning attempt."""
    n = len(g1)
    p_dec = np.clip(np.where(g1 == 0, base[0], base[1]) * risk, 0.0, 0.6)
    noatt = (rng.random(n) < p_noatt) if kind_cycle else np.zeros(n, bool)
    dec = ~noatt & (rng.random(n) < p_dec)
    hard = dec & (rng.random(n) < np.where(g1 == 0, 0.30, 0.25))
    row = g1 * 2 + hard.astype(np.int64)
    cat = U.choice_rows(rng, COND, row) + 1
    cls = np.where(noatt, NOATT, np.where(dec, cat, CLEAN))
    u = rng.random(n)
    W = np.full(n, -1, np.int64)
    rec = np.isin(cls, [SAME, REROUTE, CUSTCARD])
    W[rec] = (2 * U.HOUR + (13.8 * U.DAY - 2 * U.HOUR) * u[rec] ** 1.4).astype(np.int64)
    cu = cls == CARDUPD
    W[cu] = (2 * U.HOUR + 4 * U.DAY * u[cu]).astype(np.int64)
    la = cls == LATE
    W[la] = (WINDOW + 4 * U.HOUR + 31 * U.DAY * u[la]).astype(np.int64)
    W[cls == CLEAN] = 0
    return cls, hard, W


def make_subscriptions(ctx, cu):
    rng = ctx.rng("subs")
    H, start = ctx.horizon, ctx.start
    counts = U.choice_p(rng, cu.n, [0.03, 0.82, 0.13, 0.02])
    owner, rank = U.explode(counts)
    ns0 = len(owner)
    created = cu.created[owner] + rng.integers(0, 600, ns0)
    later = rank > 0
    created[later] = cu.created[owner[later]] + (rank[later] * rng.uniform(20, 400, later.sum()) * U.DAY).astype(np.int64)
    keep = created < H - U.HOUR
    owner, rank, created = owner[keep], rank[keep], created[keep]
    order = np.lexsort((rank, owner, created))
    owner, rank, created = owner[order], rank[order], created[order]
    ns = len(owner)
    cur = cu.cur[owner]
    plan = np.zeros(ns, np.int64)
    for c in range(len(C.CURRENCIES)):
        sel = np.nonzero(cur == c)[0]
        cand = np.nonzero((C.P_CUR == c) & C.P_ACTIVE)[0]
        plan[sel] = cand[U.choice_p(rng, len(sel), C.P_WEIGHT[cand])]
    early = created < start + 0.15 * (H - start)
    legacy = early & (plan == 0) & (rng.random(ns) < 0.4)
    plan[legacy] = C.LEGACY_PLAN
    qty = np.array([1, 2, 3, 4])[U.choice_p(rng, ns, [0.85, 0.10, 0.03, 0.02])]
    disc = np.array([np.nan, 10.0, 15.0, 20.0, 25.0, 12.5])[U.choice_p(rng, ns, [0.75, 0.10, 0.05, 0.07, 0.02, 0.01])]
    short = ((C.P_INTERVAL[plan] == C.IV_MONTH) & (C.P_COUNT[plan] == 1)) | (C.P_INTERVAL[plan] == C.IV_WEEK)
    trial = short & (rng.random(ns) < 0.30)
    trial_days = np.where(rng.random(ns) < 0.6, 7, 14)
    trial_end = np.where(trial, created + trial_days * U.DAY, U.NULL_TS)
    ids = U.b62_ids("sub_", U.entity_key(E_SUB, ctx.chunk, np.arange(ns)))
    return SimpleNamespace(n=ns, owner=owner, rank=rank, created=created, plan0=plan, qty0=qty.copy(),
                           disc=disc, trial=trial, trial_end=trial_end, id=ids)


def _period_end(plan, t, am, ad, at, nper):
    iv = C.P_INTERVAL[plan]
    cnt = C.P_COUNT[plan]
    mb = (iv == C.IV_MONTH) | (iv == C.IV_YEAR)
    months = np.where(iv == C.IV_YEAR, 12 * cnt, cnt)
    pe_m = U.anchored_add_months(am, ad, at, (nper + 1) * months)
    days = np.where(iv == C.IV_WEEK, 7 * cnt, cnt)
    pe_d = t + days * U.DAY
    return np.where(mb, pe_m, pe_d)


def _anchor(t):
    m = U.month_index(t)
    ms = U.month_start_sec(m)
    d = (t - ms) // U.DAY
    return m, d, (t - ms) - d * U.DAY


def simulate(ctx, cu, sb):
    """Run the lifecycle. Returns invoices (sub-driven), events and snapshot fields."""
    rng = ctx.rng("loop")
    H = ctx.horizon
    ns = sb.n
    alts = C.plan_alternatives()
    alt_n = np.array([len(a) for a in alts])
    alt_m = np.zeros((len(alts), max(1, alt_n.max())), np.int64)
    for i, a in enumerate(alts):
        alt_m[i, : len(a)] = a

    plan = sb.plan0.copy()
    qty = sb.qty0.copy()
    cust = sb.owner
    risk = cu.risk[cust]
    g1_pref = cu.gw_pref[cust]

    ev = Acc("sub", "type", "t", "pplan", "plan", "pqty", "qty", "reason")
    inv = Acc("sub", "reason", "created", "ps", "pe", "plan", "qty", "cls", "g1", "hard", "t0", "W", "cutoff",
              "subtotal_override")

    def add_ev(s, typ, t, pplan=None, pl=None, pq=None, q=None, reason=None):
        k = len(s)
        neg = np.full(k, -1, np.int64)
        ev.add(sub=s, type=np.full(k, typ), t=t, pplan=neg if pplan is None else pplan,
               plan=neg if pl is None else pl, pqty=neg if pq is None else pq, qty=neg if q is None else q,
               reason=neg if reason is None else reason)

    all_s = np.arange(ns)
    add_ev(all_s, EV_CREATED, sb.created, pl=plan, q=qty)

    status = np.full(ns, S_ACTIVE, np.int64)
    canceled_at = np.full(ns, U.NULL_TS, np.int64)
    cancel_src = np.full(ns, -1, np.int64)
    cancel_reason = np.full(ns, -1, np.int64)  # index into flattened reason list
    pause_start = np.full(ns, U.NULL_TS, np.int64)
    pause_end = np.full(ns, U.NULL_TS, np.int64)
    cps = sb.created.copy()
    cpe = np.where(sb.trial, sb.trial_end, sb.created)
    unresolved = np.zeros(ns, bool)
    reason_list = [r for s in C.CANCEL_SOURCES for r in C.CANCEL_REASONS[s][0]]
    reason_off = {s: sum(len(C.CANCEL_REASONS[x][0]) for x in C.CANCEL_SOURCES[:i])
                  for i, s in enumerate(C.CANCEL_SOURCES)}

    def draw_reason(src_code, k):
        src = C.CANCEL_SOURCES[src_code]
        p = C.CANCEL_REASONS[src][1]
        return reason_off[src] + U.choice_p(rng, k, p)

    # trials: a $0 invoice at signup; a quarter cancel before the trial ends
    tr = np.nonzero(sb.trial)[0]
    z = np.zeros(len(tr), np.int64)
    inv.add(sub=tr, reason=np.full(len(tr), R_CREATE), created=sb.created[tr], ps=sb.created[tr],
            pe=sb.trial_end[tr], plan=plan[tr], qty=qty[tr], cls=np.full(len(tr), ZERO), g1=z, hard=z.astype(bool),
            t0=sb.created[tr], W=z - 1, cutoff=np.full(len(tr), INF), subtotal_override=z)
    alive = np.ones(ns, bool)
    tcancel = tr[rng.random(len(tr)) < 0.25]
    tct = sb.created[tcancel] + (rng.uniform(0.1, 0.95, len(tcancel)) * (sb.trial_end[tcancel] - sb.created[tcancel])).astype(np.int64)
    ok = tct < H
    tcancel, tct = tcancel[ok], tct[ok]
    rs = draw_reason(0, len(tcancel))
    add_ev(tcancel, EV_CANCELED, tct, reason=np.zeros(len(tcancel), np.int64))
    alive[tcancel] = False
    status[tcancel] = S_CANCELED
    canceled_at[tcancel] = tct
    cancel_src[tcancel] = 0
    cancel_reason[tcancel] = rs

    nt = np.where(sb.trial, sb.trial_end, sb.created)
    rsn = np.where(sb.trial, R_CYCLE, R_CREATE)
    trial_pending = sb.trial.copy()
    am, ad, at = _anchor(nt)
    nper = np.zeros(ns, np.int64)
    p_react = np.array([0.08, 0.05, 0.10, 0.0])

    for _it in range(10_000):
        act = alive & (nt < H)
        if not act.any():
            break
        I = np.nonzero(act)[0]
        k = len(I)
        t = nt[I]
        p = plan[I]
        q = qty[I]
        pe = _period_end(p, t, am[I], ad[I], at[I], nper[I])
        cps[I] = t
        cpe[I] = pe
        t0 = t + rng.integers(300, 3600, k)
        g1 = g1_pref[I]
        cls, hard, W = draw_outcomes(rng, g1, risk[I], True)
        cls = np.where((rsn[I] == R_CREATE) & (cls == NOATT), CLEAN, cls)
        win = np.where(W >= 0, t0 + W, INF)
        close = t0 + WINDOW
        cutoff = np.full(k, INF)
        unresolved[I] = (cls != CLEAN) & (cls != NOATT) & (win >= H)

        # trial conversion when the first paid period is paid
        tp = trial_pending[I]
        conv = tp & (win < H)
        add_ev(I[conv], EV_TRIALCONV, win[conv])
        trial_pending[I] = False

        terminated = np.zeros(k, bool)
        # ---- failed renewals: dunning cancel, unpaid, or the customer cancels mid-dunning
        f = np.nonzero(cls == FAILED)[0]
        if f.size:
            u = rng.random(f.size)
            mid = u < 0.15
            unpaid = (u >= 0.15) & (u < 0.25)
            dun = u >= 0.25
            ct = np.where(mid, t0[f] + rng.uniform(1, 12.5, f.size) * U.DAY,
                          close[f] + rng.uniform(0, 12, f.size) * U.HOUR).astype(np.int64)
            src = np.where(mid, np.where(rng.random(f.size) < 0.7, 0, 1), 2)
            cutoff[f[mid]] = ct[mid]
            before = ct < H
            fi = I[f]
            terminated[f] = True
            alive[fi] = False
            # unpaid (no event) or past_due when the window is still open at the horizon
            st_unp = unpaid & (close[f] < H)
            status[fi[unpaid]] = np.where(st_unp[unpaid], S_UNPAID, S_PASTDUE)
            cx = ~unpaid & before
            status[fi[~unpaid & ~before]] = S_PASTDUE
            ci = fi[cx]
            status[ci] = S_CANCELED
            canceled_at[ci] = ct[cx]
            cancel_src[ci] = src[cx]
            cancel_reason[ci] = np.where(src[cx] == 2, reason_off["dunning"],
                                         np.where(src[cx] == 0, draw_reason(0, cx.sum()), draw_reason(1, cx.sum())))
            add_ev(ci, EV_CANCELED, ct[cx], reason=src[cx])
            # some come back later (reactivation)
            rr = rng.random(cx.sum()) < p_react[src[cx]]
            _reactivate(ci[rr], ct[cx][rr], rng, H, alive, status, canceled_at, cancel_src, cancel_reason,
                        nt, rsn, am, ad, at, nper, add_ev, unresolved)

        # ---- mid-period customer actions (at most one per period)
        live = np.nonzero(~terminated)[0]
        if live.size:
            Lm = C.P_PERIOD_MONTHS[p[live]]
            haz = np.stack([1 - (1 - 0.032) ** Lm, 1 - (1 - 0.006) ** Lm, 1 - (1 - 0.001) ** Lm,
                            1 - (1 - 0.010) ** Lm, 1 - (1 - 0.020) ** Lm, 1 - (1 - 0.013) ** Lm], axis=1)
            haz = np.minimum(haz, 0.9 / haz.shape[1])
            probs = np.concatenate([1 - haz.sum(axis=1, keepdims=True), haz], axis=1)
            u = rng.random(live.size)
            action = (u[:, None] >= np.cumsum(probs, axis=1)).sum(axis=1)
            res = np.where(cls[live] == NOATT, t0[live], win[live])
            lo = np.maximum(t[live], np.minimum(res, INF))
            ok = (res < H) & (lo < pe[live])
            ta = (lo + rng.random(live.size) * (pe[live] - np.minimum(lo, pe[live]))).astype(np.int64)
            ok &= ta < H
            action = np.where(ok, action, 0)
            # cancellations
            for a_code, src in ((1, 0), (2, 1), (3, 3)):
                sel = live[action == a_code]
                if sel.size == 0:
                    continue
                si = I[sel]
                tt = ta[action == a_code]
                terminated[sel] = True
                alive[si] = False
                status[si] = S_CANCELED
                canceled_at[si] = tt
                cancel_src[si] = src
                cancel_reason[si] = draw_reason(src, sel.size)
                add_ev(si, EV_CANCELED, tt, reason=np.full(sel.size, src))
                rr = rng.random(sel.size) < p_react[src]
                _reactivate(si[rr], tt[rr], rng, H, alive, status, canceled_at, cancel_src, cancel_reason,
                            nt, rsn, am, ad, at, nper, add_ev, unresolved)
            # pauses
            sel = live[action == 4]
            if sel.size:
                si = I[sel]
                tt = ta[action == 4]
                add_ev(si, EV_PAUSED, tt)
                pause_start[si] = tt
                pause_end[si] = U.NULL_TS
                dur = (rng.integers(1, 4, sel.size) * 30 * U.DAY + rng.integers(0, U.DAY, sel.size))
                rt = tt + dur
                back = rt < H
                terminated[sel] = True
                alive[si] = False
                status[si[~back]] = S_PAUSED
                sb_ = si[back]
                add_ev(sb_, EV_RESUMED, rt[back])
                pause_end[sb_] = rt[back]
                alive[sb_] = True
                nt[sb_] = rt[back]
                rsn[sb_] = R_CYCLE
                am[sb_], ad[sb_], at[sb_] = _anchor(rt[back])
                nper[sb_] = 0
                unresolved[sb_] = False
            # plan changes (same currency and interval), proration on upgrades
            sel = live[action == 5]
            if sel.size:
                pp = p[sel]
                has_alt = alt_n[pp] > 0
                sel = sel[has_alt]
                pp = pp[has_alt]
                j = (rng.random(sel.size) * alt_n[pp]).astype(np.int64)
                newp = alt_m[pp, j]
                si = I[sel]
                tt = _lookup(live, ta, sel)
                add_ev(si, EV_PLAN, tt, pplan=pp, pl=newp)
                plan[si] = newp
                up = (C.P_MONTHLY[newp] > C.P_MONTHLY[pp]) & (rng.random(sel.size) < 0.7)
                frac = (pe[sel] - tt) / np.maximum(pe[sel] - t[sel], 1)
                sub_amt = np.round((C.P_UNIT[newp] - C.P_UNIT[pp]) * q[sel] * frac).astype(np.int64)
                _add_proration(inv, rng, si[up], tt[up], pe[sel][up], newp[up], q[sel][up], sub_amt[up],
                               g1_pref, risk)
            # quantity changes
            sel = live[action == 6]
            if sel.size:
                si = I[sel]
                tt = _lookup(live, ta, sel)
                oq = q[sel]
                nq = np.where((oq == 1) | (rng.random(sel.size) < 0.6), oq + 1, oq - 1)
                add_ev(si, EV_QTY, tt, pq=oq, q=nq)
                qty[si] = nq
                up = (nq > oq) & (rng.random(sel.size) < 0.7)
                frac = (pe[sel] - tt) / np.maximum(pe[sel] - t[sel], 1)
                sub_amt = np.round(C.P_UNIT[p[sel]] * (nq - oq) * frac).astype(np.int64)
                _add_proration(inv, rng, si[up], tt[up], pe[sel][up], p[sel][up], nq[up], sub_amt[up],
                               g1_pref, risk)

        inv.add(sub=I, reason=rsn[I], created=t, ps=t, pe=pe, plan=p, qty=q, cls=cls, g1=g1, hard=hard, t0=t0,
                W=W, cutoff=cutoff, subtotal_override=np.full(k, -1))
        # advance the survivors to their next period
        cont = I[~terminated]
        nt[cont] = pe[~terminated]
        nper[cont] += 1
        rsn[cont] = R_CYCLE

    # trialing at the horizon
    trialing = sb.trial & trial_pending & (status == S_ACTIVE) & alive
    status[trialing] = S_TRIAL
    status[(status == S_ACTIVE) & unresolved] = S_PASTDUE
    return SimpleNamespace(events=ev.done(), inv=inv.done(), status=status, canceled_at=canceled_at,
                           cancel_src=cancel_src, cancel_reason=cancel_reason, reason_list=reason_list,
                           pause_start=pause_start, pause_end=pause_end, cps=cps, cpe=cpe, plan=plan, qty=qty)


def _lookup(live, ta, sel):
    pos = np.searchsorted(live, sel)
    return ta[pos]


def _add_proration(inv, rng, si, tt, pe, plan, q, amount, g1_pref, risk):
    k = len(si)
    if k == 0:
        return
    g1 = g1_pref[si]
    cls, hard, W = draw_outcomes(rng, g1, risk[si] * 0.6, False)
    inv.add(sub=si, reason=np.full(k, R_UPDATE), created=tt, ps=tt, pe=pe, plan=plan, qty=q, cls=cls, g1=g1,
            hard=hard, t0=tt + rng.integers(60, 1800, k), W=W, cutoff=np.full(k, INF),
            subtotal_override=np.maximum(amount, 1))


def _reactivate(si, tcancel, rng, H, alive, status, canceled_at, cancel_src, cancel_reason,
                nt, rsn, am, ad, at, nper, add_ev, unresolved):
    if si.size == 0:
        return
    rt = tcancel + (rng.uniform(10, 150, si.size) * U.DAY).astype(np.int64)
    ok = rt < H
    si, rt = si[ok], rt[ok]
    add_ev(si, EV_REACT, rt)
    alive[si] = True
    status[si] = S_ACTIVE
    canceled_at[si] = U.NULL_TS
    cancel_src[si] = -1
    cancel_reason[si] = -1
    nt[si] = rt
    rsn[si] = R_CYCLE
    am[si], ad[si], at[si] = _anchor(rt)
    nper[si] = 0
    unresolved[si] = False


def manual_invoices(ctx, cu, sb, rng):
    """One-off invoices: no subscription (mostly), some void / draft."""
    H = ctx.horizon
    months_alive = (H - cu.created) / (30.4 * U.DAY)
    owner, _ = U.poisson_explode(rng, 0.012 * months_alive)
    k = len(owner)
    created = cu.created[owner] + (rng.random(k) * (H - cu.created[owner])).astype(np.int64)
    amount = np.round(rng.uniform(500, 6000, k) * C.CUR_SCALE[cu.cur[owner]]).astype(np.int64)
    amount = np.where(cu.cur[owner] == 5, np.round(amount / 100.0) * 100, amount).astype(np.int64)
    g1 = cu.gw_pref[owner]
    cls, hard, W = draw_outcomes(rng, g1, cu.risk[owner] * 0.7, False)
    u = rng.random(k)
    cls = np.where(u < 0.08, NOCHARGE, cls)  # void / draft: never charged
    return SimpleNamespace(cust=owner, created=created, amount=amount, cls=cls, g1=g1, hard=hard,
                           t0=created + rng.integers(60, 7200, k), W=W, void_or_draft=np.where(u < 0.05, 0, 1))

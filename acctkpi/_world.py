"""Assemble the billing + payment world for one chunk of customers."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _billing as B
from . import _catalog as C
from . import _payments as P
from . import _util as U
from ._people import make_customers

E_CH, E_RE, E_DP, E_PMU, E_FP, E_CH_SHOP = 4, 5, 6, 7, 9, 11

INV_STATUS = ["draft", "open", "paid", "uncollectible", "void"]
I_DRAFT, I_OPEN, I_PAID, I_UNCOLL, I_VOID = range(5)


def build_billing(ctx):
    cu = make_customers(ctx)
    sb = B.make_subscriptions(ctx, cu)
    sim = B.simulate(ctx, cu, sb)
    H = ctx.horizon
    rng = ctx.rng("invoices_extra")
    man = B.manual_invoices(ctx, cu, sb, rng)

    si = sim.inv
    n1, n2 = len(si.sub), len(man.cust)
    first_sub = np.full(cu.n, -1, np.int64)
    ucust, fidx = np.unique(sb.owner, return_index=True)
    first_sub[ucust] = fidx
    man_sub = np.where(rng.random(n2) < 0.25, first_sub[man.cust], -1)
    cust = np.concatenate([sb.owner[si.sub], man.cust])
    sub = np.concatenate([si.sub, man_sub])
    reason = np.concatenate([si.reason, np.full(n2, B.R_MANUAL)])
    created = np.concatenate([si.created, man.created])
    ps = np.concatenate([si.ps, man.created])
    pe = np.concatenate([si.pe, man.created])
    plan = np.concatenate([si.plan, np.full(n2, -1)])
    qty = np.concatenate([si.qty, np.zeros(n2, np.int64)])
    cls = np.concatenate([si.cls, man.cls])
    g1 = np.concatenate([si.g1, man.g1])
    hard = np.concatenate([si.hard, man.hard]).astype(bool)
    t0 = np.concatenate([si.t0, man.t0])
    W = np.concatenate([si.W, man.W])
    cutoff = np.concatenate([si.cutoff, np.full(n2, B.INF)])
    vod = np.concatenate([np.ones(n1, np.int64), man.void_or_draft])
    cur = np.where(plan >= 0, C.P_CUR[np.maximum(plan, 0)], cu.cur[cust])
    sub_amt = np.where(plan >= 0, C.P_UNIT[np.maximum(plan, 0)] * qty, 0)
    over = np.concatenate([si.subtotal_override, man.amount])
    subtotal = np.where(over >= 0, over, sub_amt)
    subtotal = np.where(cls == B.ZERO, 0, subtotal)
    pct = np.where(sub >= 0, np.nan_to_num(sb.disc[np.maximum(sub, 0)]), 0.0)
    pct = np.where(reason == B.R_MANUAL, 0.0, pct)
    discount = np.round(subtotal * pct / 100.0).astype(np.int64)
    tax = np.round((subtotal - discount) * cu.tax[cust]).astype(np.int64)
    total = subtotal - discount + tax

    order = np.lexsort((sub, cust, created))
    (cust, sub, reason, created, ps, pe, plan, qty, cls, g1, hard, t0, W, cutoff, vod, cur, subtotal, discount,
     tax, total) = (a[order] for a in (cust, sub, reason, created, ps, pe, plan, qty, cls, g1, hard, t0, W, cutoff,
                                         vod, cur, subtotal, discount, tax, total))
    ni = len(cust)
    inv_id = U.b62_ids("in_", U.entity_key(B.E_INV, ctx.chunk, np.arange(ni)))

    # ---------------------------------------------------------------- attempts
    rng_a = ctx.rng("attempts")
    rows, pmus = P.expand_attempts(rng_a, cls, g1, hard, t0, W, cutoff, H)
    pending = (rows.gw == 0) & rows.ok & (rows.t >= H - 6 * U.HOUR) & (rng_a.random(len(rows.inv)) < 0.5)
    approved = rows.ok & ~pending
    paid_at = np.full(ni, B.INF, np.int64)
    np.minimum.at(paid_at, rows.inv[approved], rows.t[approved])
    attempt_count = np.bincount(rows.inv, minlength=ni)

    status = np.full(ni, I_OPEN, np.int64)
    paid = paid_at < B.INF
    status[paid] = I_PAID
    zero = cls == B.ZERO
    status[zero] = I_PAID
    paid_at[zero] = created[zero]
    nochg = cls == B.NOCHARGE
    status[nochg] = np.where(vod[nochg] == 0, I_VOID, I_DRAFT)
    noatt = cls == B.NOATT
    oob = noatt & (rng.random(ni) < 0.4)
    oob_t = created + rng.integers(U.DAY, 5 * U.DAY, ni)
    oob &= oob_t < H
    status[oob] = I_PAID
    paid_at[oob] = oob_t[oob]
    closed = (cls == B.FAILED) & (t0 + B.WINDOW <= H) & ~paid
    status[closed] = np.where(rng.random(closed.sum()) < 0.8, I_UNCOLL, I_OPEN)
    paid_at = np.where(status == I_PAID, paid_at, U.NULL_TS)

    # ---------------------------------------------------------------- payment method updates
    rng_p = ctx.rng("pmu")
    months_alive = (H - cu.created) / (30.4 * U.DAY)
    bo, _ = U.poisson_explode(rng_p, 0.006 * months_alive)
    bt = cu.created[bo] + (rng_p.random(len(bo)) * (H - cu.created[bo])).astype(np.int64)
    bsrc = U.choice_p(rng_p, len(bo), [0.5, 0.4, 0.1])
    pmu_cust = np.concatenate([cust[pmus.inv], bo])
    pmu_t = np.concatenate([pmus.t, bt])
    pmu_src = np.concatenate([pmus.src, bsrc])
    o = np.lexsort((pmu_cust, pmu_t))
    pmu = SimpleNamespace(cust=pmu_cust[o], t=pmu_t[o], src=pmu_src[o])
    pmu.id = U.b62_ids("pmu_", U.entity_key(E_PMU, ctx.chunk, np.arange(len(pmu.cust))))

    # ids of invoice attempts: A charge ids, B transaction numbers (increasing with time)
    na_all = len(rows.inv)
    isa = rows.gw == 0
    ref = np.empty(na_all, dtype=np.int64)
    o = np.lexsort((np.arange(na_all), rows.t))
    oa, ob = o[isa[o]], o[~isa[o]]
    ref[oa] = np.arange(len(oa))
    ref[ob] = np.arange(len(ob))
    bnum = np.where(isa, -1, U.num_id("btxn", ctx.chunk, ref, U.KB_INV))
    a_ids = U.b62_ids("ch_", U.entity_key(E_CH, ctx.chunk, ref))
    b_ids = U.digit_ids(bnum)
    att_ref = pc.if_else(pa.array(isa), a_ids, b_ids)
    prev = P.prev_b_row(rows.inv, rows.gw)
    orig_num = np.where(rows.noorder & (prev >= 0), bnum[np.maximum(prev, 0)], -1)

    world = SimpleNamespace(ctx=ctx, cu=cu, sb=sb, sim=sim, pmu=pmu)
    world.inv = SimpleNamespace(n=ni, id=inv_id, cust=cust, sub=sub, reason=reason, created=created, ps=ps, pe=pe,
                                plan=plan, qty=qty, cls=cls, g1=g1, hard=hard, t0=t0, cur=cur, subtotal=subtotal,
                                discount=discount, tax=tax, total=total, status=status, paid_at=paid_at,
                                attempt_count=attempt_count)
    world.att = SimpleNamespace(inv=rows.inv, slot=rows.slot, gw=rows.gw, ok=rows.ok, approved=approved,
                                pending=pending, t=rows.t, hard=rows.hard, code=rows.code, noorder=rows.noorder,
                                ref=att_ref, bnum=bnum, orig_num=orig_num, cust=cust[rows.inv])
    return world


def build_payment_tables(world, shop_pay):
    """Processor A charges and processor B transactions from invoice attempts + shop payments,
    then refunds, disputes and chargebacks on approved payments."""
    ctx, cu, inv, att = world.ctx, world.cu, world.inv, world.att
    H = ctx.horizon
    rng = ctx.rng("refunds")
    a = att.gw == 0
    b = ~a
    ns_a = len(shop_pay.a_cust)
    ns_b = len(shop_pay.b_cust)
    # ------------------------------------------------ A charges
    A = SimpleNamespace()
    A.cust = np.concatenate([att.cust[a], shop_pay.a_cust])
    A.inv = np.concatenate([att.inv[a], np.full(ns_a, -1)])
    A.order = np.concatenate([np.full(a.sum(), -1), shop_pay.a_order])
    A.amount = np.concatenate([inv.total[att.inv[a]], shop_pay.a_amount])
    A.cur = np.concatenate([inv.cur[att.inv[a]], shop_pay.a_cur])
    A.status = np.concatenate([np.where(att.pending[a], 2, np.where(att.ok[a], 0, 1)), shop_pay.a_status])
    A.code = np.concatenate([att.code[a], shop_pay.a_code])
    A.attempt = np.concatenate([att.slot[a] + 1, shop_pay.a_attempt])
    A.t = np.concatenate([att.t[a], shop_pay.a_t])
    shop_ids = U.b62_ids("ch_", U.entity_key(E_CH_SHOP, ctx.chunk, np.arange(ns_a)))
    ids = pa.concat_arrays([att.ref.filter(pa.array(a)), shop_ids])
    o = np.lexsort((A.attempt, A.inv, A.t))
    for k in list(vars(A)):
        setattr(A, k, getattr(A, k)[o])
    A.id = ids.take(pa.array(o))
    na = len(A.t)
    A.show_cust = (rng.random(na) >= 0.03) & (A.cust >= 0)
    A.ok = A.status == 0
    A.outcome = P.a_outcome(A.code, A.ok)
    # card fingerprint: changes with every payment-method update of the customer
    pm = world.pmu
    key_p = np.sort(pm.cust.astype(np.int64) * (1 << 40) + pm.t, kind="stable")
    ca = np.maximum(A.cust, 0)
    ver = (np.searchsorted(key_p, ca * (1 << 40) + A.t, side="right")
           - np.searchsorted(key_p, ca * (1 << 40), side="left"))
    fp_key = np.where(A.cust >= 0, U.entity_key(E_FP, 0, cu.g[ca] * 64 + np.minimum(ver, 63)),
                      U.entity_key(E_FP, ctx.chunk + 1, np.arange(na)))
    A.fp = U.b62_ids("", fp_key)
    A.fp_null = rng.random(na) < 0.02

    # ------------------------------------------------ refunds / disputes on A
    a_ok = np.nonzero(A.ok)[0]
    rf, rf_amt, rf_t = _refunds(rng, a_ok, A.inv, A.order, A.amount, A.t, shop_pay)
    keep = rf_t < H
    rf, rf_amt, rf_t = rf[keep], rf_amt[keep], rf_t[keep]
    o = np.lexsort((rf, rf_t))
    A_ref = SimpleNamespace(charge=rf[o], amount=rf_amt[o], t=rf_t[o],
                            reason=U.choice_p(rng, len(rf), [0.7, 0.1, 0.1, 0.1]))
    A_ref.id = U.b62_ids("re_", U.entity_key(E_RE, ctx.chunk, np.arange(len(A_ref.t))))
    dsel = a_ok[rng.random(len(a_ok)) < 0.006]
    d_t = A.t[dsel] + rng.integers(7 * U.DAY, 75 * U.DAY, len(dsel))
    keep = d_t < H
    dsel, d_t = dsel[keep], d_t[keep]
    recent = d_t > H - 30 * U.DAY
    dstat = np.where(recent & (rng.random(len(dsel)) < 0.6), 0, np.where(rng.random(len(dsel)) < 0.4, 1, 2))
    o = np.lexsort((dsel, d_t))
    A_dis = SimpleNamespace(charge=dsel[o], amount=A.amount[dsel][o], t=d_t[o], status=dstat[o],
                            reason=U.choice_p(rng, len(dsel), [0.35, 0.2, 0.2, 0.15, 0.05, 0.05]))
    A_dis.id = U.b62_ids("dp_", U.entity_key(E_DP, ctx.chunk, np.arange(len(A_dis.t))))

    # ------------------------------------------------ B transactions
    Bn = SimpleNamespace()
    Bn.cust = np.concatenate([att.cust[b], shop_pay.b_cust])
    Bn.inv = np.concatenate([att.inv[b], np.full(ns_b, -1)])
    Bn.order = np.concatenate([np.full(b.sum(), -1), shop_pay.b_order])
    Bn.amount = np.concatenate([inv.total[att.inv[b]], shop_pay.b_amount])
    Bn.cur = np.concatenate([inv.cur[att.inv[b]], shop_pay.b_cur])
    Bn.code = np.concatenate([att.code[b], shop_pay.b_code])
    Bn.t = np.concatenate([att.t[b], shop_pay.b_t])
    Bn.type = np.zeros(len(Bn.t), np.int64)
    Bn.noorder = np.concatenate([att.noorder[b], np.zeros(ns_b, bool)])
    Bn.orig = np.concatenate([att.orig_num[b], np.full(ns_b, -1)])
    Bn.num = np.concatenate([att.bnum[b], shop_pay.b_num])
    b_ok = np.nonzero(Bn.code == 0)[0]
    r_sel, r_amt, r_t = _refunds(rng, b_ok, Bn.inv, Bn.order, Bn.amount, Bn.t, shop_pay)
    r_resp_code = np.where(rng.random(len(r_sel)) < 0.95, 0, 1 + rng.integers(0, P.B_NSOFT, len(r_sel)))
    c_sel = b_ok[rng.random(len(b_ok)) < 0.012]
    c_t = Bn.t[c_sel] + rng.integers(7 * U.DAY, 75 * U.DAY, len(c_sel))
    extra_src = np.concatenate([r_sel, c_sel])
    extra_t = np.concatenate([r_t, c_t])
    etype = np.concatenate([np.ones(len(r_sel), np.int64), np.full(len(c_sel), 2)])
    eamt = np.concatenate([r_amt, Bn.amount[c_sel]])
    ecode = np.concatenate([r_resp_code, np.zeros(len(c_sel), np.int64)])
    keep = extra_t < H
    extra_src, extra_t, etype, eamt, ecode = extra_src[keep], extra_t[keep], etype[keep], eamt[keep], ecode[keep]
    oe = np.lexsort((extra_src, extra_t))
    extra_src, extra_t, etype, eamt, ecode = extra_src[oe], extra_t[oe], etype[oe], eamt[oe], ecode[oe]
    ne = len(extra_src)
    for k, v in (("cust", Bn.cust[extra_src]), ("inv", np.full(ne, -1)), ("order", np.full(ne, -1)),
                 ("amount", eamt), ("cur", Bn.cur[extra_src]), ("code", ecode), ("t", extra_t), ("type", etype),
                 ("noorder", np.ones(ne, bool)), ("orig", Bn.num[extra_src]),
                 ("num", U.num_id("btxn", ctx.chunk, np.arange(ne), U.KB_EXTRA))):
        setattr(Bn, k, np.concatenate([getattr(Bn, k), v]))
    o = np.lexsort((Bn.num, Bn.t))
    for k in list(vars(Bn)):
        setattr(Bn, k, getattr(Bn, k)[o])
    nbt = len(Bn.t)
    Bn.id = U.digit_ids(Bn.num)
    Bn.show_vault = (rng.random(nbt) >= 0.08) & (Bn.cust >= 0)
    Bn.response = np.where(Bn.type > 0, np.where(Bn.code == 0, 1, 2), P.b_response(Bn.code))
    return SimpleNamespace(A=A, A_ref=A_ref, A_dis=A_dis, B=Bn)


def _refunds(rng, ok_rows, inv_col, order_col, amount, t, shop_pay):
    """Random refunds on approved invoice payments + the gateway side of shop refunds."""
    r_inv = ok_rows[(inv_col[ok_rows] >= 0) & (rng.random(len(ok_rows)) < 0.025)]
    full = rng.random(len(r_inv)) < 0.6
    part = np.maximum(1, (amount[r_inv] * rng.uniform(0.2, 0.8, len(r_inv))).astype(np.int64))
    amt_inv = np.where(full, amount[r_inv], part)
    t_inv = t[r_inv] + rng.integers(U.HOUR, 30 * U.DAY, len(r_inv))
    oc = order_col[ok_rows]
    r_ord = ok_rows[(oc >= 0) & np.isin(oc, shop_pay.refund_orders)]
    pos = np.searchsorted(shop_pay.refund_orders, order_col[r_ord])
    amt_ord = shop_pay.refund_amount_minor[pos]
    t_ord = np.maximum(shop_pay.refund_t[pos], t[r_ord] + 60)
    return (np.concatenate([r_inv, r_ord]), np.concatenate([amt_inv, amt_ord]).astype(np.int64),
            np.concatenate([t_inv, t_ord]).astype(np.int64))


def inv_id_sans_prefix(inv_id: pa.Array) -> pa.Array:
    return pc.utf8_slice_codeunits(inv_id, 3)

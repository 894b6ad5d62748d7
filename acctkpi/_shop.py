"""Order management: subscription shipments, web orders, post-purchase and SMS orders,
order lines, shop refunds, and how one-time orders were paid (A charges / B sales)."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pyarrow as pa

from . import _billing as B
from . import _catalog as C
from . import _payments as P
from . import _util as U
from . import _world as Wd
from ._crm import case_variant
from ._messaging import F_NEWS, F_PROMO, F_UPSELL

SOURCES = ["web", "subscription_contract", "post_purchase", "sms"]
S_WEB, S_SUB, S_POST, S_SMS = range(4)
FIN = ["paid", "partially_refunded", "refunded", "voided", "pending"]
F_PAID, F_PART, F_REF, F_VOID, F_PEND = range(5)
OFFER = ["upsell", "cross_sell"]


def _price(usd_minor, cur):
    p = np.round(usd_minor * C.CUR_SCALE[cur]).astype(np.int64)
    return np.where(cur == 5, (np.round(p / 10.0) * 10).astype(np.int64), p)


def build_shop(ctx, world, crm, msg):
    rng = ctx.rng("shop")
    H = ctx.horizon
    cu, inv = world.cu, world.inv
    lead = crm.leads
    parts = []  # (kind 0 cust / 1 lead, who, source, t, inv_idx)

    # subscription shipments: one order per paid subscription invoice of a shipped product line
    si = np.nonzero((inv.status == Wd.I_PAID) & np.isin(inv.reason, [B.R_CREATE, B.R_CYCLE]) & (inv.plan >= 0)
                    & (inv.total > 0))[0]
    si = si[C.P_SHIPS[inv.plan[si]]]
    ts = inv.paid_at[si] + rng.integers(60, 1800, len(si))
    si, ts = si[ts < H], ts[ts < H]
    parts.append((np.zeros(len(si), np.int64), inv.cust[si], np.full(len(si), S_SUB), ts, si))
    # web orders from customers and from guests (CRM leads)
    months = (H - cu.created) / (30.4 * U.DAY)
    wo, _ = U.poisson_explode(rng, 0.03 * months)
    wt = cu.created[wo] + (rng.random(len(wo)) * (H - cu.created[wo])).astype(np.int64)
    parts.append((np.zeros(len(wo), np.int64), wo, np.full(len(wo), S_WEB), wt, np.full(len(wo), -1)))
    nl = len(lead.first)
    lo, _ = U.poisson_explode(rng, np.full(nl, 0.15))
    lo = lo[~lead.email_null[lo]]
    lt = lead.created[lo] + (rng.random(len(lo)) * (H - lead.created[lo])).astype(np.int64)
    parts.append((np.ones(len(lo), np.int64), lo, np.full(len(lo), S_WEB), lt, np.full(len(lo), -1)))
    # conversions from messages
    m = msg.msgs
    cv = np.nonzero(m.conv)[0]
    fl = m.flow[cv]
    src = np.where(fl == F_UPSELL, S_POST, np.where((fl == F_PROMO) & (m.channel[cv] == 0), S_SMS,
                                                     np.where(np.isin(fl, [F_PROMO, F_NEWS]), S_WEB, -1)))
    cv, src = cv[src >= 0], src[src >= 0]
    ct = m.t_conv[cv] + rng.integers(0, 600, len(cv))
    ok = ct < H
    kind_m = m.kind[cv][ok]
    who_m = m.who[cv][ok]
    # guest leads without email cannot order
    okl = (kind_m == 0) | ~lead.email_null[np.where(kind_m == 1, who_m, 0)]
    parts.append((kind_m[okl], who_m[okl], src[ok][okl], ct[ok][okl], np.full(okl.sum(), -1)))
    # thank-you page upsell right after some web orders
    w = np.nonzero(rng.random(len(wo)) < 0.04)[0]
    tw = wt[w] + rng.integers(60, 900, len(w))
    w, tw = w[tw < H], tw[tw < H]
    parts.append((np.zeros(len(w), np.int64), wo[w], np.full(len(w), S_POST), tw, np.full(len(w), -1)))

    kind = np.concatenate([p[0] for p in parts])
    who = np.concatenate([p[1] for p in parts])
    source = np.concatenate([p[2] for p in parts])
    t = np.concatenate([p[3] for p in parts])
    oinv = np.concatenate([p[4] for p in parts])
    o = np.lexsort((oinv, who, kind, source, t))
    kind, who, source, t, oinv = kind[o], who[o], source[o], t[o], oinv[o]
    no = len(t)
    cust = np.where(kind == 0, who, -1)
    cur = np.where(oinv >= 0, inv.cur[np.maximum(oinv, 0)], np.where(kind == 0, cu.cur[np.maximum(cust, 0)], 0))

    # ---------------------------------------------------------------- lines
    nlines = np.where(source == S_SUB, 1 + (rng.random(no) < 0.06),
                      np.where(source == S_POST, 1, np.where(source == S_SMS, 1 + (rng.random(no) < 0.3),
                                                             1 + U.choice_p(rng, no, [0.6, 0.3, 0.1]))))
    lo_, lr = U.explode(nlines)
    nli = len(lo_)
    lsrc = source[lo_]
    base_line = (lsrc == S_SUB) & (lr == 0)
    lplan = np.where(base_line, inv.plan[np.maximum(oinv[lo_], 0)], 0)
    prod = np.where(base_line, C.BASE_IDX_BY_LINE[C.P_LINE_IDX[np.maximum(lplan, 0)]],
                    np.where(lsrc == S_WEB, rng.integers(0, len(C.PRODUCTS), nli),
                             C.ADDON_IDX[rng.integers(0, len(C.ADDON_IDX), nli)]))
    lqty = np.where(base_line, inv.qty[np.maximum(oinv[lo_], 0)], np.where(rng.random(nli) < 0.85, 1, 2))
    lprice = np.where(base_line, C.P_UNIT[np.maximum(lplan, 0)], _price(C.PROD_PRICE[prod], cur[lo_]))
    offer = np.full(nli, -1)
    offer[(lsrc == S_SUB) & (lr > 0)] = 0
    offer[lsrc == S_POST] = 0
    offer[(lsrc == S_WEB) & (rng.random(nli) < 0.10)] = 1
    offer[(lsrc == S_SMS) & (rng.random(nli) < 0.5)] = 1
    line_total = lprice * lqty
    subtotal = np.bincount(lo_, weights=line_total, minlength=no).astype(np.int64)
    disc = np.where(source == S_SUB, inv.discount[np.maximum(oinv, 0)],
                    np.where(rng.random(no) < 0.15, np.round(subtotal * 0.1), 0)).astype(np.int64)
    total = subtotal - disc
    # what the order's own payment covers: one-time orders -> total; shipments -> add-on lines only
    addon_amt = np.bincount(lo_, weights=np.where(base_line, 0, line_total), minlength=no).astype(np.int64)
    pay_amt = np.where(source == S_SUB, addon_amt, total)

    u = rng.random(no)
    fin = np.where(u < 0.90, F_PAID, np.where(u < 0.93, F_REF, np.where(u < 0.96, F_PART, np.where(u < 0.98, F_VOID, F_PEND))))
    u2 = rng.random(no)
    fin = np.where(source == S_SUB, np.where(u2 < 0.01, F_REF, np.where(u2 < 0.02, F_PART, F_PAID)), fin)
    fin = np.where((fin == F_PEND) & (t < H - 3 * U.DAY), F_PAID, fin)
    cancelled = np.where(fin == F_VOID, t + rng.integers(600, 2 * U.DAY, no), U.NULL_TS)
    fin = np.where((fin == F_VOID) & (cancelled >= H), F_PAID, fin)
    cancelled = np.where(fin == F_VOID, cancelled, U.NULL_TS)
    # shop refunds
    ref = np.isin(fin, [F_REF, F_PART])
    r_t = t + rng.integers(U.DAY, 20 * U.DAY, no)
    ref &= r_t < H
    fin = np.where(np.isin(fin, [F_REF, F_PART]) & ~ref, F_PAID, fin)
    r_amt = np.where(fin == F_REF, total, np.maximum(1, (total * rng.uniform(0.2, 0.6, no)).astype(np.int64)))
    r_amt = np.where(cur == 5, np.maximum(1, r_amt), r_amt)
    ridx = np.nonzero(ref)[0]

    # ---------------------------------------------------------------- payments of the order itself
    rngp = ctx.rng("orders_pay")
    payed = (pay_amt > 0)
    gw = np.where(rngp.random(no) < np.where(source == S_POST, 0.15, 0.2), 1, 0)
    gw = np.where(source == S_SUB, 0, gw)
    first_fail = payed & (rngp.random(no) < 0.06) & (fin != F_VOID)
    pi = np.nonzero(payed)[0]
    # attempt 1 (fails for voided orders and some others), attempt 2 approves after a failed first
    a1_ok = ~first_fail[pi] & (fin[pi] != F_VOID)
    a2 = pi[first_fail[pi]]
    rows_o = np.concatenate([pi, a2])
    rows_ok = np.concatenate([a1_ok, np.ones(len(a2), bool)])
    rows_t = np.concatenate([t[pi] - rngp.integers(5, 120, len(pi)), t[a2] + rngp.integers(60, 3600, len(a2))])
    rows_att = np.concatenate([np.ones(len(pi), np.int64), np.full(len(a2), 2)])
    keep = rows_t < H
    rows_o, rows_ok, rows_t, rows_att = rows_o[keep], rows_ok[keep], rows_t[keep], rows_att[keep]
    pend = (fin[rows_o] == F_PEND) & rows_ok
    isa = gw[rows_o] == 0
    hard = rngp.random(len(rows_o)) < 0.2
    acode = np.where(rows_ok, -1, P.a_code(rngp, hard))
    bcode = np.where(rows_ok, 0, P.b_code(rngp, hard))
    ai = np.nonzero(isa)[0]
    bi = np.nonzero(~isa)[0]
    b_order = rows_o[bi]
    ob = np.lexsort((bi, rows_t[bi]))
    shop_pay = SimpleNamespace(
        a_cust=cust[rows_o[ai]], a_order=rows_o[ai], a_amount=pay_amt[rows_o[ai]], a_cur=cur[rows_o[ai]],
        a_status=np.where(pend[ai], 2, np.where(rows_ok[ai], 0, 1)), a_code=acode[ai], a_attempt=rows_att[ai],
        a_t=rows_t[ai],
        b_cust=cust[b_order][ob], b_order=b_order[ob], b_amount=pay_amt[b_order][ob], b_cur=cur[b_order][ob],
        b_code=bcode[bi][ob], b_t=rows_t[bi][ob],
        b_num=U.num_id("btxn", ctx.chunk, np.arange(len(bi)), U.KB_SHOP),
    )
    # gateway refunds mirror shop refunds of orders paid through their own charge
    rp = ridx[payed[ridx] & (source[ridx] != S_SUB)]
    shop_pay.refund_orders = rp
    shop_pay.refund_amount_minor = r_amt[rp]
    shop_pay.refund_t = r_t[rp]

    # ---------------------------------------------------------------- ids and text
    local = np.arange(no)
    order_num = U.num_id("order", ctx.chunk, local)
    name_num = 1001 + ctx.chunk * 100_000_000 + local
    c_email = case_variant(rng, cu.email, 0.08, 0.02)
    l_email = case_variant(rng, lead.raw_email, 0.08, 0.02)
    allmail = pa.concat_arrays([c_email, l_email])
    email = allmail.take(pa.array(np.where(kind == 0, who, cu.n + who)))
    email_null = np.where(kind == 0, ~cu.has_email[np.maximum(cust, 0)], False)
    show_cust = (kind == 0) & (rng.random(no) < 0.85)
    orders = SimpleNamespace(n=no, id=U.digit_ids(order_num), name=U.join("#", U.digit_ids(name_num)),
                             email=email, email_null=email_null, cust=cust, show_cust=show_cust, t=t,
                             cancelled=cancelled, fin=fin, source=source, subtotal=subtotal, disc=disc, total=total,
                             cur=cur, kind=kind, who=who)
    lines = SimpleNamespace(n=nli, id=U.digit_ids(U.num_id("line", ctx.chunk, np.arange(nli))),
                            order=lo_, sku=prod, qty=lqty, price=lprice, is_sub=base_line, offer=offer,
                            cur=cur[lo_])
    refunds = SimpleNamespace(n=len(ridx), id=U.digit_ids(U.num_id("shop_refund", ctx.chunk, np.arange(len(ridx)))),
                              order=ridx, amount=r_amt[ridx], t=r_t[ridx], cur=cur[ridx])
    o = np.lexsort((refunds.order, refunds.t))
    for k in ("order", "amount", "t", "cur"):
        setattr(refunds, k, getattr(refunds, k)[o])
    return SimpleNamespace(orders=orders, lines=lines, refunds=refunds, pay=shop_pay)

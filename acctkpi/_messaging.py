"""Messaging platform: automated flows fired by billing/payment events, and campaigns.

Each message becomes a funnel of events: sent -> delivered (or failed) -> clicked ->
converted, with some opted_out."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _billing as B
from . import _catalog as C
from . import _util as U
from ._crm import case_variant
from ._people import format_phone

E_MSG, E_MEV = 20, 21
FLOWS = ["payment_failed_recovery", "card_update_request", "renewal_reminder", "post_payment_upsell", "winback",
         "newsletter", "promo"]
F_REC, F_CARD, F_REMIND, F_UPSELL, F_WINBACK, F_NEWS, F_PROMO = range(7)
EVENT_TYPES = ["sent", "delivered", "clicked", "converted", "opted_out", "failed"]
#                 REC   CARD  REMIND UPSELL WINBACK NEWS PROMO
P_CLICK = np.array([0.20, 0.25, 0.10, 0.14, 0.08, 0.04, 0.07])
P_CONV = np.array([0.00, 0.00, 0.05, 0.35, 0.12, 0.06, 0.25])


class _Msgs:
    def __init__(self):
        self.parts = []

    def add(self, kind, who, channel, flow, t, trig=None, win=None):
        k = len(who)
        if k == 0:
            return
        self.parts.append(dict(kind=np.full(k, kind), who=who, channel=channel, flow=np.full(k, flow), t=t,
                               trig=trig if trig is not None else pa.nulls(k, pa.string()),
                               win=win if win is not None else np.full(k, B.INF)))


def build_messaging(ctx, world, crm):
    rng = ctx.rng("messaging")
    H, start = ctx.horizon, ctx.start
    cu, inv, att = world.cu, world.inv, world.att
    n = cu.n
    # how the platform stored each person's addresses
    sms_ok = crm.phone_known & (rng.random(n) < 0.6)
    sms_rec = format_phone(cu.phone_cc, cu.phone_nat, cu.nanp, U.choice_p(rng, n, [0.1, 0.0, 0.1, 0.8]))
    email_rec = case_variant(rng, cu.email, 0.12, 0.04)
    email_ok = cu.has_email & (rng.random(n) < 0.95)
    lead = crm.leads
    nl = len(lead.first)
    l_sms_ok = lead.has_phone & (rng.random(nl) < 0.5)
    l_sms_rec = format_phone(lead.cc, lead.nat, lead.nanp, U.choice_p(rng, nl, [0.1, 0.0, 0.1, 0.8]))
    l_email_rec = case_variant(rng, lead.raw_email, 0.12, 0.04)
    l_email_ok = ~lead.email_null

    M = _Msgs()

    def channel_for(who, p_sms):
        c = np.where(sms_ok[who] & (rng.random(len(who)) < p_sms), 0, 1)
        okk = np.where(c == 0, True, email_ok[who])
        return c, okk

    # ---- payment_failed_recovery: minutes after each failed attempt
    fail = np.nonzero(~att.ok & ~att.pending)[0]
    fail = fail[rng.random(len(fail)) < 0.85]
    who = att.cust[fail]
    ch, okk = channel_for(who, 0.65)
    fail, who, ch = fail[okk], who[okk], ch[okk]
    delay = np.where(rng.random(len(fail)) < 0.93, rng.integers(20, 14 * 60, len(fail)),
                     rng.integers(15 * 60, 3 * 3600, len(fail)))
    win = inv.paid_at[att.inv[fail]]
    win = np.where(win == U.NULL_TS, B.INF, win)
    M.add(0, who, ch, F_REC, att.t[fail] + delay, att.ref.take(pa.array(fail)), win)
    # ---- card_update_request: after hard declines
    hd = np.nonzero(att.hard & ~att.ok)[0]
    first_hard = np.concatenate([[True], att.inv[hd][1:] != att.inv[hd][:-1]]) if len(hd) else np.zeros(0, bool)
    hd = hd[first_hard]
    hd = hd[rng.random(len(hd)) < 0.8]
    who = att.cust[hd]
    ch, okk = channel_for(who, 0.5)
    hd, who, ch = hd[okk], who[okk], ch[okk]
    trig_inv = inv.id.take(pa.array(att.inv[hd]))
    trig = pa.array(np.where(rng.random(len(hd)) < 0.5, 0, 1) == 0)
    trig = pc.if_else(trig, trig_inv, att.ref.take(pa.array(hd)))
    win = inv.paid_at[att.inv[hd]]
    win = np.where(win == U.NULL_TS, B.INF, win)
    M.add(0, who, ch, F_CARD, att.t[hd] + rng.integers(60, 10 * 60, len(hd)), trig, win)
    # ---- renewal_reminder: days before a rebill (always for quarterly / annual plans)
    reb = np.nonzero((inv.reason == B.R_CYCLE) & (inv.plan >= 0))[0]
    pm = C.P_PERIOD_MONTHS[np.maximum(inv.plan[reb], 0)]
    reb = reb[rng.random(len(reb)) < np.where(pm >= 3, 0.9, np.where(pm >= 0.9, 0.12, 0.0))]
    st = inv.created[reb] - rng.integers(3 * U.DAY, 7 * U.DAY, len(reb))
    reb, st = reb[st >= start], st[st >= start]
    who = inv.cust[reb]
    ch, okk = channel_for(who, 0.3)
    M.add(0, who[okk], ch[okk], F_REMIND, st[okk], inv.id.take(pa.array(reb[okk])))
    # ---- post_payment_upsell: after approved renewal payments
    ap = np.nonzero(att.approved & (inv.reason[att.inv] != B.R_MANUAL))[0]
    ap = ap[rng.random(len(ap)) < 0.2]
    who = att.cust[ap]
    ch, okk = channel_for(who, 0.6)
    ap, who, ch = ap[okk], who[okk], ch[okk]
    M.add(0, who, ch, F_UPSELL, att.t[ap] + rng.integers(120, 30 * 60, len(ap)), att.ref.take(pa.array(ap)))
    # ---- winback: weeks after a cancellation
    ev = world.sim.events
    cx = np.nonzero(ev.type == B.EV_CANCELED)[0]
    cx = cx[rng.random(len(cx)) < 0.5]
    who = world.sb.owner[ev.sub[cx]]
    ch, okk = channel_for(who, 0.4)
    M.add(0, who[okk], ch[okk], F_WINBACK, ev.t[cx][okk] + rng.integers(20 * U.DAY, 45 * U.DAY, okk.sum()))

    # ---- campaigns (not automated): newsletter monthly, promo quarterly
    rngc = ctx.rng("campaigns")
    c_optin = rngc.random(n) < 0.7
    l_optin = rngc.random(nl) < 0.8
    m0, m1 = U.month_index(np.array([start]))[0], U.month_index(np.array([H - 1]))[0]
    for m in range(m0, m1 + 1):
        ms = U.month_start_sec(np.array([m]))[0]
        t_news = ms + 4 * U.DAY + 15 * U.HOUR
        if start <= t_news < H:
            cw = np.nonzero(c_optin & email_ok & (cu.created < t_news) & (rngc.random(n) < 0.4))[0]
            lw = np.nonzero(l_optin & l_email_ok & (lead.created < t_news) & (rngc.random(nl) < 0.4))[0]
            M.add(0, cw, np.ones(len(cw), np.int64), F_NEWS, t_news + rngc.integers(0, 1800, len(cw)))
            M.add(1, lw, np.ones(len(lw), np.int64), F_NEWS, t_news + rngc.integers(0, 1800, len(lw)))
        t_promo = ms + 19 * U.DAY + 18 * U.HOUR
        if m % 3 == 1 and start <= t_promo < H:
            cs = np.nonzero(sms_ok & (cu.created < t_promo) & (rngc.random(n) < 0.5))[0]
            ce = np.nonzero(email_ok & (cu.created < t_promo) & (rngc.random(n) < 0.2))[0]
            ls = np.nonzero(l_sms_ok & (lead.created < t_promo) & (rngc.random(nl) < 0.5))[0]
            M.add(0, cs, np.zeros(len(cs), np.int64), F_PROMO, t_promo + rngc.integers(0, 900, len(cs)))
            M.add(0, ce, np.ones(len(ce), np.int64), F_PROMO, t_promo + rngc.integers(0, 900, len(ce)))
            M.add(1, ls, np.zeros(len(ls), np.int64), F_PROMO, t_promo + rngc.integers(0, 900, len(ls)))

    P = {k: np.concatenate([p[k] for p in M.parts]) for k in ("kind", "who", "channel", "flow", "t", "win")}
    trig = pa.concat_arrays([p["trig"] for p in M.parts])
    keep = P["t"] < H
    o = np.nonzero(keep)[0]
    o = o[np.lexsort((P["flow"][o], P["who"][o], P["t"][o]))]
    P = {k: v[o] for k, v in P.items()}
    trig = trig.take(pa.array(o))
    nm = len(o)
    kind, who, chan, flow, t, win = P["kind"], P["who"], P["channel"], P["flow"], P["t"], P["win"]
    # recipient string as stored by the platform
    rc = pa.concat_arrays([sms_rec, email_rec, l_sms_rec, l_email_rec])
    base = np.where(kind == 0, np.where(chan == 0, 0, n), np.where(chan == 0, 2 * n, 2 * n + nl))
    recipient = rc.take(pa.array(base + who))
    msg_id = U.b62_ids("msg_", U.entity_key(E_MSG, ctx.chunk, np.arange(nm)))

    # ---- funnel
    delivered = rng.random(nm) < np.where(chan == 0, 0.97, 0.95)
    recov = np.isin(flow, [F_REC, F_CARD])
    p_click = np.where(recov & (win < B.INF), 0.45, P_CLICK[flow])
    clicked = delivered & (rng.random(nm) < p_click)
    t_deliv = t + rng.integers(1, 90, nm)
    t_fail = t + rng.integers(1, 600, nm)
    t_click = t_deliv + np.minimum(rng.exponential(2 * U.HOUR, nm), 3 * U.DAY).astype(np.int64)
    conv = clicked & (rng.random(nm) < P_CONV[flow])
    t_conv = t_click + rng.integers(60, 2 * U.DAY, nm)
    # recovery messages convert when the invoice is paid after the click
    rconv = recov & clicked & (win > t_click) & (win < t + 14 * U.DAY)
    conv = np.where(recov, rconv, conv)
    t_conv = np.where(recov, win, t_conv)
    opt = delivered & ~clicked & (rng.random(nm) < np.where(chan == 0, 0.012, 0.004))
    t_opt = t_deliv + rng.integers(60, 2 * U.DAY, nm)

    ev_msg = [np.arange(nm)]
    ev_type = [np.zeros(nm, np.int64)]
    ev_t = [t]
    for mask, code, tt in ((delivered, 1, t_deliv), (~delivered, 5, t_fail), (clicked, 2, t_click),
                           (conv, 3, t_conv), (opt, 4, t_opt)):
        sel = np.nonzero(mask & (tt < H))[0]
        ev_msg.append(sel)
        ev_type.append(np.full(len(sel), code))
        ev_t.append(tt[sel])
    em = np.concatenate(ev_msg)
    et = np.concatenate(ev_type)
    etm = np.concatenate(ev_t)
    o = np.lexsort((et, em, etm))
    em, et, etm = em[o], et[o], etm[o]
    ne = len(em)
    events = SimpleNamespace(msg=em, type=et, t=etm, id=U.b62_ids("ev_", U.entity_key(E_MEV, ctx.chunk, np.arange(ne))))
    msgs = SimpleNamespace(n=nm, id=msg_id, kind=kind, who=who, channel=chan, flow=flow, t=t, trig=trig,
                           recipient=recipient, conv=conv & (t_conv < H), t_conv=t_conv)
    return SimpleNamespace(msgs=msgs, events=events, sms_ok=sms_ok)

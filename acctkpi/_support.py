"""Support desk tickets, driven by payment failures, cancellations, orders and billing questions."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pyarrow as pa

from . import _billing as B
from . import _catalog as C
from . import _util as U
from ._crm import case_variant

# tag strings per ticket kind (first tag decides the subject)
KINDS = [
    (["payment_issue", "billing,payment_issue", "payment_issue,billing"], [0.4, 0.4, 0.2], "payment_issue"),
    (["cancel_request", "cancel_request,billing"], [0.7, 0.3], "cancel_request"),
    (["billing"], [1.0], "billing"),
    (["shipping"], [1.0], "shipping"),
    (["product_issue", "product_issue,shipping"], [0.85, 0.15], "product_issue"),
]
K_PAY, K_CANCEL, K_BILL, K_SHIP, K_PROD = range(5)
STATUS = ["new", "open", "pending", "solved", "closed"]
SATIS = ["good", "bad", "offered", "unoffered"]
PRIORITY = ["low", "normal", "high", "urgent"]


def build_support(ctx, world, crm, shop):
    rng = ctx.rng("support")
    H, start = ctx.horizon, ctx.start
    cu, att, ev = world.cu, world.att, world.sim.events
    parts = []  # kind(0 cust / 1 lead), who, ticket kind, t
    # payment problems after a failed first attempt
    ff = np.nonzero((att.slot == 0) & ~att.ok & ~att.pending)[0]
    ff = ff[rng.random(len(ff)) < 0.12]
    parts.append((0, att.cust[ff], K_PAY, att.t[ff] + rng.integers(U.HOUR, 5 * U.DAY, len(ff))))
    # cancel requests before support cancellations (and some customer ones)
    cx = np.nonzero(ev.type == B.EV_CANCELED)[0]
    p = np.where(ev.reason[cx] == 1, 1.0, np.where(ev.reason[cx] == 0, 0.15, 0.0))
    cx = cx[rng.random(len(cx)) < p]
    parts.append((0, world.sb.owner[ev.sub[cx]], K_CANCEL, ev.t[cx] - rng.integers(600, 2 * U.DAY, len(cx))))
    # dunning cancellations sometimes trigger a billing complaint
    dx = np.nonzero((ev.type == B.EV_CANCELED) & (ev.reason == 2))[0]
    dx = dx[rng.random(len(dx)) < 0.05]
    parts.append((0, world.sb.owner[ev.sub[dx]], K_PAY, ev.t[dx] + rng.integers(U.HOUR, 3 * U.DAY, len(dx))))
    # general billing questions
    months = (H - cu.created) / (30.4 * U.DAY)
    bo, _ = U.poisson_explode(rng, 0.008 * months)
    parts.append((0, bo, K_BILL, cu.created[bo] + (rng.random(len(bo)) * (H - cu.created[bo])).astype(np.int64)))
    # shipping / product issues after orders
    od = shop.orders
    oi = np.nonzero(rng.random(od.n) < 0.03)[0]
    k = np.where(rng.random(len(oi)) < 0.6, K_SHIP, K_PROD)
    tt = od.t[oi] + rng.integers(2 * U.DAY, 15 * U.DAY, len(oi))
    parts.append((od.kind[oi], od.who[oi], k, tt))

    kind = np.concatenate([np.broadcast_to(np.asarray(p[0]), len(p[1])) for p in parts]).astype(np.int64)
    who = np.concatenate([p[1] for p in parts])
    tk = np.concatenate([np.broadcast_to(np.asarray(p[2]), len(p[1])) for p in parts]).astype(np.int64)
    t = np.concatenate([p[3] for p in parts])
    keep = (t >= start) & (t < H)
    kind, who, tk, t = kind[keep], who[keep], tk[keep], t[keep]
    o = np.lexsort((tk, who, kind, t))
    kind, who, tk, t = kind[o], who[o], tk[o], t[o]
    n = len(t)

    lead = crm.leads
    em = pa.concat_arrays([case_variant(rng, cu.email, 0.1, 0.02), case_variant(rng, lead.raw_email, 0.1, 0.02)])
    email = em.take(pa.array(np.where(kind == 0, who, cu.n + who)))
    email_null = np.where(kind == 0, ~cu.has_email[np.where(kind == 0, who, 0)],
                          lead.email_null[np.where(kind == 1, who, 0)])
    # tags and subjects
    tag_list, subj_list = [], []
    tag_idx = np.zeros(n, np.int64)
    subj_idx = np.zeros(n, np.int64)
    for kk, (tags, tp, subj_key) in enumerate(KINDS):
        sel = np.nonzero(tk == kk)[0]
        tag_idx[sel] = len(tag_list) + U.choice_p(rng, len(sel), tp)
        tag_list += tags
        subs = C.SUBJECTS[subj_key]
        subj_idx[sel] = len(subj_list) + rng.integers(0, len(subs), len(sel))
        subj_list += subs
    subj_null = rng.random(n) < 0.03
    # workflow
    solved = t + rng.integers(600, 4 * U.DAY, n)
    is_solved = solved < H - U.HOUR
    closed = is_solved & (solved + 4 * U.DAY < H) & (rng.random(n) < 0.35)
    status = np.where(closed, 4, np.where(is_solved, 3, U.choice_p(rng, n, [0.3, 0.5, 0.2])))
    upd = np.where(closed, solved + 4 * U.DAY, np.where(is_solved, solved,
                                                       t + (rng.random(n) * (H - t) * 0.5).astype(np.int64)))
    sat = np.where(is_solved, U.choice_p(rng, n, [0.45, 0.10, 0.22, 0.23]), np.where(rng.random(n) < 0.5, 3, -1))
    sat = np.where(is_solved & (rng.random(n) < 0.1), -1, sat)
    pr_p = np.where(np.isin(tk, [K_PAY, K_CANCEL]), 1, 0)
    pri = np.where(pr_p == 1, U.choice_p(rng, n, [0.05, 0.45, 0.4, 0.1]), U.choice_p(rng, n, [0.3, 0.55, 0.12, 0.03]))
    pri = np.where(rng.random(n) < 0.15, -1, pri)
    return SimpleNamespace(
        n=n, id=U.num_id("ticket", ctx.chunk, np.arange(n)), email=email, email_null=email_null,
        subject=U.str_take(subj_list, subj_idx, ~subj_null), tags=U.str_take(tag_list, tag_idx), priority=pri,
        status=status, satisfaction=sat, t=t, updated=np.minimum(upd, H - 1),
        solved=np.where(is_solved, solved, U.NULL_TS), kind=kind, who=who)

"""Turn the simulated world into contract-shaped frames (one per raw table)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _billing as B
from . import _catalog as C
from . import _messaging as Ms
from . import _payments as P
from . import _shop as S
from . import _support as Sp
from . import _util as U
from . import _world as Wd
from ._frame import EnumCol, Frame, MoneyCol, NumCol, StrCol, TimeCol
from ._schema import SHOP_OFFSET_MIN, TIME_STYLE

BIL, CRM, SUP, MSG, BTIME = (TIME_STYLE[k] for k in ("billing", "crm", "support", "messaging", "processor_b"))


def _t(sec, style, H=None, as_int=False, null=None):
    sec = np.asarray(sec, np.int64)
    if H is not None:
        sec = np.where(sec == U.NULL_TS, sec, np.minimum(sec, H))
    if null is not None:
        sec = np.where(null, U.NULL_TS, sec)
    if style == "iso_local":
        return TimeCol(sec, "iso_local", native_off=SHOP_OFFSET_MIN)
    return TimeCol(sec, style, as_int=as_int)


def _ids_take(ids: pa.Array, idx, valid=None):
    idx = np.asarray(idx, np.int64)
    if valid is None:
        valid = idx >= 0
    return StrCol(ids.take(pa.array(np.maximum(idx, 0), mask=~np.asarray(valid, bool))))


def _null(arr, null_mask):
    return StrCol(U.null_where(arr, np.asarray(null_mask, bool)))


def plans_frame():
    n = len(C.PLANS)
    return Frame({
        "id": StrCol(pa.array(C.P_ID)), "name": StrCol(pa.array([p[1] for p in C.PLANS])),
        "product_line": StrCol(pa.array(C.P_LINE)), "interval": EnumCol(C.P_INTERVAL, C.INTERVALS),
        "interval_count": NumCol(C.P_COUNT), "unit_amount": NumCol(C.P_UNIT),
        "currency": EnumCol(C.P_CUR, C.CURRENCIES), "active": NumCol(C.P_ACTIVE, patype=pa.bool_()),
    }) if n else None


def build_frames(ctx, world, crm, msg, shop, sup, pay) -> dict[str, Frame]:
    H = ctx.horizon
    cu, sb, sim, inv = world.cu, world.sb, world.sim, world.inv
    F = {}
    F["billing/customers"] = Frame({
        "id": StrCol(cu.id), "email": _null(cu.email, ~cu.has_email), "crm_contact_id": _null(cu.crm_id, ~cu.has_crm),
        "currency": EnumCol(cu.cur, C.CURRENCIES), "created_at": _t(cu.created, BIL),
        "deleted": NumCol(cu.deleted, patype=pa.bool_()),
    })
    # ---------------------------------------------------------------- subscriptions snapshot
    ev = sim.events
    last_ev = sb.created.copy()
    np.maximum.at(last_ev, ev.sub, ev.t)
    upd = np.minimum(np.maximum(last_ev, np.minimum(sim.cps, H)), H)
    canc = sim.status == B.S_CANCELED
    F["billing/subscriptions"] = Frame({
        "id": StrCol(sb.id), "customer_id": _ids_take(cu.id, sb.owner),
        "plan_id": StrCol(U.str_take(C.P_ID, sim.plan)), "quantity": NumCol(sim.qty),
        "discount_pct": NumCol(np.nan_to_num(sb.disc), null=np.isnan(sb.disc), patype=pa.float64()),
        "status": EnumCol(sim.status, B.ST), "created_at": _t(sb.created, BIL),
        "trial_end": _t(sb.trial_end, BIL, H), "current_period_start": _t(sim.cps, BIL, H),
        "current_period_end": _t(sim.cpe, BIL, H),
        "canceled_at": _t(sim.canceled_at, BIL, H, null=~canc),
        "cancellation_reason": StrCol(U.str_take(sim.reason_list, np.maximum(sim.cancel_reason, 0),
                                                 canc & (sim.cancel_reason >= 0))),
        "cancellation_source": EnumCol(np.where(canc, sim.cancel_src, -1), C.CANCEL_SOURCES),
        "pause_start": _t(sim.pause_start, BIL, H), "pause_end": _t(sim.pause_end, BIL, H),
        "updated_at": _t(upd, BIL, H),
    })
    # ---------------------------------------------------------------- events
    keep = ev.t < H
    o = np.nonzero(keep)[0]
    o = o[np.lexsort((ev.type[o], ev.sub[o], ev.t[o]))]
    ne = len(o)
    et = ev.type[o]
    F["billing/subscription_events"] = Frame({
        "id": StrCol(U.b62_ids("evt_", U.entity_key(B.E_EVT, ctx.chunk, np.arange(ne)))),
        "subscription_id": _ids_take(sb.id, ev.sub[o]), "type": EnumCol(et, B.EV_TYPES),
        "occurred_at": _t(ev.t[o], BIL),
        "previous_plan_id": StrCol(U.str_take(C.P_ID, np.maximum(ev.pplan[o], 0), ev.pplan[o] >= 0)),
        "plan_id": StrCol(U.str_take(C.P_ID, np.maximum(ev.plan[o], 0), ev.plan[o] >= 0)),
        "previous_quantity": NumCol(np.maximum(ev.pqty[o], 0), null=ev.pqty[o] < 0),
        "quantity": NumCol(np.maximum(ev.qty[o], 0), null=ev.qty[o] < 0),
        "reason": EnumCol(np.where(et == B.EV_CANCELED, ev.reason[o], -1), C.CANCEL_SOURCES),
    })
    # ---------------------------------------------------------------- invoices
    F["billing/invoices"] = Frame({
        "id": StrCol(inv.id), "subscription_id": _ids_take(sb.id, inv.sub), "customer_id": _ids_take(cu.id, inv.cust),
        "billing_reason": EnumCol(inv.reason, B.REASONS), "period_start": _t(inv.ps, BIL, H),
        "period_end": _t(inv.pe, BIL, H), "subtotal": NumCol(inv.subtotal), "discount": NumCol(inv.discount),
        "tax": NumCol(inv.tax), "total": NumCol(inv.total), "currency": EnumCol(inv.cur, C.CURRENCIES),
        "status": EnumCol(inv.status, Wd.INV_STATUS), "attempt_count": NumCol(inv.attempt_count),
        "created_at": _t(inv.created, BIL), "paid_at": _t(inv.paid_at, BIL, H),
    })
    # ---------------------------------------------------------------- processor A
    A = pay.A
    od = shop.orders
    F["processor_a/charges"] = Frame({
        "id": StrCol(A.id), "invoice": _ids_take(inv.id, A.inv), "order_ref": _ids_take(od.id, A.order),
        "customer": _ids_take(cu.id, A.cust, A.show_cust),
        "amount": NumCol(A.amount), "currency": EnumCol(A.cur, [c.lower() for c in C.CURRENCIES]),
        "status": EnumCol(A.status, P.A_STATUS), "failure_code": EnumCol(A.code, P.A_CODES),
        "outcome_type": EnumCol(np.where(A.status == 2, -1, A.outcome), P.OUTCOMES),
        "attempt": NumCol(A.attempt), "payment_method_fingerprint": _null(A.fp, A.fp_null),
        "created": _t(A.t, None, as_int=True),
    })
    R = pay.A_ref
    F["processor_a/refunds"] = Frame({
        "id": StrCol(R.id), "charge": _ids_take(A.id, R.charge), "amount": NumCol(R.amount),
        "reason": EnumCol(np.where(R.reason == 3, -1, R.reason), ["requested_by_customer", "duplicate", "fraudulent"]),
        "created": _t(R.t, None, as_int=True),
    })
    D = pay.A_dis
    F["processor_a/disputes"] = Frame({
        "id": StrCol(D.id), "charge": _ids_take(A.id, D.charge), "amount": NumCol(D.amount),
        "reason": EnumCol(D.reason, ["fraudulent", "product_not_received", "subscription_canceled", "unrecognized",
                                     "duplicate", "credit_not_processed"]),
        "status": EnumCol(D.status, ["needs_response", "won", "lost"]), "created": _t(D.t, None, as_int=True),
    })
    pm = world.pmu
    F["processor_a/payment_method_updates"] = Frame({
        "id": StrCol(pm.id), "customer": _ids_take(cu.id, pm.cust), "source": EnumCol(pm.src, P.PMU_SOURCES),
        "created": _t(pm.t, None, as_int=True),
    })
    # ---------------------------------------------------------------- processor B
    Bn = pay.B
    rng = ctx.rng("bsales")
    nb = len(Bn.t)
    inv_sans = Wd.inv_id_sans_prefix(inv.id)
    ord_inv = (Bn.inv >= 0) & ~Bn.noorder
    oid = pc.if_else(pa.array(ord_inv), inv_sans.take(pa.array(np.maximum(Bn.inv, 0))),
                     od.name.take(pa.array(np.maximum(Bn.order, 0))))
    oid = U.null_where(oid, ~(ord_inv | ((Bn.order >= 0) & (Bn.type == 0))))
    texts = P.B_TEXTS + ["REFUND APPROVED", "REFUND DECLINED", "CHARGEBACK"]
    tcode = np.where(Bn.type == 0, Bn.code, np.where(Bn.type == 2, len(P.B_TEXTS) + 2,
                                                     np.where(Bn.code == 0, len(P.B_TEXTS), len(P.B_TEXTS) + 1)))
    F["processor_b/transactions"] = Frame({
        "transaction_id": StrCol(Bn.id), "type": EnumCol(Bn.type, ["sale", "refund", "chargeback"]),
        "response": EnumCol(Bn.response - 1, ["1", "2", "3"]), "response_code": EnumCol(Bn.code, P.B_CODES),
        "response_text": StrCol(U.str_take(texts, tcode, rng.random(nb) >= 0.05)),
        "amount": MoneyCol(Bn.amount, C.CUR_EXP[Bn.cur]), "currency": EnumCol(Bn.cur, C.CURRENCIES),
        "time": _t(Bn.t, BTIME), "order_id": StrCol(oid),
        "customer_vault_id": _ids_take(cu.id, Bn.cust, Bn.show_vault),
        "original_transaction_id": StrCol(U.digit_ids(np.maximum(Bn.orig, 0), Bn.orig >= 0)),
    })
    # ---------------------------------------------------------------- CRM
    c = crm.contacts
    first_cap = [x.capitalize() for x in C.FIRST]
    last_cap = [x.capitalize() for x in C.LAST]
    life_cats = C.LIFECYCLE_CUSTOMER + C.LIFECYCLE_LEAD
    F["crm/contacts"] = Frame({
        "contact_id": StrCol(c.id), "email": _null(c.email, c.email_null), "phone": _null(c.phone, c.phone_null),
        "first_name": StrCol(U.str_take(first_cap, c.first, ~c.name_null)),
        "last_name": StrCol(U.str_take(last_cap, c.last, ~c.name_null)),
        "billing_customer_id": _ids_take(cu.id, c.bill_cust), "lifecycle_stage": EnumCol(c.life, life_cats),
        "acquisition_channel": EnumCol(np.where(c.chan_null, -1, c.chan), C.CHANNELS),
        "country": EnumCol(c.country, C.COUNTRIES), "created_at": _t(c.created, CRM, H),
        "updated_at": _t(c.updated, CRM, H), "is_deleted": NumCol(c.deleted, patype=pa.bool_()),
    })
    # ---------------------------------------------------------------- shop
    exp_o = C.CUR_EXP[od.cur]
    F["shop/orders"] = Frame({
        "id": StrCol(od.id), "name": StrCol(od.name), "email": _null(od.email, od.email_null),
        "billing_customer_id": _ids_take(cu.id, od.cust, od.show_cust), "created_at": _t(od.t, "iso_local"),
        "cancelled_at": _t(od.cancelled, "iso_local"), "financial_status": EnumCol(od.fin, S.FIN),
        "source_name": EnumCol(od.source, S.SOURCES), "subtotal_price": MoneyCol(od.subtotal, exp_o),
        "total_discounts": MoneyCol(od.disc, exp_o), "total_price": MoneyCol(od.total, exp_o),
        "currency": EnumCol(od.cur, C.CURRENCIES),
    })
    ln = shop.lines
    ptypes = sorted(set(C.PROD_TYPE))
    F["shop/order_lines"] = Frame({
        "id": StrCol(ln.id), "order_id": _ids_take(od.id, ln.order), "sku": StrCol(U.str_take(C.PROD_SKU, ln.sku)),
        "product_type": EnumCol(np.array([ptypes.index(x) for x in C.PROD_TYPE])[ln.sku], ptypes),
        "quantity": NumCol(ln.qty), "price": MoneyCol(ln.price, C.CUR_EXP[ln.cur]),
        "is_subscription": NumCol(ln.is_sub, patype=pa.bool_()), "offer_type": EnumCol(ln.offer, S.OFFER),
    })
    rf = shop.refunds
    F["shop/refunds"] = Frame({
        "id": StrCol(rf.id), "order_id": _ids_take(od.id, rf.order), "amount": MoneyCol(rf.amount, C.CUR_EXP[rf.cur]),
        "created_at": _t(rf.t, "iso_local"),
    })
    # ---------------------------------------------------------------- support
    F["support/tickets"] = Frame({
        "id": NumCol(sup.id), "requester_email": _null(sup.email, sup.email_null), "subject": StrCol(sup.subject),
        "tags": StrCol(sup.tags), "priority": EnumCol(sup.priority, Sp.PRIORITY),
        "status": EnumCol(sup.status, Sp.STATUS), "satisfaction": EnumCol(sup.satisfaction, Sp.SATIS),
        "created_at": _t(sup.t, SUP), "updated_at": _t(sup.updated, SUP, H), "solved_at": _t(sup.solved, SUP, H),
    })
    # ---------------------------------------------------------------- messaging
    mm, me = msg.msgs, msg.events
    F["messaging/events"] = Frame({
        "event_id": StrCol(me.id), "message_id": _ids_take(mm.id, me.msg),
        "channel": EnumCol(mm.channel[me.msg], ["sms", "email"]),
        "recipient": StrCol(mm.recipient.take(pa.array(me.msg))), "flow": EnumCol(mm.flow[me.msg], Ms.FLOWS),
        "trigger_ref": StrCol(mm.trig.take(pa.array(me.msg))),
        "automated": NumCol(mm.flow[me.msg] < Ms.F_NEWS, patype=pa.bool_()),
        "event_type": EnumCol(me.type, Ms.EVENT_TYPES), "occurred_at": _t(me.t, MSG),
    })
    return F

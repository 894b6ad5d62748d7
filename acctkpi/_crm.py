"""CRM contacts: linked customer contacts, unlinked ones (match by email), duplicates, leads."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _catalog as C
from . import _util as U
from ._people import format_phone, make_emails, phone_parts, perm7


def case_variant(rng, emails: pa.Array, p_title=0.1, p_upper=0.03, p_space=0.0):
    """Emails as a system stored them: some capitalised, some upper case, some padded."""
    n = len(emails)
    u = rng.random(n)
    out = pc.if_else(pa.array(u < p_title), pc.utf8_capitalize(emails), emails)
    out = pc.if_else(pa.array((u >= p_title) & (u < p_title + p_upper)), pc.utf8_upper(emails), out)
    if p_space:
        sp = rng.random(n) < p_space
        out = pc.if_else(pa.array(sp), U.join(" ", out, " "), out)
    return out


def build_crm(ctx, world):
    rng = ctx.rng("crm")
    cu = world.cu
    H, start = ctx.horizon, ctx.start
    n = cu.n
    # one contact per customer with a crm id; 60 % of the others have an unlinked contact
    unlinked = ~cu.has_crm & (rng.random(n) < 0.6)
    has = cu.has_crm | unlinked
    ci = np.nonzero(has)[0]
    k = len(ci)
    cnum = 1_000_000_000 + cu.g[ci] * 4 + np.where(unlinked[ci], 3, 0)
    bill = np.where(unlinked[ci], rng.random(k) < 0.30, rng.random(k) < 0.55)
    email = case_variant(rng, cu.email.take(pa.array(ci)), 0.12, 0.03)
    email_null = ~cu.has_email[ci]
    phone_style = U.choice_p(rng, k, [0.4, 0.3, 0.3])
    phone = format_phone(cu.phone_cc.take(pa.array(ci)), cu.phone_nat.take(pa.array(ci)), cu.nanp[ci], phone_style)
    phone_null = ~cu.has_phone[ci] | (rng.random(k) < 0.1)
    # the contact often exists a little before the purchase (a lead first), never before the range
    created = cu.created[ci] - (rng.random(k) * np.minimum(60 * U.DAY, cu.created[ci] - start)).astype(np.int64)
    updated = created + (rng.random(k) * (H - created)).astype(np.int64)
    life = U.choice_p(rng, k, [0.9, 0.05, 0.05])
    chan = U.choice_p(rng, k, C.CHANNEL_P)
    c = SimpleNamespace(
        num=cnum, email=email, email_null=email_null, phone=phone, phone_null=phone_null,
        first=cu.first[ci], last=cu.last[ci], name_null=rng.random(k) < 0.05,
        bill_cust=np.where(bill, ci, -1), life=life,
        chan=chan, chan_null=rng.random(k) < 0.08, country=cu.country[ci], created=created, updated=updated,
        deleted=rng.random(k) < 0.01, cust=ci)

    # duplicates: same person again, email in another case / padded, later updated_at
    d = np.nonzero((rng.random(k) < 0.03) & ~email_null)[0]
    kd = len(d)
    de = c.email.take(pa.array(d))
    v = rng.integers(0, 3, kd)
    de = pc.if_else(pa.array(v == 0), pc.utf8_upper(de),
                    pc.if_else(pa.array(v == 1), U.join(" ", de, " "), pc.utf8_capitalize(de)))
    d_upd = np.minimum(H - 1, np.maximum(c.updated[d], c.created[d]) + rng.integers(U.HOUR, 120 * U.DAY, kd))
    dup = SimpleNamespace(
        num=1_000_000_000 + cu.g[c.cust[d]] * 4 + 2, email=de, email_null=np.zeros(kd, bool),
        phone=format_phone(cu.phone_cc.take(pa.array(c.cust[d])), cu.phone_nat.take(pa.array(c.cust[d])),
                           cu.nanp[c.cust[d]], rng.integers(0, 3, kd)),
        phone_null=c.phone_null[d] | (rng.random(kd) < 0.3), first=c.first[d], last=c.last[d],
        name_null=rng.random(kd) < 0.2, bill_cust=np.where(rng.random(kd) < 0.15, c.cust[d], -1),
        life=rng.integers(0, 3, kd), chan=c.chan[d],
        chan_null=rng.random(kd) < 0.3, country=c.country[d],
        created=np.minimum(d_upd, c.created[d] + rng.integers(U.DAY, 90 * U.DAY, kd)), updated=d_upd,
        deleted=np.zeros(kd, bool), cust=c.cust[d])

    # leads: people in the CRM that never became billing customers
    nl = int(round(0.35 * n))
    lg = ctx.lead_offset + np.arange(nl)  # global lead number
    lemail, lfi, lli = make_emails(rng, nl, 10_000_000 + perm7(lg))
    lcountry = np.where(rng.random(nl) < 0.85, 0, rng.integers(1, len(C.COUNTRIES), nl))
    lcc, lnat, lnanp = phone_parts(lcountry, perm7(9_999_999 - lg), area_override="556")
    lcreated = start + (rng.random(nl) * (H - start - U.HOUR)).astype(np.int64)
    lead = SimpleNamespace(
        num=1_000_000_000 + lg * 4 + 1, email=case_variant(rng, lemail, 0.1, 0.02),
        email_null=rng.random(nl) < 0.03, phone=format_phone(lcc, lnat, lnanp, rng.integers(0, 3, nl)),
        phone_null=rng.random(nl) < 0.5, first=lfi, last=lli, name_null=rng.random(nl) < 0.3,
        bill_cust=np.full(nl, -1), life=3 + U.choice_p(rng, nl, [.5, .3, .15, .05]),
        chan=U.choice_p(rng, nl, C.CHANNEL_P), chan_null=rng.random(nl) < 0.1, country=lcountry,
        created=lcreated, updated=lcreated + (rng.random(nl) * (H - lcreated)).astype(np.int64),
        deleted=rng.random(nl) < 0.02, cust=np.full(nl, -1))
    lead.raw_email = lemail
    lead.cc, lead.nat, lead.nanp = lcc, lnat, lnanp
    lead.has_phone = ~lead.phone_null
    parts = [c, dup, lead]
    allc = SimpleNamespace()
    for key in ("num", "email_null", "phone_null", "first", "last", "name_null", "bill_cust", "life", "chan",
                "chan_null", "country", "created", "updated", "deleted", "cust"):
        setattr(allc, key, np.concatenate([getattr(p, key) for p in parts]))
    allc.email = pa.concat_arrays([p.email for p in parts])
    allc.phone = pa.concat_arrays([p.phone for p in parts])
    o = np.lexsort((allc.num, allc.created))
    for key in list(vars(allc)):
        val = getattr(allc, key)
        setattr(allc, key, val.take(pa.array(o)) if isinstance(val, pa.Array) else val[o])
    allc.id = U.digit_ids(allc.num)
    # customers whose phone the CRM knows (only those can be texted by the messaging platform)
    phone_known = np.zeros(n, bool)
    phone_known[ci[~phone_null]] = True
    return SimpleNamespace(contacts=allc, leads=lead, phone_known=phone_known)

"""Billing customers: identity, currency, country, emails and phones."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _catalog as C
from . import _util as U

E_CUS = 1


def perm7(x):
    """Bijection on [0, 10^7): spreads sequential indices into phone/email numbers."""
    return (np.asarray(x, np.int64) * 7919 + 1_234_567) % 10_000_000


def make_emails(rng, n, number):
    """first.last1234567@domain style addresses; `number` makes them unique."""
    fi = rng.integers(0, len(C.FIRST), n)
    li = rng.integers(0, len(C.LAST), n)
    di = U.choice_p(rng, n, C.DOMAIN_P)
    pat = U.choice_p(rng, n, [0.5, 0.3, 0.2])
    F = U.str_take(C.FIRST, fi)
    L = U.str_take(C.LAST, li)
    N = U.digit_ids(number)
    D = U.str_take(C.DOMAINS, di)
    e0 = U.join(F, ".", L, N, "@", D)
    e1 = U.join(F, L, N, "@", D)
    e2 = U.join(pc.utf8_slice_codeunits(F, 0, 1), L, N, "@", D)
    out = pc.if_else(pa.array(pat == 0), e0, pc.if_else(pa.array(pat == 1), e1, e2))
    return out, fi, li


def phone_parts(country, number7, area_override=None):
    """(calling code, national significant number) string arrays for synthetic phones."""
    n = len(country)
    cc = U.str_take([C.COUNTRY_PHONE[i][0] for i in range(len(C.COUNTRIES))], country)
    pre = U.str_take([C.COUNTRY_PHONE[i][1] for i in range(len(C.COUNTRIES))], country)
    if area_override is not None:
        nanp = np.isin(country, [0, 7])
        pre = pc.if_else(pa.array(nanp), pa.scalar(area_override), pre)
    d7 = pc.utf8_lpad(U.digit_ids(number7), 7, "0")
    return cc, U.join(pre, d7), np.isin(country, [0, 7])


def format_phone(cc, nat, nanp, style):
    """style 0: '(555) 010-0199' / '+44 7700…'; 1: '+1 555 010 0199'; 2: '5550100199' / '07700…';
    3: E.164 '+15550100199'."""
    s = lambda a, b: pc.utf8_slice_codeunits(nat, a, b)  # noqa: E731
    nanp0 = U.join("(", s(0, 3), ") ", s(3, 6), "-", s(6, 10))
    nanp1 = U.join("+1 ", s(0, 3), " ", s(3, 6), " ", s(6, 10))
    nanp2 = nat
    e164 = U.join("+", cc, nat)
    intl0 = U.join("+", cc, " ", nat)
    intl2 = U.join("0", nat)
    style = np.asarray(style)
    nanp = np.asarray(nanp)
    out = e164
    for st, a, b in ((0, nanp0, intl0), (1, nanp1, intl0), (2, nanp2, intl2)):
        sel = style == st
        if sel.any():
            out = pc.if_else(pa.array(sel & nanp), a, pc.if_else(pa.array(sel & ~nanp), b, out))
    return out


def make_customers(ctx) -> SimpleNamespace:
    rng = ctx.rng("customers")
    n = ctx.n
    start, H = ctx.start, ctx.horizon
    span = H - start
    # signup time: 15 % in the first 30 days (existing base), the rest with growing density
    base = rng.random(n) < 0.15
    x = np.where(base, rng.random(n) * min(30 * U.DAY, span * 0.5) / span,
                 (-1.0 + np.sqrt(1.0 + 3.0 * rng.random(n))) * 0.985)
    created = start + (x * span).astype(np.int64)
    order = np.argsort(created, kind="stable")
    created = created[order]
    g = ctx.cust_offset + np.arange(n, dtype=np.int64)

    cur = U.choice_p(rng, n, C.CUR_P)
    country = np.zeros(n, np.int64)
    for c in range(len(C.CURRENCIES)):
        sel = np.nonzero(cur == c)[0]
        cs, ps = C.CUR_COUNTRIES[c]
        country[sel] = np.array(cs)[U.choice_p(rng, len(sel), ps)]
    email, fi, li = make_emails(rng, n, perm7(g))
    has_email = rng.random(n) >= 0.01
    # a few people sign up twice with the same email; the older account is often deleted
    deleted = rng.random(n) < 0.01
    share = (rng.random(n) < 0.005) & (np.arange(n) > 10)
    src = (rng.random(n) * np.arange(n)).astype(np.int64)
    sh_idx = np.nonzero(share & has_email)[0]
    if sh_idx.size:
        email = pc.replace_with_mask(email, pa.array(np.isin(np.arange(n), sh_idx)),
                                     email.take(pa.array(src[sh_idx])))
        deleted[src[sh_idx]] |= rng.random(sh_idx.size) < 0.5
    has_crm = rng.random(n) < 0.95
    has_phone = rng.random(n) < 0.80
    cc, nat, nanp = phone_parts(country, perm7(g))
    tax = np.zeros(n)
    for k, rates in C.COUNTRY_TAX.items():
        sel = np.nonzero(country == k)[0]
        tax[sel] = np.array(rates)[rng.integers(0, len(rates), len(sel))]
    gw_pref = (rng.random(n) < 0.07).astype(np.int64)  # 1 = processor B first
    risk = np.exp(rng.normal(0.0, 0.45, n) - 0.1)
    ids = U.b62_ids("cus_", U.entity_key(E_CUS, 0, g))
    contact_num = 1_000_000_000 + g * 4
    return SimpleNamespace(
        n=n, g=g, id=ids, created=created, cur=cur, country=country, email=email, has_email=has_email,
        first=fi, last=li, deleted=deleted, has_crm=has_crm, crm_id=U.digit_ids(contact_num),
        has_phone=has_phone, phone_cc=cc, phone_nat=nat, nanp=nanp, tax=tax, gw_pref=gw_pref, risk=risk,
    )

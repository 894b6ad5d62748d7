"""Payment attempts on processor A and processor B, payment-method updates,
refunds, disputes and chargebacks."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from . import _catalog as C
from . import _util as U
from ._billing import CARDUPD, CLEAN, CUSTCARD, FAILED, INF, LATE, REROUTE, SAME

DECL = C.load_declines()
A_CODES = DECL[("processor_a", "soft")][0] + DECL[("processor_a", "hard")][0]
A_NSOFT = len(DECL[("processor_a", "soft")][0])
B_CODES = ["100"] + DECL[("processor_b", "soft")][0] + DECL[("processor_b", "hard")][0]
B_TEXTS = ["SUCCESS"] + DECL[("processor_b", "soft")][1] + DECL[("processor_b", "hard")][1]
B_NSOFT = len(DECL[("processor_b", "soft")][0])
PMU_SOURCES = ["card_updater", "customer_portal", "support"]
A_STATUS = ["succeeded", "failed", "pending"]
OUTCOMES = ["authorized", "issuer_declined", "blocked", "invalid"]


def _w(weights, k):
    w = list(weights)[:k] + [0.05] * max(0, k - len(weights))
    return w


def a_code(rng, hard):
    """Index into A_CODES for a decline of the given class."""
    n = len(hard)
    soft = U.choice_p(rng, n, _w(C.A_SOFT_W, A_NSOFT))
    hd = A_NSOFT + U.choice_p(rng, n, _w(C.A_HARD_W, len(A_CODES) - A_NSOFT))
    return np.where(hard, hd, soft)


def b_code(rng, hard):
    n = len(hard)
    soft = 1 + U.choice_p(rng, n, _w(C.B_SOFT_W, B_NSOFT))
    hd = 1 + B_NSOFT + U.choice_p(rng, n, _w(C.B_HARD_W, len(B_CODES) - 1 - B_NSOFT))
    return np.where(hard, hd, soft)


def a_outcome(code_idx, ok):
    names = np.array(A_CODES + ["-"], dtype=object)
    c = names[np.where(code_idx < 0, len(A_CODES), code_idx)]
    out = np.where(np.isin(c, ["fraudulent"]), 2, np.where(np.isin(c, ["incorrect_number", "processing_error"]), 3, 1))
    return np.where(ok, 0, out)


def b_response(code_idx):
    codes = np.array(B_CODES)
    c = codes[np.maximum(code_idx, 0)]
    return np.where(code_idx == 0, 1, np.where(np.isin(c, ["300", "400"]), 3, 2))


def expand_attempts(rng, cls, g1, hard, t0, W, cutoff, H):
    """Turn per-invoice outcome classes into attempt rows. Returns rows sorted by (invoice, time)
    and payment-method updates caused by declines."""
    n = len(cls)
    K = 6
    r = lambda: rng.random(n)  # noqa: E731
    nf = np.zeros(n, np.int64)
    nf[cls == SAME] = 1 + rng.integers(0, 3, n)[cls == SAME]
    nf[cls == REROUTE] = 1 + (r() < 0.35)[cls == REROUTE]
    nf[cls == CARDUPD] = 1
    nf[cls == CUSTCARD] = (1 + (~hard & (r() < 0.4)))[cls == CUSTCARD]
    nf[cls == LATE] = 1 + rng.integers(0, 3, n)[cls == LATE]
    fh = np.where(hard, 1 + (r() < 0.4), 1 + rng.integers(0, 4, n))
    nf[cls == FAILED] = fh[cls == FAILED]
    xb = (cls == REROUTE) & (g1 == 0) & (r() < 0.35)          # A fails, B fails, B (chained retry) wins
    xbf = (cls == FAILED) & (g1 == 0) & ~hard & (r() < 0.30)  # rerouted to B and still failed
    m = nf + xb + xbf
    succ = np.isin(cls, [CLEAN, SAME, REROUTE, CARDUPD, CUSTCARD, LATE])
    pmu = (cls == CARDUPD) | (cls == CUSTCARD) | ((cls == LATE) & (r() < np.where(hard, 0.5, 0.15)))
    pmu_src = np.where(cls == CARDUPD, 0, np.where(r() < 0.8, 1, 2))
    succ_gw = np.where(cls == REROUTE, 1 - g1, np.where(pmu, 0, g1))
    # B retry chains: later B attempts without order_id, pointing at the previous B sale
    chain_b = (g1 == 1) & np.isin(cls, [SAME, FAILED, LATE]) & (r() < 0.3)
    win = np.where(W >= 0, t0 + W, INF)
    Wf = np.where(np.isin(cls, [LATE, FAILED]), (rng.uniform(0.5, 13.8, n) * U.DAY).astype(np.int64), W)
    rec = np.isin(cls, [SAME, REROUTE, CARDUPD, CUSTCARD])

    gw = np.zeros((n, K), np.int8)
    ok = np.zeros((n, K), bool)
    tm = np.zeros((n, K), np.int64)
    hd = np.zeros((n, K), bool)
    valid = np.zeros((n, K), bool)
    noorder = np.zeros((n, K), bool)
    last_fail = t0.copy()
    for j in range(K):
        is_fail = j < m
        is_succ = succ & (j == m)
        valid[:, j] = is_fail | is_succ
        g = np.where(is_fail, np.where(j < nf, g1, 1), succ_gw)
        gw[:, j] = g
        jit = rng.uniform(0.85, 1.0, n)
        tf_rec = t0 + (W.astype(np.float64) * j / (m + 0.5) * jit).astype(np.int64)
        tf_oth = t0 + (Wf.astype(np.float64) * j / np.maximum(m - 1, 1) * jit).astype(np.int64)
        tf = np.where(rec, tf_rec, tf_oth) if j > 0 else t0
        t = np.where(is_fail, tf, np.where(cls == CLEAN, t0, win))
        tm[:, j] = t
        last_fail = np.where(is_fail, tf, last_fail)
        ok[:, j] = is_succ
        hd[:, j] = is_fail & hard & (j < nf)
        noorder[:, j] = (g == 1) & (j > 0) & (chain_b | (xb & is_succ))
    pmu_t = last_fail + ((win - last_fail) * rng.uniform(0.3, 0.9, n)).astype(np.int64)
    pmu = pmu & (pmu_t < H) & (pmu_t <= cutoff)

    inv = np.repeat(np.arange(n), K).reshape(n, K)
    slot = np.tile(np.arange(K), (n, 1))
    lim = np.minimum(cutoff, H - 1)
    keep = valid & (tm <= lim[:, None])
    rows = SimpleNamespace(inv=inv[keep], slot=slot[keep], gw=gw[keep], ok=ok[keep], t=tm[keep], hard=hd[keep],
                           noorder=noorder[keep])
    # hard declines repeat the same code on retries; soft ones vary
    k = len(rows.inv)
    inv_a_hard = a_code(rng, np.ones(n, bool))
    inv_b_hard = b_code(rng, np.ones(n, bool))
    ac = np.where(rows.hard, inv_a_hard[rows.inv], a_code(rng, np.zeros(k, bool)))
    bc = np.where(rows.hard, inv_b_hard[rows.inv], b_code(rng, np.zeros(k, bool)))
    rows.code = np.where(rows.ok, np.where(rows.gw == 0, -1, 0), np.where(rows.gw == 0, ac, bc))
    pm = np.nonzero(pmu)[0]
    pmus = SimpleNamespace(inv=pm, t=pmu_t[pm], src=pmu_src[pm])
    return rows, pmus


def prev_b_row(inv, gw):
    """For rows sorted by invoice: index of the previous processor-B row of the same invoice, else -1."""
    n = len(inv)
    if n == 0:
        return np.zeros(0, np.int64)
    idx = np.arange(n)
    isb = gw == 1
    lastb = np.maximum.accumulate(np.where(isb, idx, -1))
    prev = np.concatenate([[-1], lastb[:-1]])
    gstart = np.zeros(n, np.int64)
    first = np.concatenate([[True], inv[1:] != inv[:-1]])
    gstart = np.maximum.accumulate(np.where(first, idx, 0))
    return np.where(prev >= gstart, prev, -1)

"""Vectorised helpers: seeded RNG streams, id encoding, time and money formatting.

Everything here works on whole NumPy / PyArrow arrays; nothing loops per row.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DAY = 86_400
HOUR = 3_600
MINUTE = 60
NULL_TS = np.iinfo(np.int64).min  # sentinel for a null timestamp / amount

# Stable stream numbers: adding a stream never shifts another stream's numbers.
STREAMS = {
    "customers": 1, "subs": 2, "loop": 3, "attempts": 4, "invoices_extra": 5,
    "pmu": 6, "refunds": 7, "crm": 8, "shop": 9, "support": 10, "messaging": 11,
    "campaigns": 12, "defects": 13, "ids": 14, "bsales": 15, "orders_pay": 16,
}


def rng_for(seed: int, chunk: int, stream: str, sub: int = 0) -> np.random.Generator:
    """A child generator keyed by (seed, chunk, stream, sub): reproducible and independent."""
    ss = np.random.SeedSequence(entropy=int(seed), spawn_key=(int(chunk), STREAMS[stream], int(sub)))
    return np.random.default_rng(ss)


# --------------------------------------------------------------------------- ids
_B62 = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection on uint64, so distinct keys give distinct outputs."""
    z = np.asarray(x, dtype=np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def entity_key(entity: int, chunk: int, local: np.ndarray) -> np.ndarray:
    """Unique uint64 key: 8 bits entity, 20 bits chunk, 36 bits local index."""
    local = np.asarray(local, dtype=np.uint64)
    return (np.uint64(entity) << np.uint64(56)) | (np.uint64(chunk) << np.uint64(36)) | local


def fixed_to_pa(mat: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Fixed-width ASCII matrix (n, w) of uint8 -> pa.string array (null where not valid)."""
    mat = np.ascontiguousarray(mat, dtype=np.uint8)
    n, w = mat.shape
    offsets = np.arange(0, (n + 1) * w, w, dtype=np.int32) if n else np.zeros(1, dtype=np.int32)
    bufs = [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(mat.tobytes())]
    null_count = 0
    if valid is not None and not valid.all():
        valid = np.asarray(valid, dtype=bool)
        bufs[0] = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
        null_count = int(n - valid.sum())
    return pa.Array.from_buffers(pa.string(), n, bufs, null_count=null_count)


def b62_ids(prefix: str, keys: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Stripe-like ids: prefix + 14 base-62 chars. Unique for unique keys (bijective core)."""
    keys = np.asarray(keys, dtype=np.uint64)
    n = keys.shape[0]
    p = np.frombuffer(prefix.encode(), dtype=np.uint8)
    w = len(p) + 14
    mat = np.empty((n, w), dtype=np.uint8)
    mat[:, : len(p)] = p
    z = mix64(keys)
    extra = mix64(keys ^ np.uint64(0x5DEECE66D)) % np.uint64(62 ** 3)
    for j in range(3):
        mat[:, len(p) + 2 - j] = _B62[(extra % np.uint64(62)).astype(np.int64)]
        extra //= np.uint64(62)
    for j in range(11):
        mat[:, w - 1 - j] = _B62[(z % np.uint64(62)).astype(np.int64)]
        z //= np.uint64(62)
    return fixed_to_pa(mat, valid)



def digit_ids(numbers: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    arr = pa.array(np.asarray(numbers, dtype=np.int64), mask=None if valid is None else ~np.asarray(valid, bool))
    return pc.cast(arr, pa.string())


# numeric ids: base + (chunk * 1e9 + local) * kinds + kind -> unique across chunks and kinds
NUM_BASE = {"btxn": (100_000_000_000, 4), "order": (5_000_000_000_000, 2), "line": (12_000_000_000_000, 2),
            "shop_refund": (900_000_000_000, 2), "ticket": (1, 2), "contact_orphan": (8_000_000_000, 2)}
K_REAL, K_ORPHAN = 0, 1
KB_INV, KB_SHOP, KB_EXTRA, KB_ORPHAN = 0, 1, 2, 3  # processor B transaction kinds


def num_id(entity: str, chunk: int, local, kind: int = 0) -> np.ndarray:
    base, kinds = NUM_BASE[entity]
    return base + (int(chunk) * 1_000_000_000 + np.asarray(local, np.int64)) * kinds + kind


def str_take(values: list[str], idx: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Pick strings from a small list by index (vectorised)."""
    idx = np.asarray(idx, dtype=np.int64)
    mask = None if valid is None else ~np.asarray(valid, bool)
    return pa.array(values, pa.string()).take(pa.array(idx, mask=mask))


def join(*parts) -> pa.Array:
    """Concatenate string arrays / scalars element-wise (null if any part is null)."""
    return pc.binary_join_element_wise(*parts, "")


def null_where(arr: pa.Array, null_mask: np.ndarray) -> pa.Array:
    if not np.any(null_mask):
        return arr
    return pc.if_else(pa.array(~np.asarray(null_mask, bool)), arr, pa.scalar(None, arr.type))


# --------------------------------------------------------------------------- time
def month_index(sec: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of each instant."""
    return (np.asarray(sec, np.int64) // DAY).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start_sec(m: np.ndarray) -> np.ndarray:
    return np.asarray(m, np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) * DAY


def days_in_month(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, np.int64)
    return (month_start_sec(m + 1) - month_start_sec(m)) // DAY


def parse_month(s: str) -> int:
    return int(np.datetime64(s, "M").astype(np.int64))


def anchored_add_months(anchor_m: np.ndarray, anchor_day: np.ndarray, anchor_tod: np.ndarray,
                        k: np.ndarray) -> np.ndarray:
    """Instant k months after a billing anchor (day-of-month clipped, like card billing)."""
    m = np.asarray(anchor_m, np.int64) + np.asarray(k, np.int64)
    d = np.minimum(np.asarray(anchor_day, np.int64), days_in_month(m) - 1)
    return month_start_sec(m) + d * DAY + np.asarray(anchor_tod, np.int64)


def civil(sec: np.ndarray):
    sec = np.asarray(sec, np.int64)
    days = sec // DAY
    tod = sec - days * DAY
    dt = days.astype("datetime64[D]")
    mstart = dt.astype("datetime64[M]")
    y = dt.astype("datetime64[Y]").astype(np.int64) + 1970
    mo = mstart.astype(np.int64) % 12 + 1
    d = (dt - mstart.astype("datetime64[D]")).astype(np.int64) + 1
    return y, mo, d, tod // 3600, (tod // 60) % 60, tod % 60


def _put(mat, col, val, width):
    v = np.asarray(val, np.int64).copy()
    for j in range(width - 1, -1, -1):
        mat[:, col + j] = 48 + (v % 10)
        v //= 10


# style -> (template, field positions)
_STYLES = {
    "iso_offset": "YYYY-MM-DDTHH:MM:SS+00:00",
    "iso_z": "YYYY-MM-DDTHH:MM:SSZ",
    "iso_naive": "YYYY-MM-DDTHH:MM:SS",
    "iso_space": "YYYY-MM-DD HH:MM:SS",
    "compact": "YYYYMMDDhhmmss",
    "iso_local": "YYYY-MM-DDTHH:MM:SS+00:00",  # offset filled per row
}


def fmt_time(sec: np.ndarray, style: str, off_min: np.ndarray | None = None,
             valid: np.ndarray | None = None) -> pa.Array:
    """Format epoch seconds as text. iso_local renders local wall time + per-row offset."""
    sec = np.asarray(sec, np.int64)
    n = sec.shape[0]
    if valid is not None:
        sec = np.where(valid, sec, 0)
    if style == "epoch":
        return digit_ids(sec, valid)
    if style == "iso_local":
        off = np.zeros(n, np.int64) if off_min is None else np.asarray(off_min, np.int64)
        sec = sec + off * 60
    tpl = _STYLES[style]
    mat = np.empty((n, len(tpl)), dtype=np.uint8)
    mat[:] = np.frombuffer(tpl.encode(), dtype=np.uint8)
    y, mo, d, h, mi, s = civil(sec)
    if style == "compact":
        for col, val, w in ((0, y, 4), (4, mo, 2), (6, d, 2), (8, h, 2), (10, mi, 2), (12, s, 2)):
            _put(mat, col, val, w)
    else:
        for col, val, w in ((0, y, 4), (5, mo, 2), (8, d, 2), (11, h, 2), (14, mi, 2), (17, s, 2)):
            _put(mat, col, val, w)
    if style == "iso_local":
        mat[:, 19] = np.where(off < 0, ord("-"), ord("+"))
        a = np.abs(off)
        _put(mat, 20, a // 60, 2)
        _put(mat, 23, a % 60, 2)
    return fixed_to_pa(mat, valid)



# --------------------------------------------------------------------------- money
def money_text(minor: np.ndarray, exp: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Minor units -> decimal string in major units ('29.99', JPY '4500')."""
    minor = np.asarray(minor, np.int64)
    exp = np.asarray(exp, np.int64)
    if valid is not None:
        minor = np.where(valid, minor, 0)
    neg = minor < 0
    a = np.abs(minor)
    ip = np.where(exp == 2, a // 100, a)
    fp = np.where(exp == 2, a % 100, 0)
    ips = pc.cast(pa.array(ip), pa.string())
    fps = pc.utf8_lpad(pc.cast(pa.array(fp), pa.string()), 2, "0")
    two = join(ips, ".", fps)
    out = pc.if_else(pa.array(exp == 2), two, ips)
    if neg.any():
        out = pc.if_else(pa.array(neg), join("-", out), out)
    if valid is not None and not np.all(valid):
        out = null_where(out, ~np.asarray(valid, bool))
    return out



def poisson_explode(rng, lam: np.ndarray):
    """Draw counts ~ Poisson(lam) and return (owner index per item, item rank within owner)."""
    cnt = rng.poisson(np.maximum(lam, 0.0))
    owner = np.repeat(np.arange(len(lam)), cnt)
    rank = np.arange(owner.shape[0]) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    return owner, rank


def explode(counts: np.ndarray):
    counts = np.asarray(counts, np.int64)
    owner = np.repeat(np.arange(len(counts)), counts)
    rank = np.arange(owner.shape[0]) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, rank


def choice_p(rng, n, p):
    """Categorical draw with probabilities p (vectorised, stable across numpy versions)."""
    c = np.cumsum(np.asarray(p, np.float64))
    c /= c[-1]
    return np.searchsorted(c, rng.random(n), side="right").astype(np.int64)


def choice_rows(rng, probs_matrix: np.ndarray, rows: np.ndarray):
    """Per-row categorical draw: probs_matrix[r] is the distribution for row-type r."""
    c = np.cumsum(probs_matrix, axis=1)
    c = c / c[:, -1:]
    u = rng.random(len(rows))
    cr = c[rows]
    return (u[:, None] >= cr).sum(axis=1).astype(np.int64)

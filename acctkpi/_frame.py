"""A tiny columnar frame that keeps timestamps, money and enums in a raw form
until the very end, so that defect injection can change formats per row and
row operations (take / concat) stay vectorised."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _util as U

# Time variants (per row). 0 = the column's native format.
TV_NATIVE, TV_ISO_NAIVE, TV_ISO_SPACE, TV_ISO_OFFSET, TV_ISO_Z, TV_EPOCH, TV_COMPACT, TV_ISO_UTC = range(8)
TV_GARBAGE = 20  # 20.. index into GARBAGE_TS
GARBAGE_TS = ["not a date", "2024-13-45T25:61:00", "0000-00-00 00:00:00", "N/A", "yesterday", "31/02/2024 10:00"]
# Money variants: 0 normal, 1.. garbage string
GARBAGE_MONEY = [None, "N/A", "#VALUE!", "--", "twelve"]

_VAR_STYLE = {TV_ISO_NAIVE: "iso_naive", TV_ISO_SPACE: "iso_space", TV_ISO_OFFSET: "iso_local",
              TV_ISO_Z: "iso_z", TV_EPOCH: "epoch", TV_COMPACT: "compact", TV_ISO_UTC: "iso_offset"}


def _take_np(a, idx):
    return None if a is None else a[idx]


class NumCol:
    def __init__(self, v, null=None, patype=pa.int64()):
        self.v = np.asarray(v)
        self.null = None if null is None else np.asarray(null, bool)
        self.patype = patype

    def __len__(self):
        return len(self.v)

    def take(self, idx):
        return NumCol(self.v[idx], _take_np(self.null, idx), self.patype)

    def concat(self, o):
        nl = None
        if self.null is not None or o.null is not None:
            a = self.null if self.null is not None else np.zeros(len(self.v), bool)
            b = o.null if o.null is not None else np.zeros(len(o.v), bool)
            nl = np.concatenate([a, b])
        return NumCol(np.concatenate([self.v, o.v]), nl, self.patype)

    def to_arrow(self):
        return pa.array(self.v, type=self.patype, mask=self.null if self.null is not None and self.null.any() else None)


class StrCol:
    def __init__(self, a: pa.Array):
        if isinstance(a, pa.ChunkedArray):
            a = a.combine_chunks()
        self.a = a if a.type == pa.string() else pc.cast(a, pa.string())

    def __len__(self):
        return len(self.a)

    def take(self, idx):
        return StrCol(self.a.take(pa.array(np.asarray(idx, np.int64))))

    def concat(self, o):
        return StrCol(pa.concat_arrays([self.a, o.a]))

    def replace(self, rows, values):
        """Set rows (int index array, unique) to values (pa array / list, same length)."""
        rows = np.asarray(rows, np.int64)
        if rows.size == 0:
            return
        mask = np.zeros(len(self.a), bool)
        mask[rows] = True
        order = np.argsort(rows, kind="stable")
        vals = pa.array(values, pa.string()) if not isinstance(values, pa.Array) else values
        vals = vals.take(pa.array(order))
        self.a = pc.replace_with_mask(self.a, pa.array(mask), vals)

    def to_arrow(self):
        return self.a


class EnumCol:
    """Codes into a category list; code -1 is null."""

    def __init__(self, codes, cats):
        self.codes = np.asarray(codes, np.int32)
        self.cats = list(cats)

    def __len__(self):
        return len(self.codes)

    def take(self, idx):
        return EnumCol(self.codes[idx], self.cats)

    def code_of(self, value: str) -> int:
        if value not in self.cats:
            self.cats.append(value)
        return self.cats.index(value)

    def concat(self, o):
        remap = np.array([self.code_of(c) for c in o.cats] + [-1], dtype=np.int32)
        oc = remap[np.where(o.codes < 0, len(o.cats), o.codes)]
        return EnumCol(np.concatenate([self.codes, oc]), self.cats)

    def to_arrow(self):
        if len(self.cats) == 0:
            return pa.nulls(len(self.codes), pa.string())
        return pa.array(self.cats, pa.string()).take(pa.array(np.maximum(self.codes, 0), mask=self.codes < 0))


class TimeCol:
    """Epoch seconds (NULL_TS = null) + per-row format variant and UTC offset (minutes)."""

    def __init__(self, sec, native: str, as_int: bool = False, var=None, off=None, native_off: int = 0):
        self.sec = np.asarray(sec, np.int64)
        n = len(self.sec)
        self.native = native
        self.as_int = as_int
        self.native_off = native_off
        self.var = np.zeros(n, np.int8) if var is None else np.asarray(var, np.int8)
        self.off = np.zeros(n, np.int16) if off is None else np.asarray(off, np.int16)

    def __len__(self):
        return len(self.sec)

    @property
    def valid(self):
        return self.sec != U.NULL_TS

    def take(self, idx):
        return TimeCol(self.sec[idx], self.native, self.as_int, self.var[idx], self.off[idx], self.native_off)

    def concat(self, o):
        return TimeCol(np.concatenate([self.sec, o.sec]), self.native, self.as_int,
                       np.concatenate([self.var, o.var]), np.concatenate([self.off, o.off]), self.native_off)

    def to_arrow(self):
        valid = self.valid
        if self.as_int:
            return pa.array(self.sec, pa.int64(), mask=~valid if not valid.all() else None)
        n = len(self.sec)
        var = np.where(valid, self.var, 0)
        groups = np.unique(var)
        if len(groups) == 1 and groups[0] == 0:
            return self._fmt_native(self.sec, valid)
        order = np.argsort(var, kind="stable")
        pieces = []
        for g in groups:
            sel = order[var[order] == g]
            if g == TV_NATIVE:
                pieces.append(self._fmt_native(self.sec[sel], valid[sel]))
            elif g >= TV_GARBAGE:
                pieces.append(pa.array([GARBAGE_TS[g - TV_GARBAGE]] * len(sel), pa.string()))
            else:
                style = _VAR_STYLE[int(g)]
                pieces.append(U.fmt_time(self.sec[sel], style, self.off[sel], valid[sel]))
        allv = pa.concat_arrays(pieces)
        inv = np.empty(n, np.int64)
        inv[order] = np.arange(n)
        return allv.take(pa.array(inv))

    def _fmt_native(self, sec, valid):
        if self.native == "iso_local":
            return U.fmt_time(sec, "iso_local", np.full(len(sec), self.native_off), valid)
        return U.fmt_time(sec, self.native, None, valid)


class MoneyCol:
    """Minor units + currency exponent, rendered as decimal strings; var>0 = garbage text."""

    def __init__(self, minor, exp, var=None):
        self.minor = np.asarray(minor, np.int64)
        self.exp = np.asarray(exp, np.int8)
        self.var = np.zeros(len(self.minor), np.int8) if var is None else np.asarray(var, np.int8)

    def __len__(self):
        return len(self.minor)

    def take(self, idx):
        return MoneyCol(self.minor[idx], self.exp[idx], self.var[idx])

    def concat(self, o):
        return MoneyCol(np.concatenate([self.minor, o.minor]), np.concatenate([self.exp, o.exp]),
                        np.concatenate([self.var, o.var]))

    def to_arrow(self):
        valid = self.minor != U.NULL_TS
        out = U.money_text(self.minor, self.exp, valid)
        g = self.var > 0
        if g.any():
            vals = np.array(GARBAGE_MONEY, dtype=object)[self.var[g]]
            mask = pa.array(g)
            out = pc.replace_with_mask(out, mask, pa.array(list(vals), pa.string()))
        return out


class Frame:
    def __init__(self, cols: dict):
        self.cols = dict(cols)
        lens = {len(c) for c in self.cols.values()}
        assert len(lens) <= 1, {k: len(c) for k, c in self.cols.items()}
        self.n = lens.pop() if lens else 0

    def take(self, idx):
        idx = np.asarray(idx, np.int64)
        return Frame({k: c.take(idx) for k, c in self.cols.items()})

    def concat(self, o: "Frame"):
        return Frame({k: c.concat(o.cols[k]) for k, c in self.cols.items()})

    def __getitem__(self, k):
        return self.cols[k]

    def to_arrow(self, columns: list[str]) -> pa.Table:
        return pa.table({k: self.cols[k].to_arrow() for k in columns})

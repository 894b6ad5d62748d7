"""Defect injection (source_systems.md, "Defects every export can carry").

Each class has its own rate; a rate of 0 injects nothing. Classes:
  duplicates    identical copies (+ a later updated_at with a changed value where the
                table has updated_at; a less-final status copy for invoices / charges)
  ts_format     text timestamps in other formats: ISO without offset, ISO with a
                non-UTC offset (same instant), ISO 'Z', epoch seconds, YYYYMMDDhhmmss
  bad_ts        unparseable timestamps and timestamps in 1970 / 2099
  money         unparseable decimal-string amounts ('N/A', ...) and rows in a
                currency without an FX rate (BRL, MXN, ARS)
  case          case / whitespace noise in enum codes and emails
  orphans       extra rows whose reference points at an unknown id / email / recipient
  unknown_enum  values outside the documented enumeration
  late_events   event tables: rows delivered late (moved to the end) and duplicates
                delivered later
  null_pk       rows with a null or empty primary key
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _catalog as C
from . import _frame as Fr
from . import _util as U
from ._frame import EnumCol, Frame, MoneyCol, NumCol, StrCol, TimeCol
from ._schema import META, TABLE_INDEX

CLASSES = ["duplicates", "ts_format", "bad_ts", "money", "case", "orphans", "unknown_enum", "late_events", "null_pk"]
TS_1970 = 0
TS_2099 = 4_070_908_800  # 2099-01-01
OFFSETS = np.array([-300, -240, -420, 60, 120, 330, 540, -180], dtype=np.int16)


def _pick(rng, n, rate, eligible=None):
    """Rows chosen independently with probability rate (among eligible rows)."""
    if rate <= 0 or n == 0:
        return np.zeros(0, np.int64)
    sel = rng.random(n) < rate
    if eligible is not None:
        sel &= eligible
    return np.nonzero(sel)[0]


def _case_variants(v: str) -> list[str]:
    out = [v.upper(), " " + v.capitalize(), v + " ", v.capitalize(), " " + v.upper() + " "]
    if v == "canceled":
        out += ["cancelled", "Cancelled"]
    return [x for x in out if x != v]


def unknown_values(kind: str, k: int, chunk: int, tindex: int, salt: int) -> pa.Array:
    loc = salt * 100_000_000 + np.arange(k)
    ent = 160 + tindex
    if kind == "cus":
        return U.b62_ids("cus_", U.entity_key(ent, chunk, loc))
    if kind == "sub":
        return U.b62_ids("sub_", U.entity_key(ent, chunk, loc))
    if kind == "inv":
        return U.b62_ids("in_", U.entity_key(ent, chunk, loc))
    if kind == "inv_sans":
        return U.b62_ids("", U.entity_key(ent, chunk, loc))
    if kind == "charge":
        return U.b62_ids("ch_", U.entity_key(ent, chunk, loc))
    if kind == "order":
        return U.digit_ids(U.num_id("order", chunk, loc, U.K_ORPHAN))
    if kind == "btxn":
        return U.digit_ids(U.num_id("btxn", chunk, loc, U.KB_ORPHAN))
    if kind == "contact":
        return U.digit_ids(U.num_id("contact_orphan", chunk, loc, 0))
    if kind == "email":
        return U.join("ghost.", U.b62_ids("", U.entity_key(ent, chunk, loc)), "@example.net")
    if kind == "recipient":
        ph = U.join("+1999", pc.utf8_lpad(U.digit_ids((chunk * 7_919 + loc * 104_729) % 10_000_000), 7, "0"))
        em = U.join("unknown.", U.b62_ids("", U.entity_key(ent, chunk, loc)), "@example.org")
        return pc.if_else(pa.array(np.arange(k) % 2 == 0), ph, em)
    raise ValueError(kind)


def _new_pks(meta, k, chunk, tindex):
    kind, arg = meta.pk_kind
    loc = np.arange(k)
    if kind == "b62":
        return StrCol(U.b62_ids(arg, U.entity_key(128 + tindex, chunk, loc)))
    # numeric ids: the orphan kind of the entity, in a local range unknown_values() never uses
    entity, okind = arg
    nums = U.num_id(entity, chunk, 500_000_000 + loc, okind)
    return StrCol(U.digit_ids(nums)) if kind == "digits" else NumCol(nums)


def _per_column(rng, n, rate, cols):
    """Pick rows with probability rate and give each picked row one of cols (repeats = weights).
    Yields (column, rows) for columns in first-appearance order."""
    if rate <= 0 or n == 0 or not cols:
        return []
    rows = np.nonzero(rng.random(n) < rate)[0]
    which = rng.integers(0, len(cols), rows.size)
    names = list(dict.fromkeys(cols))
    out = []
    for name in names:
        idx = [j for j, c in enumerate(cols) if c == name]
        out.append((name, rows[np.isin(which, idx)]))
    return out


def apply_defects(table: str, fr: Frame, rates: dict, rng: np.random.Generator, chunk: int, horizon: int):
    meta = META[table]
    tindex = TABLE_INDEX[table]
    counts = {c: 0 for c in CLASSES}
    if fr.n == 0 or all(r <= 0 for r in rates.values()):
        return fr, counts
    # ---- 5 orphans: extra rows pointing at unknown references
    r = rates["orphans"]
    if r > 0 and meta.fks:
        src = _pick(rng, fr.n, r)
        k = len(src)
        if k:
            new = fr.take(src)
            new.cols[meta.pk] = _new_pks(meta, k, chunk, tindex)
            which = rng.integers(0, len(meta.fks), k)
            for j, (col, kind) in enumerate(meta.fks):
                rows = np.nonzero(which == j)[0]
                if rows.size:
                    new.cols[col].replace(rows, unknown_values(kind, rows.size, chunk, tindex, j))
            fr = fr.concat(new)
            counts["orphans"] = k
    n = fr.n
    # Value defects below: a row is picked with the class rate, then one eligible column of it.
    # ---- 6 unknown enum values
    for col, rows in _per_column(rng, n, rates["unknown_enum"], list(meta.enums)):
        c = fr.cols[col]
        rows = rows[c.codes[rows] >= 0]
        if rows.size:
            unknown = meta.enums[col]
            codes = np.array([c.code_of(u) for u in unknown], np.int32)
            c.codes[rows] = codes[rng.integers(0, len(codes), rows.size)]
            counts["unknown_enum"] += rows.size
    # ---- 4 case / whitespace noise
    for col, rows in _per_column(rng, n, rates["case"], meta.case + meta.emails):
        c = fr.cols[col]
        if isinstance(c, EnumCol):
            rows = rows[c.codes[rows] >= 0]
            if rows.size == 0:
                continue
            base = list(c.cats)
            var_tab = [[c.code_of(v) for v in _case_variants(b)] for b in base]
            cur = c.codes[rows]
            pick = rng.random(rows.size)
            newc = cur.copy()
            for b, variants in enumerate(var_tab):
                m = cur == b
                if m.any() and variants:
                    newc[m] = np.array(variants, np.int32)[(pick[m] * len(variants)).astype(np.int64)]
            c.codes[rows] = newc
            counts["case"] += int((newc != cur).sum())
        else:
            valid = np.asarray(pc.is_valid(c.a.take(pa.array(rows))).to_numpy(zero_copy_only=False))
            rows = rows[valid]
            if rows.size == 0:
                continue
            vals = c.a.take(pa.array(rows))
            v = rng.integers(0, 4, rows.size)
            out = pc.if_else(pa.array(v == 0), pc.utf8_upper(vals),
                             pc.if_else(pa.array(v == 1), U.join(vals, " "),
                                        pc.if_else(pa.array(v == 2), U.join(" ", pc.utf8_capitalize(vals)),
                                                   pc.utf8_capitalize(vals))))
            changed = np.asarray(pc.not_equal(out, vals).to_numpy(zero_copy_only=False), bool)
            c.replace(rows, out)
            counts["case"] += int(changed.sum())
    # ---- 2 timestamp formats and bad timestamps
    tcols = [k for k, c in fr.cols.items() if isinstance(c, TimeCol)]
    text_tcols = [k for k in tcols if not fr.cols[k].as_int]
    native_eq = {"iso_z": Fr.TV_ISO_Z, "compact": Fr.TV_COMPACT, "iso_offset": Fr.TV_ISO_UTC}
    for col, rows in _per_column(rng, n, rates["ts_format"], text_tcols):
        c = fr.cols[col]
        rows = rows[c.valid[rows]]
        choices = [x for x in (Fr.TV_ISO_NAIVE, Fr.TV_ISO_SPACE, Fr.TV_ISO_OFFSET, Fr.TV_ISO_Z, Fr.TV_EPOCH,
                               Fr.TV_COMPACT, Fr.TV_ISO_UTC) if x != native_eq.get(c.native)]
        c.var[rows] = np.array(choices, np.int8)[rng.integers(0, len(choices), rows.size)]
        c.off[rows] = OFFSETS[rng.integers(0, len(OFFSETS), rows.size)]
        counts["ts_format"] += rows.size
    for col, rows in _per_column(rng, n, rates["bad_ts"], tcols):
        c = fr.cols[col]
        rows = rows[c.valid[rows]]
        g = (rng.random(rows.size) < 0.5) & (not c.as_int)
        gr = rows[g]
        c.var[gr] = Fr.TV_GARBAGE + rng.integers(0, len(Fr.GARBAGE_TS), gr.size)
        er = rows[~g]
        c.sec[er] = np.where(rng.random(er.size) < 0.5, TS_1970 + rng.integers(0, U.DAY, er.size),
                             TS_2099 + rng.integers(0, 200 * U.DAY, er.size))
        c.var[er] = 0
        counts["bad_ts"] += rows.size
    # ---- 3 money: unparseable amounts, currencies without an FX rate
    mcols = [k for k, c in fr.cols.items() if isinstance(c, MoneyCol)]
    targets = mcols + ([meta.currency] if meta.currency else [])
    if meta.currency and mcols:
        targets = mcols + [meta.currency] * len(mcols)  # half the picks go to the currency
    for col, rows in _per_column(rng, n, rates["money"], targets):
        c = fr.cols[col]
        if isinstance(c, MoneyCol):
            rows = rows[c.minor[rows] != U.NULL_TS]
            c.var[rows] = rng.integers(1, len(Fr.GARBAGE_MONEY), rows.size)
        else:
            rows = rows[c.codes[rows] >= 0]
            nofx = [x.lower() if meta.currency_lower else x for x in C.NO_FX_CURRENCIES]
            codes = np.array([c.code_of(x) for x in nofx], np.int32)
            c.codes[rows] = codes[rng.integers(0, len(codes), rows.size)]
        counts["money"] += rows.size
    # ---- null / empty primary keys
    rows = _pick(rng, n, rates["null_pk"])
    if rows.size:
        c = fr.cols[meta.pk]
        if isinstance(c, StrCol):
            empty = rng.random(rows.size) < 0.5
            vals = pa.array(np.where(empty, "", None).tolist(), pa.string())
            c.replace(rows, vals)
        else:
            nl = np.zeros(n, bool) if c.null is None else c.null.copy()
            nl[rows] = True
            fr.cols[meta.pk] = NumCol(c.v, nl, c.patype)
        counts["null_pk"] = rows.size
    # ---- 1 duplicates
    order_key = np.arange(n, dtype=np.float64)
    src = _pick(rng, n, rates["duplicates"])
    if src.size:
        dup = fr.take(src)
        half = rng.random(src.size) < 0.5
        if meta.updated_at:
            u = dup.cols[meta.updated_at]
            hr = np.nonzero(half & u.valid & (u.sec < horizon))[0]
            u.sec[hr] = np.minimum(u.sec[hr] + rng.integers(U.HOUR, 20 * U.DAY, hr.size), horizon)
            ch = dup.cols[meta.change_col]
            kn = _known_len(table, ch)
            cur = ch.codes[hr]
            ch.codes[hr] = np.where((cur >= 0) & (cur < kn), (cur + 1 + rng.integers(0, kn - 1, hr.size)) % kn,
                                    rng.integers(0, kn, hr.size))
        elif meta.demote:
            scol, val, ncol = meta.demote
            s = dup.cols[scol]
            code = s.code_of(val)
            hr = np.nonzero(half)[0]
            s.codes[hr] = code
            if ncol:
                t = dup.cols[ncol]
                t.sec[hr] = U.NULL_TS
        keys = src + rng.random(src.size) * (n - src)
        if meta.event:
            keys = n + rng.random(src.size) * n  # delivered again, later
        fr = fr.concat(dup)
        order_key = np.concatenate([order_key, keys])
        counts["duplicates"] = src.size
    # ---- 7 late-arriving / out-of-order events
    if meta.event and rates["late_events"] > 0:
        n0 = n
        late = _pick(rng, n0, rates["late_events"])
        order_key[late] = n0 + rng.random(late.size) * n0
        redeliver = _pick(rng, n0, rates["late_events"] / 2)
        if redeliver.size:
            fr = fr.concat(fr.take(redeliver))
            order_key = np.concatenate([order_key, n0 + rng.random(redeliver.size) * n0])
        counts["late_events"] = late.size + redeliver.size
    o = np.argsort(order_key, kind="stable")
    if not np.array_equal(o, np.arange(len(o))):
        fr = fr.take(o)
    return fr, counts


def _known_len(table, c):
    """Number of documented values at the start of the change column's categories."""
    if table == "support/tickets":
        return 5
    if table == "billing/subscriptions":
        return 6
    if table == "crm/contacts":
        return 7
    return len(c.cats)

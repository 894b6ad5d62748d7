"""Rule D0 value parsers, written from the contract, one value at a time.

Timestamps are returned as integer microseconds since 1970-01-01 UTC (exact, easy to
compare); money as ``Decimal`` in major units; nothing here uses floats.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

US = 1_000_000
DAY_US = 86_400 * US
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$"
)
_DIGITS = re.compile(r"^\d+$")


class Unparseable(ValueError):
    pass


def _civil_to_us(y, mo, d, h=0, mi=0, s=0, frac_us=0) -> int:
    # validates the calendar date (raises ValueError on 2024-13-45, 2024-02-30, 0000-00-00)
    if y < 1:
        raise ValueError("year 0")
    dt.datetime(y, mo, d, h, mi, s)
    days = (dt.date(y, mo, d) - dt.date(1970, 1, 1)).days
    return ((days * 86_400) + h * 3_600 + mi * 60 + s) * US + frac_us


def parse_epoch_any(value) -> int | None:
    """A native epoch-seconds column (contract type bigint): any integer is epoch seconds."""
    if value is None:
        return None
    s = str(value).strip()
    if s == "":
        return None
    if re.match(r"^-?\d+$", s):
        return int(s) * US
    return parse_ts(s)


def parse_ts(value) -> int | None:
    """Text -> microseconds UTC. None for null/blank; raises Unparseable otherwise.

    Accepted: ISO-8601 date or date-time with 'T' or space, optional seconds and fraction,
    optional 'Z' / '+hh:mm' / '+hhmm' / '+hh' offset (no offset = UTC); epoch seconds of 9
    to 11 digits; 14 digits YYYYMMDDhhmmss (UTC). Anything else is unparseable.
    """
    if value is None:
        return None
    s = str(value).strip()
    if s == "":
        return None
    if _DIGITS.match(s):
        if 9 <= len(s) <= 11:
            return int(s) * US
        if len(s) == 14:
            try:
                return _civil_to_us(int(s[0:4]), int(s[4:6]), int(s[6:8]), int(s[8:10]), int(s[10:12]),
                                    int(s[12:14]))
            except ValueError as exc:
                raise Unparseable(s) from exc
        raise Unparseable(s)
    m = _ISO.match(s)
    if not m:
        raise Unparseable(s)
    y, mo, d, h, mi, sec, frac, z, sign, oh, om = m.groups()
    frac_us = int((frac or "0")[:6].ljust(6, "0"))
    try:
        t = _civil_to_us(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(sec or 0), frac_us)
    except ValueError as exc:
        raise Unparseable(s) from exc
    if sign:
        oh_i, om_i = int(oh), int(om or 0)
        if oh_i > 23 or om_i > 59:
            raise Unparseable(s)
        off = (oh_i * 60 + om_i) * 60 * US
        t = t - off if sign == "+" else t + off
    return t


def ts_to_datetime(t: int | None):
    if t is None:
        return None
    return _EPOCH + dt.timedelta(microseconds=t)


def month_of(t: int) -> tuple[int, int]:
    d = ts_to_datetime(t)
    return d.year, d.month


def month_start_us(y: int, m: int) -> int:
    return _civil_to_us(y, m, 1)


def add_months(ym: tuple[int, int], k: int) -> tuple[int, int]:
    y, m = ym
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def month_date(ym: tuple[int, int]) -> dt.date:
    return dt.date(ym[0], ym[1], 1)


def days_in_month(ym) -> int:
    return calendar.monthrange(ym[0], ym[1])[1]


# ----------------------------------------------------------------------------- money / numbers
_INT = re.compile(r"^[+-]?\d+$")
_DEC = re.compile(r"^[+-]?(\d+\.\d*|\.\d+)$")


def parse_money(value, kind: str, exponent: int) -> Decimal | None:
    """Money -> Decimal major units. kind 'minor': integer text is minor units (a decimal
    string is read as major units); kind 'major': any number is major units."""
    if value is None:
        return None
    s = str(value).strip()
    if s == "":
        return None
    if _INT.match(s):
        v = Decimal(int(s))
        return v.scaleb(-exponent) if kind == "minor" else v
    if _DEC.match(s):
        return Decimal(s)
    raise Unparseable(s)


def parse_int(value) -> int | None:
    if value is None:
        return None
    s = str(value).strip()
    if s == "":
        return None
    if _INT.match(s):
        return int(s)
    if _DEC.match(s):
        d = Decimal(s)
        if d == d.to_integral_value():
            return int(d)
    raise Unparseable(s)


def parse_num(value) -> Decimal | None:
    if value is None:
        return None
    s = str(value).strip()
    if s == "":
        return None
    if _INT.match(s) or _DEC.match(s):
        try:
            return Decimal(s)
        except InvalidOperation as exc:  # pragma: no cover
            raise Unparseable(s) from exc
    raise Unparseable(s)


_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n"}


def parse_bool(value) -> bool | None:
    if value is None:
        return None
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    return None


def norm_enum(value, allowed) -> str | None:
    """Trim + lower case; 'cancelled' -> 'canceled'; not in `allowed` -> 'unknown'; null stays null."""
    if value is None:
        return None
    s = str(value).strip().lower()
    if s == "":
        return None
    if s == "cancelled":
        s = "canceled"
    return s if s in allowed else "unknown"


def norm_text_lower(value) -> str | None:
    if value is None:
        return None
    s = str(value).strip().lower()
    return s or None


def norm_id(value) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def norm_email(value) -> str | None:
    return norm_text_lower(value)


def norm_phone(value) -> str | None:
    """Digits only; a 10-digit number gets the NANP country code '1'."""
    if value is None:
        return None
    d = re.sub(r"\D", "", str(value))
    if d == "":
        return None
    if len(d) == 10:
        d = "1" + d
    return d


def round_cent(x: Decimal) -> Decimal:
    """Round to the cent, half away from zero."""
    from decimal import ROUND_HALF_UP

    return Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

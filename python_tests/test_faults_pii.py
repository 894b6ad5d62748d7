"""Fault suite, part 6: no raw email or phone leaves staging.

Every varchar column of every table in schemas intermediate and marts, and of the staging
`stg_` tables, of the README's sample build is scanned for values that look like an email
(any '@') or a phone (7+ digits written with separators), or that equal, after trimming and
lower-casing, a raw email or phone of the sample files (or a raw phone's digits). Raw emails
and phones exist only in the base models, where staging hashes them. The high-defect fault
dataset gets the same scan in test_faults_hostile.py.
"""
from __future__ import annotations

import pytest

from fault_helpers import pii_hits, raw_emails_and_phones

pytestmark = pytest.mark.slow


def test_scan_finds_planted_values(sample_warehouse, tmp_path):
    """The scan itself works: it finds an email, a formatted phone and a bare raw phone."""
    import duckdb

    needles = raw_emails_and_phones(sample_warehouse.raw_dir)
    phone = next(n for n in needles if "@" not in n and sum(ch.isdigit() for ch in n) == 10)
    path = tmp_path / "planted.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.t (a varchar, b varchar, c varchar, d varchar)")
        con.execute("insert into marts.t values ('someone@example.com', '(555) 010-0199', ?, '2024-03-01')",
                    ["1" + "".join(ch for ch in phone if ch.isdigit())])
    hits = {column for column, _ in pii_hits(path, needles)}
    assert hits == {"marts.t.a", "marts.t.b", "marts.t.c"}


def test_no_raw_email_or_phone_after_staging(sample_warehouse):
    needles = raw_emails_and_phones(sample_warehouse.raw_dir)
    assert any("@" in n for n in needles) and any("@" not in n for n in needles)
    assert not pii_hits(sample_warehouse.path, needles)

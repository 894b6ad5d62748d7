"""Fault suite, part 2: a property-based test over random defect mixes (hypothesis).

Each example draws a rate for every defect class of the generator (0 to 40 % of rows), a seed,
the file format (CSV as text, or Parquet with landing types, optionally split into a folder of
parts), generates a small dataset and builds it. Whatever the mix, the build must succeed,
every raw row must be staged, removed as a duplicate or quarantined (counted here from the
files, per table and per key), and the D5 roll-forward must hold to the cent.

Every example is a dbt build, so the run is bounded by example count: 3 by default, each
building what the two properties rest on (all of staging, the subscription and MRR chain, and
every data test on those models: ~45 % of the nodes, ~30 s); with ACCTKPI_FAULTS_LONG=1, 25
examples, each a full `dbt build` (ACCTKPI_FAULTS_EXAMPLES=N sets the count in either mode).
(The full build under every defect class at once is test_faults_hostile.py.) No shrinking,
since each step would be another build: a failure reports the drawn example as is, with a blob
to reproduce it. The default run is derandomized
(the same 3 mixes every time, so CI is repeatable); the long mode draws fresh mixes each run.

Found this way: a subscription on a plan whose row was quarantined (null primary key at 40 %)
broke the MRR month-end model's not-null tests; such months now have no MRR row and a warning
counts them (int_subscription_mrr_month_end). And (long mode, seed 35, Parquet parts): 3 of 32
upsell messages converted is 9.375 %, reported 9.38 (half away from zero, rule D1), but the
D10 rate tests compared it with 100.0 * 3 / 32 divided in DOUBLE, whose error pushed the tie
past the 0.005 tolerance; they now compare by multiplication, exactly on every engine.
"""
from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, Phase, given, note, settings
from hypothesis import strategies as st

from conftest import generate_raw
from fault_helpers import (
    BUILD, ROW_AND_MRR_BUILD, failed_nodes, key_accounting_problems, mrr_movement_rows, reconciliation_problems,
    roll_forward_breaks, shared_runner,
)

pytestmark = pytest.mark.slow

LONG = os.environ.get("ACCTKPI_FAULTS_LONG", "0") == "1"
EXAMPLES = int(os.environ.get("ACCTKPI_FAULTS_EXAMPLES", "25" if LONG else "3"))
COMMAND = BUILD if LONG else ROW_AND_MRR_BUILD

DEFECT_FLAGS = ("--dup-rate", "--ts-format-rate", "--bad-ts-rate", "--money-rate", "--case-rate", "--orphan-rate",
                "--unknown-enum-rate", "--late-event-rate", "--null-pk-rate")
RATES = st.sampled_from(["0", "0.002", "0.02", "0.1", "0.25", "0.4"])


@pytest.fixture(scope="session")
def fault_dbt(tmp_path_factory):
    return shared_runner(tmp_path_factory)


@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True, derandomize=not LONG,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=[HealthCheck.too_slow])
@given(rates=st.fixed_dictionaries({flag: RATES for flag in DEFECT_FLAGS}),
       seed=st.integers(min_value=1, max_value=100_000),
       layout=st.sampled_from(["csv", "parquet", "parquet-parts"]))
def test_random_defect_mix_builds_and_accounts_for_every_row(fault_dbt, tmp_path_factory, rates, seed, layout):
    raw = tmp_path_factory.mktemp("mix_raw") / "raw"
    flags = [item for pair in rates.items() for item in pair]
    fmt = "csv" if layout == "csv" else "parquet"
    parts = ["--part-rows", "400"] if layout == "parquet-parts" else []
    generate_raw(raw, 300, 6, seed, "--format", fmt, *parts, *flags)
    injected = json.loads((raw / "_manifest.json").read_text())["defects_injected"]
    note(f"defects injected per table: {injected}")

    result = fault_dbt.run(COMMAND, raw)
    assert result.success, "dbt build failed:\n" + "\n".join(failed_nodes(result))
    wh = fault_dbt.warehouse_handle(raw, result)

    assert not reconciliation_problems(wh, raw)
    assert not key_accounting_problems(wh, raw)
    assert mrr_movement_rows(wh) > 0, "no MRR movements: the roll-forward check would be vacuous"
    assert not roll_forward_breaks(wh)

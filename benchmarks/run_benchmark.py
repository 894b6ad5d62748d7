"""Benchmark: generate raw data at a size, build the project on it, print the figures.

    python benchmarks/run_benchmark.py --customers 10000 --months 24 --seed 1

Prints generation seconds, dbt build seconds, peak memory of the build process, warehouse
size, the rows of every raw table and how they were staged (rule D0 row accounting), and a
few KPI figures. Nothing is timed inside the test suite; results are kept in
docs/benchmarks.md with the machine they ran on.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=10000, help="customers to generate (default 10000)")
    parser.add_argument("--months", type=int, default=24, help="months of history (default 24)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--threads", type=int, default=2, help="dbt threads (default 2)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where raw data and the warehouse go (default: a temporary directory)")
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="acctkpi_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    raw = work / "raw"
    warehouse = work / "warehouse.duckdb"

    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "acctkpi.generate", "--customers", str(args.customers),
                    "--months", str(args.months), "--seed", str(args.seed), "--out", str(raw)],
                   cwd=PROJECT_DIR, check=True, capture_output=True)
    generate_seconds = time.perf_counter() - started

    env = {**os.environ, "DBT_DUCKDB_PATH": str(warehouse), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_THREADS": str(args.threads), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    build = subprocess.run([sys.executable, "-c", "from dbt.cli.main import cli; cli()", "build",
                            "--profiles-dir", str(PROJECT_DIR / "profiles"), "--project-dir", str(PROJECT_DIR),
                            "--vars", json.dumps({"raw_data_dir": str(raw)})],
                           cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    build_seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = [line for line in build.stdout.splitlines() if "Done. PASS=" in line]

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"size: {args.customers} customers x {args.months} months, seed {args.seed}")
    print(f"generate: {generate_seconds:.1f} s")
    print(f"dbt build: {build_seconds:.1f} s, exit {build.returncode}, {summary[-1].split('Done. ')[-1] if summary else '?'}")
    print(f"peak memory (largest child process): {peak_mib:.0f} MiB")
    print(f"warehouse: {warehouse.stat().st_size / 2**20:.0f} MiB")
    if build.returncode != 0:
        print(build.stdout[-3000:])
        return 1
    with duckdb.connect(str(warehouse), read_only=True) as con:
        print("\nrows per raw table (rule D0 accounting):")
        print(con.sql("select source_table, raw_rows, staged_rows, duplicate_rows_removed, quarantined_rows "
                      "from staging.stg_row_reconciliation order by source_table"))
        for title, query in [
            ("renewal outcomes", "select outcome, count(*) as rebills from marts.fct_renewals group by 1 order by 2 desc"),
            ("identity audit", "select source, match_rule, records from intermediate.int_identity_audit order by 1, 3 desc"),
            ("recovery rate (D4), all rebills",
             "select sum(case when outcome = 'recovered' then 1 else 0 end) as recovered, "
             "sum(case when outcome in ('recovered', 'failed', 'late_recovery') then 1 else 0 end) as eligible, "
             "round(100.0 * sum(case when outcome = 'recovered' then 1 else 0 end) "
             "/ sum(case when outcome in ('recovered', 'failed', 'late_recovery') then 1 else 0 end), 2) as recovery_pct "
             "from marts.fct_renewals"),
            ("monthly retention (D5), whole base, last 6 reported months",
             "select period_start, starting_mrr_usd, nrr_pct, grr_pct, revenue_churn_pct, "
             "voluntary_churn_pct as vol_pct, involuntary_churn_pct as invol_pct from marts.fct_retention_monthly "
             "where segment = 'all' order by period_start desc limit 6"),
            ("quarterly retention (D5), whole base",
             "select period_start, starting_mrr_usd, nrr_pct, grr_pct, revenue_churn_pct, involuntary_churn_pct "
             "from marts.fct_retention_quarterly where segment = 'all' order by period_start"),
            ("all months pooled (sums of the monthly figures): NRR, GRR, involuntary share of churned revenue",
             "select round(100 * sum(starting_mrr_usd + expansion_usd - churned_revenue_usd) / sum(starting_mrr_usd), 2) "
             "as pooled_nrr_pct, round(100 * sum(starting_mrr_usd - churned_revenue_usd) / sum(starting_mrr_usd), 2) "
             "as pooled_grr_pct, round(100 * sum(churned_revenue_involuntary_usd) / sum(churned_revenue_usd), 2) "
             "as involuntary_share_of_churn_pct from marts.fct_retention_monthly where segment = 'all'"),
            ("payment KPIs (D10) per gateway, last reported month",
             "select month_start, gateway, attempts, first_attempt_approval_pct as first_approval_pct, "
             "soft_decline_share_pct as soft_pct, hard_decline_share_pct as hard_pct, recovery_pct "
             "from marts.fct_payment_gateway_monthly "
             "where month_start = (select max(month_start) from marts.fct_payment_gateway_monthly) order by gateway"),
            ("event KPIs (D10), last 3 reported months",
             "select month_start, payment_events, payment_event_engagement_pct as engaged_pct, "
             "payment_event_coverage_pct as coverage_pct, median_minutes_to_send as median_min, "
             "automation_coverage_pct as automation_pct, upsell_conversion_pct as upsell_pct "
             "from marts.fct_event_kpis_monthly order by month_start desc limit 3"),
        ]:
            try:
                print(f"\n{title}:")
                print(con.sql(query))
            except duckdb.Error as exc:  # a mart not built in this version
                print(f"  (not available: {exc.__class__.__name__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

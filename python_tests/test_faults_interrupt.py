"""Fault suite, part 5: a build killed half-way, then re-run, gives the same warehouse as an
uninterrupted build.

The build of the sample starts as a child process and is killed (SIGKILL, no clean-up) once
a good part of the models are done — some tables written, others not, the DuckDB file
mid-transaction. A plain re-run on the same warehouse must succeed and leave every table of
staging, intermediate and marts equal, row for row, to the README's uninterrupted (and fully
tested) sample build (`except all` both ways), with no leftover temporary relation. Both runs
build seeds and models only: data tests write nothing, and every table equal to the tested
build's means they pass.

(Running `dbt build` twice on unchanged data is checked in test_faults_hostile.py.)
"""
from __future__ import annotations

import pytest

from fault_helpers import MODELS_ONLY_BUILD, failed_nodes, shared_runner, table_differences, tables_in

pytestmark = pytest.mark.slow

KILL_AFTER_MODELS = 40          # of ~90: all of staging and part of intermediate


@pytest.fixture(scope="session")
def fault_dbt(tmp_path_factory):
    return shared_runner(tmp_path_factory)


def test_killed_build_then_rerun_equals_uninterrupted_build(fault_dbt, sample_warehouse, tmp_path):
    running = fault_dbt.start(MODELS_ONLY_BUILD, sample_warehouse.raw_dir)
    done = running.kill_when(models_done=KILL_AFTER_MODELS, timeout=900)
    assert done >= KILL_AFTER_MODELS, "".join(running.lines[-30:])
    assert "Completed successfully" not in "".join(running.lines)

    result = fault_dbt.run(MODELS_ONLY_BUILD, sample_warehouse.raw_dir, fresh=False)
    assert result.success, "re-run after the kill failed:\n" + "\n".join(failed_nodes(result))
    rerun = fault_dbt.keep(tmp_path / "rerun")

    for schema in ("staging", "intermediate", "marts"):
        assert tables_in(rerun, schema), f"nothing built in {schema}"
        assert table_differences(sample_warehouse.path, rerun, schema) == {}, schema
    leftovers = [t for s in ("staging", "intermediate", "marts") for t in tables_in(rerun, s)
                 if "__dbt_tmp" in t or "__dbt_backup" in t]
    assert not leftovers

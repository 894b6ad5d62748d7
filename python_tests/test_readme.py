"""The README's two opening commands work on a clean copy of the repository.

The copy holds exactly what a clone would (tracked files plus new files git would add, no
ignored ones: no .venv, no target/), so a missing install step or an untracked dependency
fails here. Command 1 runs as written (session fixture `readme_build`, whose warehouse the
other tests read as the sample build). Command 2, the test suite, runs as written too, but
narrowed to one quick test through PYTEST_ADDOPTS so it does not recurse into this one, and
without the lint step, which the outer run already does.
"""
from __future__ import annotations

import re

from readme_commands import README, clean_env, readme_commands


def test_readme_opens_with_two_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert "pip install -r requirements.txt" in commands[0] and "dbt build" in commands[0]
    assert commands[1] == "bash .ci/run"
    assert README.read_text().index("```bash") < 200, "the commands must open the README"


def test_readme_install_and_build_in_clean_copy(readme_build):
    repo, proc = readme_build
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "Completed successfully" in proc.stdout
    assert (repo / "target" / "account_kpis.duckdb").exists()


def test_readme_test_command_in_clean_copy(readme_build):
    import subprocess

    repo, first = readme_build
    assert first.returncode == 0
    second = subprocess.run(["bash", "-c", readme_commands()[1]], cwd=repo, timeout=1500, capture_output=True,
                            text=True, env=clean_env(PYTEST_ADDOPTS="-k test_readme_opens_with_two_commands",
                                                     ACCTKPI_SKIP_LINT="1", ACCTKPI_ENGINE_NAMES=""))
    assert second.returncode == 0, second.stdout[-4000:] + second.stderr[-4000:]
    assert re.search(r"\b1 passed\b", second.stdout), second.stdout[-2000:]

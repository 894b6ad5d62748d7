"""Helpers to run the README's commands the way a new user would: in a clean copy."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
README = PROJECT_DIR / "README.md"


def readme_commands() -> list[str]:
    """The first two ```bash blocks of the README."""
    blocks = re.findall(r"```bash\n(.*?)```", README.read_text(), re.S)
    return [block.strip() for block in blocks[:2]]


def clean_copy(dest: Path) -> Path:
    """Copy what a clone would hold: tracked files and new files git would add, nothing ignored."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=PROJECT_DIR,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = PROJECT_DIR / rel
        if src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return dest


def clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without dbt settings, pytest options or an active venv."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBT_", "PYTEST_", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "venv" not in p)
    env.update(extra)
    return env

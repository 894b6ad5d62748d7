"""Write crafted raw directories in the landing layout, for tests.

Contract columns are read from the project's sources YAML, so a crafted directory always has
every table and column the loader checks; tests only spell out the rows that matter.
"""
from __future__ import annotations

import csv
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]


def contract_columns() -> dict[tuple[str, str], list[str]]:
    """(system, table) -> contract column names, in declared order."""
    out: dict[tuple[str, str], list[str]] = {}
    for path in sorted((PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml")):
        doc = yaml.safe_load(path.read_text())
        for source in doc.get("sources", []):
            system = (source.get("meta") or {}).get("raw_system")
            if not system:
                continue
            for table in source["tables"]:
                out[(system, table["name"])] = [col["name"] for col in table.get("columns", [])]
    return out


def write_raw_dir(root: Path, rows: dict[tuple[str, str], list[dict]] | None = None) -> Path:
    """Write every contract table as CSV under root; tables not in `rows` get a header only.

    Row dicts may omit columns (written empty). Values are written as given (text).
    """
    rows = rows or {}
    columns = contract_columns()
    unknown = set(rows) - set(columns)
    assert not unknown, f"not contract tables: {unknown}"
    for (system, table), names in columns.items():
        target = root / system / f"{table}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            for row in rows.get((system, table), []):
                extra = set(row) - set(names)
                assert not extra, f"{system}/{table}: not contract columns {extra}"
                writer.writerow(["" if row.get(name) is None else row[name] for name in names])
    return root

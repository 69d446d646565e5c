"""ACLED fixture files and a way to run the import as an editor would."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management import call_command

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "acled_sample.csv"
DELETIONS = FIXTURES / "acled_deletions.csv"


def sample_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header or list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    """Rows written as a careful writer does: every field quoted, so a bare CR stays in its field."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(path: Path, story, *extra: str) -> str:
    out = io.StringIO()
    call_command("import_acled", str(path), "--story", story.slug, *extra, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_export(story) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("export_acled", "--story", story.slug, stdout=out, stderr=io.StringIO())
    return list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))

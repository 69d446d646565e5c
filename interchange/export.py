"""Writing a story back out in ACLED's column layout."""

from __future__ import annotations

import csv
from typing import IO

from events.models import Story

from .acled import CODER, export_header, export_row
from .selectors import coded_figures, export_developments


def write_acled(story: Story, stream: IO[str]) -> int:
    """The story's developments as ACLED rows (with the coder's figures); returns the count written."""
    developments = export_developments(story)
    figures = coded_figures(story, CODER)
    writer = csv.DictWriter(stream, fieldnames=export_header(developments), lineterminator="\n")
    writer.writeheader()
    for development in developments:
        writer.writerow(export_row(development, figures.get(development.pk)))
    return len(developments)

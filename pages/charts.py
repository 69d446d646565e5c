"""How a contested figure moved: each claim's range over the date it was made, laid out for SVG.

Geometry only; `templates/pages/_figure_chart.html` draws it as inline SVG
(no JavaScript), with a table of the same data beside it for screen readers
and anyone who prefers numbers. A claim is a bar from its low to its high
figure (open-ended bars run to the edge, with an arrow), a dot at its best
figure, in its actor's colour; a claim that gives no number is a hollow ring
on the axis.

Labels are placed where they fit: beside the mark on the side with room for
their (estimated) width, else moved in from the edge, so no label is cut
off. A single report, or reports that give no number, are said in a sentence
rather than drawn on an empty axis. On a phone the labels give way to the
table (CSS), which says the same at a readable size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from claims.selectors import ContestedFigure
from reader.dates import news_date
from reader.text import figure_range, figure_text

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
FONT_SIZE = 12
# An upper bound of a character's advance in the page's sans-serif at FONT_SIZE (most are
# narrower): a label placed by it fits inside the chart whatever the reader's font.
CHAR_WIDTH = 0.62 * FONT_SIZE
GAP, EDGE = 10, 4
# Okabe–Ito: told apart with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]


@dataclass(frozen=True)
class Mark:
    claim_id: int
    actor: str
    colour: str
    x: float
    y_low: float | None  # None: no bar (a single number, or none)
    y_high: float | None
    y_best: float | None
    open_top: bool  # "at least": the range runs up past the chart
    open_bottom: bool
    given: bool  # False: the claim gives no number
    label: str
    made_on: dt.date
    label_y: float = 0.0  # where the label sits: by its mark, moved up clear of earlier labels

    @property
    def text(self) -> str:
        return f"{self.actor}: {self.label}"

    @property
    def text_width(self) -> float:
        return len(self.text) * CHAR_WIDTH

    @property
    def label_on_left(self) -> bool:
        """Beside the mark on the right when it fits there, else on the left (where it may be moved in)."""
        return self.x + GAP + self.text_width > WIDTH - EDGE

    @property
    def label_x(self) -> float:
        """Where the label is anchored: never so close to an edge that its text runs out of the chart."""
        if self.label_on_left:
            return round(max(self.x - GAP, EDGE + self.text_width), 1)
        return self.x + GAP


@dataclass(frozen=True)
class Tick:
    at: float
    text: str


@dataclass(frozen=True)
class Chart:
    figure: ContestedFigure
    marks: list[Mark]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    legend: list[tuple[str, str]]  # (actor, colour)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom_y: int = HEIGHT - BOTTOM
    right_x: int = WIDTH - RIGHT
    font_size: int = FONT_SIZE

    @property
    def title(self) -> str:
        unit = self.figure.unit + (f" of {self.figure.group}" if self.figure.group else "")
        return f"{unit.capitalize()}: what each party said, by the date they said it"

    @property
    def drawn(self) -> bool:
        """Worth a drawing: two reports or more, and at least one gives a number."""
        return len(self.marks) > 1 and any(mark.given for mark in self.marks)

    @property
    def description(self) -> str:
        return "; ".join(f"{m.actor} on {news_date(m.made_on)}: {m.label}" for m in self.marks)


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000):
        if top / step <= 5:
            return step
    return 10 ** (len(str(top)) - 1)


def _labels_apart(marks: list[Mark], bottom_y: float) -> list[Mark]:
    """Each label at its mark's height, moved up a line at a time until it overlaps no earlier one."""
    placed: list[tuple[float, float, float]] = []  # (left, right, y) of labels laid out so far
    out = []
    for mark in marks:
        y = next(v for v in (mark.y_best, mark.y_low, bottom_y - GAP - 2) if v is not None)
        left = mark.label_x - mark.text_width if mark.label_on_left else mark.label_x
        right = left + mark.text_width
        while any(a < right and left < b and abs(y - other) < FONT_SIZE + 2 for a, b, other in placed):
            y -= FONT_SIZE + 4
        y = max(y, TOP + FONT_SIZE / 2)
        placed.append((left, right, y))
        out.append(replace(mark, label_y=round(y, 1)))
    return out


def _x_tick(x: float, text: str) -> Tick:
    """A date under its marks, moved in from an edge so that its centred text stays in the chart."""
    half = len(text) * CHAR_WIDTH / 2
    return Tick(round(min(max(x, LEFT + half), WIDTH - EDGE - half), 1), text)


def figure_chart(figure: ContestedFigure) -> Chart:
    claims = sorted(figure.claims, key=lambda c: (c.made_on, c.id))
    values = [v for c in claims for v in (c.figure_low, c.figure_best, c.figure_high) if v is not None]
    step = _step(max(values, default=1) or 1)
    top = (max(values, default=0) // step + 1) * step
    bottom_y, plot_h = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP

    def y(value: int) -> float:
        return round(bottom_y - plot_h * value / top, 1)

    first, last = claims[0].made_on, claims[-1].made_on
    span = max((last - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    colours: dict[int, str] = {}
    same_day: dict[dt.date, int] = {}
    marks = []
    for claim in claims:
        colour = colours.setdefault(claim.actor_id, PALETTE[len(colours) % len(PALETTE)])
        nth = same_day.get(claim.made_on, 0)
        same_day[claim.made_on] = nth + 1
        # Claims of one day stand side by side, 18 px apart, rather than on top of each other.
        x = LEFT + 24 + (plot_w - 48) * ((claim.made_on - first).days / span if last != first else 0.5)
        x = round(min(x + 18 * nth, WIDTH - RIGHT - 4), 1)
        low, high = figure_range(claim)
        given = any(v is not None for v in (claim.figure_low, claim.figure_best, claim.figure_high))
        marks.append(Mark(
            claim_id=claim.id, actor=claim.actor_cached.name, colour=colour, x=x,
            y_low=y(low) if low is not None else (bottom_y if high is not None else None),
            y_high=y(high) if high is not None else (TOP if low is not None else None),
            y_best=y(claim.figure_best) if claim.figure_best is not None else None,
            open_top=given and high is None and low is not None, open_bottom=given and low is None
            and high is not None, given=given, label=figure_text(claim), made_on=claim.made_on,
        ))
    marks = _labels_apart(marks, bottom_y)
    y_ticks = [Tick(y(v), f"{v:,}") for v in range(0, top + 1, step)]
    days = sorted({c.made_on for c in claims})
    x_ticks = [_x_tick(next(m.x for m in marks if m.made_on == day), news_date(day)) for day in days]
    legend = list(dict.fromkeys((m.actor, m.colour) for m in marks))
    return Chart(figure, marks, y_ticks, x_ticks, legend, font_size=FONT_SIZE)

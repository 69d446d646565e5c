"""How a contested figure moved: each claim's range over the date it was made, laid out for SVG.

Geometry only; `templates/pages/_figure_chart.html` draws it as inline SVG
(no JavaScript), with a table of the same data beside it for screen readers
and anyone who prefers numbers. A claim is a bar from its low to its high
figure (open-ended bars run to the edge, with an arrow), a dot at its best
figure, in its actor's colour; a claim that gives no number is a hollow ring
on the axis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from claims.selectors import ContestedFigure
from reader.dates import news_date
from reader.text import figure_range, figure_text

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
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

    @property
    def label_on_left(self) -> bool:
        """Labels of the right half run leftwards, so they stay inside the chart."""
        return self.x > WIDTH * 0.55

    @property
    def label_x(self) -> float:
        return self.x - 10 if self.label_on_left else self.x + 10


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

    @property
    def title(self) -> str:
        unit = self.figure.unit + (f" of {self.figure.group}" if self.figure.group else "")
        return f"{unit.capitalize()}: what each party said, by the date they said it"

    @property
    def description(self) -> str:
        return "; ".join(f"{m.actor} on {news_date(m.made_on)}: {m.label}" for m in self.marks)


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000):
        if top / step <= 5:
            return step
    return 10 ** (len(str(top)) - 1)


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
    y_ticks = [Tick(y(v), f"{v:,}") for v in range(0, top + 1, step)]
    days = sorted({c.made_on for c in claims})
    x_ticks = [Tick(next(m.x for m in marks if m.made_on == day), news_date(day)) for day in days]
    legend = list(dict.fromkeys((m.actor, m.colour) for m in marks))
    return Chart(figure, marks, y_ticks, x_ticks, legend)

"""Monthly bar charts as SVG, drawn on the server: no script, and the same figures are always
given beside them as a table (templates/eprints_app/stats/chart.html)."""

import math
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 36, 36
# Text-like contrast (at least 4.5:1 on white) for bars that carry meaning.
COLOURS = ("#0b5cad", "#a34700")
GRID_LINES = 4
# At most this many month labels along the bottom; the others are left out.
MAX_LABELS = 12


@dataclass
class Series:
    label: str
    values: list[int]


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ (times GRID_LINES) at or above ``value``: round gridlines."""
    if value <= 0:
        return GRID_LINES
    step = value / GRID_LINES
    magnitude = 10 ** math.floor(math.log10(step))
    factor = next(factor for factor in (1, 2, 5, 10) if factor * magnitude >= step)
    return math.ceil(factor * magnitude) * GRID_LINES


def month_label(month: date, months: list[date]) -> str:
    return f"{month:%b %Y}" if len(months) <= 6 else f"{month:%b %y}"


def geometry(months: list[date], series: list[Series]) -> dict:
    """Where everything goes, in the SVG's own units."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_ceiling(max((max(one.values, default=0) for one in series), default=0))
    slot = plot_width / max(len(months), 1)
    bar = slot * 0.8 / max(len(series), 1)
    every = math.ceil(len(months) / MAX_LABELS) if months else 1
    bars, labels = [], []
    for index, month in enumerate(months):
        x = LEFT + index * slot + slot * 0.1
        for number, one in enumerate(series):
            value = one.values[index]
            height = plot_height * value / top
            bars.append(
                {
                    "x": round(x + number * bar, 2),
                    "y": round(TOP + plot_height - height, 2),
                    "width": round(bar, 2),
                    "height": round(height, 2),
                    "colour": COLOURS[number % len(COLOURS)],
                    "label": f"{one.label}, {month:%B %Y}: {value}",
                }
            )
        if index % every == 0:
            labels.append({"x": round(LEFT + index * slot + slot / 2, 2), "text": month_label(month, months)})
    grid = [
        {
            "y": round(TOP + plot_height - plot_height * step / GRID_LINES, 2),
            "value": top * step // GRID_LINES,
        }
        for step in range(GRID_LINES + 1)
    ]
    legend = [
        {"x": LEFT + number * 140, "colour": COLOURS[number % len(COLOURS)], "label": one.label}
        for number, one in enumerate(series)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - 12,
        "bars": bars,
        "labels": labels,
        "grid": grid,
        "legend": legend,
        "empty": not months or all(not any(one.values) for one in series),
    }


def monthly_chart(chart_id: str, title: str, months: list[date], series: list[Series]) -> SafeString:
    """An SVG bar chart of ``series`` (one value a month each) with a title for assistive
    technology; ``chart_id`` makes its element IDs unique on the page."""
    context = {"id": chart_id, "title": title, "months": months, **geometry(months, series)}
    return SafeString(render_to_string("eprints_app/stats/chart.svg", context))

"""Small server-rendered SVG charts: no script, no CDN, no ``style`` attributes.

Colours and sizes come from classes styled in ``static/css/reports.css`` (so a
strict Content-Security-Policy allows them). Every chart carries a <title> and
the page puts its numbers in a table beside it; the SVG is decoration for
sighted readers (``role="img"`` with the title as its name).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 560
_ids = itertools.count(1)


def _nice_max(value: float) -> float:
    """The smallest 1/2/5×10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent  # pragma: no cover - the loop always returns


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _open(title: str, height: int) -> tuple[str, str]:
    ident = f"chart-{next(_ids)}"
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{ident}" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}">{escape(title)}</title>'
    )
    return head, "</svg>"


def _legend(names: Sequence[str], y: int) -> str:
    if len(names) < 2:
        return ""
    parts, x = [], 48
    for i, name in enumerate(names):
        parts.append(
            f'<rect class="chart__s{i}" x="{x}" y="{y - 9}" width="10" height="10"/>'
            f'<text class="chart__legend" x="{x + 14}" y="{y}">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return "".join(parts)


def column_chart(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    line: bool = False,
    height: int = 240,
) -> SafeString:
    """Vertical bars (grouped per label) or lines, one colour class per series."""
    left, right, top, bottom = 44, 8, 16, 48
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    top_value = _nice_max(max((v for _, values in series for v in values), default=0))
    head, tail = _open(title, height)
    parts = [head]
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="chart__grid" x1="{left}" x2="{WIDTH - right}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart__tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_fmt(value)}</text>"
        )
    count = max(len(labels), 1)
    slot = plot_w / count
    every = max(1, math.ceil(count / 12))
    for index, label in enumerate(labels):
        if index % every == 0:
            x = left + slot * (index + 0.5)
            parts.append(
                f'<text class="chart__tick" x="{x:.1f}" y="{top + plot_h + 16}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for s, (_name, values) in enumerate(series):
        if line:
            points = " ".join(
                f"{left + slot * (i + 0.5):.1f},{top + plot_h - plot_h * v / top_value:.1f}"
                for i, v in enumerate(values)
            )
            parts.append(f'<polyline class="chart__line chart__s{s}" points="{points}"/>')
            continue
        bar_w = slot * 0.8 / max(len(series), 1)
        for i, v in enumerate(values):
            h = plot_h * v / top_value
            x = left + slot * i + slot * 0.1 + bar_w * s
            parts.append(
                f'<rect class="chart__s{s}" x="{x:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{max(bar_w - 1, 1):.1f}" height="{h:.1f}"/>'
            )
    parts.append(_legend([name for name, _ in series], height - 8))
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_chart(*, title: str, rows: Sequence[tuple[str, float]]) -> SafeString:
    """Horizontal bars with their labels on the left (funnels, per-person counts)."""
    left, right, top, row_h = 190, 40, 8, 22
    height = top * 2 + row_h * max(len(rows), 1)
    plot_w = WIDTH - left - right
    top_value = _nice_max(max((v for _, v in rows), default=0))
    head, tail = _open(title, height)
    parts = [head]
    for i, (label, value) in enumerate(rows):
        y = top + row_h * i
        w = plot_w * value / top_value
        parts.append(
            f'<text class="chart__tick" x="{left - 6}" y="{y + 15}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="chart__s0" x="{left}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}"/>'
            f'<text class="chart__value" x="{left + w + 4:.1f}" y="{y + 15}">{_fmt(value)}</text>'
        )
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped

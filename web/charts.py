"""Charts as server-rendered SVG (pygal), embedded inline and clean for our CSP.

pygal writes a `<script>` (its config, even with `js=[]`) and a `<style>` into every SVG; the
Content-Security-Policy allows neither inline script nor inline style. So each chart loses
both, and pygal's own stylesheet, built from the styles below and scoped by the chart's kind
(`#chart-<kind>`), is served from `/charts.css` (same origin, behind the sign-in).
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

import pygal  # type: ignore[import-untyped]
from markupsafe import Markup
from pygal.etree import etree  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

# pygal appends an import hook for its map plugins (pygal.maps.*, not used here) that has no
# `find_spec`: every import that fails anywhere afterwards warns (ImportWarning), which breaks
# code that tries one module and falls back to another. Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

# The colours of web/static/style.css (ink, muted, line, card, accent, warn) and two more.
INK, MUTED, LINE, CARD = "#1d2a2f", "#5b6b70", "#d6dfe1", "#ffffff"
ACCENT, WARN, BLUE, AMBER = "#0b6e4f", "#9a3412", "#2563a8", "#b7791f"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'

# Each kind of chart: pygal's chart type, its series colours in order, and its options.
# The drawing is 480 units wide: about its size in a desktop card, and on a 390 px phone (scaled
# to some 320 px) its 17-unit labels still read at about 11 px.
KINDS: dict[str, tuple[Any, tuple[str, ...], dict[str, Any]]] = {
    # Twelve week labels do not fit side by side: slanted, all of them stay readable.
    "questions": (
        pygal.StackedBar,
        (ACCENT, BLUE, WARN),
        {"x_label_rotation": -40, "margin_bottom": 44},
    ),
    # The legend names events (long titles): one to a line (see _legend_columns).
    "signups": (
        pygal.Line,
        (ACCENT, BLUE, AMBER, WARN, MUTED),
        {"show_minor_x_labels": False, "x_labels_major_every": 7, "dots_size": 3},
    ),
    "activity": (pygal.Bar, (MUTED, ACCENT), {}),
    # "Nr. 3 · 04.12." per broadcast: side by side they run together from five on.
    "delivery": (
        pygal.StackedBar,
        (ACCENT, MUTED, AMBER, WARN),
        {"x_label_rotation": -40, "margin_bottom": 44},
    ),
}

# Lines of a kind that may lie on top of each other (three events with the same sign-ups
# each day): the first drawn widest, each later one narrower and dashed, with smaller dots,
# so that every colour still shows where they coincide. Per series, in the order drawn.
LAYERED: dict[str, tuple[tuple[float, str, float], ...]] = {
    # (line width, dash pattern or "" for solid, dot radius)
    "signups": ((9, "", 7), (5, "14,7", 4.5), (2, "", 2.5), (2, "4,4", 2), (1, "", 1.5)),
}


def _series_options(kind: str, index: int) -> dict[str, Any]:
    """pygal's options for the `index`th series of `kind`: the size of its dots (drawn as
    attributes); its line's width and dashes are in /charts.css (`_layered_css`)."""
    layers = LAYERED.get(kind)
    if not layers:
        return {}
    return {"dots_size": layers[min(index, len(layers) - 1)][2]}


def _layered_css() -> str:
    """Each layered series' line width and dashes, more specific than pygal's own
    `.reactive` width (which a series' `stroke_style`, set on its group, does not beat)."""
    rules = []
    for kind, layers in LAYERED.items():
        for index, (width, dashes, _dots) in enumerate(layers):
            dash = f"stroke-dasharray:{dashes};" if dashes else ""
            rules.append(
                f"#chart-{kind} .series.serie-{index} .line"
                f"{{stroke-width:{width};stroke-linejoin:round;stroke-linecap:round;{dash}}}"
            )
    return "\n".join(rules)


# The drawing's size and its type, in drawing units.
WIDTH, HEIGHT, MARGIN, SPACING, FONT_SIZE, LEGEND_BOX = 480, 340, 12, 10, 17, 14
# pygal estimates a text 0.6 em a character (Chromium's sans-serif draws our labels at about
# 0.5 em: the estimate keeps some room for wider fonts).
CHAR = 0.6 * FONT_SIZE
ROW = 1.5 * FONT_SIZE  # pygal's distance between legend rows
GAP = 10  # at least this between a label and the next column's colour box


def _legend_columns(names: Sequence[str], most: int, y_digits: int) -> int:
    """How many columns a legend at the bottom gets: the most, up to `most`, in which every
    label fits its column.

    pygal divides the plot's width into equal columns and never wraps a label: one longer
    than its column ran into the next column's box, or out of the drawing (seen with
    "nicht weitergegeben (schon 5 offen)"). One label to a line always fits."""
    # The plot starts after the margin, a spacing and the y axis's labels; the legend a
    # spacing further in. Its last column may run on to the drawing's edge.
    plot_left = MARGIN + SPACING + y_digits * CHAR
    plot_width = WIDTH - plot_left - MARGIN
    legend_left = plot_left + SPACING
    for columns in range(min(most, len(names)), 1, -1):
        step = plot_width / columns
        rooms = [step - GAP] * (columns - 1) + [WIDTH - legend_left - (columns - 1) * step]
        if all(
            LEGEND_BOX + 5 + len(name) * CHAR <= rooms[i % columns] for i, name in enumerate(names)
        ):
            return columns
    return 1


def _style(colors: tuple[str, ...]) -> Style:
    return Style(
        background="transparent",
        plot_background=CARD,
        foreground=INK,
        foreground_strong=INK,
        foreground_subtle=MUTED,
        guide_stroke_color=LINE,
        major_guide_stroke_color=LINE,
        opacity=".9",
        opacity_hover="1",
        colors=colors,
        font_family=FONT,
        label_font_size=FONT_SIZE,
        major_label_font_size=FONT_SIZE,
        legend_font_size=FONT_SIZE,
        value_font_size=15,
        title_font_size=18,
        no_data_font_size=20,
        transition="0ms",
    )


def _chart(kind: str, names: Sequence[str], *, maximum: int = 0) -> Any:
    """A chart of `kind` whose legend will name `names`: its columns chosen for them, and the
    drawing as much taller as the legend has rows, so that the plot keeps its size."""
    chart_type, colors, options = KINDS[kind]
    y_labels = _whole_numbers(maximum)
    columns = _legend_columns(names, 2, len(str(y_labels[-1])))
    rows = max(1, math.ceil(len(names) / columns))
    # pygal leaves room for len // columns rows (rounded down): the last, partial row is added.
    missing = rows - len(names) // columns
    settings: dict[str, Any] = {
        "width": WIDTH,
        "height": HEIGHT + (rows - 1) * ROW,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": columns,
        "legend_box_size": LEGEND_BOX,
        "spacing": SPACING,
        "show_y_guides": True,
        "margin": MARGIN,
        "truncate_legend": -1,
        "truncate_label": -1,
    }
    settings.update(options)
    settings["margin_bottom"] = settings.get("margin_bottom", MARGIN) + missing * ROW
    chart = chart_type(
        js=[],
        disable_xml_declaration=True,
        style=_style(colors),
        y_labels=y_labels,
        **settings,
    )
    # A stable id instead of a random one, so /charts.css can address the kind.
    chart.uuid = kind
    return chart


def _whole_numbers(maximum: int) -> list[int]:
    """Axis ticks for counts: whole numbers only, about five of them."""
    step = max(1, math.ceil(maximum / 5))
    return list(range(0, max(maximum, 1) + step, step))


def render(
    kind: str,
    *,
    label: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    stacked: bool = False,
) -> Markup:
    """One chart as inline SVG markup: generated here from numbers and escaped labels (pygal
    escapes text it writes), so it is marked safe deliberately.

    Drawing takes pygal some 20 ms; the same numbers and labels give the same chart, so the
    last few are kept (the counts change far less often than the page is opened)."""
    frozen = tuple((name, tuple(values)) for name, values in series)
    return _render(kind, label, tuple(x_labels), frozen, stacked)


@lru_cache(maxsize=32)
def _render(
    kind: str,
    label: str,
    x_labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[int, ...]], ...],
    stacked: bool,
) -> Markup:
    if stacked:
        highest = max(
            (sum(column) for column in zip(*(v for _, v in series), strict=True)), default=0
        )
    else:
        highest = max((max(values, default=0) for _, values in series), default=0)
    chart = _chart(kind, [name for name, _ in series], maximum=highest)
    chart.x_labels = list(x_labels)
    for index, (name, values) in enumerate(series):
        chart.add(name, list(values), **_series_options(kind, index))
    root = chart.render_tree()
    _strip(root)
    _below_slanted_labels(root, KINDS[kind][2].get("x_label_rotation", 0))
    for title in root.iter("title"):
        title.text = label
    root.set("role", "img")
    root.set("aria-label", label)
    return Markup(etree.tostring(root, encoding="unicode"))


def _below_slanted_labels(root: Any, rotation: float) -> None:
    """Move the legend below slanted x labels: pygal reserves their width's height, not the
    height their own line adds when slanted, so "W38" touched the legend's first box."""
    if not rotation:
        return
    extra = FONT_SIZE * abs(math.cos(math.radians(rotation)))
    for group in root.iter("g"):
        place = _TRANSLATE.fullmatch(group.get("transform", ""))
        if group.get("class") == "legends" and place is not None:
            x, y = place.groups()
            group.set("transform", f"translate({x}, {float(y) + extra:g})")


_TRANSLATE = re.compile(r"translate\(([-\d.]+), ([-\d.]+)\)")


def _strip(root: Any) -> None:
    """Remove what the CSP forbids (script, inline style) and what only a script would use."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in ("script", "style") or "tooltip-overlay" in (child.get("class") or ""):
                parent.remove(child)
            elif (child.get("id") or "").startswith("activate-serie"):
                del child.attrib["id"]


@cache
def stylesheet() -> str:
    """pygal's stylesheet for every kind of chart (pygal builds it from the kind's style)."""
    parts = []
    for kind, (_type, colors, _options) in KINDS.items():
        names = [str(i) for i in range(len(colors))]
        chart = _chart(kind, names)
        chart.x_labels = ["."]
        for index, name in enumerate(names):
            chart.add(name, [1], **_series_options(kind, index))
        for style in chart.render_tree().iter("style"):
            parts.append(style.text or "")
    parts.append(_layered_css())
    return "\n".join(parts)

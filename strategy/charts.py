"""Bar charts drawn on the server as SVG: values as hatched bars with their numbers written
above, targets as dashed lines, so a chart reads without colour and without JavaScript.
The page puts the same numbers in a table next to it."""

from dataclasses import dataclass

from django.utils.formats import number_format

WIDTH = 560
HEIGHT = 220
TOP = 24
BOTTOM = 36
LEFT = 8
RIGHT = 8


@dataclass
class Bar:
    x: float
    width: float
    y: float
    height: float
    label: str
    value: str
    center: float
    target_y: float | None = None
    target: str = ""


def bar_chart(points, *, chart_id):
    """`points`: [(label, value or None, target or None)] → geometry for strategy/_chart.html."""
    numbers = [v for _l, v, _t in points if v is not None] + [
        t for _l, _v, t in points if t is not None
    ]
    top = max(numbers, default=0) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)
    bars = []
    for index, (label, value, target) in enumerate(points):
        height = 0 if value is None else float(value) / float(top) * plot_height
        x = LEFT + index * slot + slot * 0.2
        bars.append(
            Bar(
                x=round(x, 1),
                width=round(slot * 0.6, 1),
                y=round(TOP + plot_height - height, 1),
                height=round(height, 1),
                label=str(label),
                value="—" if value is None else number_format(value, force_grouping=True),
                center=round(x + slot * 0.3, 1),
                target_y=None
                if target is None
                else round(TOP + plot_height - float(target) / float(top) * plot_height, 1),
                target="" if target is None else number_format(target, force_grouping=True),
            )
        )
    return {
        "id": f"chart-{chart_id}",
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": TOP + plot_height,
        "label_y": HEIGHT - BOTTOM + 16,
        "bars": bars,
        "has_targets": any(bar.target_y is not None for bar in bars),
        "slot": round(slot, 1),
    }

"""A small PNG line chart of active subscribers per day (Pillow; no plotting stack needed)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 800, 400
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 70, 30, 40, 60


def subscribers_chart(series: list[tuple[str, int]], title: str) -> bytes:
    """``series`` is [(YYYY-MM-DD, active count)] in date order; returns PNG bytes."""
    img = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=14)
    draw.text((MARGIN_L, 12), title, fill="black", font=font)
    values = [v for _, v in series] or [0]
    top = max(1, max(values))
    plot_w = WIDTH - MARGIN_L - MARGIN_R
    plot_h = HEIGHT - MARGIN_T - MARGIN_B
    draw.rectangle([MARGIN_L, MARGIN_T, WIDTH - MARGIN_R, HEIGHT - MARGIN_B], outline="#999999")
    for i in range(5):
        value = top * i / 4
        y = HEIGHT - MARGIN_B - plot_h * i / 4
        draw.line([MARGIN_L, y, WIDTH - MARGIN_R, y], fill="#eeeeee")
        draw.text((8, y - 8), f"{value:,.0f}", fill="black", font=font)
    n = len(series)
    points = []
    for i, (_, v) in enumerate(series):
        x = MARGIN_L + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        y = HEIGHT - MARGIN_B - plot_h * v / top
        points.append((x, y))
    if len(points) > 1:
        draw.line(points, fill="#1f77b4", width=3)
    for x, y in points:
        draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill="#1f77b4")
    step = max(1, n // 6)
    for i in range(0, n, step):
        x = min(points[i][0] - 35, WIDTH - MARGIN_R - 80)
        draw.text((x, HEIGHT - MARGIN_B + 10), series[i][0], fill="black", font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()

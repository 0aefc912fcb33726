"""Draw the portal's default emblem: static/img/emblem.svg (the header) and static/img/emblem.png
(the favicon's source, agency/icons.py), shown until an editor sets the agency's own logo.

An original drawing in the colours of a national emblem, not a copy of one: a red disc in a gold
ring, a gold star, a cogwheel and two ears of rice. Both files come from the same shapes, so
they match; run ``python scripts/draw_emblem.py`` after changing them.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SIZE = 64  # the SVG's viewBox; the PNG is drawn at PNG_SIZE and shrunk for smooth edges
PNG_SIZE = 192
RED, GOLD = "#da251d", "#ffcd00"


def star(cx, cy, outer, inner):
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return points


def cogwheel(cx, cy, r, teeth=10, depth=1.8):
    points = []
    for i in range(teeth * 4):
        angle = 2 * math.pi * i / (teeth * 4)
        radius = r + depth if i % 4 in (1, 2) else r
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def grain(cx, cy, rx, ry, turn, steps=16):
    """An ellipse turned by ``turn`` radians: one grain of rice."""
    cos, sin = math.cos(turn), math.sin(turn)
    return [
        (
            cx + rx * math.cos(t) * cos - ry * math.sin(t) * sin,
            cy + rx * math.cos(t) * sin + ry * math.sin(t) * cos,
        )
        for t in (2 * math.pi * i / steps for i in range(steps))
    ]


def shapes():
    """(colour, shape) in drawing order, in viewBox units: a shape is a circle (cx, cy, r) or a
    polygon (a list of points)."""
    drawn = [(GOLD, (32, 32, 31.5)), (RED, (32, 32, 27.5))]
    for side in (-1, 1):  # an ear of rice up each side, grains along the inner ring
        for step in range(6):
            angle = math.radians(122 + 23 * step) if side < 0 else math.radians(58 - 23 * step)
            x, y = 32 + 22 * math.cos(angle), 32 + 22 * math.sin(angle)
            drawn.append((GOLD, grain(x, y, 1.7, 3.4, angle)))
    drawn.append((GOLD, star(32, 27, 13, 5.2)))
    drawn.append((GOLD, cogwheel(32, 47, 5.6, teeth=8)))
    drawn.append((RED, (32, 47, 2.4)))
    return drawn


def number(value):
    return f"{value:.2f}".rstrip("0").rstrip(".")


def svg():
    elements = []
    for colour, shape in shapes():
        if isinstance(shape, tuple):
            cx, cy, r = map(number, shape)
            elements.append(f'  <circle fill="{colour}" cx="{cx}" cy="{cy}" r="{r}"/>')
        else:
            path = " ".join(f"{number(x)} {number(y)}" for x, y in shape)
            elements.append(f'  <path fill="{colour}" d="M{path}Z"/>')
    paths = "\n".join(elements)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="{SIZE}" height="{SIZE}">\n{paths}\n</svg>\n'
    )


def png():
    scale = PNG_SIZE * 4 / SIZE
    picture = Image.new("RGBA", (PNG_SIZE * 4, PNG_SIZE * 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    for colour, shape in shapes():
        if isinstance(shape, tuple):
            cx, cy, r = (value * scale for value in shape)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        else:
            draw.polygon([(x * scale, y * scale) for x, y in shape], fill=colour)
    return picture.resize((PNG_SIZE, PNG_SIZE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    folder = ROOT / "static" / "img"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "emblem.svg").write_text(svg(), encoding="utf-8")
    png().save(folder / "emblem.png", optimize=True)
    print("static/img/emblem.svg, static/img/emblem.png")

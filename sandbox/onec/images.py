"""Stamp and facsimile signature images, drawn at seed time (the demo base has no files)."""

import io
import itertools
import math
import random

from PIL import Image, ImageDraw, ImageFont

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
_BLUE = (30, 60, 170, 230)


def _font(size):
    try:
        return ImageFont.truetype(_FONT, size)
    except OSError:  # fonts-dejavu-core missing: a stamp without legible text still works
        return ImageFont.load_default()


def stamp_png(name: str, inn: str, size: int = 300) -> bytes:
    """A blue round stamp: two rings, the name along the edge, the INN in the middle."""
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    c, r = size / 2, size / 2 - 6
    draw.ellipse((c - r, c - r, c + r, c + r), outline=_BLUE, width=6)
    draw.ellipse((c - r + 38, c - r + 38, c + r - 38, c + r - 38), outline=_BLUE, width=3)
    text = f"{name} * "
    font = _font(20)
    radius = r - 22
    for i, ch in enumerate(text):
        angle = -math.pi / 2 + 2 * math.pi * i / len(text)
        glyph = Image.new("RGBA", (30, 30), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((15, 15), ch, font=font, fill=_BLUE, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x, y = c + radius * math.cos(angle), c + radius * math.sin(angle)
        img.alpha_composite(glyph, (int(x - 15), int(y - 15)))
    draw.text((c, c - 14), "ИНН", font=_font(22), fill=_BLUE, anchor="mm")
    draw.text((c, c + 14), inn, font=_font(22), fill=_BLUE, anchor="mm")
    return _png(img)


def signature_png(seed_text: str, width: int = 240, height: int = 90) -> bytes:
    """A scribble: a smooth random curve, stable for the same person."""
    rnd = random.Random(seed_text)
    img = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points, x = [], 10.0
    while x < width - 10:
        points.append((x, height / 2 + rnd.uniform(-30, 30)))
        x += rnd.uniform(8, 22)
    smooth = []
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        for t in range(6):
            k = t / 6
            smooth.append((x1 + (x2 - x1) * k, y1 + (y2 - y1) * (3 * k * k - 2 * k * k * k)))
    draw.line(smooth, fill=(20, 30, 110, 255), width=3, joint="curve")
    return _png(img)


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()

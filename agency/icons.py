"""The favicon: the agency's logo, or the portal's default emblem, as a small square icon."""

import logging
from io import BytesIO

from django.contrib.staticfiles import finders
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

# Drawn by scripts/draw_emblem.py; the header shows its SVG twin (static/img/emblem.svg).
DEFAULT_EMBLEM = "img/emblem.png"
# What tabs, bookmarks and the desktop ask of an ICO file.
ICON_SIZES = [(16, 16), (32, 32), (48, 48)]


def icon_bytes(source):
    """An ICO file of the picture ``source`` (a path or an open file), centred on a transparent
    square so a wide logo is not squeezed."""
    with Image.open(source) as picture:
        picture.draft("RGB", (256, 256))  # a large JPEG is decoded at a fraction of its size
        picture = ImageOps.exif_transpose(picture).convert("RGBA")
    picture.thumbnail((256, 256))
    side = max(picture.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(picture, ((side - picture.width) // 2, (side - picture.height) // 2))
    buffer = BytesIO()
    square.save(buffer, format="ICO", sizes=ICON_SIZES)
    return buffer.getvalue()


def favicon(logo):
    """The icon of ``logo`` (a library image, or None), else of the default emblem.

    A logo whose file is missing or unreadable gives the default: a browser's request for the
    icon must never fail."""
    if logo is not None and logo.file:
        try:
            with logo.file.open("rb") as source:
                return icon_bytes(source)
        except (OSError, ValueError, Image.DecompressionBombError) as error:
            logger.warning("The logo %s cannot be made into a favicon: %s", logo.file.name, error)
    return icon_bytes(finders.find(DEFAULT_EMBLEM))

"""The reader's display choices (Circular 32/2017/TT-BTTTT): high contrast and larger text.

They live in two cookies that the server reads, so they work without JavaScript: the page's
<html> element carries their classes. site.js sets the same cookies and classes in place.
"""

from dataclasses import dataclass

CONTRAST_COOKIE = "tuong-phan"
TEXT_SIZE_COOKIE = "co-chu"
COOKIE_NAMES = (CONTRAST_COOKIE, TEXT_SIZE_COOKIE)
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

# Cookie or query value -> class on <html>. "thuong" (normal) removes the choice.
CONTRAST_CLASSES = {"cao": "contrast-high"}
TEXT_SIZE_CLASSES = {"lon": "text-large", "rat-lon": "text-larger"}
NORMAL = "thuong"


@dataclass(frozen=True)
class ReaderPreferences:
    contrast: str = ""
    text_size: str = ""

    @classmethod
    def from_cookies(cls, cookies):
        """The valid choices in ``cookies``; anything else counts as no choice."""
        contrast = cookies.get(CONTRAST_COOKIE, "")
        text_size = cookies.get(TEXT_SIZE_COOKIE, "")
        return cls(
            contrast=contrast if contrast in CONTRAST_CLASSES else "",
            text_size=text_size if text_size in TEXT_SIZE_CLASSES else "",
        )

    @property
    def is_default(self):
        return not (self.contrast or self.text_size)

    @property
    def html_class(self):
        classes = [CONTRAST_CLASSES.get(self.contrast), TEXT_SIZE_CLASSES.get(self.text_size)]
        return " ".join(name for name in classes if name)

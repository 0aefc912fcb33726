"""Score the importer on the pages in tests/importer_corpus/, field by field.

Every page there (``<stem>.txt`` or ``<stem>.html``; the ``<stem>_files/`` folders beside HTML
pages hold their saved images and are not pages) has its expected record in ``<stem>.json``,
written from what a careful editor would import, never from what the parser printed.

Expected-record schema (a JSON object):

``refused`` (bool, optional, default false)
    true for a page that must not become an article (no headline, not an article). Such a
    record has no other scored field; the page scores one field, right when the parser raises
    ParseError.
``title`` (str)
    the headline.
``lead`` (str)
    the first paragraph of the article ("" when the page prints none).
``published_at`` (str or null)
    the publication time, ISO 8601 with the offset ``+07:00`` ("2023-06-12T08:15:00+07:00"), a
    bare date ("2023-06-12") when the page prints no time, or null when it prints no date.
``author`` (str)
    the writer or agency credited for the article ("" when none).
``body`` (list of str)
    the paragraphs after the lead, in order; captions are not paragraphs. Compared after
    whitespace normalisation (runs of white space become one space, ends trimmed, NFC).
``paragraphs`` (int)
    how many paragraphs ``body`` has; scored on its own, so a page with one paragraph too many
    still gets this field wrong but not the others.
``captions`` (list of objects ``{"file": str or null, "caption": str}``)
    the figures in body order: the image's file name (null for a caption printed without its
    file) and its caption, a caption of several printed lines joined by one space.
``category``, ``source``, ``updated_at`` (optional)
    scored only when present: the section name, the "Nguồn"/"Theo" source, the update stamp
    (same form as ``published_at``).
``note`` (str, optional)
    free text for the reader of the corpus; not scored.

Run it as a script to see the table and every miss:
``.venv/bin/python tests/importer_score.py [-v] [DIR]``.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``news`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from news.parser import (  # noqa: E402
    LOCAL_TZ,
    Figure,
    Paragraph,
    ParsedArticle,
    ParseError,
    decode_page,
    parse_page,
)

CORPUS = Path(__file__).resolve().parent / "importer_corpus"
PAGE_SUFFIXES = (".txt", ".html")
REQUIRED_FIELDS = ("title", "lead", "published_at", "author", "body", "paragraphs", "captions")
OPTIONAL_FIELDS = ("category", "source", "updated_at")
FIELD_ORDER = ("refused", *REQUIRED_FIELDS, *OPTIONAL_FIELDS)


def parse_corpus_file(path: Path) -> ParsedArticle:
    """Parse one corpus page the way ``import_articles`` reads a file of its kind."""
    path = Path(path)
    data = path.read_bytes()
    if path.suffix == ".txt":
        return parse_page(decode_page(data))
    if path.suffix == ".html":
        from news.html_page import parse_html_page

        return parse_html_page(data, base_dir=path.parent)
    raise ValueError(f"{path}: not a corpus page (.txt or .html)")


def corpus_pages(directory: Path = CORPUS) -> list[Path]:
    """The pages directly in ``directory`` (not in the ``<stem>_files/`` image folders)."""
    return sorted(
        path
        for path in Path(directory).iterdir()
        if path.is_file() and path.suffix in PAGE_SUFFIXES
    )


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _stamp(value: datetime | date | None) -> str | None:
    """A parsed or expected stamp in one comparable form."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return "naive " + value.isoformat()
        return value.astimezone(LOCAL_TZ).isoformat()
    return value.isoformat()


def _expected_stamp(text: str | None) -> str | None:
    if text is None:
        return None
    if "T" in text:
        return _stamp(datetime.fromisoformat(text))
    return date.fromisoformat(text).isoformat()


def actual_record(article: ParsedArticle) -> dict:
    """The parsed article in the expected-record form."""
    body = [normalise(b.text) for b in article.blocks if isinstance(b, Paragraph)]
    captions = [
        {"file": b.file, "caption": normalise(b.caption)}
        for b in article.blocks
        if isinstance(b, Figure)
    ]
    return {
        "refused": False,
        "title": normalise(article.title),
        "lead": normalise(article.lead),
        "published_at": _stamp(article.published_at),
        "author": normalise(article.author),
        "body": body,
        "paragraphs": len(body),
        "captions": captions,
        "category": article.category,
        "source": normalise(article.source),
        "updated_at": _stamp(article.updated_at),
    }


def expected_record(raw: dict) -> dict:
    """The JSON record in the form ``actual_record`` gives, with only the scored fields."""
    if raw.get("refused"):
        return {"refused": True}
    missing = [name for name in REQUIRED_FIELDS if name not in raw]
    if missing:
        raise ValueError(f"expected record lacks {', '.join(missing)}")
    if raw["paragraphs"] != len(raw["body"]):
        raise ValueError("expected record: paragraphs is not the length of body")
    record = {
        "title": normalise(raw["title"]),
        "lead": normalise(raw["lead"]),
        "published_at": _expected_stamp(raw["published_at"]),
        "author": normalise(raw["author"]),
        "body": [normalise(text) for text in raw["body"]],
        "paragraphs": raw["paragraphs"],
        "captions": [
            {"file": item["file"], "caption": normalise(item["caption"])}
            for item in raw["captions"]
        ],
    }
    for name in OPTIONAL_FIELDS:
        if name in raw:
            value = raw[name]
            if name == "updated_at":
                value = _expected_stamp(value)
            elif isinstance(value, str) and name != "category":
                value = normalise(value)
            record[name] = value
    return record


@dataclass
class FieldResult:
    name: str
    right: bool
    expected: object
    actual: object


@dataclass
class FileScore:
    path: Path
    fields: list[FieldResult]
    error: str = ""  # the parser's refusal, when it refused

    @property
    def right(self) -> int:
        return sum(f.right for f in self.fields)

    @property
    def total(self) -> int:
        return len(self.fields)

    @property
    def misses(self) -> list[FieldResult]:
        return [f for f in self.fields if not f.right]


def score_file(path: Path) -> FileScore:
    """Compare the parse of one page with its ``.json`` record, field by field."""
    path = Path(path)
    expected = expected_record(json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
    try:
        actual = actual_record(parse_corpus_file(path))
    except ParseError as error:
        if expected.get("refused"):
            return FileScore(path, [FieldResult("refused", True, True, True)], str(error))
        fields = [FieldResult(name, False, value, None) for name, value in expected.items()]
        return FileScore(path, fields, str(error))
    if expected.get("refused"):
        return FileScore(path, [FieldResult("refused", False, True, actual["title"])])
    fields = [
        FieldResult(name, actual[name] == value, value, actual[name])
        for name, value in expected.items()
    ]
    return FileScore(path, fields)


@dataclass
class CorpusScore:
    files: list[FileScore]
    by_field: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, total]

    def __post_init__(self) -> None:
        for score in self.files:
            for result in score.fields:
                tally = self.by_field.setdefault(result.name, [0, 0])
                tally[0] += result.right
                tally[1] += 1

    @property
    def right(self) -> int:
        return sum(s.right for s in self.files)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.files)

    @property
    def ratio(self) -> float:
        return self.right / self.total if self.total else 0.0

    def table(self, kinds: bool = True) -> str:
        """The score per field and overall (and per page kind when there are several)."""
        rows = [("field", "right", "total", "%")]
        names = sorted(self.by_field, key=FIELD_ORDER.index)
        for name in names:
            right, total = self.by_field[name]
            rows.append((name, str(right), str(total), f"{100 * right / total:.1f}"))
        rows.append(("all", str(self.right), str(self.total), f"{100 * self.ratio:.1f}"))
        if kinds:
            for suffix in PAGE_SUFFIXES:
                part = CorpusScore([s for s in self.files if s.path.suffix == suffix])
                if part.files and len(part.files) != len(self.files):
                    label = f"{suffix} pages ({len(part.files)})"
                    rows.append(
                        (label, str(part.right), str(part.total), f"{100 * part.ratio:.1f}")
                    )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            )
            for row in rows
        ]
        lines.insert(1, "-" * len(lines[0]))
        return "\n".join(lines)

    def misses(self) -> str:
        """Every wrong field, page by page, with what was expected and what was read."""
        out = []
        for score in self.files:
            for miss in score.misses:
                out.append(f"{score.path.name}: {miss.name}")
                if score.error:
                    out.append(f"    refused: {score.error}")
                    break
                out.append(f"    expected: {miss.expected!r}")
                out.append(f"    actual:   {miss.actual!r}")
        return "\n".join(out)


def score_corpus(directory: Path = CORPUS) -> CorpusScore:
    """Score every page in ``directory``; a page without its ``.json`` record is an error."""
    return CorpusScore([score_file(path) for path in corpus_pages(directory)])


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [arg for arg in argv if arg != "-v"]
    score = score_corpus(Path(args[0]) if args else CORPUS)
    if verbose:
        print(score.misses())
        print()
    print(score.table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Benchmark: import N scraped pages (default 10,000) into a fresh SQLite database.

    .venv/bin/python bench/import_bench.py [--pages 10000] [--html-pages 1000]

Text pages are made from the two seed pages with different titles, dates, sections, bylines
and captions; the target is under 60 s for 10,000 pages on SQLite. Saved HTML pages are made
from the HTML pages of tests/importer_corpus/ (each with its own "<stem>_files/" folder and a
photo of its own, so every photo is stored); the target is 20 pages/s or better. Prints the
parse-only time (dry run), the full import time and a re-run for each kind; ``0`` skips a kind.
Record results in bench/RESULTS.md.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
CORPUS = ROOT / "tests" / "importer_corpus"
SECTIONS = ["XÃ HỘI", "LAO ĐỘNG", "NGƯỜI CÓ CÔNG", "BÌNH ĐẲNG GIỚI", "TRẺ EM", "GIẢM NGHÈO"]
AUTHORS = ["Thái Bình", "Thu Hà", "Minh Anh", "Quang Huy", "Ngọc Lan", "PV"]


def make_pages(folder, count, seed=20261201):
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    signing = next(t for t in texts if "XÃ HỘI" in t)
    training = next(t for t in texts if "Skip Ribbon" in t)
    for n in range(count):
        year = rng.randint(2010, 2025)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        hour, minute = rng.randint(6, 22), rng.randint(0, 59)
        if n % 2:
            text = signing.replace("XÃ HỘI", rng.choice(SECTIONS), 1)
            text = text.replace(
                "21:50 | 17/10/2019", f"{hour:02d}:{minute:02d} | {day:02d}/{month:02d}/{year}"
            )
            text = text.replace("Thái Bình\n", rng.choice(AUTHORS) + "\n")
        else:
            text = training.replace("13/09/2023", f"{day:02d}/{month:02d}/{year}")
            text = text.replace("1c48a1fa9d2d4873113c.jpg", f"{n:06d}a.jpg")
            text = text.replace("f7ba700c4cdb9985c0ca.jpg", f"{n:06d}b.jpg")
        title_end = text.index("\n", text.index("\n\n", 40) + 2)
        text = text[:title_end] + f" (số {n})" + text[title_end:]
        (folder / f"{n:06d}.txt").write_text(text, encoding="utf-8")


def make_html_pages(folder, count, seed=20261206):
    """Saved HTML pages from the corpus's, each under its own name with its own photos; the
    headline, the page's address and the date differ from page to page."""
    sys.path.insert(0, str(ROOT))
    from PIL import Image as PILImage

    from news.html_page import parse_html_page
    from news.parser import ParseError

    rng = random.Random(seed)
    templates = []
    for path in sorted(CORPUS.glob("*.html")):
        try:
            page = parse_html_page(path.read_bytes(), base_dir=CORPUS)
        except ParseError:
            continue  # the corpus's refused pages
        html = path.read_text(encoding="utf-8")
        files = {src.parent.name for src in page.image_files.values()}
        templates.append((html, page, files))
    for n in range(count):
        html, page, files = templates[n % len(templates)]
        stem = f"{n:06d}"
        html = html.replace(page.title, f"{page.title} (số {n})")
        if page.page_url:  # another page: another path (a query may be only tracking)
            address = urlsplit(page.page_url)
            numbered = address._replace(path=f"{address.path.rstrip('/')}-{n}").geturl()
            html = html.replace(page.page_url, numbered)
        year = str(rng.randint(2010, 2025))
        html = html.replace("2024", year).replace("2023", year)
        for old in files:
            html = html.replace(old, f"{stem}_files")
        (folder / f"{stem}.html").write_text(html, encoding="utf-8")
        if page.image_files:
            (folder / f"{stem}_files").mkdir()
        for name in page.image_files:
            colour = (n % 251, (n // 251) % 251, rng.randint(0, 255))
            PILImage.new("RGB", (24, 16), colour).save(folder / f"{stem}_files" / name)


def measure(manage, env, pages, count, kind):
    if count <= 0:
        return
    for label, extra in [("dry run (parse only)", ["--dry-run"]), ("import", [])]:
        start = time.perf_counter()
        result = subprocess.run(
            [*manage, "import_articles", str(pages), "-v0", *extra],
            env=env,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - start
        print(
            f"{kind} {label}: {count} pages in {elapsed:.1f} s "
            f"({count / elapsed:.0f} pages/s), exit {result.returncode}"
        )
        if result.returncode:
            print(result.stderr[-2000:])
    start = time.perf_counter()
    result = subprocess.run(
        [*manage, "import_articles", str(pages)], env=env, capture_output=True, text=True
    )
    print(
        f"{kind} re-run (unchanged): {time.perf_counter() - start:.1f} s: {result.stdout.strip()}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000, help="text pages (0: none)")
    parser.add_argument("--html-pages", type=int, default=1_000, help="HTML pages (0: none)")
    parser.add_argument(
        "--debug",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="DJANGO_DEBUG=1 as in `make run` (the default), or production settings: Django then "
        "keeps no log of the queries",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = tmp / "pages"
        pages.mkdir()
        make_pages(pages, args.pages)
        html_pages = tmp / "html-pages"
        html_pages.mkdir()
        make_html_pages(html_pages, args.html_pages)
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(tmp / "media"),
        }
        if not args.debug:
            del env["DJANGO_DEBUG"]
            env["DJANGO_SECRET_KEY"] = "bench-only-secret-key-on-loopback-0123456789abcdefghij"  # noqa: S105
            env["DJANGO_ALLOWED_HOSTS"] = "localhost"
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        measure(manage, env, pages, args.pages, "text")
        measure(manage, env, html_pages, args.html_pages, "HTML")


if __name__ == "__main__":
    main()

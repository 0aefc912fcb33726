"""Benchmark: import N scraped pages (default 10,000) into a fresh SQLite database.

    .venv/bin/python bench/import_bench.py [--pages 10000] [--keep DIR]

Pages are made from the two seed pages with different titles, dates, sections, bylines and
captions. Prints the parse-only time (dry run) and the full import time; the target is under
60 s for 10,000 pages on SQLite. Record results in bench/RESULTS.md.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        pages = tmp / "pages"
        pages.mkdir()
        make_pages(pages, args.pages)
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(tmp / "media"),
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
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
                f"{label}: {args.pages} pages in {elapsed:.1f} s "
                f"({args.pages / elapsed:.0f} pages/s), exit {result.returncode}"
            )
            if result.returncode:
                print(result.stderr[-2000:])
        start = time.perf_counter()
        result = subprocess.run(
            [*manage, "import_articles", str(pages)], env=env, capture_output=True, text=True
        )
        print(f"re-run (unchanged): {time.perf_counter() - start:.1f} s: {result.stdout.strip()}")


if __name__ == "__main__":
    main()

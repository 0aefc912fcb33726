"""Lighthouse on every public page: performance, accessibility, best practices and SEO.

    .venv/bin/python bench/lighthouse.py [--pages home,article,...]

Builds the pages of tests/public_pages.py (the list the axe and Nu Html Checker tests share) in
a fresh SQLite database under bench/out/lighthouse/, serves them as production does, with debug
off: gunicorn (2 sync workers) with static files from WhiteNoise after collectstatic and the
uploaded files from the same address (bench/lighthouse_app.py), on 127.0.0.1. Each page is
asked for once first, so that Lighthouse, like most readers, gets it from the page cache; then
Lighthouse's mobile preset (tests/lighthouse.py) runs on the pages one after another. Writes
the table to bench/out/lighthouse.md and every report to bench/out/lighthouse/<page>.json, and
prints the table with Lighthouse's reasons for each score below target (98 for performance,
100 for the rest). Performance is a timing: run it on a quiet machine.

Needs Debian's Chromium and Lighthouse (scripts/e2e_setup.sh); traffic stays on loopback.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_bench import OUT, gunicorn, manage  # noqa: E402
from tests.lighthouse import (  # noqa: E402
    CATEGORIES,
    CHROMIUM,
    LIGHTHOUSE,
    missing,
    run_lighthouse,
    scores,
    shortfalls,
)
from tests.public_pages import DOWNLOADS, NOT_FOUND, NOT_INDEXED  # noqa: E402

WORK = OUT / "lighthouse"
TARGETS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 100}
BUILD = (
    "import json; from tests.public_pages import make_public_pages; "
    "print(json.dumps(make_public_pages()))"
)


def site_env():
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_DEBUG"},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-on-loopback-0123456789abcdefghij",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DATABASE_URL": f"sqlite:///{WORK / 'site.sqlite3'}",
        "MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_STATIC_ROOT": str(WORK / "static"),
        "PORTAL_CACHE_DIR": str(WORK / "cache"),
        "PORTAL_READS_FILE": str(WORK / "reads.sqlite3"),
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def version(command):
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", help="comma-separated names from tests/public_pages.py")
    args = parser.parse_args()
    problem = missing()
    if problem:
        sys.exit(f"Lighthouse cannot run: {problem}. Run scripts/e2e_setup.sh.")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    env = site_env()
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    pages = json.loads(manage(env, "shell", "-c", BUILD, capture=True).strip().splitlines()[-1])
    pages = {
        name: path
        for name, path in pages.items()
        if name not in NOT_FOUND | DOWNLOADS and (not args.pages or name in args.pages.split(","))
    }
    server = gunicorn(env, app="bench.lighthouse_app:application")
    load_before = os.getloadavg()[0]
    rows, notes = [], []
    try:
        for path in pages.values():
            urllib.request.urlopen(server.url(path), timeout=30).read()  # noqa: S310 - loopback
        for name, path in pages.items():
            file = WORK / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.json"
            try:
                report = run_lighthouse(server.url(path), file)
            except RuntimeError as error:  # one page that fails is reported, not fatal
                print(error)
                rows.append((name, path, {}))
                notes.append(f"- {name}: Lighthouse failed: {str(error).splitlines()[-1]}")
                continue
            found = scores(report)
            rows.append((name, path, found))
            print(f"{name}: " + ", ".join(f"{key} {value}" for key, value in found.items()))
            for category in CATEGORIES:
                if found.get(category) is None or found[category] < TARGETS[category]:
                    reasons = "; ".join(shortfalls(report, category))
                    if category == "seo" and name in NOT_INDEXED:
                        reasons += " (noindex on purpose)"
                    notes.append(f"- {name}, {category} {found.get(category)}: {reasons}")
    finally:
        server.stop()

    chromium = version([CHROMIUM, "--version"])
    lighthouse = version([str(LIGHTHOUSE), "--version"])
    lines = [
        f"{datetime.date.today():%Y-%m-%d}, {len(rows)} pages, Lighthouse {lighthouse}, "
        f"{chromium}, mobile preset (simulated slow 4G, 4x CPU slowdown); gunicorn, 2 workers; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after.",
        "",
        "| page | path | performance | accessibility | best practices | SEO |",
        "|---|---|---|---|---|---|",
    ]
    for name, path, found in rows:
        cells = " | ".join(str(found.get(category, "–")) for category in CATEGORIES)
        lines.append(f"| {name} | `{path}` | {cells} |")
    lines += ["", "Below target:" if notes else "Every page at target.", *notes]
    table = "\n".join(lines) + "\n"
    (OUT / "lighthouse.md").write_text(table, encoding="utf-8")
    print("\n" + table + f"\nwritten to {OUT / 'lighthouse.md'}; reports in {WORK}")


if __name__ == "__main__":
    main()

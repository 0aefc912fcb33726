"""Lighthouse (npm registry, package.json) run with Debian's Chromium: one page, one report.

Shared by tests/e2e/test_lighthouse.py and bench/lighthouse.py. Lighthouse starts its own
headless Chromium for each page, with the mobile preset it uses by default (a phone's screen,
slow 4G and a four times slower processor, all simulated).
"""

import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = Path(os.environ.get("PORTAL_LIGHTHOUSE", ROOT / "node_modules/.bin/lighthouse"))
CHROMIUM = os.environ.get("PORTAL_E2E_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# Headless, and nothing that phones home (as tests/e2e/conftest.py launches Chromium).
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing():
    """What is missing to run Lighthouse, or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    if not LIGHTHOUSE.is_file():
        return f"Lighthouse is not installed ({LIGHTHOUSE} is missing; npm ci)"
    return None


def run_lighthouse(url, report, categories=CATEGORIES):
    """Lighthouse's report on ``url``, also written to ``report`` (JSON). Raises RuntimeError
    with Lighthouse's own words when it fails twice: on a busy machine it has failed on one
    page in fifty and passed on the next try."""
    for _attempt in range(2):
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                f"--output-path={report}",
                "--quiet",
                f"--only-categories={','.join(categories)}",
                f"--chrome-flags={' '.join(CHROME_FLAGS)}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=240,
        )
        if result.returncode == 0:
            break
    else:
        said = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"Lighthouse failed on {url} (exit {result.returncode}):\n{said}")
    return json.loads(Path(report).read_text(encoding="utf-8"))


def scores(report):
    """{category: score out of 100, or None when Lighthouse could not score it}."""
    return {
        key: None if category["score"] is None else round(category["score"] * 100)
        for key, category in report["categories"].items()
    }


def failed_audits(report, category):
    """The ids of the audits that count towards ``category`` and did not fully pass."""
    audits = report["audits"]
    return {
        ref["id"]
        for ref in report["categories"][category]["auditRefs"]
        if ref["weight"] > 0
        and audits[ref["id"]]["score"] is not None
        and audits[ref["id"]]["score"] < 1
    }


def shortfalls(report, category):
    """Why ``category`` scored below 100: its counted audits that did not pass, worst first,
    as "title (value)", and, for performance, the savings Lighthouse suggests."""
    audits = report["audits"]
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            found.append((audit["score"], audit["title"], audit.get("displayValue", "")))
    if category == "performance":
        for audit in audits.values():
            details = audit.get("details") or {}
            if details.get("type") == "opportunity" and details.get("overallSavingsMs", 0) >= 100:
                found.append((0.5, audit["title"], audit.get("displayValue", "")))
    if report.get("runtimeError"):
        found.append((0, report["runtimeError"].get("message", "runtime error"), ""))
    return [f"{title} ({value})" if value else title for _score, title, value in sorted(found)[:6]]

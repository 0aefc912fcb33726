"""Lighthouse on one page of each kind: accessibility, best practices and SEO at 100.

The pages are LIGHTHOUSE_SAMPLE of tests/public_pages.py (the list the axe and Nu Html Checker
tests share), served by the live test server with debug off. Search results ask search engines
not to index them, on purpose (NOT_INDEXED): there SEO's "is-crawlable" audit alone may fail.
Performance is a timing, so it is measured by bench/lighthouse.py, not here. Without Chromium
or Lighthouse (npm ci) the test is skipped, except in CI (``CI=true``), where it fails.
"""

import os

import pytest

from tests.lighthouse import failed_audits, missing, run_lighthouse, scores, shortfalls
from tests.public_pages import LIGHTHOUSE_SAMPLE, NOT_INDEXED

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CHECKED = ["accessibility", "best-practices", "seo"]


@pytest.fixture
def lighthouse_tools():
    problem = missing()
    if problem is None:
        return
    message = f"Lighthouse cannot run: {problem}. Run scripts/e2e_setup.sh."
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
        pytest.fail(f"{message} CI is set, so this is a failure, not a skip.", pytrace=False)
    pytest.skip(message)


def test_sample_pages_score_100_for_accessibility_best_practices_and_seo(
    lighthouse_tools, live_server, public_pages, tmp_path
):
    found_lines, below = [], []
    for name in LIGHTHOUSE_SAMPLE:
        path = public_pages[name]
        report = run_lighthouse(live_server.url + path, tmp_path / "report.json", CHECKED)
        found = scores(report)
        found_lines.append(f"- {name} ({path}): {found}")
        for category in CHECKED:
            failed = failed_audits(report, category)
            if category == "seo" and name in NOT_INDEXED:
                failed.discard("is-crawlable")  # noindex on purpose
            if failed or found[category] is None:
                reasons = "\n      ".join(shortfalls(report, category))
                below.append(f"{name} ({path}): {category} {found[category]}\n      {reasons}")
    print("\nLighthouse (mobile preset):\n" + "\n".join(found_lines))
    assert not below, "Below 100:\n" + "\n".join(below)

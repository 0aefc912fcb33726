"""The browser tests' own rule: a missing tool skips them locally and fails them in CI."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROWSER_TEST = "tests/e2e/test_reader.py::test_search_without_diacritics_finds_the_seed_article"
AXE_TEST = (
    "tests/e2e/test_accessibility.py"
    "::test_admin_article_form_has_no_critical_accessibility_violations"
)


def start_pytest(test, **env):
    # Each run on its own in-memory SQLite: three runs at once cannot share one PostgreSQL
    # test database.
    ignored = {"CI", "PORTAL_E2E_CHROMIUM", "PORTAL_E2E_AXE", "PYTEST_ADDOPTS", "DATABASE_URL"}
    environment = {key: value for key, value in os.environ.items() if key not in ignored}
    environment.update(env)
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", test],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_missing_browser_or_axe_core_is_a_skip_locally_and_a_failure_in_ci():
    missing_browser = {"PORTAL_E2E_CHROMIUM": "/nonexistent/chromium"}
    runs = {
        "local": start_pytest(BROWSER_TEST, **missing_browser),
        "ci": start_pytest(BROWSER_TEST, CI="true", **missing_browser),
        "ci without axe-core": start_pytest(
            AXE_TEST, CI="true", PORTAL_E2E_AXE="/nonexistent/axe.min.js"
        ),
    }
    results = {
        name: (run.communicate(timeout=300)[0], run.returncode) for name, run in runs.items()
    }

    output, status = results["local"]
    assert status == 0, output
    assert "1 skipped" in output, output
    assert "Browser tests skipped: no Chromium at /nonexistent/chromium" in output, output

    output, status = results["ci"]
    assert status == 1, output
    assert "1 error" in output, output
    assert "no Chromium at /nonexistent/chromium. CI is set, so this is a failure" in output

    output, status = results["ci without axe-core"]
    assert status == 1, output
    assert "axe-core is not installed" in output, output
    assert "CI is set, so this is a failure" in output, output

"""The Nu Html Checker (vnu) on every kind of public page: no error allowed.

Each page of tests/public_pages.py is rendered as a reader gets it and written to a file; vnu
checks them all in one run, since the Java machine takes seconds to start. Its warnings are
printed and allowed. vnu.jar comes from the npm registry (package.json), Java from Debian
(scripts/e2e_setup.sh installs both when missing). Without them the test is skipped, except in
CI (``CI=true``), where it fails.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.public_pages import NOT_FOUND

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
VNU = Path(os.environ.get("PORTAL_VNU_JAR", ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"))
JAVA = os.environ.get("PORTAL_JAVA") or shutil.which("java")


def require(available, problem):
    if available:
        return
    message = f"{problem}. Run scripts/e2e_setup.sh (Java from Debian, vnu.jar by npm ci)."
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}:
        pytest.fail(f"{message} CI is set, so this is a failure, not a skip.", pytrace=False)
    pytest.skip(message)


def check_with_vnu(files):
    """vnu's messages on ``files``, as {file name: [message, ...]}."""
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # vnu writes its report on stderr.
    report = json.loads(result.stderr or result.stdout)
    messages = {Path(file).name: [] for file in files}
    for message in report["messages"]:
        name = Path(message.get("url", "").removeprefix("file:")).name
        messages.setdefault(name, []).append(message)
    return messages


def describe(message):
    kind = message.get("subType") or message["type"]
    line = message.get("lastLine", "?")
    extract = " ".join(message.get("extract", "").split())[:120]
    return f"    [{kind}] line {line}: {message['message']}\n        {extract}"


def is_error(message):
    return message["type"] in {"error", "non-document-error"} or message.get("subType") == "fatal"


def test_public_pages_have_no_html_errors(client, public_pages, tmp_path):
    require(JAVA, "Java is not installed")
    require(VNU.is_file(), f"vnu.jar is not installed ({VNU} is missing)")
    files = {}
    for number, (name, path) in enumerate(public_pages.items()):
        response = client.get(path)
        expected = 404 if name in NOT_FOUND else 200
        assert response.status_code == expected, f"{name} ({path}): {response.status_code}"
        file = tmp_path / f"{number:02d}.html"
        file.write_bytes(response.content)
        files[file.name] = (name, path)

    messages = check_with_vnu(sorted(tmp_path.glob("*.html")))

    report, errors = [], []
    for file, found in sorted(messages.items()):
        name, path = files.get(file, (file, ""))
        report.append(f"- {name} ({path}): {len(found) or 'no'} message(s)")
        report.extend(describe(message) for message in found)
        if any(is_error(message) for message in found):
            errors.append(
                f"{name} ({path}):\n"
                + "\n".join(describe(message) for message in found if is_error(message))
            )
    print("\nThe Nu Html Checker on the public pages:\n" + "\n".join(report))
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)

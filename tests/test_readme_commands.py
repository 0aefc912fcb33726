"""The README's commands work as written on a fresh clone, with no DJANGO_* variable set; the web
server (portal.wsgi, portal.asgi, gunicorn) still refuses to start without DJANGO_SECRET_KEY.

"A fresh clone" is a copy of what git would hand a newcomer (tracked files, and new ones not
ignored) in a temporary folder, so the SQLite database, media and cache are its own.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts Pythons; the commands take about 20 s in all

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
MISSING_KEY = "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY is not set."

# Every manage.py command the README shows (as it is written there) and how it is run here, in
# this order: as written, or, where it would rewrite the project's own files or needs a file of
# the reader's, as --help. README's "python" is the project's Python, as .venv/bin/python is.
# The first superuser (make superuser) is made without a prompt.
IMPORT = ".venv/bin/python manage.py import_articles fixtures/seeds/ [--dry-run [--json]]"
README_COMMANDS = [
    (".venv/bin/python manage.py migrate", ["migrate"]),
    ("python manage.py migrate --noinput", ["migrate", "--noinput"]),
    (IMPORT, ["import_articles", "--help"]),
    (IMPORT, ["import_articles", "fixtures/seeds/", "--dry-run", "--json"]),
    (IMPORT, ["import_articles", "fixtures/seeds/"]),
    ("manage.py seed_portal", ["seed_portal"]),
    (
        "manage.py import_documents REGISTER.csv --files DIR [--dry-run]",
        ["import_documents", "--help"],
    ),
    (
        "manage.py import_documents fixtures/documents/so-dang-ky.csv",
        ["import_documents", "fixtures/documents/so-dang-ky.csv"],
    ),
    ("manage.py loaddata portal", ["loaddata", "portal"]),
    (None, ["createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.vn"]),
    ("manage.py restore_site FILE --noinput", ["restore_site", "--help"]),
    ("manage.py makemessages -l vi -l en --no-obsolete", ["makemessages", "--help"]),
    ("python manage.py collectstatic --noinput", ["collectstatic", "--noinput"]),
    ("python manage.py check --deploy", ["check", "--deploy"]),
    ("python manage.py dbshell", ["dbshell"]),  # then ANALYZE; (below)
]
STDIN = {"dbshell": "ANALYZE;\n"}


def clean_environment(**extra):
    """This machine's environment without the site's settings: no DJANGO_*, PORTAL_*, database,
    cache, media or bucket variable (the test run sets several)."""
    site = ("DJANGO_", "PORTAL_", "AWS_", "DATABASE_URL", "CACHE_URL", "REDIS_URL", "MEDIA_ROOT")
    env = {k: v for k, v in os.environ.items() if not k.startswith(site)}
    env.pop("TEST_DIRS_OF_WORKER", None)
    return {**env, **extra}


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """A copy of the project as a fresh clone has it."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: no way to tell what a clone holds.")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    target = tmp_path_factory.mktemp("fresh-clone")
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():  # not deleted in the working tree
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def run(clone, *args, env=None, stdin=None):
    return subprocess.run(
        [sys.executable, *args],
        cwd=clone,
        env=env or clean_environment(),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_this_test_runs_every_manage_py_command_the_readme_shows():
    shown = set(re.findall(r"manage\.py\s+([a-z_]+)", README))
    run_here = {argv[0] for _text, argv in README_COMMANDS}
    assert shown <= run_here, f"Add to README_COMMANDS: {sorted(shown - run_here)}"
    for text, _argv in README_COMMANDS:
        assert text is None or text in README, f"The README no longer shows {text!r}."


def test_every_readme_command_works_on_a_fresh_clone_without_django_variables(clone):
    assert not any(name.startswith("DJANGO_") for name in clean_environment())
    failures = []
    for text, argv in README_COMMANDS:
        if argv[0] == "dbshell" and shutil.which("sqlite3") is None:
            continue  # Django's dbshell runs SQLite's own shell, which this machine lacks
        result = run(clone, "manage.py", *argv, stdin=STDIN.get(argv[0]))
        if result.returncode != 0:
            failures.append(f"{text or argv}: exit {result.returncode}\n{result.stderr[-2000:]}")

    assert not failures, "\n\n".join(failures)
    assert (clone / "db.sqlite3").is_file()  # the clone's own database, as make run makes it


def test_the_issues_example_prints_the_commands_help(clone):
    result = run(clone, "manage.py", "import_articles", "--help")

    assert result.returncode == 0, result.stderr
    assert "usage: manage.py import_articles" in result.stdout
    assert not result.stderr


@pytest.mark.parametrize("module", ["portal.wsgi", "portal.asgi"])
def test_the_web_server_refuses_to_start_without_a_secret_key(clone, module):
    # Also when started from a process that a command started.
    for env in [clean_environment(), clean_environment(PORTAL_MANAGEMENT_COMMAND="1")]:
        result = run(clone, "-c", f"import {module}", env=env)

        assert result.returncode != 0
        assert result.stderr.strip().splitlines()[-1].startswith(MISSING_KEY)

    with_key = clean_environment(DJANGO_SECRET_KEY="k" * 50)
    assert run(clone, "-c", f"import {module}", env=with_key).returncode == 0


def test_gunicorn_refuses_to_start_without_a_secret_key(clone):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [gunicorn, "--check-config", "portal.wsgi:application"],
        cwd=clone,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith(MISSING_KEY)


def test_a_command_that_signs_something_still_needs_the_key(clone):
    """No key is made up for commands: Django refuses what would use one."""
    result = run(
        clone, "manage.py", "shell", "-c", "from django.core import signing; signing.dumps(1)"
    )

    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty." in result.stderr

"""The embedded default cache is shared by every process of a site: a save made in one process
(a shell, an import, another gunicorn worker) shows at once on pages served by the others.

This runs a real site in a temporary folder, as `make run` would but under gunicorn with two
workers and no Redis, and changes its content from a separate process.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # migrates a site and runs gunicorn

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def site(tmp_path):
    """A migrated site with one published article; the environment every process uses."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_", "DATABASE_URL", "CACHE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        # The local trial's settings (`make run`): debug on, so no collectstatic is needed.
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        WEB_CONCURRENCY="2",
    )
    manage(env, "migrate", "--noinput")
    shell(
        env,
        "from django.utils import timezone; from news.models import Article, Category; "
        "c = Category.objects.create(name='Xã hội', slug='xa-hoi'); "
        "Article.objects.create(title='Tin ban đầu', slug='tin', category=c, status='published', "
        "published_at=timezone.now() - timezone.timedelta(hours=1))",
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def shell(env, code):
    manage(env, "shell", "-c", code)


@pytest.fixture
def server(site):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if fetch(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + process.stderr.read1().decode())
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def fetch(url):
    # A new connection each time, so gunicorn hands requests to either worker.
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
        return response.status, response.headers, response.read().decode()


def test_a_save_in_another_process_shows_on_every_page_of_every_worker(site, server):
    seen = [fetch(server + "/") for _ in range(12)]
    assert all("Tin ban đầu" in body for _s, _h, body in seen)
    assert any(headers["X-Page-Cache"] == "hit" for _s, headers, _b in seen)

    shell(
        site,
        "from news.models import Article; "
        "a = Article.objects.get(); a.title = 'Tin đã sửa'; a.save()",
    )

    after = [fetch(server + "/") for _ in range(12)]
    assert all("Tin đã sửa" in body and "Tin ban đầu" not in body for _s, _h, body in after)
    section = fetch(server + "/chuyen-muc/xa-hoi/")[2]
    assert "Tin đã sửa" in section

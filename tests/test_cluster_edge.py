"""Several servers (issue 23): a cluster of its own, started by scripts/cluster.py on free ports,
Varnish in front of two gunicorn app servers, PostgreSQL, a Redis of its own and moto's S3 server.

The edge never serves a page older than the last change, from whichever server or command the
change came, and keeps serving what it has while no app server can answer. The tests share one
cluster and run in this file's order: the faults come last, since they take servers down.

Without Varnish (bash scripts/cluster_setup.sh installs it) these tests are skipped, with the
reason; with CI=true a missing piece is a failure.
"""

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.cluster]

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VARNISHADM = shutil.which("varnishadm") or "/usr/bin/varnishadm"
PAGE_SECONDS = 15  # short lifetimes, so the outage below outlasts a stored page's
ERROR_PAGE_TEXT = "Hệ thống đang gặp sự cố"  # templates/500.html


def missing(reason):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI installs it (bash scripts/cluster_setup.sh).")
    pytest.skip(reason)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


class Cluster:
    """The test's own cluster and what the tests need to reach its parts."""

    def __init__(self, folder):
        self.folder = folder
        self.edge_port, self.a_port, self.b_port, self.media_port, self.redis_port = (
            free_port() for _ in range(5)
        )
        self.database = f"portal_cluster_test_{uuid.uuid4().hex[:8]}"
        self.redis = None

    @property
    def edge(self):
        return f"http://127.0.0.1:{self.edge_port}"

    def app(self, which):
        return f"http://127.0.0.1:{self.a_port if which == 'a' else self.b_port}"

    def start_redis(self):
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(100):
            if answers(self.redis_port):
                return
            time.sleep(0.05)
        pytest.fail("redis-server did not start")

    def stop_redis(self):
        self.redis.kill()
        self.redis.wait(10)

    def command(self, action, *extra):
        return subprocess.run(
            [
                PYTHON,
                "scripts/cluster.py",
                action,
                "--dir",
                str(self.folder),
                "--edge-port",
                str(self.edge_port),
                "--app-ports",
                f"{self.a_port},{self.b_port}",
                "--media-port",
                str(self.media_port),
                "--database",
                self.database,
                "--redis",
                f"redis://127.0.0.1:{self.redis_port}/0",
                "--cache-prefix",
                self.database,
                *extra,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    @property
    def env(self):
        """The environment file the cluster wrote, read as `set -a; . file` would."""
        values = {}
        for line in (self.folder / "env").read_text().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.partition("=")
                values[name] = value.strip("'")
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
        base.pop("DATABASE_URL", None)
        return {**base, **values}

    def shell(self, code, **overrides):
        """manage.py shell with the cluster's environment file: another server, or a command."""
        result = subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**self.env, **overrides},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return (result.stdout.strip().splitlines() or [""])[-1]  # after Django's own notice

    def pid(self, name):
        return int((self.folder / "pids" / f"{name}.pid").read_text())

    def backend_health(self):
        out = subprocess.run(
            [VARNISHADM, "-n", str(self.folder / "varnish"), "backend.list"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        return {
            name.split(".")[-1]: health
            for name, *_rest, health in (
                re.match(r"(\S+)\s+\S+\s+\S+\s+(\S+)", line).groups()
                for line in out.splitlines()[1:]
                if line.strip()
            )
        }


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not Path(VARNISHD).exists():
        missing("Varnish is not installed (bash scripts/cluster_setup.sh)")
    for tool in ("redis-server", "varnishadm"):
        if not shutil.which(tool):
            missing(f"{tool} is not installed")
    if not (Path(PYTHON).parent / "moto_server").exists():
        missing("moto's server is not installed (requirements-dev.txt)")
    if not answers(5432):
        missing("PostgreSQL is not running on 127.0.0.1:5432")
    running = Cluster(tmp_path_factory.mktemp("cluster"))
    running.start_redis()
    started = running.command("start", "--set", f"PORTAL_PAGE_CACHE_SECONDS={PAGE_SECONDS}")
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        running.category = running.shell(
            "from django.contrib.auth import get_user_model; "
            "get_user_model().objects.create_superuser("
            "'bientap', 'b@example.vn', 'mat-khau-dai-1'); "
            "from news.models import Category; "
            "print(Category.objects.create(name='Xã hội', slug='xa-hoi').pk)"
        )
        yield running
    finally:
        stopped = running.command("stop")
        if running.redis.poll() is None:
            running.stop_redis()
        import psycopg2

        connection = psycopg2.connect("postgres://postgres@127.0.0.1:5432/postgres")
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{running.database}" WITH (FORCE)')
        finally:
            connection.close()
        assert stopped.returncode == 0, stopped.stderr


def get(url, **kwargs):
    import requests

    return requests.get(url, timeout=10, allow_redirects=False, **kwargs)


def is_hit(response):
    """Varnish's own sign of a hit: X-Varnish names this request and the stored object's."""
    return len(response.headers.get("X-Varnish", "").split()) == 2


def stored(url):
    """Ask until the edge answers from what it stored; the stored response."""
    for _ in range(5):
        response = get(url)
        if is_hit(response):
            return response
    pytest.fail(f"the edge did not store {url}: {response.headers}")


def shows_within(url, text, seconds=1.0, **kwargs):
    """Whether ``text`` is on the page through the edge within ``seconds``; how long it took."""
    began = time.monotonic()
    while time.monotonic() - began <= seconds:
        if text in get(url, **kwargs).text:
            return time.monotonic() - began
        time.sleep(0.05)
    return None


def signed_in(base):
    """A staff session, signed in through the admin's own form at ``base``."""
    import requests

    session = requests.Session()
    page = session.get(f"{base}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/admin/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": "bientap",
            "password": "mat-khau-dai-1",
            "next": "/admin/",
        },
        headers={"Referer": f"{base}/admin/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:2000]
    return session


def publish_through_admin(session, base, title, category, body=""):
    form = session.get(f"{base}/admin/news/article/add/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = session.post(
        f"{base}/admin/news/article/add/",
        data={
            "csrfmiddlewaretoken": token,
            "title": title,
            "slug": "",
            "category": category,
            "lead": "Sapo.",
            "body": body,
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "author": "",
            "source": "",
        },
        headers={"Referer": f"{base}/admin/news/article/add/"},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:3000]


def jpeg():
    from PIL import Image

    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((800, 600)).convert("RGB").save(buffer, "JPEG")
    return buffer.getvalue()


# -- the edge never serves stale pages ---------------------------------------------------------


def test_an_article_published_through_app_server_a_shows_through_the_edge_within_a_second(
    cluster,
):
    stored(cluster.edge + "/")
    editor = signed_in(cluster.app("a"))

    publish_through_admin(
        editor, cluster.app("a"), "Hội nghị tổng kết công tác năm", cluster.category
    )

    took = shows_within(cluster.edge + "/", "Hội nghị tổng kết công tác năm")
    assert took is not None, "the edge still served the page stored before the article"


def test_an_edit_from_a_manage_py_shell_shows_through_the_edge_within_a_second(cluster):
    cluster.shell(
        "from django.utils import timezone; from news.models import Article, Category; "
        "Article.objects.create(title='Tin trước khi sửa', slug='tin-sua', status='published', "
        "category=Category.objects.get(slug='xa-hoi'), "
        "published_at=timezone.now() - timezone.timedelta(minutes=5))"
    )
    assert "Tin trước khi sửa" in stored(cluster.edge + "/").text

    cluster.shell(
        "from news.models import Article; a = Article.objects.get(slug='tin-sua'); "
        "a.title = 'Tin đã sửa trong shell'; a.save()"
    )

    assert shows_within(cluster.edge + "/", "Tin đã sửa trong shell") is not None


def test_a_scheduled_article_appears_through_the_edge_at_its_time_with_no_request_between(
    cluster,
):
    at = cluster.shell(
        "from django.utils import timezone; from news.models import Article, Category; "
        "a = Article.objects.create(title='Quyết định đặt lịch lúc giờ', slug='dat-lich', "
        "status='published', category=Category.objects.get(slug='xa-hoi'), "
        "published_at=timezone.now() + timezone.timedelta(seconds=6)); "
        "print(a.published_at.timestamp())"
    )
    before = stored(cluster.edge + "/")
    assert "Quyết định đặt lịch lúc giờ" not in before.text
    lifetime = int(re.search(r"s-maxage=(\d+)", before.headers["Cache-Control"]).group(1))
    assert lifetime <= 6

    time.sleep(max(0, float(at) - time.time()))  # nothing asks in between

    assert shows_within(cluster.edge + "/", "Quyết định đặt lịch lúc giờ") is not None


def test_a_signed_in_editor_sees_live_pages_through_the_edge(cluster):
    url = cluster.edge + "/"
    assert "Tin đã sửa trong shell" in stored(url).text
    # A change the edge is not told about (a command run without PORTAL_VARNISH_URLS): the
    # edge keeps its stored page, which only a live page can be newer than.
    cluster.shell(
        "from news.models import Article; a = Article.objects.get(slug='tin-sua'); "
        "a.title = 'Sửa mà Varnish không biết'; a.save()",
        PORTAL_VARNISH_URLS="",
    )
    editor = signed_in(cluster.edge)

    live = editor.get(url, timeout=10)
    anonymous = get(url)

    assert "Sửa mà Varnish không biết" in live.text
    assert not is_hit(live) and "private" in live.headers["Cache-Control"]
    assert is_hit(anonymous) and "Sửa mà Varnish không biết" not in anonymous.text


def test_a_reader_with_display_preferences_is_never_served_a_stored_page(cluster):
    stored(cluster.edge + "/")
    response = get(cluster.edge + "/", cookies={"tuong-phan": "cao"})
    assert response.status_code == 200
    assert not is_hit(response)
    assert "private" in response.headers["Cache-Control"]


def test_tracking_parameters_and_cookies_get_the_same_stored_page(cluster):
    page = stored(cluster.edge + "/")
    stored_object = page.headers["X-Varnish"].split()[1]

    tracked = get(cluster.edge + "/?utm_source=x&utm_medium=email&fbclid=abc&gclid=1")
    with_cookies = get(cluster.edge + "/", cookies={"_ga": "GA1.2.3", "_gid": "GA1.4", "_fbp": "f"})

    assert tracked.headers["X-Varnish"].split()[1:] == [stored_object]
    assert with_cookies.headers["X-Varnish"].split()[1:] == [stored_object]
    assert "Age" in tracked.headers


def test_ban_is_refused_from_any_address_but_the_app_servers(cluster):
    import requests

    page = stored(cluster.edge + "/")
    stranger = requests.Session()
    stranger.get_adapter("http://").init_poolmanager(1, 1, source_address=("127.0.0.2", 0))

    refused = stranger.request("BAN", cluster.edge + "/", headers={"Host": "127.0.0.1"}, timeout=5)

    assert refused.status_code == 403
    still = get(cluster.edge + "/")
    assert still.headers["X-Varnish"].split()[1] == page.headers["X-Varnish"].split()[1]


def test_an_image_uploaded_on_app_server_a_is_served_through_app_server_b(cluster):
    import requests

    editor = signed_in(cluster.app("a"))
    upload = editor.post(
        f"{cluster.app('a')}/bien-tap/tai-anh/",
        files={"upload": ("le-ky.jpg", jpeg(), "image/jpeg")},
        headers={"X-CSRFToken": editor.cookies["csrftoken"], "Referer": cluster.app("a")},
        timeout=30,
    )
    assert upload.status_code == 200, upload.text[:2000]
    url = upload.json()["url"]
    assert url.startswith(cluster.edge + "/media/images/")
    publish_through_admin(
        editor,
        cluster.app("a"),
        "Lễ ký kết hợp tác có ảnh",
        cluster.category,
        f'<figure class="image"><img src="{url}" alt="Lễ ký"></figure>',
    )
    slug = cluster.shell(
        "from news.models import Article; "
        "print(Article.objects.get(title='Lễ ký kết hợp tác có ảnh').get_absolute_url())"
    )

    page = requests.get(cluster.app("b") + slug, timeout=10)  # app server B itself
    sources = set(re.findall(r'(?:src|srcset)="([^" ]+)', page.text))
    pictures = [src for src in sources if "/media/" in src]

    assert page.status_code == 200 and pictures
    for src in pictures:
        served = get(src)
        assert served.status_code == 200, src
        assert served.headers["Content-Type"].startswith("image/")
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    from PIL import Image

    with Image.open(io.BytesIO(get(url).content)) as uploaded:
        assert uploaded.size == (800, 600)


def test_a_documents_file_in_media_is_served_as_an_attachment(cluster):
    name = cluster.shell(
        "from django.core.files.base import ContentFile; "
        "from django.core.files.storage import default_storage; "
        "print(default_storage.save('van-ban/2025/01/nghi-dinh.pdf', "
        "ContentFile(b'%PDF-1.4 <html><script>alert(1)</script>')))"
    )
    response = get(f"{cluster.edge}/media/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert get(f"{cluster.edge}/media/?list-type=2").status_code == 404  # never a listing


# -- faults ------------------------------------------------------------------------------------


def test_with_redis_down_the_app_servers_serve_uncached_and_the_edge_stores_nothing(cluster):
    cluster.stop_redis()
    try:
        first = get(cluster.edge + "/?trang=1")
        second = get(cluster.edge + "/?trang=1")
        assert first.status_code == second.status_code == 200
        assert "Lễ ký kết hợp tác có ảnh" in second.text
        # No lifetime for shared caches (the page cache could not work one out), so none kept.
        assert not re.search(r"s-maxage=[1-9]", second.headers.get("Cache-Control", ""))
        assert not is_hit(first) and not is_hit(second)
    finally:
        cluster.start_redis()


def load(url, stop, results, cookies):
    import requests

    session = requests.Session()
    while not stop.is_set():
        began = time.monotonic()
        try:
            status = session.get(url, cookies=cookies, timeout=10).status_code
        except requests.RequestException:
            status = 599
        results.append((began, status))


def test_one_app_server_killed_under_load_is_marked_sick_and_its_traffic_goes_to_the_other(
    cluster,
):
    stop, results = threading.Event(), []
    # Readers with display preferences: every request goes through to an app server.
    workers = [
        threading.Thread(
            target=load, args=(cluster.edge + "/", stop, results, {"co-chu": "lon"}), daemon=True
        )
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    time.sleep(2)
    killed_at = time.monotonic()
    os.killpg(cluster.pid("app-a"), signal.SIGKILL)
    sick_at = None
    while time.monotonic() - killed_at < 12:
        if cluster.backend_health().get("app_a") == "sick":
            sick_at = time.monotonic()
            break
        time.sleep(0.2)
    time.sleep(5)
    stop.set()
    for worker in workers:
        worker.join(15)

    assert sick_at is not None and sick_at - killed_at <= 10, "app server A was never marked sick"
    failed_before = [s for began, s in results if began < sick_at and s >= 500]
    failed_after = [s for began, s in results if began >= sick_at and s >= 500]
    served_after = [s for began, s in results if began >= sick_at and s == 200]
    print(
        f"\nkilled app server A: sick after {sick_at - killed_at:.1f} s; "
        f"{len(failed_before)} of {sum(1 for b, _ in results if b < sick_at)} requests failed "
        f"before, {len(failed_after)} of {len(served_after) + len(failed_after)} after"
    )
    assert served_after and not failed_after


def test_with_both_app_servers_down_the_edge_serves_stored_pages_and_the_sites_error_page(
    cluster,
):
    page = stored(cluster.edge + "/")
    lifetime = int(re.search(r"s-maxage=(\d+)", page.headers["Cache-Control"]).group(1))
    os.killpg(cluster.pid("app-b"), signal.SIGKILL)  # A is down since the test above
    down_at = time.monotonic()

    while time.monotonic() - down_at < 30:
        kept = get(cluster.edge + "/")
        assert kept.status_code == 200
        assert kept.headers["X-Varnish"].split()[1] == page.headers["X-Varnish"].split()[1]
        time.sleep(2)
    never_stored = get(cluster.edge + "/tim-kiem/?q=khong-co-trong-bo-nho")

    assert int(kept.headers["Age"]) > lifetime  # past its lifetime: better than an error
    assert never_stored.status_code == 503
    assert ERROR_PAGE_TEXT in never_stored.text
    assert never_stored.headers["Content-Type"].startswith("text/html")

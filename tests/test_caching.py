"""The cache as a newcomer meets it (portal/caching/): a new public model needs no cache code, a
fragment varies on what it uses, HTTP caches in front are told how long and when to let go,
and tracking parameters make no new pages."""

import http.server
import os
import re
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import checks
from django.db import connection, transaction
from django.template import engines
from django.test import override_settings
from django.urls import path
from django.utils import timezone
from django.views.generic import ListView

from news.models import Topic
from portal.caching.invalidation import check_public_models_invalidate
from tests.caching_app.models import Notice, NoticeQuerySet, next_visibility_change

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
NOTICES = override_settings(ROOT_URLCONF="tests.caching_app.urls")


def database_url():
    """This test run's database, for a process of its own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def in_another_process(code):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"}
    env["DATABASE_URL"] = database_url()
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


# -- a new public model needs no cache code ------------------------------------------------


@NOTICES
@pytest.mark.django_db(transaction=True)
def test_a_new_public_model_stays_fresh_on_every_page_after_a_save_elsewhere(client):
    Notice.objects.create(title="Thông báo cũ")
    for url in ("/thong-bao/", "/"):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    in_another_process(
        "from tests.caching_app.models import Notice; Notice.objects.create(title='Thông báo mới')"
    )

    listing = client.get("/thong-bao/")
    assert listing["X-Page-Cache"] == "miss"
    assert "Thông báo mới" in listing.content.decode()
    assert client.get("/")["X-Page-Cache"] == "miss"


@NOTICES
def test_a_model_with_its_own_schedule_bounds_how_long_pages_are_kept(client, monkeypatch):
    monkeypatch.setattr(
        NoticeQuerySet, "next_visibility_change", next_visibility_change, raising=False
    )
    now = timezone.now()
    Notice.objects.create(title="Thông báo hẹn giờ", visible_from=now + timedelta(seconds=90))
    with time_machine.travel(now, tick=False):
        first = client.get("/thong-bao/")
        assert "Thông báo hẹn giờ" not in first.content.decode()
        assert "s-maxage=90" in first["Cache-Control"]
        assert client.get("/thong-bao/")["X-Page-Cache"] == "hit"
    with time_machine.travel(now + timedelta(seconds=91), tick=False):
        assert "Thông báo hẹn giờ" in client.get("/thong-bao/").content.decode()


class AccountList(ListView):
    from django.contrib.auth.models import User

    model = User


urlpatterns = [path("tai-khoan/", AccountList.as_view())]


@override_settings(ROOT_URLCONF=__name__)
def test_a_public_page_of_a_model_left_out_of_invalidation_fails_the_checks():
    errors = check_public_models_invalidate(None)
    assert [error.id for error in errors] == ["caching.E001"]
    assert "auth.User" in errors[0].msg and "tai-khoan/" in errors[0].msg


def test_the_portal_passes_its_own_check():
    assert check_public_models_invalidate(None) == []
    assert not [e for e in checks.run_checks() if e.id.startswith("caching.")]


# -- fragments vary on what they use ---------------------------------------------------------


def render(source, rf, **context):
    template = engines["django"].from_string("{% load caching %}" + source)
    return template.render(context, rf.get("/"))


def test_a_fragment_varies_on_every_value_it_uses_without_a_list(rf):
    source = '{% fragment "nav" %}{% if is_new_flag %}mới{% else %}cũ{% endif %}{% endfragment %}'
    assert render(source, rf, is_new_flag=False) == "cũ"
    assert render(source, rf, is_new_flag=True) == "mới"
    assert render(source, rf, is_new_flag=False) == "cũ"


def test_a_fragment_varies_on_what_its_included_templates_use(rf, db):
    first, second = Topic.objects.create(name="Chủ đề một"), Topic.objects.create(name="Chủ đề hai")
    source = '{% fragment "list" %}{% include "news/includes/topic_list.html" %}{% endfragment %}'
    assert "Chủ đề một" in render(source, rf, topics=[first])
    assert "Chủ đề hai" in render(source, rf, topics=[second])


def test_a_fragment_varies_on_what_an_inclusion_tag_is_given(rf, make_article):
    first, second = make_article(title="Tin một"), make_article(title="Tin hai")
    source = (
        "{% load news_tags %}"
        '{% fragment "list" %}{% article_card article show_section=True %}{% endfragment %}'
    )
    assert "Tin một" in render(source, rf, article=first)
    assert "Tin hai" in render(source, rf, article=second)


def test_a_fragment_is_kept_until_something_changes(rf, make_article):
    article = make_article(title="Tiêu đề cũ")
    source = '{% fragment "title" %}{{ article.title }}{% endfragment %}'
    assert render(source, rf, article=article) == "Tiêu đề cũ"
    Article = type(article)
    Article.objects.filter(pk=article.pk).update(title="Đổi thầm")  # no signal: still kept
    assert render(source, rf, article=article) == "Tiêu đề cũ"
    article.title = "Tiêu đề mới"
    article.save()
    assert render(source, rf, article=article) == "Tiêu đề mới"


def test_a_fragment_refuses_a_csrf_token(rf):
    from django.template import TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="csrf_token"):
        render('{% fragment "form" %}{% csrf_token %}{% endfragment %}', rf)


# -- HTTP caches in front ------------------------------------------------------------------


def test_public_pages_tell_http_caches_how_long_and_never_past_the_next_publication(
    client, make_article
):
    now = timezone.now().replace(microsecond=0)  # whole seconds: no rounding in s-maxage
    make_article(title="Tin đã đăng")
    # Sooner than the most read list's minute (readership), which bounds the home page too.
    make_article(title="Tin hẹn giờ", published_at=now + timedelta(seconds=45))
    with time_machine.travel(now, tick=False):
        miss = client.get("/")
    cache_control = miss["Cache-Control"]
    assert "public" in cache_control and "max-age=0" in cache_control
    assert "s-maxage=45" in cache_control

    with time_machine.travel(now + timedelta(seconds=30), tick=False):
        hit = client.get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Age"] == "30"  # so a cache in front keeps it 15 s more: to the publication


def test_a_page_made_while_something_changed_is_kept_by_no_one(
    client, make_article, monkeypatch, django_capture_on_commit_callbacks
):
    """A save in another process while the page was being made tells HTTP caches in front to
    drop their pages; this one, which may show the old state, must not be kept after that."""
    from news.views import HomeView

    make_article(title="Tin trước khi sửa")
    made = HomeView.get_context_data

    def made_while_an_editor_saves(view, **kwargs):
        context = made(view, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            make_article(title="Tin lưu giữa chừng")
        return context

    monkeypatch.setattr(HomeView, "get_context_data", made_while_an_editor_saves)
    page = client.get("/")
    assert "s-maxage=0" in page["Cache-Control"]

    monkeypatch.setattr(HomeView, "get_context_data", made)
    fresh = client.get("/")
    assert fresh["X-Page-Cache"] == "miss"  # the page made meanwhile was not stored either
    assert "Tin lưu giữa chừng" in fresh.content.decode()
    assert re.search(r"s-maxage=[1-9]", fresh["Cache-Control"])


@NOTICES
@pytest.mark.parametrize("page_cache", [300, 0])
def test_a_fragment_kept_for_less_bounds_what_shows_it(client, settings, page_cache):
    """A value that changes without a save (counts written in batches) is kept a minute at
    most, and so are the template fragment and the page that show it."""
    from tests.caching_app import views

    settings.PORTAL_PAGE_CACHE_SECONDS = page_cache
    now = timezone.now()
    views.TALLY["count"] = 1
    with time_machine.travel(now, tick=False):
        first = client.get("/bang-dem/")
    assert "Lượt xem: 1" in first.content.decode()
    if page_cache:
        assert "s-maxage=60" in first["Cache-Control"]
    views.TALLY["count"] = 2
    with time_machine.travel(now + timedelta(seconds=30), tick=False):
        kept = client.get("/bang-dem/")
    assert "Lượt xem: 1" in kept.content.decode()
    if page_cache:
        assert kept["X-Page-Cache"] == "hit" and kept["Age"] == "30"
    with time_machine.travel(now + timedelta(seconds=61), tick=False):
        later = client.get("/bang-dem/")
    assert "Lượt xem: 2" in later.content.decode()


def test_staff_pages_are_private(staff_client, make_article):
    article = make_article()
    assert "private" in staff_client.get(article.get_absolute_url())["Cache-Control"]


class Recorder(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_BAN(self):  # noqa: N802 - the HTTP method's name
        Recorder.seen.append((self.command, self.headers["Host"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish(settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.seen = []
    settings.PORTAL_EDGE_CACHES = [
        {
            "BACKEND": "portal.caching.edge.VarnishBan",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
            "OPTIONS": {"HOSTS": ["portal.example.gov.vn"]},
        }
    ]
    yield Recorder
    server.shutdown()
    server.server_close()


def test_a_change_tells_varnish_to_drop_the_sites_pages(varnish, make_article):
    make_article(title="Tin mới")
    assert ("BAN", "portal.example.gov.vn") in varnish.seen


@pytest.mark.django_db(transaction=True)  # saves that commit, as on the site
def test_a_varnish_that_is_down_does_not_stop_a_save(settings, make_article, caplog):
    settings.PORTAL_EDGE_CACHES = [
        {"BACKEND": "portal.caching.edge.VarnishBan", "LOCATION": "http://127.0.0.1:9"}
    ]
    article = make_article(title="Tin vẫn lưu được")
    assert type(article).objects.filter(title="Tin vẫn lưu được").exists()
    assert "Could not purge the HTTP cache" in caplog.text


# -- query strings ---------------------------------------------------------------------------


def test_tracking_parameters_are_the_same_page(client, make_article):
    make_article(title="Tin chia sẻ")
    client.get("/")
    shared = client.get("/?utm_source=zalo&utm_medium=social&fbclid=abc&gclid=x")
    assert shared["X-Page-Cache"] == "hit"


def test_parameters_a_page_does_not_read_make_no_new_entries(client, make_article, settings):
    make_article(title="Tin trang chủ")
    client.get("/")
    cache_dir = Path(settings.CACHES["default"]["LOCATION"])
    before = len(list(cache_dir.glob("*.djcache")))
    for n in range(300):
        response = client.get(f"/?utm={n}")
        assert response.status_code == 200 and response["X-Page-Cache"] == "miss"
    assert len(list(cache_dir.glob("*.djcache"))) - before < 5
    # A parameter the page reads is a page of its own, stored.
    client.get("/chuyen-muc/xa-hoi/?trang=1")
    assert client.get("/chuyen-muc/xa-hoi/?trang=1")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_transaction_of_many_changes_tells_the_edge_once_more_when_it_commits(
    varnish, make_article, category
):
    """An import saves thousands of rows in one transaction: the first change makes a new
    generation at once, the commit one more; the changes between ask nothing of the edge."""
    varnish.seen.clear()
    with transaction.atomic():
        for n in range(20):
            make_article(title=f"Tin nhập số {n}", category=category)
        assert len(varnish.seen) == 1
    assert len(varnish.seen) == 2


def test_a_page_read_between_changes_of_one_transaction_is_made_stale(client, make_article):
    """Within one transaction (a test's, or a view that saves twice), a page stored after the
    first change does not outlive the second."""
    make_article(title="Tin thứ nhất")
    assert "Tin thứ nhất" in client.get("/").content.decode()
    make_article(title="Tin thứ hai")
    assert "Tin thứ hai" in client.get("/").content.decode()

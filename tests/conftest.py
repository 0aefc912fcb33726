import io
import os
import socket
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from news.models import Article, Category


def pytest_collection_modifyitems(items):
    """Mark everything under tests/e2e ``browser``: make test-fast leaves those out."""
    e2e = Path(__file__).resolve().parent / "e2e"
    for item in items:
        if e2e in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in Vietnamese: a request to /en/ leaves English active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a page cached by one test must not leak."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def image_upload():
    def build(name="anh.jpg", fmt="JPEG", size=(64, 48)):
        return SimpleUploadedFile(name, make_image_bytes(fmt, size), content_type="image/jpeg")

    return build


@pytest.fixture
def category(db):
    return Category.objects.create(name="Xã hội", slug="xa-hoi")


@pytest.fixture
def make_article(db, category):
    def build(**fields):
        fields.setdefault("title", "Bài viết thử nghiệm")
        fields.setdefault("category", category)
        fields.setdefault("status", Article.Status.PUBLISHED)
        if fields["status"] == Article.Status.PUBLISHED:
            fields.setdefault("published_at", timezone.now() - timezone.timedelta(hours=1))
        fields.setdefault("lead", "Đoạn sapo của bài viết.")
        fields.setdefault("body", "<p>Nội dung bài viết.</p>")
        return Article.objects.create(**fields)

    return build


@pytest.fixture
def seeded_portal(db):
    """The agency's seed content (fixtures/portal.json): identity, pages, units, leaders, links."""
    from django.core.management import call_command

    call_command("loaddata", "portal", verbosity=0)


@pytest.fixture
def public_pages(db, category):
    """{name: path} of every kind of public page, with real content on each: the list the axe,
    Nu Html Checker and Lighthouse checks share. New kinds of page go in tests/public_pages.py."""
    from tests.public_pages import make_public_pages

    return make_public_pages()


@pytest.fixture
def staff_user(db, django_user_model):
    """A staff member who may manage articles and images (an editor)."""
    user = django_user_model.objects.create_user(
        username="bientap", password="mat-khau-an-toan-1", is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="news"))
    return user


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def make_user(db, django_user_model):
    """A staff user in one of the newsroom's groups, or a superuser."""
    from django.contrib.auth.models import Group

    def build(role, username=None):
        username = username or role
        if role == "superuser":
            return django_user_model.objects.create_superuser(username, password="mat-khau-1")
        user = django_user_model.objects.create_user(username, password="mat-khau-1", is_staff=True)
        user.groups.add(
            Group.objects.get(name={"reporter": "Phóng viên", "editor": "Biên tập viên"}[role])
        )
        return user

    return build


def article_form_data(article, **overrides):
    """The admin change form's POST data for an article as it stands, with changes."""
    local = timezone.localtime(article.published_at) if article.published_at else None
    pin = timezone.localtime(article.pinned_until) if article.pinned_until else None
    data = {
        "title": article.title,
        "slug": article.slug,
        "category": article.category_id,
        "lead": article.lead,
        "body": article.body,
        "featured_image": article.featured_image_id or "",
        "status": article.status,
        "published_at_0": local.strftime("%d/%m/%Y") if local else "",
        "published_at_1": local.strftime("%H:%M:%S") if local else "",
        "expires_at_0": "",
        "expires_at_1": "",
        "pinned_until_0": pin.strftime("%d/%m/%Y") if pin else "",
        "pinned_until_1": pin.strftime("%H:%M:%S") if pin else "",
        "author": article.author,
        "source": article.source,
        "language": article.language,
        "loaded_version": article.version,
        "loaded_revision": "",
    }
    data.update(overrides)
    return data


def settings_probe(code, **env):
    """Run ``code`` after django.setup() in a fresh process under ``env``; returns its stdout.

    The settings are read anew there, from an environment without this run's DJANGO_*,
    PORTAL_* and DATABASE_URL variables.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTAL_", "DATABASE_URL"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=Path(__file__).resolve().parent.parent,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _redis_database():
    """This run's own Redis database, since clearing a Redis cache empties the whole database.

    15 in a serial run; 13 down to 4 for xdist's workers gw0 to gw9, so that parallel workers,
    and a serial run beside them, never clear each other's (14 is test_cache_backends' read server).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return 15
    database = 13 - int(worker.removeprefix("gw"))
    if database < 4:
        pytest.fail(
            f"Redis tests need a database of their own; {worker} has none: use -n 10 or less."
        )
    return database


@pytest.fixture
def redis_url():
    """Redis on this machine, for the tests across processes; required in CI, optional on a
    newcomer's laptop."""
    url = f"redis://127.0.0.1:6379/{_redis_database()}"
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379; CI needs it.")
        pytest.skip("Redis is not running on 127.0.0.1:6379 (needed for the cross-process test).")
    return url


@pytest.fixture
def schedule_queries():
    """The queries a page pays, once per change of the site, to learn when the next scheduled
    change is: one per model with a schedule (portal.caching.store.next_change_stamp). Page
    budgets below count them as they count the page's own."""
    from portal.caching.store import scheduled_models

    return len(scheduled_models())

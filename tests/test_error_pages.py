"""The error pages: 400, 403 (and the CSRF failure), 404 and 500, in the page's language, each with
the search box and the way home; the 500 page with the database or the cache down."""

import socket

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import path

from portal.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

SEARCH_BOX = 'id="loi-tu-khoa" name="q"'


def broken_view(request):
    raise RuntimeError("hỏng giữa chừng")


def forbidden_view(request):
    raise PermissionDenied


def bad_view(request):
    raise BadRequest


# The site's own routes, plus three that fail on purpose (in both languages' address space).
urlpatterns = [
    path("hong/", broken_view),
    path("en/hong/", broken_view),
    path("cam/", forbidden_view),
    path("en/cam/", forbidden_view),
    path("sai/", bad_view),
    *site_urlpatterns,
]


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def page(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    return response.content.decode()


def assert_helps_the_reader(text, home="/", search="/tim-kiem/"):
    assert f'action="{search}"' in text and SEARCH_BOX in text
    assert f'href="{home}"' in text


def test_unknown_page_is_404_in_the_site_look_with_search_and_home(anonymous, seeded_portal):
    text = page(anonymous.get("/khong-co-trang-nay/"), 404)
    assert "<title>Không tìm thấy trang – Bộ Lao động" in text
    assert 'class="site-header"' in text and 'class="site-footer"' in text
    assert '<meta name="robots" content="noindex">' in text
    assert_helps_the_reader(text)
    assert "Về trang chủ" in text


def test_unknown_english_page_is_404_in_english(anonymous, seeded_portal):
    text = page(anonymous.get("/en/no-such-page/"), 404)
    assert '<html lang="en"' in text
    assert "Page not found" in text and "Go to the home page" in text
    assert_helps_the_reader(text, home="/en/", search="/en/search/")


@pytest.mark.parametrize(
    "url",
    [
        "/tin-theo-ngay/2019/02/30/",  # no such date
        "/tin-theo-ngay/2019/13/",
        "/chuyen-muc/xa-hoi/?trang=99999999999999999999",  # a huge page number
        "/tim-kiem/?trang=abc",
        "/%C3%28/",  # invalid UTF-8 in the path
        "/tin-tuc/2019/10/17/%FF%FE/",
    ],
)
def test_malformed_addresses_get_the_404_page(anonymous, category, url):
    assert_helps_the_reader(page(anonymous.get(url), 404))


@override_settings(ROOT_URLCONF=__name__)
def test_a_bad_request_is_400_with_the_site_look(anonymous, seeded_portal):
    text = page(anonymous.get("/sai/"), 400)
    assert "<title>Yêu cầu không hợp lệ – Bộ Lao động" in text
    assert "Máy chủ không hiểu được yêu cầu này" in text
    assert_helps_the_reader(text)


def test_a_query_string_with_too_many_fields_is_400_not_500(anonymous):
    fields = "&".join(f"x{n}=1" for n in range(1100))
    assert "Yêu cầu không hợp lệ" in page(anonymous.get(f"/tim-kiem/?{fields}"), 400)
    english = page(anonymous.get(f"/en/search/?{fields}"), 400)
    assert "Bad request" in english
    assert_helps_the_reader(english, home="/en/", search="/en/search/")


def test_a_host_that_is_not_ours_gets_the_400_page(anonymous, seeded_portal):
    text = page(anonymous.get("/", HTTP_HOST="evil.example"), 400)
    assert "Yêu cầu không hợp lệ" in text
    assert "evil.example" not in text  # no link is built from the untrusted host
    assert_helps_the_reader(text)


@override_settings(ROOT_URLCONF=__name__)
def test_forbidden_is_403_in_either_language(anonymous, seeded_portal):
    text = page(anonymous.get("/cam/"), 403)
    assert "<title>Không có quyền truy cập – Bộ Lao động" in text
    assert "Bạn không có quyền xem trang này." in text
    assert_helps_the_reader(text)
    english = page(anonymous.get("/en/cam/"), 403)
    assert "Access denied" in english
    assert_helps_the_reader(english, home="/en/", search="/en/search/")


def test_staff_without_the_permission_get_the_403_page(client, django_user_model):
    user = django_user_model.objects.create_user("khach", password="mat-khau-1", is_staff=True)
    client.force_login(user)
    assert "Không có quyền truy cập" in page(client.get("/admin/news/article/add/"), 403)


def test_an_expired_form_is_403_saying_so(seeded_portal):
    client = Client(enforce_csrf_checks=True)
    text = page(client.post("/admin/login/", {"username": "a", "password": "b"}), 403)
    assert "<title>Biểu mẫu đã hết hạn – Bộ Lao động" in text
    assert "Hãy quay lại, tải lại trang rồi gửi lại biểu mẫu." in text
    assert "CSRF" not in text  # no jargon for the reader
    assert_helps_the_reader(text)
    english = page(client.post("/en/search/", {"q": "x"}), 403)
    assert "The form has expired" in english and "send the form again" in english


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_500_with_search_and_home(anonymous):
    text = page(anonymous.get("/hong/"), 500)
    assert '<html lang="vi">' in text
    assert "<title>Lỗi máy chủ</title>" in text and "Hệ thống đang gặp sự cố" in text
    assert 'href="/static/css/site.css"' in text
    assert_helps_the_reader(text)
    english = page(anonymous.get("/en/hong/"), 500)
    assert '<html lang="en">' in english and "The system is having a problem" in english
    assert_helps_the_reader(english, home="/en/", search="/en/search/")


@pytest.fixture
def database_down(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)


@pytest.fixture
def cache_down(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.caching.backends.PooledRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }


def test_the_500_page_needs_no_database(anonymous, make_article, database_down):
    # Every real page needs the database: with it down, the home page fails, and the 500 page
    # that says so is made without it.
    text = page(anonymous.get("/"), 500)
    assert "Hệ thống đang gặp sự cố" in text
    assert_helps_the_reader(text)
    assert "The system is having a problem" in page(anonymous.get("/en/"), 500)


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_needs_no_cache(anonymous, cache_down):
    assert_helps_the_reader(page(anonymous.get("/hong/"), 500))


def test_the_500_page_needs_neither(anonymous, cache_down, database_down):
    assert_helps_the_reader(page(anonymous.get("/"), 500))

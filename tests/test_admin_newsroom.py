"""The admin as a newsroom uses it: the index's order and names, the sign-in machinery kept for
superusers, the desk of articles waiting for someone, and the article list's columns."""

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.dashboard import newsroom_desk

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
INDEX = reverse("admin:index")
# What the sign-in apps used to be called on the index; none of it may show, in any case.
ENGLISH_NAMES = re.compile(r"axes|otp|static|totp|devices", re.IGNORECASE)


class VisibleText(HTMLParser):
    """The text a person sees on a page (no tags, scripts, styles or URLs), and the names of
    the index's groups in order."""

    def __init__(self):
        super().__init__()
        self.chunks, self.groups, self._skip, self._caption = [], [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "svg"}:
            self._skip += 1
        if tag == "caption":
            self._caption = []
        for name, value in attrs:
            if name in {"title", "alt", "aria-label", "placeholder"} and value:
                self.chunks.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "svg"}:
            self._skip -= 1
        if tag == "caption" and self._caption is not None:
            self.groups.append(" ".join("".join(self._caption).split()))
            self._caption = None

    def handle_data(self, data):
        if not self._skip:
            self.chunks.append(data)
            if self._caption is not None:
                self._caption.append(data)


def read(response):
    assert response.status_code == 200
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " ".join(" ".join(parser.chunks).split()), parser.groups


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def app_groups(groups):
    """The index's app groups: the desk's lists come first, in their own module."""
    return [g for g in groups if g in APP_NAMES]


APP_NAMES = {
    "Tin tức",
    "Giới thiệu cơ quan",
    "Xác thực và ủy quyền",
    "Bảo vệ đăng nhập",
    "Xác thực hai lớp: ứng dụng",
    "Xác thực hai lớp: mã dự phòng",
}


# -- the index --------------------------------------------------------------------------


def test_the_index_starts_with_the_news_then_the_ministry_then_accounts(make_user):
    text, groups = read(client_for(make_user("superuser")).get(INDEX))
    assert app_groups(groups) == [
        "Tin tức",
        "Giới thiệu cơ quan",
        "Xác thực và ủy quyền",
        "Bảo vệ đăng nhập",
        "Xác thực hai lớp: mã dự phòng",
        "Xác thực hai lớp: ứng dụng",
    ]
    assert "Ứng dụng xác thực" in text and "Bộ mã dự phòng" in text
    assert not ENGLISH_NAMES.search(text), ENGLISH_NAMES.findall(text)


def test_an_editor_sees_the_news_first_and_no_sign_in_machinery(make_user):
    text, groups = read(client_for(make_user("editor")).get(INDEX))
    assert app_groups(groups) == ["Tin tức"]
    assert "Bảo vệ đăng nhập" not in text and "Xác thực hai lớp:" not in text
    assert not ENGLISH_NAMES.search(text), ENGLISH_NAMES.findall(text)


def test_a_staff_member_given_every_sign_in_permission_still_cannot_reach_those_pages(
    make_user,
):
    user = make_user("editor")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["axes", "otp_totp", "otp_static"])
    )
    client = client_for(user)
    text, _groups = read(client.get(INDEX))
    assert "Bảo vệ đăng nhập" not in text and "Ứng dụng xác thực" not in text
    for name in [
        "admin:axes_accessattempt_changelist",
        "admin:otp_totp_totpdevice_changelist",
        "admin:otp_totp_totpdevice_add",
        "admin:otp_static_staticdevice_changelist",
    ]:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("admin:app_list", args=["otp_totp"])).status_code == 404
    superuser = client_for(make_user("superuser"))
    assert superuser.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 200
    assert superuser.get(reverse("admin:app_list", args=["axes"])).status_code == 200


def test_nobody_sees_someone_elses_secret_in_the_admin(make_user):
    app = TOTPDevice.objects.create(user=make_user("editor"), name="Điện thoại")
    superuser = client_for(make_user("superuser"))
    qr_code = reverse("admin:otp_totp_totpdevice_qrcode", args=[app.pk])
    assert superuser.get(qr_code).status_code == 403
    page = superuser.get(reverse("admin:otp_totp_totpdevice_change", args=[app.pk]))
    assert page.status_code == 200 and app.key not in page.content.decode()


def test_the_readmes_paths_in_the_admin_are_what_the_index_shows(make_user):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    paths = [" ".join(p.split()) for p in re.findall(r"\*([^*]+ › [^*]+)\*", readme)]
    assert "Tin tức › Bài viết › Thêm" in paths
    response = client_for(make_user("superuser")).get(INDEX)
    index = {
        app["name"]: {m["name"] for m in app["models"]} for app in response.context["app_list"]
    }
    for readme_path in paths:
        group, model, *action = [part.strip() for part in readme_path.split("›")]
        assert model in index.get(group, ()), f"README: *{readme_path}*; the index: {index}"
        assert action in ([], ["Thêm"], ["Thay đổi"]), readme_path


def test_the_sign_in_pages_are_named_in_vietnamese_for_superusers(make_user):
    client = client_for(make_user("superuser"))
    text, _groups = read(client.get(reverse("admin:otp_totp_totpdevice_changelist")))
    assert "Xác thực hai lớp: ứng dụng" in text  # the breadcrumbs
    assert "Chọn ứng dụng xác thực để thay đổi" in text


# -- the desk ---------------------------------------------------------------------------


@pytest.fixture
def newsroom(make_user, make_article):
    """An editor and two reporters, with articles in every state of the workflow."""
    editor, reporter, other = (
        make_user("editor"),
        make_user("reporter"),
        make_user("reporter", username="phongvien2"),
    )
    scheduled_at = datetime(2099, 10, 17, 21, 50, tzinfo=HCM)
    articles = {
        "pending_mine": make_article(title="Bài chờ duyệt của tôi", status="pending"),
        "pending_other": make_article(title="Bài chờ duyệt của người khác", status="pending"),
        "scheduled_mine": make_article(title="Bài hẹn giờ của tôi", published_at=scheduled_at),
        "scheduled_other": make_article(title="Bài hẹn giờ khác", published_at=scheduled_at),
        "draft_mine": make_article(title="Bản nháp của phóng viên", status="draft"),
        "draft_editor": make_article(title="Bản nháp của biên tập viên", status="draft"),
        "draft_other": make_article(title="Bản nháp người khác", status="draft"),
        "live": make_article(
            title="Tin đã đăng",
            published_at=datetime(2023, 9, 13, tzinfo=HCM),
            date_only=True,
        ),
    }
    owners = {
        "pending_mine": reporter,
        "scheduled_mine": reporter,
        "draft_mine": reporter,
        "draft_editor": editor,
    }
    for key, article in articles.items():
        type(article).objects.filter(pk=article.pk).update(created_by=owners.get(key, other))
    return editor, reporter, articles


def desk_of(response):
    """{list: the titles in it} as the desk shows them, and the page."""
    page = response.content.decode()
    lists = {}
    for slug, body in re.findall(r'id="desk-(\w+)">(.*?)</table>', page, re.S):
        lists[slug] = re.findall(r'<a href="[^"]+">([^<]+)</a>', body)
    return lists, page


def test_an_editor_sees_the_newsroom_queue_and_schedule_and_their_own_drafts(newsroom):
    editor, _reporter, articles = newsroom
    lists, page = desk_of(client_for(editor).get(INDEX))
    assert lists == {
        "pending": ["Bài chờ duyệt của tôi", "Bài chờ duyệt của người khác"],
        "scheduled": ["Bài hẹn giờ của tôi", "Bài hẹn giờ khác"],
        "drafts": ["Bản nháp của biên tập viên"],
        "published": ["Tin đã đăng"],
    }
    text, _groups = read(client_for(editor).get(INDEX))
    assert "Chờ duyệt" in text and "Hẹn giờ xuất bản" in text and "Mới xuất bản" in text
    assert "21:50 | 17/10/2099" in text  # when the scheduled ones go live, in GMT+7
    assert "13/09/2023" in text and "00:00 | 13/09/2023" not in text  # a date-only article
    for article in articles.values():
        if article.title in sum(lists.values(), []):
            assert f'href="{reverse("admin:news_article_change", args=[article.pk])}"' in page
    assert f'href="{reverse("admin:news_article_changelist")}?status__exact=pending"' in page


def test_a_reporter_sees_their_own_work_and_what_is_public(newsroom):
    _editor, reporter, _articles = newsroom
    lists, page = desk_of(client_for(reporter).get(INDEX))
    assert lists == {
        "pending": ["Bài chờ duyệt của tôi"],
        "scheduled": ["Bài hẹn giờ của tôi"],
        "drafts": ["Bản nháp của phóng viên"],
        "published": ["Tin đã đăng"],
    }
    assert "Bài của tôi đang chờ duyệt" in page and "Bài của tôi đã hẹn giờ" in page
    assert "?status__exact=pending" not in page  # the whole queue is the editors'


def test_the_desk_says_when_a_list_is_empty(make_user):
    text, _groups = read(client_for(make_user("editor")).get(INDEX))
    assert "Không có bài nào đang chờ duyệt." in text
    assert "Bạn không có bản nháp nào." in text


def test_staff_who_may_not_see_articles_get_no_desk(django_user_model):
    clerk = django_user_model.objects.create_user("vanthu", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_agencypage"))
    response = client_for(clerk).get(INDEX)
    assert response.status_code == 200
    assert newsroom_desk(clerk) == [] and 'id="desk-' not in response.content.decode()


def test_the_desk_costs_four_queries_however_many_articles(
    newsroom, make_article, django_assert_num_queries, django_assert_max_num_queries
):
    editor, _reporter, _articles = newsroom
    editor.has_perm("news.view_article")  # the permissions, as the index has loaded them
    with django_assert_num_queries(4):
        newsroom_desk(editor)
    client = client_for(editor)
    client.get(INDEX)
    with django_assert_max_num_queries(12):
        few = client.get(INDEX)
    for n in range(30):
        make_article(title=f"Bài chờ duyệt số {n}", status="pending")
    with django_assert_max_num_queries(12):
        many = client.get(INDEX)
    assert few.status_code == many.status_code == 200
    lists, _page = desk_of(many)
    assert len(lists["pending"]) == 8


# -- the article list -------------------------------------------------------------------


def test_the_article_list_shows_a_date_only_article_without_a_time(make_user, make_article):
    make_article(
        title="Tin chỉ có ngày", published_at=datetime(2023, 9, 13, tzinfo=HCM), date_only=True
    )
    make_article(title="Tin có giờ", published_at=datetime(2019, 10, 17, 21, 50, tzinfo=HCM))
    text, _groups = read(
        client_for(make_user("editor")).get(reverse("admin:news_article_changelist"))
    )
    assert "13/09/2023" in text and "00:00" not in text
    assert "21:50 | 17/10/2019" in text
    assert "Đang hiển thị" in text  # the state column says what the status said


def test_the_article_list_sorts_by_publication(make_user, make_article):
    older = make_article(title="Cũ", published_at=timezone.now() - timedelta(days=2))
    newer = make_article(title="Mới", published_at=timezone.now() - timedelta(days=1))
    client = client_for(make_user("editor"))
    changelist = reverse("admin:news_article_changelist")
    column = 4  # title, category, state, publication
    response = client.get(changelist, {"o": str(column)})
    assert [a.pk for a in response.context["cl"].result_list] == [older.pk, newer.pk]

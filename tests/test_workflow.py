from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from news.models import Article
from tests.conftest import article_form_data

pytestmark = pytest.mark.django_db

ADD = reverse("admin:news_article_add")
CHANGELIST = reverse("admin:news_article_changelist")


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def open_form(client, article):
    """GET the change form as an editor would, returning the data it would post back."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = article_form_data(article)
    data["loaded_version"] = form["loaded_version"].value()
    data["loaded_revision"] = form["loaded_revision"].value() or ""
    return data


def new_article_data(category, **overrides):
    data = {
        "title": "Bài mới của phóng viên",
        "slug": "",
        "category": category.pk,
        "lead": "Sapo.",
        "body": "<p>Nội dung.</p>",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "author": "",
        "source": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def users(make_user):
    return {
        "anonymous": None,
        "reporter": make_user("reporter"),
        "other_reporter": make_user("reporter", "phongvien2"),
        "editor": make_user("editor"),
        "superuser": make_user("superuser"),
    }


def test_roles_exist_as_groups_with_the_publish_permission_only_for_editors(users):
    assert not users["reporter"].has_perm("news.publish_article")
    assert users["reporter"].has_perm("news.add_article")
    assert users["editor"].has_perm("news.publish_article")
    assert users["editor"].has_perm("news.delete_category")
    assert not users["editor"].has_perm("auth.change_user")
    assert users["superuser"].has_perm("auth.change_user")


# -- the permission matrix --------------------------------------------------------------

CREATE = {"anonymous": False, "reporter": True, "editor": True, "superuser": True}


@pytest.mark.parametrize("role", CREATE)
def test_create(users, category, role):
    response = client_for(users[role]).post(ADD, new_article_data(category))
    assert (Article.objects.count() == 1) is CREATE[role]
    if role == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]


EDIT_OWN_DRAFT = {"reporter": True, "editor": True, "superuser": True}


@pytest.mark.parametrize("role", EDIT_OWN_DRAFT)
def test_edit_own_draft(users, make_article, role):
    user = users[role]
    article = make_article(status="draft", created_by=user)
    client = client_for(user)
    response = client.post(change_url(article), open_form(client, article) | {"title": "Đã sửa"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Đã sửa"


@pytest.mark.parametrize(
    ("role", "status", "allowed"),
    [
        ("reporter", "draft", False),
        ("reporter", "published", False),
        ("editor", "draft", True),
        ("editor", "published", True),
        ("superuser", "published", True),
    ],
)
def test_edit_others_article(users, make_article, role, status, allowed):
    article = make_article(status=status, created_by=users["other_reporter"])
    client = client_for(users[role])
    data = article_form_data(article, title="Sửa bài người khác")
    response = client.post(change_url(article), data)
    article.refresh_from_db()
    assert (article.title == "Sửa bài người khác") is allowed
    if not allowed:
        assert response.status_code == 403


def test_reporter_cannot_edit_own_article_once_published(users, make_article):
    article = make_article(status="published", created_by=users["reporter"])
    client = client_for(users["reporter"])
    response = client.post(change_url(article), article_form_data(article, title="Sửa lén"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Sửa lén"


def test_anonymous_cannot_edit(users, make_article):
    article = make_article(status="draft")
    response = Client().post(change_url(article), article_form_data(article, title="x"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title != "x"


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_submit_for_review_from_the_form(users, make_article, role):
    user = users[role]
    article = make_article(status="draft", created_by=user)
    client = client_for(user)
    response = client.post(change_url(article), open_form(client, article) | {"status": "pending"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "pending"
    assert not article.is_visible


def test_submit_for_review_action(users, make_article):
    reporter = users["reporter"]
    own = make_article(title="Của tôi", status="draft", created_by=reporter)
    others = make_article(
        title="Của người khác", status="draft", created_by=users["other_reporter"]
    )
    client = client_for(reporter)
    client.post(
        CHANGELIST, {"action": "submit_for_review", "_selected_action": [own.pk, others.pk]}
    )
    own.refresh_from_db()
    others.refresh_from_db()
    assert own.status == "pending"
    assert others.status == "draft"


PUBLISH = {"reporter": False, "editor": True, "superuser": True}


@pytest.mark.parametrize("role", PUBLISH)
def test_publish_from_the_form(users, make_article, role):
    user = users[role]
    article = make_article(status="pending", created_by=user)
    client = client_for(user)
    response = client.post(
        change_url(article), open_form(client, article) | {"status": "published"}
    )
    article.refresh_from_db()
    assert (article.status == "published") is PUBLISH[role]
    if not PUBLISH[role]:
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode() or "Hãy chọn" in (
            response.content.decode()
        )


@pytest.mark.parametrize("role", PUBLISH)
def test_publish_action(users, make_article, role):
    article = make_article(status="pending", created_by=users["reporter"])
    client_for(users[role]).post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert (article.status == "published") is PUBLISH[role]
    if PUBLISH[role]:
        assert article.published_at <= timezone.now()
        assert article.is_visible


def test_reporter_crafted_post_with_status_published_is_refused(users, category):
    client = client_for(users["reporter"])
    response = client.post(ADD, new_article_data(category, status="published"))
    assert response.status_code == 200
    assert not Article.objects.exists()


def test_reporter_has_no_publish_choice_or_action(users, make_article):
    reporter = users["reporter"]
    client = client_for(reporter)
    page = client.get(ADD).content.decode()
    assert 'value="published"' not in page
    assert 'value="pending"' in page
    make_article(status="draft", created_by=reporter)
    listing = client.get(CHANGELIST).content.decode()
    assert "publish_selected" not in listing
    assert "submit_for_review" in listing


UNPUBLISH = {"reporter": False, "editor": True, "superuser": True}


@pytest.mark.parametrize("role", UNPUBLISH)
def test_unpublish_action(users, make_article, role):
    article = make_article(status="published", created_by=users["reporter"])
    client_for(users[role]).post(
        CHANGELIST, {"action": "unpublish_selected", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert (article.status == "draft") is UNPUBLISH[role]


def test_editor_unpublishes_from_the_form(users, make_article):
    article = make_article(status="published")
    client = client_for(users["editor"])
    response = client.post(change_url(article), open_form(client, article) | {"status": "draft"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "draft" and not article.is_visible


@pytest.mark.parametrize("role", PUBLISH)
def test_schedule(users, category, role):
    when = timezone.localtime() + timedelta(days=2)
    data = new_article_data(
        category,
        status="published",
        published_at_0=when.strftime("%d/%m/%Y"),
        published_at_1=when.strftime("%H:%M:%S"),
    )
    client_for(users[role]).post(ADD, data)
    scheduled = Article.objects.filter(status="published").first()
    assert (scheduled is not None) is PUBLISH[role]
    if scheduled:
        assert scheduled.is_scheduled and not scheduled.is_visible


DELETE = {"reporter": False, "editor": True, "superuser": True}


@pytest.mark.parametrize("role", DELETE)
def test_delete(users, make_article, role):
    article = make_article(status="draft", created_by=users["reporter"])
    client_for(users[role]).post(
        reverse("admin:news_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert (not Article.objects.filter(pk=article.pk).exists()) is DELETE[role]


# -- states, scheduling, audit ----------------------------------------------------------


def test_editors_see_what_is_waiting_for_them(users, make_article):
    make_article(title="Chờ 1", status="pending")
    make_article(title="Chờ 2", status="pending")
    page = client_for(users["editor"]).get(CHANGELIST).content.decode()
    assert "Có 2 bài đang chờ duyệt" in page
    pending = client_for(users["editor"]).get(CHANGELIST + "?status__exact=pending")
    assert "Chờ 1" in pending.content.decode()


def test_scheduled_articles_are_shown_as_scheduled_in_gmt7(users, make_article):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    when = datetime(2099, 10, 17, 21, 50, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    make_article(title="Bài hẹn giờ", published_at=when)
    page = client_for(users["editor"]).get(CHANGELIST).content.decode()
    assert "Đã lên lịch 21:50 | 17/10/2099 (GMT+7)" in page
    filtered = client_for(users["editor"]).get(CHANGELIST + "?hien-thi=scheduled")
    assert "Bài hẹn giờ" in filtered.content.decode()


def test_expired_article_is_hidden(make_article):
    now = timezone.now()
    article = make_article(published_at=now - timedelta(days=2), expires_at=now - timedelta(days=1))
    assert not Article.objects.published().exists()
    assert not article.is_visible


def test_expiry_before_publication_is_a_form_error(users, category):
    now = timezone.localtime()
    earlier = now - timedelta(days=1)
    data = new_article_data(
        category,
        status="published",
        published_at_0=now.strftime("%d/%m/%Y"),
        published_at_1=now.strftime("%H:%M:%S"),
        expires_at_0=earlier.strftime("%d/%m/%Y"),
        expires_at_1=earlier.strftime("%H:%M:%S"),
    )
    response = client_for(users["editor"]).post(ADD, data)
    assert response.status_code == 200
    assert "Thời điểm hết hạn phải sau thời điểm xuất bản" in response.content.decode()


def test_history_says_who_published_unpublished_and_scheduled(users, make_article):
    editor = users["editor"]
    client = client_for(editor)
    article = make_article(status="pending", created_by=users["reporter"])
    client.post(change_url(article), open_form(client, article) | {"status": "published"})
    article.refresh_from_db()
    client.post(CHANGELIST, {"action": "unpublish_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    later = timezone.localtime() + timedelta(days=1)
    client.post(
        change_url(article),
        open_form(client, article)
        | {
            "status": "published",
            "published_at_0": later.strftime("%d/%m/%Y"),
            "published_at_1": later.strftime("%H:%M:%S"),
        },
    )
    messages = [
        e.get_change_message()
        for e in LogEntry.objects.filter(object_id=str(article.pk), user=editor)
    ]
    assert any(m.startswith("Đã xuất bản.") for m in messages)
    assert any(m.startswith("Đã gỡ xuống") for m in messages)
    assert any(m.startswith("Đã hẹn giờ xuất bản lúc") for m in messages)
    history = client.get(reverse("admin:news_article_history", args=[article.pk]))
    page = history.content.decode()
    assert "Đã hẹn giờ xuất bản lúc" in page and "Đã gỡ xuống" in page
    assert editor.username in page


# -- revisions --------------------------------------------------------------------------


def test_every_admin_save_and_action_keeps_a_revision(users, category):
    client = client_for(users["editor"])
    client.post(ADD, new_article_data(category))
    article = Article.objects.get()
    client.post(change_url(article), open_form(client, article) | {"body": "<p>Bản hai</p>"})
    client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [article.pk]})
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 3
    newest = versions.first()
    assert newest.field_dict["status"] == "published"
    assert newest.field_dict["body"] == "<p>Bản hai</p>"
    assert newest.revision.user == users["editor"]


def test_restoring_a_revision(users, make_article):
    client = client_for(users["editor"])
    article = make_article(status="draft", body="<p>Bản gốc</p>")
    client.post(change_url(article), open_form(client, article) | {"body": "<p>Bản đầu</p>"})
    article.refresh_from_db()
    client.post(change_url(article), open_form(client, article) | {"body": "<p>Bản sau</p>"})
    first = Version.objects.get_for_object(article).order_by("pk").first()
    revision_url = reverse("admin:news_article_revision", args=[article.pk, first.pk])
    form_page = client.get(revision_url)
    assert form_page.status_code == 200
    assert "Bản đầu" in form_page.content.decode()
    restored = open_form(client, article)  # the values the revision form would post
    restored["body"] = first.field_dict["body"]
    restored["loaded_version"] = form_page.context["adminform"].form["loaded_version"].value()
    response = client.post(revision_url, restored)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>Bản đầu</p>"
    assert Version.objects.get_for_object(article).count() == 3


def test_comparing_two_revisions(users, make_article):
    client = client_for(users["editor"])
    article = make_article(status="draft", title="Tiêu đề cũ")
    client.post(change_url(article), open_form(client, article))
    article.refresh_from_db()
    client.post(change_url(article), open_form(client, article) | {"title": "Tiêu đề mới"})
    older, newer = Version.objects.get_for_object(article).order_by("pk")
    url = reverse("admin:news_article_compare", args=[article.pk])
    page = client.get(url, {"v": [older.pk, newer.pk]}).content.decode()
    assert "<del>cũ</del>" in page and "<ins>mới</ins>" in page
    history = client.get(reverse("admin:news_article_history", args=[article.pk]))
    assert f'value="{older.pk}"' in history.content.decode()
    assert (
        "Hãy chọn đúng hai phiên bản"
        in client.get(url, {"v": [older.pk]}, follow=True).content.decode()
    )


def test_compare_view_needs_staff(users, make_article):
    article = make_article()
    url = reverse("admin:news_article_compare", args=[article.pk])
    assert Client().get(url).status_code == 302


# -- no lost edits ----------------------------------------------------------------------


def test_second_save_is_refused_and_keeps_the_second_persons_text(users, make_article):
    editor, superuser = users["editor"], users["superuser"]
    article = make_article(status="draft", title="Bản gốc", body="<p>Đoạn một.</p>")
    first, second = client_for(editor), client_for(superuser)
    first_form = open_form(first, article)
    second_form = open_form(second, article)

    saved = first.post(change_url(article), first_form | {"title": "Bản của người thứ nhất"})
    assert saved.status_code == 302

    response = second.post(
        change_url(article),
        second_form | {"body": "<p>Đoạn văn người thứ hai gõ rất lâu.</p>"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "sau khi bạn mở nó" in page
    assert "Đoạn văn người thứ hai gõ rất lâu." in page  # their text is still in the form
    assert "<del>gốc</del> <ins>của người thứ nhất</ins>" in page  # what changed meanwhile
    article.refresh_from_db()
    assert article.title == "Bản của người thứ nhất"
    assert article.body == "<p>Đoạn một.</p>"

    # Having seen the change, saving again is a deliberate choice and goes through.
    form = response.context["adminform"].form
    retry = second_form | {
        "body": "<p>Đoạn văn người thứ hai gõ rất lâu.</p>",
        "title": "Bản của người thứ nhất",
        "loaded_version": form["loaded_version"].value(),
        "loaded_revision": form["loaded_revision"].value(),
    }
    assert second.post(change_url(article), retry).status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>Đoạn văn người thứ hai gõ rất lâu.</p>"
    assert article.title == "Bản của người thứ nhất"


def test_a_save_without_the_version_is_refused(users, make_article):
    article = make_article(status="draft")
    client = client_for(users["editor"])
    data = article_form_data(article, title="Không có phiên bản")
    data.pop("loaded_version")
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title != "Không có phiên bản"


def test_version_changes_on_every_save_and_never_goes_back(make_article):
    article = make_article()
    first = article.version
    article.save()
    assert article.version > first


def test_conflict_shows_only_what_the_other_person_changed(users, category):
    first, second = client_for(users["editor"]), client_for(users["superuser"])
    first.post(ADD, new_article_data(category, title="Bản gốc", body="<p>Đoạn một.</p>"))
    article = Article.objects.get()
    first_form, second_form = open_form(first, article), open_form(second, article)
    assert first_form["loaded_revision"]
    first.post(change_url(article), first_form | {"title": "Bản gốc đã sửa"})
    response = second.post(change_url(article), second_form | {"body": "<p>Đoạn hai.</p>"})
    page = response.content.decode()
    assert "Những phần họ đã thay đổi" in page
    assert "Bản gốc <ins>đã sửa</ins>" in page
    assert "Đoạn hai." in page  # still in the form
    assert "<ins>Đoạn hai.</ins>" not in page  # the body was not changed by the other person

"""Revision history is no back door: every history, revision, compare and recover view asks
for the right to change that very object, and a restore is a save like any other."""

import pytest
import reversion
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from agency.models import OrganisationUnit, SiteIdentity
from news.models import Article, Category
from tests.conftest import article_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user):
    return {
        "reporter": make_user("reporter"),
        "editor": make_user("editor"),
        "other_editor": make_user("editor", "bientap2"),
    }


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def versioned(obj, **later):
    """Save ``obj`` in a revision, then change it to ``later`` in another; the first version."""
    with reversion.create_revision():
        obj.save()
    first = Version.objects.get_for_object(obj).get()
    for name, value in later.items():
        setattr(obj, name, value)
    with reversion.create_revision():
        obj.save()
    return first


def revision_url(model_admin, object_pk, version):
    return reverse(f"admin:{model_admin}_revision", args=[object_pk, version.pk])


def history_page_data(client, url):
    """What the revision form would post back: its fields as the page shows them."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "widgets"):  # date and time boxes
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = (
                    part.strftime("%d/%m/%Y" if i == 0 else "%H:%M:%S") if part else ""
                )
        else:
            data[name] = "" if value is None else value
    return data


@pytest.fixture
def reporters_draft(users, make_article):
    """A reporter's own draft: the one article a reporter may change."""
    return make_article(
        status="draft", title="Bản nháp của phóng viên", created_by=users["reporter"]
    )


# -- a version of another model or object is a 404, whatever the URL says ---------------


def test_a_version_of_the_site_identity_cannot_be_restored_through_an_article(users, make_article):
    identity = SiteIdentity.objects.get()
    identity.name_vi = "Tên cũ của cơ quan"
    old = versioned(identity, name_vi="Bộ Lao động – Thương binh và Xã hội")
    # The reporter's own draft, with the same primary key as the identity record.
    draft = make_article(status="draft", pk=identity.pk, created_by=users["reporter"])
    client = client_for(users["reporter"])
    url = revision_url("news_article", draft.pk, old)
    assert client.get(url).status_code == 404
    assert client.post(url, article_form_data(draft)).status_code == 404
    assert SiteIdentity.objects.get().name_vi == "Bộ Lao động – Thương binh và Xã hội"


def test_a_version_of_another_article_is_a_404(users, reporters_draft, make_article):
    other = make_article(title="Bài của biên tập viên", created_by=users["editor"])
    old = versioned(other, title="Bài đã sửa")
    client = client_for(users["reporter"])
    url = revision_url("news_article", reporters_draft.pk, old)
    assert client.post(url, article_form_data(reporters_draft)).status_code == 404
    other.refresh_from_db()
    assert other.title == "Bài đã sửa"


def test_save_as_new_on_an_article_that_no_longer_exists_is_a_404(users, make_article):
    article = make_article(title="Bài đã xóa", created_by=users["editor"])
    old = versioned(article, title="Bài đã sửa")
    pk = article.pk
    article.delete()
    client = client_for(users["reporter"])
    url = revision_url("news_article", pk, old)
    data = article_form_data(article, _saveasnew="1", status="draft")
    assert client.post(url, data).status_code == 404
    assert not Article.objects.exists()


def test_save_as_new_is_refused_on_a_revision_page(users, reporters_draft):
    old = versioned(reporters_draft, title="Tiêu đề mới")
    client = client_for(users["reporter"])
    url = revision_url("news_article", reporters_draft.pk, old)
    data = article_form_data(reporters_draft, _saveasnew="1")
    assert client.post(url, data).status_code == 403
    assert Article.objects.count() == 1


# -- the right to change that object, and to publish --------------------------------------


def test_a_reporter_cannot_restore_someone_elses_published_article(users, make_article):
    article = make_article(title="Tin đã đăng", created_by=users["editor"])
    old = versioned(article, title="Tin đã đăng, bản sửa")
    client = client_for(users["reporter"])
    url = revision_url("news_article", article.pk, old)
    assert client.get(url).status_code == 403
    assert client.post(url, article_form_data(article, title="Tin đã đăng")).status_code == 403
    article.refresh_from_db()
    assert article.title == "Tin đã đăng, bản sửa"
    assert Version.objects.get_for_object(article).count() == 2


def test_a_reporter_cannot_restore_a_published_state_of_their_own_article(users, reporters_draft):
    reporters_draft.status = Article.Status.PUBLISHED
    old = versioned(reporters_draft, status=Article.Status.DRAFT)
    client = client_for(users["reporter"])
    url = revision_url("news_article", reporters_draft.pk, old)
    assert client.get(url).status_code == 403
    reporters_draft.refresh_from_db()
    assert reporters_draft.status == Article.Status.DRAFT


@pytest.mark.parametrize(
    ("model_admin", "build"),
    [
        ("news_category", lambda: Category(name="Xã hội", slug="xa-hoi-2")),
        ("agency_siteidentity", lambda: SiteIdentity.objects.get()),
        ("agency_organisationunit", lambda: OrganisationUnit(name_vi="Văn phòng Bộ")),
    ],
)
@pytest.mark.parametrize("view", ["history", "revision"])
def test_a_reporter_cannot_see_or_restore_other_models_history(users, model_admin, build, view):
    obj = build()
    old = versioned(obj)
    client = client_for(users["reporter"])
    if view == "history":
        url = reverse(f"admin:{model_admin}_history", args=[obj.pk])
    else:
        url = revision_url(model_admin, obj.pk, old)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_a_reporter_cannot_see_the_history_of_someone_elses_article(users, make_article):
    article = make_article(created_by=users["editor"])
    versioned(article)
    client = client_for(users["reporter"])
    assert client.get(reverse("admin:news_article_history", args=[article.pk])).status_code == 403
    compare = reverse("admin:news_article_compare", args=[article.pk])
    assert client.get(compare).status_code == 403


def test_a_reporter_cannot_recover_a_deleted_article(users, make_article):
    article = make_article(title="Bài bị xóa", created_by=users["reporter"])
    with reversion.create_revision():
        article.save()
    version = Version.objects.get_for_object(article).get()
    pk = article.pk
    article.delete()
    client = client_for(users["reporter"])
    url = reverse("admin:news_article_recover", args=[version.pk])
    assert client.get(reverse("admin:news_article_recoverlist")).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, article_form_data(article)).status_code == 403
    assert not Article.objects.filter(pk=pk).exists()


def test_a_version_of_another_model_cannot_be_recovered_as_an_article(users):
    unit = OrganisationUnit(name_vi="Vụ Pháp chế")
    with reversion.create_revision():
        unit.save()
    version = Version.objects.get_for_object(unit).get()
    unit.delete()
    client = client_for(users["editor"])
    assert client.get(reverse("admin:news_article_recover", args=[version.pk])).status_code == 404
    assert not OrganisationUnit.objects.exists()


# -- a restore is a save like any other ---------------------------------------------------


def test_showing_a_version_changes_nothing(users, make_article):
    article = make_article(title="Bản đầu", created_by=users["editor"])
    old = versioned(article, title="Bản sau")
    client = client_for(users["editor"])
    page = client.get(revision_url("news_article", article.pk, old))
    assert "Bản đầu" in page.content.decode()
    article.refresh_from_db()
    assert article.title == "Bản sau"
    assert Version.objects.get_for_object(article).count() == 2


def test_a_restore_leaves_a_revision_naming_who_restored_which_version(users, make_article):
    article = make_article(title="Bản đầu", created_by=users["editor"])
    old = versioned(article, title="Bản sau")
    client = client_for(users["other_editor"])
    url = revision_url("news_article", article.pk, old)
    assert client.post(url, history_page_data(client, url)).status_code == 302
    article.refresh_from_db()
    assert article.title == "Bản đầu"
    newest = Version.objects.get_for_object(article).first()
    assert newest.revision.user == users["other_editor"]
    assert f"phiên bản số {old.pk}" in newest.revision.get_comment()


def test_a_reporter_restores_their_own_draft(users, reporters_draft):
    old = versioned(reporters_draft, title="Tiêu đề mới")
    client = client_for(users["reporter"])
    url = revision_url("news_article", reporters_draft.pk, old)
    assert client.post(url, history_page_data(client, url)).status_code == 302
    reporters_draft.refresh_from_db()
    assert reporters_draft.title == "Bản nháp của phóng viên"


def test_a_restore_cannot_publish_for_a_reporter(users, reporters_draft):
    old = versioned(reporters_draft, title="Tiêu đề mới")
    client = client_for(users["reporter"])
    url = revision_url("news_article", reporters_draft.pk, old)
    data = history_page_data(client, url) | {"status": "published"}
    response = client.post(url, data)
    assert response.status_code == 200
    reporters_draft.refresh_from_db()
    assert reporters_draft.status == Article.Status.DRAFT


def test_a_restore_goes_through_the_sanitiser(users, make_article):
    article = make_article(title="Bản đầu", created_by=users["editor"])
    old = versioned(article, title="Bản sau")
    client = client_for(users["editor"])
    url = revision_url("news_article", article.pk, old)
    data = history_page_data(client, url) | {"body": "<p>Chữ</p><script>alert(1)</script>"}
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert "<script" not in article.body and "Chữ" in article.body


def test_a_restore_does_not_overwrite_a_save_made_after_the_history_was_opened(users, make_article):
    article = make_article(title="Bản đầu", created_by=users["editor"])
    old = versioned(article, title="Bản sau")
    restorer = client_for(users["editor"])
    url = revision_url("news_article", article.pk, old)
    data = history_page_data(restorer, url)

    # Meanwhile another editor saves through the admin.
    other = client_for(users["other_editor"])
    change = reverse("admin:news_article_change", args=[article.pk])
    form = other.get(change).context["adminform"].form
    article.refresh_from_db()
    edit = article_form_data(article, title="Bản của biên tập viên khác")
    edit["loaded_version"] = form["loaded_version"].value()
    edit["loaded_revision"] = form["loaded_revision"].value() or ""
    assert other.post(change, edit).status_code == 302

    response = restorer.post(url, data)
    assert response.status_code == 200
    assert "sau khi bạn mở nó" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Bản của biên tập viên khác"


def test_an_editor_recovers_a_deleted_article_with_its_history(users, make_article):
    article = make_article(title="Bài bị xóa nhầm", created_by=users["editor"])
    with reversion.create_revision():
        article.save()
    version = Version.objects.get_for_object(article).get()
    pk = article.pk
    client = client_for(users["editor"])
    client.post(reverse("admin:news_article_delete", args=[pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=pk).exists()
    url = reverse("admin:news_article_recover", args=[version.pk])
    response = client.post(url, history_page_data(client, url))
    assert response.status_code == 302
    assert Article.objects.get(pk=pk).title == "Bài bị xóa nhầm"
    assert (
        "phiên bản số"
        in Version.objects.get_for_object_reference(Article, pk).first().revision.get_comment()
    )


def test_a_recover_form_left_unsaved_brings_nothing_back(users, make_article):
    article = make_article(title="Bài bị xóa", created_by=users["editor"])
    with reversion.create_revision():
        article.save()
    version = Version.objects.get_for_object(article).get()
    pk = article.pk
    article.delete()
    client = client_for(users["editor"])
    assert client.get(reverse("admin:news_article_recover", args=[version.pk])).status_code == 200
    assert not Article.objects.filter(pk=pk).exists()


def test_recovering_deleted_articles_is_offered_only_to_those_who_may(users):
    changelist = reverse("admin:news_article_changelist")
    recover = reverse("admin:news_article_recoverlist")
    assert recover not in client_for(users["reporter"]).get(changelist).content.decode()
    assert recover in client_for(users["editor"]).get(changelist).content.decode()

"""No traps: what a schema change, a new cleaning rule or a new form field could silently break."""

import copy
import io
import unicodedata
from datetime import timedelta

import pytest
from django.contrib.admin.utils import flatten_fieldsets
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agency.admin import AgencyPageAdmin, AgencyPageAdminForm
from agency.models import AgencyLink, AgencyPage, Leader, OrganisationUnit, SiteIdentity
from news.admin import ArticleAdmin, ArticleAdminForm
from news.models import Article, Category, Image
from news.search import search_articles, search_words

pytestmark = pytest.mark.django_db

DIRTY = unicodedata.normalize("NFD", "  Bình đẳng giới\x07 ")  # decomposed, a control char
CLEAN = "Bình đẳng giới"


def found(query):
    articles, _count, _more = search_articles(Article.objects.published(), search_words(query))
    return [article.title for article in articles]


# --- The SQLite search index survives what migrations do to the article table ---------------

sqlite_with_fts5 = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 index is SQLite's"
)


def migrate():
    out = io.StringIO()
    call_command("migrate", verbosity=1, stdout=out)
    return out.getvalue()


def search_triggers():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'news_article'"
        )
        return sorted(name for (name,) in cursor.fetchall())


@pytest.fixture
def index_repaired_afterwards():
    """Whatever a test does to the index, the tests after it find it whole."""
    yield
    migrate()


def rebuild_article_table():
    """What SQLite's schema editor does for most changes to a field (adding one, say): copy the
    rows to a new table, drop the old one, give the new one its name."""
    title = Article._meta.get_field("title")
    wider = copy.copy(title)
    wider.max_length = title.max_length + 1
    with connection.schema_editor() as editor:
        editor.alter_field(Article, title, wider)
        editor.alter_field(Article, wider, title)


@sqlite_with_fts5
@pytest.mark.django_db(transaction=True)
def test_search_finds_new_articles_after_a_table_rebuild(make_article, index_repaired_afterwards):
    make_article(title="Tập huấn bình đẳng giới trước khi đổi bảng")
    triggers = search_triggers()

    rebuild_article_table()
    migrate()
    make_article(title="Hội nghị bình đẳng giới sau khi đổi bảng")

    assert search_triggers() == triggers
    assert sorted(found("bình đẳng giới")) == [
        "Hội nghị bình đẳng giới sau khi đổi bảng",
        "Tập huấn bình đẳng giới trước khi đổi bảng",
    ]


@sqlite_with_fts5
@pytest.mark.django_db(transaction=True)
def test_articles_saved_while_the_search_triggers_were_missing_are_found_after_migrate(
    make_article, index_repaired_afterwards
):
    rebuild_article_table()  # as a deployment that migrated before this fix was left
    make_article(title="Bài lưu khi chỉ mục tìm kiếm không chạy")
    assert found("chỉ mục") == []

    output = migrate()

    assert "Search index: recreated" in output
    assert found("chỉ mục") == ["Bài lưu khi chỉ mục tìm kiếm không chạy"]


@sqlite_with_fts5
@pytest.mark.django_db(transaction=True)
def test_migrate_makes_the_search_table_again_when_it_is_gone(
    make_article, index_repaired_afterwards
):
    make_article(title="Bài có trước khi mất bảng tìm kiếm")
    with connection.cursor() as cursor:
        for trigger in search_triggers():
            cursor.execute(f"DROP TRIGGER {trigger}")
        cursor.execute("DROP TABLE news_article_fts")

    migrate()

    assert found("mất bảng") == ["Bài có trước khi mất bảng tìm kiếm"]


@sqlite_with_fts5
@pytest.mark.django_db(transaction=True)
def test_migrate_replaces_a_search_trigger_that_differs_from_its_definition(
    make_article, index_repaired_afterwards
):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER news_article_fts_insert")
        cursor.execute(
            "CREATE TRIGGER news_article_fts_insert AFTER INSERT ON news_article BEGIN "
            "SELECT 1; END"
        )

    migrate()
    make_article(title="Bài viết sau khi sửa trigger")

    assert found("sửa trigger") == ["Bài viết sau khi sửa trigger"]


@sqlite_with_fts5
def test_migrate_leaves_a_whole_search_index_alone():
    assert "Search index" not in migrate()


# --- One normalisation per model, for the form's clean() and for save() ----------------------


def test_a_category_name_is_cleaned_the_same_by_the_form_and_by_save():
    by_form = Category(name=DIRTY)
    by_form.full_clean()
    by_save = Category.objects.create(name=DIRTY)

    assert (by_form.name, by_form.slug) == (by_save.name, by_save.slug) == (CLEAN, "binh-dang-gioi")


def test_an_article_is_tidied_and_filled_the_same_by_the_form_and_by_save(category, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    fields = {
        "title": DIRTY,
        "lead": DIRTY,
        "author": DIRTY,
        "source": DIRTY,
        "category": category,
        "status": Article.Status.PUBLISHED,
    }
    by_form = Article(**fields)
    by_form.full_clean()
    by_save = Article.objects.create(**fields)

    for name in ("title", "lead", "author", "source", "slug", "published_at", "published_date"):
        assert getattr(by_form, name) == getattr(by_save, name), name
    assert by_save.title == CLEAN
    assert by_save.slug == "binh-dang-gioi"
    assert by_save.published_at == timezone.now().replace(microsecond=0)  # <time> takes no µs


@pytest.mark.parametrize(
    ("model", "fields", "extra"),
    [
        (Image, ["caption", "alt_text", "credit"], {}),
        (SiteIdentity, SiteIdentity.TEXT_FIELDS, {}),
        (AgencyLink, ["name_vi", "name_en", "url"], {}),
        (AgencyPage, ["title_vi", "title_en", "summary_vi", "summary_en"], {"slug_en": "en"}),
        (OrganisationUnit, ["name_vi", "name_en", "head", "phone"], {}),
        (Leader, ["name", "title_vi", "title_en"], {}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_plain_texts_are_cleaned_the_same_by_the_form_and_by_save(model, fields, extra):
    if model is SiteIdentity:
        model.objects.all().delete()  # the one row: save() would add a second
    by_form = model(**dict.fromkeys(fields, DIRTY), **extra)
    by_form.clean()
    by_save = model(**dict.fromkeys(fields, DIRTY), **extra)
    by_save.save()
    by_save.refresh_from_db()

    assert [getattr(by_form, name) for name in fields] == [CLEAN] * len(fields)
    assert [getattr(by_save, name) for name in fields] == [CLEAN] * len(fields)


def test_an_agency_page_slug_is_filled_the_same_by_the_form_and_by_save():
    by_form = AgencyPage(title_vi="!!!")  # nothing to make a slug of
    by_form.clean()
    by_save = AgencyPage.objects.create(title_vi="!!!")

    assert by_form.slug_vi == by_save.slug_vi == "trang"


# --- The admin's fieldsets are the one list of form fields -----------------------------------


@pytest.mark.parametrize(
    ("url", "model_admin", "form"),
    [
        ("admin:news_article_add", ArticleAdmin, ArticleAdminForm),
        ("admin:agency_agencypage_add", AgencyPageAdmin, AgencyPageAdminForm),
    ],
    ids=["article", "agency-page"],
)
def test_the_admin_fieldsets_are_the_one_list_of_form_fields(admin_client, url, model_admin, form):
    response = admin_client.get(reverse(url))

    shown = set(response.context["adminform"].form.fields)
    assert response.status_code == 200
    assert shown == set(flatten_fieldsets(model_admin.fieldsets)) - set(model_admin.readonly_fields)
    assert form._meta.fields is None  # no second list that looks like the one to edit


# --- One way to find a free slug -----------------------------------------------------------


def test_slugs_stay_free_when_a_long_title_repeats_on_one_day(make_article):
    title = " ".join(["Hội nghị tổng kết công tác bình đẳng giới"] * 8)[:300]
    day = timezone.now() - timedelta(hours=2)
    slugs = [make_article(title=title, published_at=day).slug for _ in range(4)]

    assert len(set(slugs)) == 4
    assert all(len(slug) <= 200 for slug in slugs)
    assert slugs[1].endswith("-2") and slugs[3].endswith("-4")


def test_category_slugs_stay_free_when_a_name_repeats():
    slugs = [Category.objects.create(name="Tin tức").slug for _ in range(3)]

    assert slugs == ["tin-tuc", "tin-tuc-2", "tin-tuc-3"]


def test_a_cleared_slug_comes_back_unchanged_when_it_is_still_free(make_article):
    article = make_article(title="Bình đẳng giới")
    category = Category.objects.create(name="Bình đẳng giới")

    article.slug = category.slug = ""
    article.save()
    category.save()

    assert article.slug == category.slug == "binh-dang-gioi"


def test_articles_on_other_days_keep_the_plain_slug(make_article):
    first = make_article(title="Bình đẳng giới", published_at=timezone.now() - timedelta(days=2))
    second = make_article(title="Bình đẳng giới", published_at=timezone.now() - timedelta(days=1))
    draft = make_article(title="Bình đẳng giới", status=Article.Status.DRAFT)

    assert first.slug == second.slug == draft.slug == "binh-dang-gioi"

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from news.models import Article, Category
from news.text import vietnamese_slugify

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Tập huấn nghiệp vụ công tác bình đẳng giới",
            "tap-huan-nghiep-vu-cong-tac-binh-dang-gioi",
        ),
        ("Đào Ngọc Dung gặp gỡ đại biểu", "dao-ngoc-dung-gap-go-dai-bieu"),
        ("ĐẢM BẢO AN SINH XÃ HỘI", "dam-bao-an-sinh-xa-hoi"),
        ("Giai đoạn 2019 – 2022: “kết quả”", "giai-doan-2019-2022-ket-qua"),
        ("Người có công   với cách mạng!", "nguoi-co-cong-voi-cach-mang"),
    ],
)
def test_slug_transliterates_vietnamese(title, slug):
    assert vietnamese_slugify(title) == slug


def test_slug_from_decomposed_text_matches_composed():
    import unicodedata

    title = "Bình đẳng giới và vì sự tiến bộ của phụ nữ"
    assert vietnamese_slugify(unicodedata.normalize("NFD", title)) == vietnamese_slugify(title)


def test_blank_slug_is_generated_on_save(make_article):
    article = make_article(title="Đào Ngọc Dung gặp gỡ đại biểu", slug="")
    assert article.slug == "dao-ngoc-dung-gap-go-dai-bieu"


def test_same_title_same_day_gets_a_numbered_slug(make_article):
    moment = datetime(2019, 10, 17, 21, 50, tzinfo=HCM)
    first = make_article(title="Lễ ký kết", published_at=moment)
    second = make_article(title="Lễ ký kết", published_at=moment + timezone.timedelta(minutes=5))
    third = make_article(title="Lễ ký kết", published_at=moment + timezone.timedelta(minutes=9))
    assert [first.slug, second.slug, third.slug] == ["le-ky-ket", "le-ky-ket-2", "le-ky-ket-3"]


def test_same_title_on_another_day_keeps_the_plain_slug(make_article):
    make_article(title="Lễ ký kết", published_at=datetime(2019, 10, 17, 9, 0, tzinfo=HCM))
    other = make_article(title="Lễ ký kết", published_at=datetime(2019, 10, 18, 9, 0, tzinfo=HCM))
    assert other.slug == "le-ky-ket"


def test_database_refuses_a_duplicate_slug_on_the_same_local_day(make_article, category):
    make_article(
        title="Một", slug="trung-lap", published_at=datetime(2019, 10, 17, 1, 0, tzinfo=HCM)
    )
    # 23:30 local on the same day is 16:30 UTC: a different UTC hour but the same local day.
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.bulk_create(
            [
                Article(
                    title="Hai",
                    slug="trung-lap",
                    category=category,
                    status="published",
                    published_at=datetime(2019, 10, 17, 23, 30, tzinfo=HCM),
                    published_date=datetime(2019, 10, 17).date(),
                )
            ]
        )


def test_local_day_decides_the_publication_date(make_article):
    # 00:30 on 18/10 in Hà Nội is still 17/10 in UTC.
    article = make_article(published_at=datetime(2019, 10, 18, 0, 30, tzinfo=HCM))
    assert str(article.published_date) == "2019-10-18"
    assert "/tin-tuc/2019/10/18/" in article.get_absolute_url()


def test_published_shows_only_published_articles_that_are_due(make_article):
    now = timezone.now()
    visible = make_article(title="Đã đăng", published_at=now - timezone.timedelta(minutes=1))
    make_article(title="Nháp", status=Article.Status.DRAFT)
    make_article(title="Chờ duyệt", status=Article.Status.PENDING, published_at=now)
    make_article(title="Hẹn giờ", published_at=now + timezone.timedelta(hours=2))
    assert list(Article.objects.published()) == [visible]
    assert visible.is_visible


def test_scheduled_article_becomes_visible_at_its_time(make_article):
    now = timezone.now()
    scheduled = make_article(published_at=now + timezone.timedelta(hours=2))
    assert not Article.objects.published().exists()
    assert list(Article.objects.published(at=now + timezone.timedelta(hours=3))) == [scheduled]


def test_publishing_without_a_time_sets_now(category):
    article = Article.objects.create(title="Tin nhanh", category=category, status="published")
    assert article.published_at is not None
    assert article.published_at <= timezone.now()


def test_database_requires_a_time_for_published_articles(category):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.bulk_create(
            [Article(title="x", slug="x", category=category, status="published")]
        )


def test_category_with_articles_cannot_be_deleted(make_article, category):
    make_article()
    with pytest.raises(ProtectedError):
        category.delete()
    assert Category.objects.filter(pk=category.pk).exists()


def test_in_category_includes_subcategories(make_article, category):
    child = Category.objects.create(name="Bình đẳng giới", parent=category)
    other = Category.objects.create(name="Lao động")
    in_parent = make_article(title="A")
    in_child = make_article(title="B", category=child)
    make_article(title="C", category=other)
    assert set(Article.objects.in_category(category)) == {in_parent, in_child}


def test_category_nesting_is_one_level(category):
    from django.core.exceptions import ValidationError

    child = Category.objects.create(name="Bình đẳng giới", parent=category)
    grandchild = Category(name="Quá sâu", parent=child)
    with pytest.raises(ValidationError) as error:
        grandchild.full_clean()
    assert "parent" in error.value.message_dict


def test_category_slug_generated_with_vietnamese_letters():
    assert Category.objects.create(name="Người có công").slug == "nguoi-co-cong"


def test_plain_text_fields_are_normalised(make_article):
    import unicodedata

    article = make_article(title=unicodedata.normalize("NFD", "  Xã hội \x07 "))
    assert article.title == "Xã hội"

"""Without a featured image, the body's first photo stands in on cards and the home lead story."""

import itertools
from datetime import timedelta

import pytest

from news.models import Article, Category, Image
from tests.reader import NOW, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def make_image(image_upload):
    sizes = itertools.count(40)

    def build(**fields):
        # A different size for each: the library refuses a second copy of the same file.
        return Image.objects.create(file=image_upload(size=(next(sizes), 30)), **fields)

    return build


def photo_in_body(image, alt="Ảnh trong bài"):
    """A body photo as the editor inserts it: by its media URL."""
    return f'<p>Mở đầu.</p><figure class="image"><img src="{image.file.url}" alt="{alt}"></figure>'


def imported_photo(image, alt="Ảnh nhập"):
    """A body photo as the importer writes it: by its library id (no src without a file)."""
    src = image.file.url if image.file else ""
    return (
        f'<figure class="image"><img src="{src}" alt="{alt}" data-image-id="{image.pk}"></figure>'
    )


def lead_story(page):
    return page.split('class="lead-story"', 1)[1].split("</article>", 1)[0]


def section_cards(client):
    page = text(client.get("/chuyen-muc/xa-hoi/"))
    return page.split('<article class="card', 1)[1].rsplit("</article>", 1)[0]


def test_the_body_photo_stands_in_on_the_home_lead_and_on_cards(client, make_article, make_image):
    photo = make_image(alt_text="Toàn cảnh hội nghị")
    make_article(title="Hội nghị việc làm", body=photo_in_body(photo))

    lead = lead_story(text(client.get("/")))
    cards = section_cards(client)

    for html in (lead, cards):
        assert f'srcset="{photo.srcset("webp")}"' in html
        assert 'alt="Toàn cảnh hội nghị"' in html
    assert "card--with-image" in cards


def test_the_home_pages_latest_news_show_their_pictures(client, make_article, make_image):
    photo = make_image(alt_text="Lễ ra mắt")
    make_article(title="Tin có ảnh trong bài", body=photo_in_body(photo))
    make_article(title="Tin mới nhất", published_at=NOW - timedelta(minutes=1))  # the lead
    latest = text(client.get("/")).split('id="tin-moi"', 1)[1].split("</section>", 1)[0]
    assert "Tin có ảnh trong bài" in latest
    assert f'srcset="{photo.srcset("webp")}"' in latest and 'alt="Lễ ra mắt"' in latest


def test_an_imported_body_photo_stands_in_too(client, make_article, make_image):
    photo = make_image(caption="Lễ trao quà")
    make_article(title="Trao quà Tết", body=imported_photo(photo))

    assert f'srcset="{photo.srcset("jpeg")}"' in section_cards(client)


def test_the_featured_image_comes_before_the_body_photo(client, make_article, make_image):
    featured, in_body = make_image(alt_text="Ảnh đại diện"), make_image(alt_text="Ảnh thân bài")
    make_article(featured_image=featured, body=photo_in_body(in_body))

    lead = lead_story(text(client.get("/")))

    assert f'srcset="{featured.srcset("jpeg")}"' in lead
    assert f'srcset="{in_body.srcset("jpeg")}"' not in lead


def test_the_first_photo_with_its_file_stands_in(client, make_article, make_image):
    missing = Image.objects.create(original_filename="anh-thieu.jpg", caption="Ảnh thiếu tệp")
    present = make_image(alt_text="Ảnh có tệp")
    later = make_image(alt_text="Ảnh sau")
    make_article(body=imported_photo(missing) + photo_in_body(present) + photo_in_body(later))

    cards = section_cards(client)

    assert f'srcset="{present.srcset("jpeg")}"' in cards
    assert f'srcset="{later.srcset("jpeg")}"' not in cards


def test_a_photo_without_its_file_never_stands_in(client, make_article):
    missing = Image.objects.create(original_filename="anh-thieu.jpg", caption="Ảnh thiếu tệp")
    make_article(title="Tin có ảnh thiếu tệp", body=imported_photo(missing))

    lead = lead_story(text(client.get("/")))
    cards = section_cards(client)

    for html in (lead, cards):
        assert "Tin có ảnh thiếu tệp" in html
        assert "<picture" not in html and "<img" not in html  # no empty frame
    assert "card--with-image" not in cards


def test_a_photo_whose_file_is_removed_later_stops_standing_in(client, make_article, make_image):
    photo = make_image(alt_text="Ảnh sẽ mất tệp")
    make_article(title="Tin có ảnh", body=photo_in_body(photo))
    Image.objects.filter(pk=photo.pk).update(file="")  # as the library marks a lost file

    cards = section_cards(client)

    assert "Tin có ảnh" in cards and "<picture" not in cards


def test_a_body_without_a_library_photo_has_no_stand_in(make_article):
    article = make_article(body='<p>Chữ.</p><img src="https://example.org/a.jpg" alt="Ngoài">')

    assert article.body_image is None and article.card_image is None


def test_stand_in_photos_cost_no_query_per_card(
    client, make_article, make_image, django_assert_max_num_queries, schedule_queries
):
    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    counts = {}
    made = 0
    for more in (5, 25):
        for _ in range(more):
            made += 1
            make_article(
                title=f"Tin số {made}",
                category=labour if made % 2 else Category.objects.get(slug="xa-hoi"),
                body=photo_in_body(make_image(alt_text=f"Ảnh {made}")),
                published_at=NOW - timedelta(minutes=made),
            )
        for url in ("/", "/chuyen-muc/xa-hoi/", "/tim-kiem/?q=tin"):
            with django_assert_max_num_queries(7 + schedule_queries) as captured:
                page = text(client.get(url))
            assert "<picture>" in page, url
            counts.setdefault(url, []).append(len(captured))
    assert all(first == second for first, second in counts.values()), counts
    assert Article.objects.filter(body_image__isnull=False).count() == 30


def test_the_migration_finds_the_body_photo_of_articles_written_before(make_article, make_image):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("news.migrations.0012_article_pinned_until")
    missing = Image.objects.create(original_filename="anh-thieu.jpg")
    photo = make_image()
    with_photo = make_article(body=imported_photo(missing) + photo_in_body(photo))
    without = make_article(body=imported_photo(missing))
    Article.objects.update(body_image=None)  # as the column is on the day it is added

    migration.first_body_images(apps, None)

    assert Article.objects.get(pk=with_photo.pk).body_image == photo
    assert Article.objects.get(pk=without.pk).body_image is None

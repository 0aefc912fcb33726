"""The lead story is the editors' choice: pinned articles lead the home page until the pin ends."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from news.models import Article
from tests.conftest import article_form_data

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 5, 15, 9, 0, tzinfo=HCM)


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response, response.content.decode()


def lead_story(page):
    return page.split('class="lead-story"', 1)[1].split("</article>", 1)[0]


def featured_block(page):
    if 'id="tin-noi-bat"' not in page:
        return ""
    return page.split('id="tin-noi-bat"', 1)[1].split("</section>", 1)[0]


def latest_block(page):
    return page.split('id="tin-moi"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_pinned_article_leads_the_home_page_instead_of_the_newest(client, make_article, clock):
    make_article(title="Tin vừa đăng", published_at=NOW - timedelta(minutes=5))
    make_article(
        title="Tin được ban biên tập chọn",
        published_at=NOW - timedelta(days=2),
        pinned_until=NOW + timedelta(days=1),
    )

    _, page = home(client)

    assert "Tin được ban biên tập chọn" in lead_story(page)
    assert "Tin được ban biên tập chọn" not in latest_block(page)  # not shown twice
    assert "Tin vừa đăng" in latest_block(page)


def test_the_most_recently_pinned_leads_and_the_other_pins_form_the_featured_block(
    client, make_article, clock
):
    make_article(title="Tin thường", published_at=NOW - timedelta(minutes=5))
    first = make_article(
        title="Ghim từ sáng",
        published_at=NOW - timedelta(days=3),
        pinned_until=NOW + timedelta(days=3),  # pinned for longer, but earlier
    )
    clock.shift(timedelta(minutes=10))
    make_article(
        title="Ghim sau đó",
        published_at=NOW - timedelta(days=2),
        pinned_until=NOW + timedelta(hours=5),
    )

    _, page = home(client)

    assert "Ghim sau đó" in lead_story(page)
    assert '<section class="block" aria-labelledby="tin-noi-bat">' in page
    assert '<h2 class="block__title" id="tin-noi-bat">Tin nổi bật</h2>' in page
    block = featured_block(page)
    assert "Ghim từ sáng" in block and "Ghim sau đó" not in block
    assert "Tin thường" not in block

    # Pinning again (a new end) makes it the most recently pinned.
    clock.shift(timedelta(minutes=10))
    first.pinned_until = NOW + timedelta(days=4)
    first.save()
    _, page = home(client)
    assert "Ghim từ sáng" in lead_story(page)
    assert "Ghim sau đó" in featured_block(page)


def test_saving_a_pinned_article_without_changing_its_pin_keeps_its_place(make_article, clock):
    article = make_article(title="Ghim", pinned_until=NOW + timedelta(days=1))
    pinned_at = article.pinned_at
    clock.shift(timedelta(hours=1))

    article = Article.objects.get(pk=article.pk)
    article.title = "Ghim, đã sửa tiêu đề"
    article.save()

    assert Article.objects.get(pk=article.pk).pinned_at == pinned_at == NOW


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.PENDING},
        {"published_at": NOW + timedelta(hours=1)},
        {"published_at": NOW - timedelta(days=2), "expires_at": NOW - timedelta(days=1)},
    ],
    ids=["draft", "pending", "scheduled", "expired"],
)
def test_a_pin_shows_nothing_the_public_may_not_see(client, make_article, clock, hidden):
    make_article(title="Tin công khai", published_at=NOW - timedelta(minutes=5))
    make_article(title="Tin chưa công bố", pinned_until=NOW + timedelta(days=2), **hidden)

    _, page = home(client)

    assert "Tin công khai" in lead_story(page)
    assert "Tin chưa công bố" not in page


def test_a_pin_drops_off_the_cached_home_page_at_its_end(client, make_article, settings, clock):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300
    settings.PORTAL_FRAGMENT_CACHE_SECONDS = 3600
    # Sooner than the most read list's minute (readership), which bounds the home page too.
    unpinned_at = NOW + timedelta(seconds=50)
    make_article(title="Tin mới nhất", published_at=NOW - timedelta(minutes=5))
    make_article(
        title="Tin ghim ngắn", published_at=NOW - timedelta(days=1), pinned_until=unpinned_at
    )

    first, page = home(client)
    assert first["X-Page-Cache"] == "miss"
    assert "Tin ghim ngắn" in lead_story(page)
    # HTTP caches in front may keep the page only until the pin ends.
    assert "s-maxage=50" in first["Cache-Control"]

    clock.move_to(unpinned_at - timedelta(seconds=1))
    second, page = home(client)
    assert second["X-Page-Cache"] == "hit"
    assert "Tin ghim ngắn" in lead_story(page)

    clock.move_to(unpinned_at + timedelta(seconds=1))
    third, page = home(client)
    assert third["X-Page-Cache"] == "miss"
    assert "Tin mới nhất" in lead_story(page)
    assert 'id="tin-noi-bat"' not in page
    assert "Tin ghim ngắn" in latest_block(page)  # still published, now as any other news


def test_the_nearest_pin_end_is_the_next_visibility_change(make_article, clock):
    make_article(published_at=NOW - timedelta(days=1), pinned_until=NOW + timedelta(hours=3))
    make_article(published_at=NOW - timedelta(days=1), expires_at=NOW + timedelta(hours=5))
    make_article(status=Article.Status.DRAFT, pinned_until=NOW + timedelta(hours=1))  # not shown

    assert Article.objects.next_visibility_change(NOW) == NOW + timedelta(hours=3)


# -- who may pin ------------------------------------------------------------------------------


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def pin_fields(moment):
    local = moment.astimezone(HCM)
    return {"pinned_until_0": f"{local:%d/%m/%Y}", "pinned_until_1": f"{local:%H:%M:%S}"}


def test_an_editor_pins_an_article_from_the_form(make_user, make_article, clock):
    article = make_article(title="Tin cần ghim", published_at=NOW - timedelta(days=1))
    client = signed_in(make_user("editor"))

    form = client.get(change_url(article)).content.decode()
    assert 'name="pinned_until_0"' in form
    assert "Ghim lên đầu trang chủ đến" in form
    response = client.post(
        change_url(article), article_form_data(article, **pin_fields(NOW + timedelta(days=1)))
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.pinned_until == NOW + timedelta(days=1)
    assert article.pinned_at == NOW
    assert "Tin cần ghim" in lead_story(home(Client())[1])


def test_an_editor_cannot_pin_until_a_moment_already_past(make_user, make_article, clock):
    article = make_article(published_at=NOW - timedelta(days=1))
    client = signed_in(make_user("editor"))

    response = client.post(
        change_url(article), article_form_data(article, **pin_fields(NOW - timedelta(hours=1)))
    )

    assert response.status_code == 200
    assert "Thời điểm hết ghim phải ở trong tương lai." in response.content.decode()
    article.refresh_from_db()
    assert article.pinned_until is None


def test_a_reporter_posting_a_pin_by_hand_does_not_pin(make_user, make_article, category, clock):
    reporter = make_user("reporter")
    client = signed_in(reporter)
    own = make_article(title="Bài của phóng viên", status="draft", created_by=reporter)

    form = client.get(change_url(own)).content.decode()
    assert 'name="pinned_until_0"' not in form  # shown read-only, not as a box

    edited = client.post(
        change_url(own),
        article_form_data(own, title="Bài đã sửa", **pin_fields(NOW + timedelta(days=1))),
    )
    added = client.post(
        reverse("admin:news_article_add"),
        {
            **article_form_data(own, title="Bài mới của phóng viên", slug=""),
            **pin_fields(NOW + timedelta(days=1)),
            "loaded_version": "",
        },
    )

    assert edited.status_code == added.status_code == 302
    own.refresh_from_db()
    assert own.title == "Bài đã sửa" and own.pinned_until is None
    new = Article.objects.get(title="Bài mới của phóng viên")
    assert new.pinned_until is None and new.pinned_at is None


def test_a_reporter_keeps_an_editors_pin_when_editing(make_user, make_article, clock):
    reporter = make_user("reporter")
    article = make_article(
        status="draft", created_by=reporter, pinned_until=NOW + timedelta(days=1)
    )
    client = signed_in(reporter)

    response = client.post(
        change_url(article),
        article_form_data(article, title="Sửa nội dung", pinned_until_0="", pinned_until_1=""),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Sửa nội dung"
    assert article.pinned_until == NOW + timedelta(days=1)

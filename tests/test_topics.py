"""Topics and events, related articles chosen by editors, and sections' English names."""

import re
from datetime import timedelta

import pytest
import reversion
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from news.models import Article, ArticleTopic, Category, RelatedArticle, Topic
from news.views import PAGE_SIZE
from tests.conftest import article_form_data
from tests.reader import HIDDEN_STATES, NOW, hidden_fields, text
from tests.test_caching import in_another_process
from tests.test_no_traps import CLEAN, DIRTY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(params=HIDDEN_STATES)
def hidden_article(request, make_article):
    """An article the public must never see, in each of the states that hide it."""
    return make_article(title="Tin chưa được công bố", **hidden_fields(request.param))


@pytest.fixture
def topic(db):
    return Topic.objects.create(name="Chuyển đổi số")


@pytest.fixture
def event(db):
    return Topic.objects.create(name="Tháng hành động vì bình đẳng giới", is_event=True)


def english(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def titles_in(page, *candidates):
    """The candidates the page shows, in the order it shows them."""
    return sorted((t for t in candidates if t in page), key=page.index)


# -- Topics -----------------------------------------------------------------------------------


def test_a_topic_gets_a_vietnamese_slug_and_its_page_address(topic):
    assert topic.slug == "chuyen-doi-so"
    assert topic.get_absolute_url() == "/chu-de/chuyen-doi-so/"
    assert Topic.objects.create(name="Chuyển đổi số").slug == "chuyen-doi-so-2"


@pytest.mark.parametrize("model", [Topic, Category])
def test_names_are_cleaned_the_same_by_the_form_and_by_save(model):
    by_form = model(name=DIRTY, name_en=DIRTY)
    by_form.full_clean()
    by_save = model.objects.create(name=DIRTY, name_en=DIRTY)

    assert (by_form.name, by_form.name_en, by_form.slug) == (CLEAN, CLEAN, "binh-dang-gioi")
    assert (by_save.name, by_save.name_en, by_save.slug) == (CLEAN, CLEAN, "binh-dang-gioi")


def test_topic_page_lists_only_published_articles_of_the_topic(client, make_article, topic, event):
    shown = make_article(title="Tin chuyển đổi số", published_at=NOW - timedelta(hours=3))
    shown.topics.add(topic)
    newer = make_article(
        title="Tin mới hơn về chuyển đổi số", category=Category.objects.create(name="Lao động")
    )
    newer.topics.add(topic, event)
    make_article(title="Tin không gắn chủ đề")
    make_article(title="Tin của chủ đề khác").topics.add(event)
    for title, fields in {
        "Bản nháp về chuyển đổi số": {"status": Article.Status.DRAFT},
        "Tin hẹn giờ về chuyển đổi số": {"published_at": NOW + timedelta(hours=1)},
        "Tin hết hạn về chuyển đổi số": {"expires_at": NOW - timedelta(minutes=1)},
        "English news on digital transformation": {"language": "en"},
    }.items():
        make_article(title=title, **fields).topics.add(topic)

    response = client.get("/chu-de/chuyen-doi-so/")
    page = text(response)

    assert response.status_code == 200
    assert '<h1 class="page-title">Chuyển đổi số</h1>' in page
    assert titles_in(page, "Tin mới hơn về chuyển đổi số", "Tin chuyển đổi số") == [
        "Tin mới hơn về chuyển đổi số",
        "Tin chuyển đổi số",
    ]
    for hidden in (
        "Tin không gắn chủ đề",
        "Tin của chủ đề khác",
        "Bản nháp về chuyển đổi số",
        "Tin hẹn giờ về chuyển đổi số",
        "Tin hết hạn về chuyển đổi số",
        "English news on digital transformation",
    ):
        assert hidden not in page
    # Cards name their section: a topic spans sections.
    assert 'class="card__section" href="/chuyen-muc/lao-dong/">Lao động</a>' in page
    english_page = text(client.get(english("news:topic-detail", slug=topic.slug)))
    assert "English news on digital transformation" in english_page
    assert "Tin chuyển đổi số" not in english_page


def topic_page_titles(client, url, *titles):
    return titles_in(text(client.get(url)), *titles)


def test_a_rescheduled_article_moves_on_its_topic_page(client, make_article, topic):
    older = make_article(title="Tin cũ của chủ đề", published_at=NOW - timedelta(days=2))
    newer = make_article(title="Tin mới của chủ đề", published_at=NOW - timedelta(hours=1))
    older.topics.add(topic)
    topic.articles.add(newer)  # tagged from the topic's side
    url = topic.get_absolute_url()
    assert topic_page_titles(client, url, "Tin cũ của chủ đề", "Tin mới của chủ đề") == [
        "Tin mới của chủ đề",
        "Tin cũ của chủ đề",
    ]

    older.published_at = NOW - timedelta(minutes=5)
    older.save()

    assert topic_page_titles(client, url, "Tin cũ của chủ đề", "Tin mới của chủ đề") == [
        "Tin cũ của chủ đề",
        "Tin mới của chủ đề",
    ]
    assert set(ArticleTopic.objects.values_list("article__published_at", "published_at")) == {
        (NOW - timedelta(minutes=5), NOW - timedelta(minutes=5)),
        (NOW - timedelta(hours=1), NOW - timedelta(hours=1)),
    }


def test_tags_made_or_restored_on_their_own_take_the_articles_time(make_article, topic, event):
    article = make_article(published_at=NOW - timedelta(days=3))
    ArticleTopic.objects.create(article=article, topic=topic)
    with reversion.create_revision():
        article.topics.add(event)
        article.save()
    version = Version.objects.get_for_object(article).first()
    ArticleTopic.objects.filter(article=article).delete()

    version.revision.revert(delete=True)  # what the admin's "restore this version" does

    assert sorted(article.topics.values_list("name", flat=True)) == [
        "Chuyển đổi số",
        "Tháng hành động vì bình đẳng giới",
    ]
    assert set(ArticleTopic.objects.values_list("published_at", flat=True)) == {
        NOW - timedelta(days=3)
    }


def test_a_restored_revision_takes_back_the_topics_added_since(make_article, topic, event):
    article = make_article()
    with reversion.create_revision():
        article.topics.add(topic)
        article.save()
    version = Version.objects.get_for_object(article).first()
    with reversion.create_revision():
        article.topics.add(event)
        article.save()

    version.revision.revert(delete=True)

    assert list(article.topics.all()) == [topic]


def test_topic_page_is_paged_like_a_section_page(client, make_article, topic):
    for n in range(PAGE_SIZE + 3):
        article = make_article(title=f"Tin số {n:02d}", published_at=NOW - timedelta(minutes=n + 1))
        article.topics.add(topic)

    first = text(client.get("/chu-de/chuyen-doi-so/"))
    second = client.get("/chu-de/chuyen-doi-so/?trang=2")

    assert "Tin số 00" in first and f"Tin số {PAGE_SIZE - 1:02d}" in first
    assert f"Tin số {PAGE_SIZE:02d}" not in first
    assert 'class="pagination"' in first and 'href="?trang=2"' in first
    assert second.status_code == 200
    assert f"Tin số {PAGE_SIZE + 2:02d}" in text(second) and "Tin số 00" not in text(second)
    assert "– Trang 2 –" in text(second)
    assert client.get("/chu-de/chuyen-doi-so/?trang=3").status_code == 404


def test_unknown_topic_is_404(client):
    assert client.get("/chu-de/khong-co/").status_code == 404
    assert client.get("/chu-de/khong-co/rss/").status_code == 404


def test_a_topic_without_news_says_so(client, topic):
    page = text(client.get(topic.get_absolute_url()))
    assert "Chủ đề này chưa có tin." in page


def test_topic_feed_has_the_topics_published_news(client, make_article, topic, hidden_article):
    make_article(title="Tin trong nguồn tin chủ đề").topics.add(topic)
    make_article(title="Tin ngoài chủ đề")
    hidden_article.topics.add(topic)

    response = client.get("/chu-de/chuyen-doi-so/rss/")
    feed = text(response)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "<title>Chuyển đổi số – " in feed
    assert "<link>http://testserver/chu-de/chuyen-doi-so/</link>" in feed
    assert "Tin trong nguồn tin chủ đề" in feed
    assert "Tin ngoài chủ đề" not in feed and hidden_article.title not in feed
    page = text(client.get("/chu-de/chuyen-doi-so/"))
    assert 'type="application/rss+xml" title="Chuyển đổi số – ' in page
    assert 'href="/chu-de/chuyen-doi-so/rss/"' in page


def test_sitemap_lists_topics_with_news_on_each_side(client, make_article, topic, event):
    make_article(published_at=NOW - timedelta(days=2)).topics.add(topic)
    make_article(title="Bản nháp", status=Article.Status.DRAFT).topics.add(event)
    make_article(
        title="In English", language="en", published_at=NOW - timedelta(days=1)
    ).topics.add(topic)

    sitemap = text(client.get("/sitemap.xml"))
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)

    assert "http://testserver/chu-de/chuyen-doi-so/" in locations
    assert f"http://testserver{english('news:topic-detail', slug=topic.slug)}" in locations
    assert not [url for url in locations if event.slug in url]  # no news yet


# -- Events on the home page ------------------------------------------------------------------


def test_home_shows_events_with_news_newest_first(client, make_article, topic, event):
    newer = Topic.objects.create(name="Kỷ niệm Ngày Thương binh – Liệt sĩ", is_event=True)
    make_article(published_at=NOW - timedelta(days=3)).topics.add(newer)
    make_article(published_at=NOW - timedelta(hours=2)).topics.add(event, topic)
    Topic.objects.create(name="Sự kiện chưa có tin", is_event=True)
    make_article(title="Chỉ là bản nháp", status=Article.Status.DRAFT).topics.add(
        Topic.objects.create(name="Sự kiện chỉ có bản nháp", is_event=True)
    )

    page = text(client.get("/"))
    block = page.split('id="su-kien">Sự kiện</h2>', 1)[1].split("</section>", 1)[0]

    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', block) == [
        (newer.get_absolute_url(), "Kỷ niệm Ngày Thương binh – Liệt sĩ"),
        (event.get_absolute_url(), "Tháng hành động vì bình đẳng giới"),
    ]
    assert "Chuyển đổi số" not in block  # a topic, not an event


def test_home_without_events_has_no_event_block(client, make_article, topic):
    make_article().topics.add(topic)
    assert 'id="su-kien"' not in text(client.get("/"))


@pytest.mark.django_db(transaction=True)
def test_a_topic_saved_in_another_process_shows_at_once(client, category):
    Article.objects.create(
        title="Tin về tháng hành động",
        category=category,
        status=Article.Status.PUBLISHED,
        published_at=NOW - timedelta(hours=1),  # the past here and in the other process
    )
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"

    in_another_process(
        "from news.models import Article, Topic; "
        "event = Topic.objects.create(name='Tháng hành động quốc gia', is_event=True); "
        "Article.objects.get().topics.add(event)"
    )

    home = client.get("/")
    assert home["X-Page-Cache"] == "miss"
    assert ">Tháng hành động quốc gia</a>" in text(home)
    topic_page = client.get("/chu-de/thang-hanh-dong-quoc-gia/")
    assert "Tin về tháng hành động" in text(topic_page)
    assert client.get("/chu-de/thang-hanh-dong-quoc-gia/")["X-Page-Cache"] == "hit"

    in_another_process(
        "from news.models import Topic; "
        "Topic.objects.filter(is_event=True).update(name='Tháng hành động đã đổi tên'); "
        "Topic.objects.get().save()"
    )

    assert ">Tháng hành động đã đổi tên</h1>" in text(
        client.get("/chu-de/thang-hanh-dong-quoc-gia/")
    )
    assert ">Tháng hành động đã đổi tên</a>" in text(client.get("/"))


# -- The article page ------------------------------------------------------------------------


def test_article_page_links_its_topics(client, make_article, topic, event):
    article = make_article(title="Bài có chủ đề")
    article.topics.add(topic, event)
    untagged = make_article(title="Bài không chủ đề")

    page = text(client.get(article.get_absolute_url()))
    topics = page.split('<h2 class="article__topics-title">Chủ đề</h2>', 1)[1].split("</ul>")[0]

    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', topics) == [
        ("/chu-de/chuyen-doi-so/", "Chuyển đổi số"),
        (event.get_absolute_url(), "Tháng hành động vì bình đẳng giới"),
    ]
    assert "article__topics" not in text(client.get(untagged.get_absolute_url()))


def related_titles(page):
    block = page.split('id="tin-lien-quan"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', block)


def test_related_articles_are_the_editors_choice_in_their_order(client, make_article):
    labour = Category.objects.create(name="Lao động", slug="lao-dong")
    article = make_article(title="Bài đang đọc", published_at=NOW - timedelta(hours=5))
    make_article(title="Tin cùng mục", published_at=NOW - timedelta(hours=1))
    first = make_article(
        title="Chọn thứ nhất", category=labour, published_at=NOW - timedelta(days=9)
    )
    second = make_article(title="Chọn thứ hai", published_at=NOW - timedelta(days=2))
    draft = make_article(title="Chọn nhưng chưa đăng", status=Article.Status.DRAFT)
    third = make_article(title="Chọn thứ ba", category=labour, published_at=NOW - timedelta(days=1))

    article.choose_related([first, second, draft, third, first, article])

    assert list(
        RelatedArticle.objects.filter(article=article).values_list("related__title", flat=True)
    ) == ["Chọn thứ nhất", "Chọn thứ hai", "Chọn nhưng chưa đăng", "Chọn thứ ba"]
    page = text(client.get(article.get_absolute_url()))
    assert related_titles(page) == ["Chọn thứ nhất", "Chọn thứ hai", "Chọn thứ ba"]
    # Previous and next stay in the article's section.
    assert 'rel="next">Tin cùng mục</a>' in page
    assert 'rel="prev">Chọn thứ hai</a>' in page


def test_related_articles_fall_back_to_the_section_when_none_chosen_is_shown(client, make_article):
    article = make_article(title="Bài đang đọc", published_at=NOW - timedelta(hours=5))
    make_article(title="Tin cùng mục", published_at=NOW - timedelta(hours=1))
    other = make_article(
        title="Tin mục khác", category=Category.objects.create(name="Lao động", slug="lao-dong")
    )
    assert related_titles(text(client.get(article.get_absolute_url()))) == ["Tin cùng mục"]

    article.choose_related([other])
    assert related_titles(text(client.get(article.get_absolute_url()))) == ["Tin mục khác"]

    Article.objects.filter(pk=other.pk).update(status=Article.Status.DRAFT)
    article.save()  # what a reader sees changed: the cache lets go
    assert related_titles(text(client.get(article.get_absolute_url()))) == ["Tin cùng mục"]


def test_editors_tag_topics_and_choose_related_articles_in_the_admin(
    client, make_user, make_article, topic, event
):
    article = make_article(title="Bài cần gắn chủ đề")
    later, earlier = make_article(title="Tin sau"), make_article(title="Tin trước")
    client.force_login(make_user("editor"))
    url = reverse("admin:news_article_change", args=[article.pk])

    data = article_form_data(article, article_topics=[topic.pk, event.pk])
    data["related_articles"] = [earlier.pk, later.pk]
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(article.topics.all()) == {topic, event}
    assert [a.title for a in article.related.order_by("chosen_as_related__position")] == [
        "Tin trước",
        "Tin sau",
    ]
    # The form shows the chosen articles in the editors' order, to be posted back so.
    form = text(client.get(url))
    select = form.split('name="related_articles"', 1)[1].split("</select>", 1)[0]
    assert titles_in(select, "Tin trước", "Tin sau") == ["Tin trước", "Tin sau"]

    article.refresh_from_db()
    data = article_form_data(article, article_topics=[topic.pk])
    data["related_articles"] = [later.pk, earlier.pk, article.pk]
    response = client.post(url, data)
    assert "Một bài không thể là tin liên quan của chính nó." in text(response)

    data["related_articles"] = [later.pk]
    assert client.post(url, data).status_code == 302
    assert list(article.related.all()) == [later]
    assert list(article.topics.all()) == [topic]


def autocomplete(client, field, term):
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "news", "model_name": "article", "field_name": field},
    )
    return [item["text"] for item in found.json()["results"]]


@pytest.mark.parametrize("role", ["reporter", "editor"])
def test_the_newsroom_finds_topics_to_tag_and_editors_manage_them(
    client, make_user, make_article, topic, role
):
    make_article(title="Hội nghị chuyển đổi số")
    client.force_login(make_user(role))
    assert autocomplete(client, "topics", "chuyển") == ["Chuyển đổi số"]
    assert autocomplete(client, "related", "chuyển") == ["Hội nghị chuyển đổi số"]
    may_add = client.get(reverse("admin:news_topic_add")).status_code
    assert may_add == (200 if role == "editor" else 403)


# -- English names ------------------------------------------------------------------------------


@pytest.fixture
def english_sections(category):
    category.name_en = "Social affairs"
    category.save()
    gender = Category.objects.create(
        name="Bình đẳng giới", name_en="Gender equality", parent=category
    )
    plain = Category.objects.create(name="Người có công", slug="nguoi-co-cong")
    return category, gender, plain


def test_sections_show_their_english_names_on_the_english_side(
    client, make_article, english_sections
):
    social, gender, plain = english_sections
    article = make_article(
        title="Training on gender equality",
        category=gender,
        language="en",
        published_at=NOW - timedelta(hours=2),
    )
    make_article(
        title="Merit news", category=plain, language="en", published_at=NOW - timedelta(hours=3)
    )
    make_article(title="Lead story", category=social, language="en")  # the newest: not in a block

    home = text(client.get("/en/"))
    assert (
        f'<a href="{english("news:category-detail", slug=social.slug)}">Social affairs</a></h2>'
        in home
    )
    assert ">Người có công</a></h2>" in home  # no English name: the Vietnamese one
    section = text(client.get(english("news:category-detail", slug=social.slug)))
    assert '<h1 class="page-title">Social affairs</h1>' in section
    assert ">Gender equality</a></li>" in section  # its subsections
    gender_url = english("news:category-detail", slug=gender.slug)
    assert f'class="card__section" href="{gender_url}">Gender equality</a>' in section
    page = text(client.get(article.get_absolute_url()))
    crumbs = page.split('class="breadcrumb__list"', 1)[1].split("</ol>", 1)[0]
    assert ">Social affairs</a>" in crumbs and ">Gender equality</a>" in crumbs
    assert '<meta property="article:section" content="Gender equality">' in page
    assert "Gender equality" in text(client.get(english("news:category-feed", slug=gender.slug)))


def test_sections_keep_their_vietnamese_names_on_the_vietnamese_side(
    client, make_article, english_sections
):
    _social, gender, _plain = english_sections
    article = make_article(title="Tập huấn bình đẳng giới", category=gender)

    home = text(client.get("/"))
    page = text(client.get(article.get_absolute_url()))

    assert "Social affairs" not in home and "Gender equality" not in home
    assert ">Xã hội</a>" in home
    assert ">Bình đẳng giới</a>" in page and "Gender equality" not in page


def test_topics_show_their_english_names_on_the_english_side(client, make_article, event):
    event.name_en = "Action month for gender equality"
    event.save()
    make_article(title="Opening of the action month", language="en").topics.add(event)

    assert ">Action month for gender equality</a>" in text(client.get("/en/"))
    topic_page = text(client.get(english("news:topic-detail", slug=event.slug)))
    assert '<h1 class="page-title">Action month for gender equality</h1>' in topic_page
    assert ">Tháng hành động vì bình đẳng giới</a>" not in text(client.get("/"))  # no vi news


# -- Query budgets: as many queries for 21 articles as for 41 ------------------------------


@pytest.fixture
def tagged_newsroom(make_article, category, topic, event):
    """Adds ``count`` more published articles in two sections, each in the topic and the event,
    each with the two before it as its chosen related articles."""
    labour = Category.objects.create(name="Lao động", slug="lao-dong", name_en="Labour")
    made = []

    def add(count):
        for _ in range(count):
            n = len(made)
            article = make_article(
                title=f"Tin thứ {n}",
                category=(category, labour)[n % 2],
                published_at=NOW - timedelta(minutes=10 * (n + 1)),
            )
            article.topics.add(topic, event)
            article.choose_related(made[-2:])
            made.append(article)
        return made

    return add


def touching(captured, table):
    return [query["sql"] for query in captured.captured_queries if f'"{table}"' in query["sql"]]


@pytest.mark.parametrize(
    ("url", "own_queries"),
    [
        # The events block: one query, in the home page's lazy fragment.
        ("/", {"news_topic": 1, "news_relatedarticle": 0}),
        # The topic; the page's rows and its count.
        ("/chu-de/chuyen-doi-so/", {"news_topic": 1, "news_article_topics": 2}),
        ("/chu-de/chuyen-doi-so/?trang=2", {"news_topic": 1, "news_article_topics": 2}),
        # The article's topics; the chosen related articles come with its section's neighbours.
        ("ARTICLE", {"news_topic": 1, "news_relatedarticle": 1}),
    ],
)
def test_topics_and_related_cost_a_fixed_number_of_queries(
    client, tagged_newsroom, django_assert_max_num_queries, url, own_queries
):
    counts = []
    for more in (21, 20):
        articles = tagged_newsroom(more)
        target = articles[4].get_absolute_url() if url == "ARTICLE" else url
        with django_assert_max_num_queries(20) as captured:
            response = client.get(target)
        assert response.status_code == 200
        counts.append(len(captured))
        for table, count in own_queries.items():
            assert len(touching(captured, table)) == count, (table, touching(captured, table))
    assert counts[0] == counts[1]


def test_topic_page_query_budget(
    client, tagged_newsroom, django_assert_max_num_queries, schedule_queries
):
    tagged_newsroom(30)
    # The site's identity, the sections (menu), the next scheduled change; the topic, the
    # page's count and its rows.
    with django_assert_max_num_queries(5 + schedule_queries):
        assert client.get("/chu-de/chuyen-doi-so/?trang=2").status_code == 200


def test_a_topic_pages_rows_are_shared_until_the_topic_changes(
    client,
    settings,
    make_article,
    topic,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # the page itself is made for each reader
    make_article(title="Tin đầu tiên của chủ đề").topics.add(topic)
    url = topic.get_absolute_url()
    assert "Tin đầu tiên của chủ đề" in text(client.get(url))

    with django_assert_num_queries(1) as captured:  # the topic itself
        client.get(url)
    assert not touching(captured, "news_article_topics")

    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Tin mới gắn chủ đề").topics.add(topic)
    assert titles_in(text(client.get(url)), "Tin mới gắn chủ đề", "Tin đầu tiên của chủ đề") == [
        "Tin mới gắn chủ đề",
        "Tin đầu tiên của chủ đề",
    ]

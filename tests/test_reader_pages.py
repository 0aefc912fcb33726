"""The reader site's pages: home, section, article, download, preview, and their shared frame."""

import itertools
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.contrib.staticfiles import finders
from django.utils import timezone

from news.context_processors import CategoryTree
from news.models import Article, Category, Image
from tests.reader import HIDDEN_STATES, NOW, VN, hidden_fields, text

pytestmark = pytest.mark.django_db


def local(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=VN)


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


@pytest.fixture(params=HIDDEN_STATES)
def hidden_article(request, make_article, category):
    """An article the public must never see, in each of the states that hide it."""
    fields = hidden_fields(request.param)
    return make_article(title="Tin chưa được công bố", **fields)


# The home page


def test_home_shows_lead_story_with_image_and_lead(client, make_article, make_image):
    make_article(title="Tin cũ hơn", published_at=NOW - timedelta(days=1))
    image = make_image(alt_text="Toàn cảnh lễ ký kết")
    make_article(
        title="Lễ ký phối hợp công tác",
        lead="Ngày 17.10, tại Hà Nội, hai bên đã ký.",
        featured_image=image,
        published_at=NOW - timedelta(minutes=30),
    )

    page = text(client.get("/"))

    lead_story = page.split('class="lead-story"', 1)[1].split("</article>", 1)[0]
    assert "Lễ ký phối hợp công tác" in lead_story
    assert "Ngày 17.10, tại Hà Nội, hai bên đã ký." in lead_story
    assert f'<source type="image/webp" srcset="{image.srcset("webp")}"' in lead_story
    assert f'src="{image.rendition(320).url}"' in lead_story  # the image is 40 px wide
    assert 'alt="Toàn cảnh lễ ký kết"' in lead_story
    assert "Tin cũ hơn" in page.split('id="tin-moi"', 1)[1]


def test_home_has_one_block_per_top_level_category_with_its_newest_items(client, make_article):
    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    social = Category.objects.get(slug="xa-hoi")
    social.position = 1
    social.save()
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=social)
    Category.objects.create(name="Trẻ em", slug="tre-em", position=3)  # no news: no block
    for n in range(6):
        make_article(
            title=f"Tin lao động {n}", category=labour, published_at=NOW - timedelta(hours=n + 1)
        )
    make_article(title="Tin bình đẳng giới", category=gender, published_at=NOW - timedelta(hours=8))
    make_article(title="Tin đầu trang", published_at=NOW - timedelta(minutes=1))  # the lead story

    page = text(client.get("/"))

    blocks = re.findall(r'<h2 class="block__title" id="muc-([\w-]+)">', page)
    assert blocks == ["xa-hoi", "lao-dong"]
    labour_block = page.split('id="muc-lao-dong"', 1)[1]
    assert "Tin lao động 0" in labour_block and "Tin lao động 3" in labour_block
    assert "Tin lao động 4" not in labour_block  # four newest only
    assert "Tin bình đẳng giới" in page.split('id="muc-xa-hoi"', 1)[1].split("muc-lao-dong")[0]
    assert 'href="/chuyen-muc/lao-dong/">Xem tất cả tin Lao động</a>' in page


def test_list_rows_take_their_categories_from_the_tree(make_article, django_assert_num_queries):
    social = Category.objects.get(slug="xa-hoi")
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=social)
    made = make_article(category=gender)
    tree = CategoryTree(Category.objects.all())
    [article] = tree.attach(Article.objects.cards().filter(pk=made.pk))
    with django_assert_num_queries(0):
        assert (article.category.name, article.category.parent.name) == ("Bình đẳng giới", "Xã hội")
    # A tree read before a category was made: that article reads its own, and is still right.
    [article] = CategoryTree([social]).attach(Article.objects.cards().filter(pk=made.pk))
    assert (article.category.name, article.category.parent.name) == ("Bình đẳng giới", "Xã hội")


def test_home_does_not_repeat_the_lead_story_in_its_section_block(client, make_article):
    make_article(title="Tin cũ của mục", published_at=NOW - timedelta(days=1))
    make_article(title="Tin đầu trang", published_at=NOW - timedelta(minutes=5))

    page = text(client.get("/"))

    block = page.split('id="muc-xa-hoi"', 1)[1]
    assert "Tin đầu trang" not in block
    assert "Tin cũ của mục" in block


def test_home_has_the_date_picker(client):
    page = text(client.get("/"))
    assert "Xem tin theo ngày:" in page
    assert '<form class="day-picker" action="/tin-theo-ngay/" method="get">' in page
    assert '<input type="text" id="ngay" name="ngay" inputmode="numeric"' in page


def test_home_with_no_news_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Chưa có tin nào được đăng." in text(response)


def test_home_never_shows_unpublished_articles(client, hidden_article):
    assert "Tin chưa được công bố" not in text(client.get("/"))


# The frame every page shares


def test_menu_lists_top_level_categories_by_position(client, category, make_article):
    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    merit = Category.objects.create(name="Người có công", slug="nguoi-co-cong", position=1)
    Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    for section in (category, labour, merit):
        make_article(category=section)

    page = text(client.get("/"))

    menu = page.split('aria-label="Chuyên mục"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a></li>", menu) == [
        "Trang chủ",
        "Xã hội",
        "Người có công",
        "Lao động",
        "Tin theo ngày",
        "Văn bản",
    ]


def menu_names(page):
    menu = page.split('aria-label="Chuyên mục"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</a></li>", menu)


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_empty_section_stays_out_of_the_menu(client, category, make_article, time_machine, state):
    make_article(category=category)
    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    make_article(title="Tin chưa được công bố", category=labour, **hidden_fields(state))
    Category.objects.create(name="Người có công", slug="nguoi-co-cong", position=3)
    family = Category.objects.create(name="Gia đình", slug="gia-dinh", position=4)
    children = Category.objects.create(name="Trẻ em", slug="tre-em", parent=family)
    make_article(category=children)  # a section's news may all be in its subcategories

    page = text(client.get("/"))

    assert menu_names(page) == ["Trang chủ", "Xã hội", "Gia đình", "Tin theo ngày", "Văn bản"]
    # The empty section's own page still answers, saying it has no news yet.
    response = client.get("/chuyen-muc/nguoi-co-cong/")
    assert response.status_code == 200
    assert "Chuyên mục này chưa có tin." in text(response)
    if state == "scheduled":  # it joins the menu when its first article goes live
        time_machine.move_to(NOW + timedelta(hours=2), tick=False)
        assert "Lao động" in menu_names(text(client.get("/")))


def test_every_page_has_skip_link_landmarks_and_vietnamese_language(client, make_article):
    article = make_article()
    for url in ["/", "/chuyen-muc/xa-hoi/", article.get_absolute_url(), "/tim-kiem/?q=bai"]:
        page = text(client.get(url))
        assert '<html lang="vi">' in page
        assert '<a class="skip-link" href="#noi-dung">Bỏ qua để đến nội dung chính</a>' in page
        assert '<main id="noi-dung"' in page
        assert '<header class="site-header">' in page
        assert '<nav class="site-nav" aria-label="Chuyên mục">' in page
        assert "<aside " in page
        assert '<footer class="site-footer">' in page
        assert "12 Ngô Quyền, Hoàn Kiếm, Hà Nội" in page
        assert "Bộ Lao động – Thương binh và Xã hội" in page


def test_public_pages_load_no_inline_script_style_or_third_party_code(client, make_article):
    article = make_article(title="Bài có chia sẻ")
    urls = [
        "/",
        "/chuyen-muc/xa-hoi/",
        article.get_absolute_url(),
        "/tin-theo-ngay/",
        "/tin-theo-ngay/2024/05/15/",
        "/tin-theo-ngay/2024/05/",
        "/tin-theo-ngay/2024/",
        "/tim-kiem/?q=bai",
        "/trang-khong-co/",
    ]
    for url in urls:
        page = text(client.get(url))
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert all('src="/static/' in tag or "application/ld+json" in tag for tag in scripts), url
        assert not re.search(r"\sstyle=", page), url
        assert not re.search(r"\son[a-z]+=", page), url
        assert not re.search(r'<script[^>]+src="(?:https?:)?//', page), url
        assert not re.search(r'<link rel="stylesheet" href="(?:https?:)?//', page), url


def test_stylesheet_is_local_mobile_first_and_print_hides_navigation(client):
    page = text(client.get("/"))
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page
    site_css = Path(finders.find("css/site.css")).read_text()
    assert '"Noto Sans"' in site_css and "system-ui" in site_css
    assert re.search(r"img,\s*video \{\s*max-width: 100%", site_css)
    print_css = Path(finders.find("css/print.css")).read_text()
    for hidden in [".site-header", ".site-nav", ".layout__aside", ".site-footer"]:
        assert hidden in print_css.split("display: none")[0]


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in text(response)


# Sections


def test_section_lists_its_and_its_subcategories_articles_newest_first(client, category):
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    other = Category.objects.create(name="Lao động", slug="lao-dong")
    Article.objects.create(
        title="Tin mục con",
        category=gender,
        status="published",
        published_at=NOW - timedelta(hours=1),
    )
    Article.objects.create(
        title="Tin mục cha", category=category, status="published", published_at=NOW - timedelta(2)
    )
    Article.objects.create(
        title="Tin mục khác", category=other, status="published", published_at=NOW
    )

    page = text(client.get("/chuyen-muc/xa-hoi/"))

    assert '<h1 class="page-title">Xã hội</h1>' in page
    assert page.index("Tin mục con") < page.index("Tin mục cha")
    assert "Tin mục khác" not in page
    assert 'href="/chuyen-muc/binh-dang-gioi/">Bình đẳng giới</a>' in page


def test_subsection_breadcrumb_shows_the_parent_first(client, category):
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    page = text(client.get(gender.get_absolute_url()))
    crumbs = page.split('aria-label="Đường dẫn"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="([^"]+)"', crumbs) == [
        "/",
        "/chuyen-muc/xa-hoi/",
        "/chuyen-muc/binh-dang-gioi/",
    ]


def test_section_is_paged_twenty_per_page(client, make_article):
    for n in range(25):
        make_article(title=f"Tin số {n:02d}", published_at=NOW - timedelta(hours=n + 1))

    first = text(client.get("/chuyen-muc/xa-hoi/"))
    second = client.get("/chuyen-muc/xa-hoi/?trang=2")

    assert first.count('class="card__title"') == 20
    assert "Tin số 00" in first and "Tin số 19" in first and "Tin số 20" not in first
    assert 'href="?trang=2"' in first
    assert second.status_code == 200
    assert text(second).count('class="card__title"') == 5
    assert "Tin số 24" in text(second)
    assert '<link rel="canonical" href="http://testserver/chuyen-muc/xa-hoi/?trang=2">' in text(
        second
    )


@pytest.mark.parametrize("page", ["3", "0", "abc", "-1"])
def test_section_page_past_the_end_or_not_a_number_is_404(client, make_article, page):
    for n in range(21):
        make_article(title=f"Tin {n}")
    assert client.get(f"/chuyen-muc/xa-hoi/?trang={page}").status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/chuyen-muc/khong-co/").status_code == 404


def test_empty_section_says_it_has_no_news(client, category):
    response = client.get("/chuyen-muc/xa-hoi/")
    assert response.status_code == 200
    assert "Chuyên mục này chưa có tin." in text(response)


def test_section_never_shows_unpublished_articles(client, hidden_article):
    assert "Tin chưa được công bố" not in text(client.get("/chuyen-muc/xa-hoi/"))


# The article page


def test_article_url_carries_the_local_day_and_prints_local_time(client, make_article):
    article = make_article(title="Lễ ký kết", published_at=local(2019, 10, 17, 21, 50))

    response = client.get("/tin-tuc/2019/10/17/le-ky-ket/")

    assert article.get_absolute_url() == "/tin-tuc/2019/10/17/le-ky-ket/"
    assert response.status_code == 200
    assert '<time datetime="2019-10-17T21:50:00+07:00">21:50 | 17/10/2019</time>' in text(response)


def test_article_just_after_local_midnight_belongs_to_the_local_day(client, make_article):
    # 00:30 on 18/10 in Hà Nội is 17:30 UTC on 17/10.
    article = make_article(
        title="Tin nửa đêm", published_at=datetime(2019, 10, 17, 17, 30, tzinfo=ZoneInfo("UTC"))
    )

    assert article.get_absolute_url() == "/tin-tuc/2019/10/18/tin-nua-dem/"
    assert client.get("/tin-tuc/2019/10/18/tin-nua-dem/").status_code == 200
    assert client.get("/tin-tuc/2019/10/17/tin-nua-dem/").status_code == 404
    assert "00:30 | 18/10/2019" in text(client.get(article.get_absolute_url()))


def test_article_page_shows_breadcrumb_title_lead_body_author_and_source(client, category):
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    article = Article.objects.create(
        title="Tập huấn nghiệp vụ công tác bình đẳng giới",
        category=gender,
        status="published",
        published_at=NOW - timedelta(minutes=30),
        lead="Trong 02 ngày (12-13/9/2023), tại tỉnh Phú Yên…",
        body=(
            '<p>Đoạn một.</p><figure class="image"><img src="/media/a.jpg" alt="Thứ trưởng">'
            "<figcaption>Thứ trưởng Nguyễn Thị Hà phát biểu khai mạc</figcaption></figure>"
            "<p>Đoạn hai.</p>"
        ),
        author="Thái Bình",
        source="Vụ Bình đẳng giới",
    )

    page = text(client.get(article.get_absolute_url()))

    crumbs = page.split('aria-label="Đường dẫn"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r">([^<>]+)</a>", crumbs) == ["Trang chủ", "Xã hội", "Bình đẳng giới"]
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == [
        "Tập huấn nghiệp vụ công tác bình đẳng giới"
    ]
    assert "<strong>Trong 02 ngày (12-13/9/2023), tại tỉnh Phú Yên…</strong>" in page
    body = page.split('class="article__body"', 1)[1]
    assert (
        body.index("Đoạn một.")
        < body.index("<figcaption>Thứ trưởng Nguyễn Thị Hà")
        < body.index("Đoạn hai.")
    )
    assert page.index("Đoạn hai.") < page.index('<p class="article__author">Thái Bình</p>')
    assert "Nguồn: Vụ Bình đẳng giới" in page
    assert "Quay trở lại đầu trang" in page


def test_article_shows_update_time_only_when_edited_after_publication(client, make_article):
    fresh = make_article(title="Tin vừa đăng", published_at=NOW - timedelta(seconds=30))
    edited = make_article(title="Tin đã sửa", published_at=local(2024, 5, 15, 8, 0))
    Article.objects.filter(pk=edited.pk).update(updated_at=local(2024, 5, 15, 9, 34))

    assert "Cập nhật" not in text(client.get(fresh.get_absolute_url()))
    assert (
        'Cập nhật <time datetime="2024-05-15T09:34:00+07:00">09:34 | 15/05/2024</time> (GMT+7)'
        in (text(client.get(edited.get_absolute_url())))
    )


def test_featured_image_alt_falls_back_to_caption_then_title(client, make_article, make_image):
    with_alt = make_article(title="Một", featured_image=make_image(alt_text="Mô tả", caption="Chú"))
    with_caption = make_article(title="Hai", featured_image=make_image(caption="Chú thích ảnh"))
    bare = make_article(title="Ba", featured_image=make_image())

    assert 'alt="Mô tả"' in text(client.get(with_alt.get_absolute_url()))
    assert 'alt="Chú thích ảnh"' in text(client.get(with_caption.get_absolute_url()))
    assert 'alt="Ba"' in text(client.get(bare.get_absolute_url()))
    section = text(client.get("/chuyen-muc/xa-hoi/"))
    assert 'alt="Mô tả"' in section and 'alt="Chú thích ảnh"' in section and 'alt="Ba"' in section


def test_lists_send_small_renditions_not_the_original(client, make_article, image_upload):
    image = Image.objects.create(file=image_upload(size=(1600, 900)), alt_text="Ảnh lớn")
    make_article(featured_image=image)

    page = text(client.get("/chuyen-muc/xa-hoi/"))

    card = page.split('<article class="card', 1)[1].split("</article>", 1)[0]
    assert image.file.url not in card
    assert f'src="{image.rendition(480).url}"' in card
    assert f"{image.rendition(320).url} 320w" in card
    assert 'width="1024" height="576"' in card
    assert 'loading="lazy"' in card


def test_featured_image_is_not_repeated_when_the_body_shows_it(client, make_article, make_image):
    image = make_image(caption="Ảnh trong bài")
    article = make_article(
        featured_image=image, body=f'<p>Mở.</p><img src="{image.file.url}" alt="x">'
    )
    page = text(client.get(article.get_absolute_url()))
    article_html = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert article_html.count("<picture>") == 1
    assert f'src="{image.renditions("jpeg")[0][0]}"' in article_html


def test_related_news_are_from_the_same_section_without_the_article(client, make_article):
    other = Category.objects.create(name="Lao động", slug="lao-dong")
    article = make_article(title="Bài đang đọc")
    make_article(title="Tin cùng mục", published_at=NOW - timedelta(days=1))
    make_article(title="Tin mục khác", category=other)

    page = text(client.get(article.get_absolute_url()))

    related = page.split('id="tin-lien-quan"', 1)[1].split("</section>", 1)[0]
    assert "Tin cùng mục" in related
    assert "Bài đang đọc" not in related
    assert "Tin mục khác" not in related


def test_previous_and_next_articles_in_the_section(client, make_article):
    older = make_article(title="Bài trước đó", published_at=NOW - timedelta(days=2))
    current = make_article(title="Bài giữa", published_at=NOW - timedelta(days=1))
    newer = make_article(title="Bài sau đó", published_at=NOW - timedelta(hours=1))

    page = text(client.get(current.get_absolute_url()))

    pager = page.split('class="article-pager"', 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{older.get_absolute_url()}" rel="prev">Bài trước đó</a>' in pager
    assert f'<a href="{newer.get_absolute_url()}" rel="next">Bài sau đó</a>' in pager


def test_neighbours_at_the_same_minute_follow_creation_order(client, make_article):
    same_time = NOW - timedelta(hours=2)
    first, middle, last = (
        make_article(title=f"Cùng giờ {n}", published_at=same_time) for n in "abc"
    )

    page = text(client.get(middle.get_absolute_url()))

    assert f'<a href="{first.get_absolute_url()}" rel="prev">' in page
    assert f'<a href="{last.get_absolute_url()}" rel="next">' in page


def test_newest_article_has_a_previous_link_only(client, make_article):
    older = make_article(title="Bài cũ", published_at=NOW - timedelta(days=1))
    newest = make_article(title="Bài mới nhất")
    page = text(client.get(newest.get_absolute_url()))
    assert f'<a href="{older.get_absolute_url()}" rel="prev">Bài cũ</a>' in page
    assert 'rel="next"' not in page.split('class="article-pager"', 1)[1].split("</nav>")[0]


def test_article_page_has_print_save_top_and_plain_share_links(client, make_article):
    article = make_article(title="Chia sẻ tin")
    page = text(client.get(article.get_absolute_url()))
    url = "http%3A%2F%2Ftestserver%2Ftin-tuc%2F2024%2F05%2F15%2Fchia-se-tin%2F"

    assert (
        '<button type="button" class="button button--secondary js-print">In bài viết</button>'
        in page
    )
    assert f'href="{article.get_absolute_url()}tai-ve/" download>Lưu bài viết</a>' in page
    assert '<a href="#dau-trang">Quay trở lại đầu trang</a>' in page
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={url}"' in page
    assert f'href="https://sp.zalo.me/share_inline?url={url}"' in page
    assert f"mailto:?subject=Chia%20s%E1%BA%BB%20tin&amp;body={url}" in page
    assert "Sao chép liên kết" in page
    assert '<script src="/static/js/site.js" defer></script>' in page
    assert "window.print()" in Path(finders.find("js/site.js")).read_text()


def test_save_link_downloads_a_standalone_html_file(client, make_article):
    article = make_article(title="Bài để lưu", body="<p>Toàn văn bài viết.</p>", author="Thái Bình")

    response = client.get(article.get_absolute_url() + "tai-ve/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bai-de-luu.html"'
    page = text(response)
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>Bài để lưu</h1>" in page and "<p>Toàn văn bài viết.</p>" in page
    assert '<base href="http://testserver/">' in page
    assert "http://testserver/tin-tuc/2024/05/15/bai-de-luu/" in page
    assert "/static/" not in page  # nothing to fetch from the portal to read it


def test_article_page_has_seo_tags_and_news_article_json_ld(client, make_article, make_image):
    article = make_article(
        title="Tin có SEO", lead="Sapo cho máy tìm kiếm.", featured_image=make_image(), author="TB"
    )
    page = text(client.get(article.get_absolute_url()))
    url = "http://testserver/tin-tuc/2024/05/15/tin-co-seo/"

    assert "<title>Tin có SEO – Bộ Lao động – Thương binh và Xã hội</title>" in page
    assert '<meta name="description" content="Sapo cho máy tìm kiếm.">' in page
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Tin có SEO">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:image" content="http://testserver/media/' in page
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1)
    assert '"@type": "NewsArticle"' in json_ld
    assert '"headline": "Tin có SEO"' in json_ld
    assert '"datePublished": "2024-05-15T09:00:00+07:00"' in json_ld
    assert f'"mainEntityOfPage": "{url}"' in json_ld


def test_article_with_impossible_or_out_of_range_date_is_404(client, make_article):
    make_article(title="Tin")
    for url in [
        "/tin-tuc/2024/02/30/tin/",
        "/tin-tuc/2024/13/01/tin/",
        "/tin-tuc/2024/00/10/tin/",
        "/tin-tuc/0000/01/01/tin/",
        "/tin-tuc/9999/12/31/tin/",
        "/tin-tuc/abcd/05/15/tin/",
        "/tin-tuc/2024/05/16/tin/",
    ]:
        assert client.get(url).status_code == 404, url
        assert client.get(url + "tai-ve/").status_code == 404, url


def test_unpublished_article_url_is_404_to_the_public(client, hidden_article, category):
    url = hidden_article.get_absolute_url()
    assert url.startswith("/tin-tuc/")
    assert client.get(url).status_code == 404
    assert client.get(url + "tai-ve/").status_code == 404


def test_related_and_neighbour_links_never_show_unpublished_articles(
    client, make_article, hidden_article
):
    article = make_article(title="Bài công khai", published_at=NOW - timedelta(hours=3))
    page = text(client.get(article.get_absolute_url()))
    assert "Tin chưa được công bố" not in page
    assert 'class="article-pager"' not in page


def test_title_with_markup_is_escaped_everywhere_it_appears(client, make_article):
    title = 'Tin </script><script>alert("x")</script> <b>đậm</b>'
    article = make_article(title=title, lead='Sapo "trích" <i>nghiêng</i>')
    escaped = "Tin &lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    day = "/tin-theo-ngay/2024/05/15/"
    for url in ["/", "/chuyen-muc/xa-hoi/", article.get_absolute_url(), day, "/tim-kiem/?q=alert"]:
        page = text(client.get(url))
        assert escaped in page.replace("<mark>", "").replace("</mark>", ""), url
        assert "<b>đậm</b>" not in page and "<i>nghiêng</i>" not in page, url
        assert page.count("</script>") == page.count("<script"), url
    json_ld = re.search(
        r'<script type="application/ld\+json">(.*?)</script>',
        text(client.get(article.get_absolute_url())),
    ).group(1)
    assert "\\u003C/script\\u003E\\u003Cscript\\u003E" in json_ld


# The staff preview


def test_preview_shows_a_draft_to_editors_with_a_banner_and_no_cache(staff_client, make_article):
    draft = make_article(title="Bản nháp đang viết", status=Article.Status.DRAFT)

    response = staff_client.get(f"/xem-truoc/{draft.pk}/")

    assert response.status_code == 200
    assert "Bản xem trước" in text(response)
    assert '<h1 class="article__title">Bản nháp đang viết</h1>' in text(response)
    assert '<meta name="robots" content="noindex, nofollow">' in text(response)
    assert "no-store" in response["Cache-Control"]


def test_preview_is_404_for_the_public_and_for_staff_who_may_not_change(
    client, django_user_model, make_article
):
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(f"/xem-truoc/{draft.pk}/").status_code == 404
    viewer = django_user_model.objects.create_user("xem", password="x-1-mat-khau", is_staff=True)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_article"))
    client.force_login(viewer)
    assert client.get(f"/xem-truoc/{draft.pk}/").status_code == 404


# Query budgets: the same number of queries for 5 articles as for 30.


@pytest.fixture
def newsroom(make_article, make_image, category):
    """Adds ``count`` more published articles, spread over sections, each with its own image."""
    labour = Category.objects.create(name="Lao động", slug="lao-dong", position=2)
    merit = Category.objects.create(name="Người có công", slug="nguoi-co-cong", position=3)
    gender = Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi", parent=category)
    sections = [category, labour, merit, gender]
    made = []

    def add(count):
        for _ in range(count):
            n = len(made)
            made.append(
                make_article(
                    title=f"Tin thứ {n}",
                    category=sections[n % len(sections)],
                    featured_image=make_image(caption=f"Ảnh {n}"),
                    published_at=NOW - timedelta(minutes=10 * (n + 1)),
                    author="Thái Bình",
                )
            )
        return made

    return add


@pytest.mark.parametrize(
    ("url", "budget"),
    # Each includes one query for the site's identity and links (agency.frame) and one for the
    # next scheduled change (which the test adds up per model with a schedule); the home page
    # one for its events, the article page one for its topics (tests/test_topics.py), and both
    # one for the most-read panel.
    [("/", 7), ("/chuyen-muc/xa-hoi/", 5), ("ARTICLE", 7)],
)
def test_page_query_count_does_not_grow_with_articles(
    client, newsroom, django_assert_max_num_queries, url, budget, schedule_queries
):
    counts = []
    for more in (5, 25):
        articles = newsroom(more)
        target = articles[4].get_absolute_url() if url == "ARTICLE" else url
        with django_assert_max_num_queries(budget - 1 + schedule_queries) as captured:
            response = client.get(target)
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# <time datetime> (issue 20, point 7)

# HTML's valid date and time strings: at most three digits of a second's fraction.
HTML_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})"
)


def test_article_published_without_a_time_gets_the_present_second(category, time_machine):
    time_machine.move_to(NOW + timedelta(microseconds=123456), tick=False)
    article = Article.objects.create(title="Tin đăng ngay", category=category, status="published")
    assert article.published_at == NOW
    article.refresh_from_db()
    assert article.published_at.microsecond == 0


def test_every_time_element_has_a_valid_datetime(client, category, time_machine):
    time_machine.move_to(NOW + timedelta(microseconds=123456), tick=False)
    article = Article.objects.create(title="Tin đăng ngay", category=category, status="published")
    # Older rows, or a bulk write, may still hold finer times: the pages print them to the second.
    Article.objects.filter(pk=article.pk).update(
        published_at=NOW - timedelta(hours=1, microseconds=654321),
        updated_at=NOW - timedelta(minutes=29, microseconds=987654),
    )
    article.refresh_from_db()
    day = f"/tin-theo-ngay/{timezone.localdate(article.published_at):%Y/%m/%d}/"
    for url in ["/", "/chuyen-muc/xa-hoi/", article.get_absolute_url(), day, "/tim-kiem/?q=tin"]:
        page = text(client.get(url))
        stamps = re.findall(r'<time datetime="([^"]*)"', page)
        assert stamps, url
        assert all(HTML_DATETIME.fullmatch(stamp) for stamp in stamps), (url, stamps)
    page = text(client.get(article.get_absolute_url()))
    assert '<time datetime="2024-05-15T08:59:59+07:00">' in page
    assert '<time datetime="2024-05-15T09:30:59+07:00">' in page  # Cập nhật (updated)

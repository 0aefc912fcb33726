"""Drafts for public comment as readers meet them (/du-thao/): the list, a draft's page with its
window, files and response, the comment form and everything a hostile post tries."""

import re
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from documents.models import Draft, DraftComment, DraftFile, DraftResponseFile
from tests.drafts_helpers import (
    NOW,
    SAME_SITE,
    build_draft,
    comment_data,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def make_draft(db):
    return build_draft


LIST = "/du-thao/"


def text(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.content.decode()


def post_comment(client, draft, **overrides):
    headers = overrides.pop("headers", SAME_SITE)
    return client.post(draft.get_absolute_url(), comment_data(**overrides), **headers)


# -- the list -----------------------------------------------------------------------------------


def test_the_list_shows_open_drafts_first_then_upcoming_then_closed(client, make_draft):
    make_draft(
        title="Dự thảo đã hết hạn",
        opens_at=NOW - timedelta(days=60),
        closes_at=NOW - timedelta(days=30),
    )
    make_draft(title="Dự thảo sắp lấy ý kiến", opens_at=NOW + timedelta(days=2))
    make_draft(title="Dự thảo đang lấy ý kiến, còn lâu", closes_at=NOW + timedelta(days=40))
    make_draft(title="Dự thảo đang lấy ý kiến, sắp hết", closes_at=NOW + timedelta(days=1))

    page = text(client.get(LIST))
    titles = re.findall(r'class="card__title"><a [^>]*>([^<]+)</a>', page)
    assert titles == [
        "Dự thảo đang lấy ý kiến, sắp hết",
        "Dự thảo đang lấy ý kiến, còn lâu",
        "Dự thảo sắp lấy ý kiến",
        "Dự thảo đã hết hạn",
    ]
    assert page.count("Đang lấy ý kiến</span>") == 2
    assert "Sắp lấy ý kiến</span>" in page and "Đã hết hạn lấy ý kiến</span>" in page


def test_each_window_is_shown_in_gmt7_with_machine_readable_times(client, make_draft):
    make_draft(opens_at=NOW - timedelta(hours=2), closes_at=NOW + timedelta(days=1, hours=6))
    page = text(client.get(LIST))
    assert '<time datetime="2024-05-15T08:00:00+07:00">08:00 | 15/05/2024</time> (GMT+7)' in page
    assert '<time datetime="2024-05-16T16:00:00+07:00">16:00 | 16/05/2024</time> (GMT+7)' in page


def test_only_published_drafts_that_are_due_are_public(client, make_draft):
    hidden = make_draft(title="Dự thảo chưa xuất bản", status=Draft.Status.DRAFT)
    scheduled = make_draft(title="Dự thảo hẹn giờ", published_at=NOW + timedelta(hours=1))
    page = text(client.get(LIST))
    assert "Dự thảo chưa xuất bản" not in page and "Dự thảo hẹn giờ" not in page
    for draft in (hidden, scheduled):
        assert client.get(f"/du-thao/{draft.slug}/").status_code == 404
        assert (
            client.post(f"/du-thao/{draft.slug}/", comment_data(), **SAME_SITE).status_code == 404
        )
    assert not DraftComment.objects.exists()


def test_the_list_is_paged_twenty_at_a_time(client, make_draft):
    for n in range(21):
        make_draft(title=f"Dự thảo số {n}", closes_at=NOW + timedelta(days=1, minutes=n))
    first = text(client.get(LIST))
    assert first.count('class="card draft-card"') == 20
    assert 'href="?trang=2"' in first
    second = text(client.get(LIST + "?trang=2"))
    assert second.count('class="card draft-card"') == 1 and "Dự thảo số 20" in second
    assert client.get(LIST + "?trang=3").status_code == 404
    assert client.get(LIST + "?trang=abc").status_code == 404


def test_an_empty_list_says_so(client):
    assert "Chưa có dự thảo nào được đăng để lấy ý kiến." in text(client.get(LIST))


def test_the_pages_keep_to_a_fixed_number_of_queries(
    client, make_draft, django_assert_max_num_queries
):
    for n in range(5):
        draft = make_draft(title=f"Dự thảo {n}")
        DraftFile.objects.create(draft=draft, file=pdf_upload())
    # Once per change of the site, every scheduled model says when it next changes: not counted.
    text(client.get(LIST))
    with django_assert_max_num_queries(4):  # count, rows, the site's identity and sections
        text(client.get(LIST + "?trang=1"))
    with django_assert_max_num_queries(5):  # the draft, its files (2), identity, sections
        text(client.get(draft.get_absolute_url()))


# -- a draft's page ----------------------------------------------------------------------------


def test_an_open_draft_shows_its_text_files_and_the_comment_form(client, make_draft):
    draft = make_draft()
    DraftFile.objects.create(draft=draft, file=pdf_upload(), title="Toàn văn dự thảo")
    page = text(client.get(draft.get_absolute_url()))
    assert "<title>Dự thảo Nghị định quy định chi tiết Luật Việc làm – " in page
    assert '<nav class="breadcrumb"' in page
    assert "<p>Điều 1. Phạm vi điều chỉnh.</p>" in page
    assert "Toàn văn dự thảo</a>" in page and "(PDF," in page
    assert f'action="{draft.get_absolute_url()}"' in page
    for name in ("name", "email", "organisation", "content"):
        assert f'name="{name}"' in page
    assert 'maxlength="5000"' in page
    # The honeypot: labelled, out of sight and out of the tab order.
    assert re.search(r'<div class="comment-form__trap" aria-hidden="true">\s*<label', page)
    assert re.search(r'<input type="text" name="website" tabindex="-1"', page)


@pytest.mark.parametrize(
    ("opens", "closes", "shown"),
    [
        (
            timedelta(days=1),
            timedelta(days=10),
            "Biểu mẫu góp ý sẽ hiện tại đây từ 10:00 | 16/05/2024",
        ),
        (timedelta(days=-10), timedelta(days=-1), "Đã hết thời gian lấy ý kiến."),
    ],
    ids=["upcoming", "closed"],
)
def test_outside_its_window_a_draft_shows_no_form(client, make_draft, opens, closes, shown):
    draft = make_draft(opens_at=NOW + opens, closes_at=NOW + closes)
    page = text(client.get(draft.get_absolute_url()))
    assert shown in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]


def test_the_response_is_public_only_once_the_window_has_closed(client, make_draft, time_machine):
    draft = make_draft(
        closes_at=NOW + timedelta(hours=1),
        response_body="<p>Tiếp thu ý kiến về Điều 3.</p><script>alert(1)</script>",
    )
    answer = DraftResponseFile.objects.create(draft=draft, file=pdf_upload("Báo cáo.pdf"))
    file_url = answer.get_absolute_url()
    page = text(client.get(draft.get_absolute_url()))
    assert "Tiếp thu ý kiến về Điều 3." not in page and "Báo cáo.pdf" not in page
    assert client.get(file_url).status_code == 404

    time_machine.move_to(NOW + timedelta(hours=1, seconds=1), tick=False)
    page = text(client.get(draft.get_absolute_url()))
    assert "Báo cáo tiếp thu, giải trình</h2>" in page
    assert "<p>Tiếp thu ý kiến về Điều 3.</p>" in page
    assert "<script>alert(1)</script>" not in page  # sanitised when it was saved
    assert "Báo cáo.pdf</a>" in page
    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")  # read to the end: closed


def test_a_drafts_file_downloads_under_its_vietnamese_name_and_is_never_page_cached(
    client, make_draft
):
    draft = make_draft()
    stored = DraftFile.objects.create(draft=draft, file=pdf_upload("Tờ trình.pdf"))
    assert not stored.file.name.endswith("Tờ trình.pdf")  # a generated name on disk
    for _attempt in range(2):
        response = client.get(stored.get_absolute_url())
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''T%E1%BB%9D%20tr%C3%ACnh.pdf" in response["Content-Disposition"]
    other = make_draft(title="Dự thảo khác")
    assert client.get(f"/du-thao/{other.slug}/tep/{stored.pk}/").status_code == 404


def test_the_database_refuses_a_window_that_closes_before_it_opens(make_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_draft(opens_at=NOW, closes_at=NOW - timedelta(seconds=1))


def test_the_draft_pages_have_an_english_side(client, make_draft):
    draft = make_draft()
    with translation.override("en"):
        list_url = reverse("documents:draft-list")
        detail_url = reverse("documents:draft-detail", kwargs={"slug": draft.slug})
    assert list_url.startswith("/en/") and detail_url.startswith("/en/")
    page = text(client.get(list_url))
    assert '<html lang="en"' in page
    assert f'lang="vi">{draft.title}</a>' in page
    page = text(client.get(detail_url))
    assert f'action="{detail_url}"' in page
    assert 'hreflang="vi"' in page


def test_the_sitemap_lists_public_drafts(client, make_draft):
    shown = make_draft(title="Dự thảo công khai")
    hidden = make_draft(title="Dự thảo ẩn", status=Draft.Status.DRAFT)
    sitemap = text(client.get("/sitemap.xml"))
    assert f"http://testserver/du-thao/{shown.slug}/</loc>" in sitemap
    assert f"/du-thao/{hidden.slug}/" not in sitemap
    assert "http://testserver/du-thao/</loc>" in sitemap


# -- comments ------------------------------------------------------------------------------------


def test_a_comment_is_stored_as_plain_text_and_the_reader_is_thanked(client, make_draft):
    draft = make_draft()
    response = post_comment(client, draft, content="  Ý kiến   thứ nhất.\nDòng hai.\x00  ")
    thanks_url = f"/du-thao/{draft.slug}/cam-on/"
    assert response.status_code == 302 and response["Location"] == thanks_url
    comment = DraftComment.objects.get()
    assert (comment.name, comment.email, comment.draft) == ("Nguyễn Văn An", "an@example.vn", draft)
    assert comment.content == "Ý kiến   thứ nhất.\nDòng hai."
    assert comment.status == DraftComment.Status.NEW

    thanks = client.get(thanks_url)
    page = text(thanks)
    assert "Cảm ơn bạn đã góp ý" in page and '<meta name="robots" content="noindex">' in page
    assert thanks["X-Robots-Tag"] == "noindex"
    assert "no-store" in thanks["Cache-Control"] and not thanks.cookies
    assert client.get(thanks_url)["X-Page-Cache"] == "miss"


def test_the_organisation_is_optional(client, make_draft):
    draft = make_draft()
    assert post_comment(client, draft, organisation="").status_code == 302
    assert DraftComment.objects.get().organisation == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("content", "x" * 5001, "Nội dung góp ý dài tối đa 5000 ký tự; bạn đã viết 5001 ký tự."),
        ("content", "   ", "Hãy viết nội dung góp ý."),
        ("name", "", "Hãy nhập họ và tên của bạn."),
        ("email", "khong-phai-thu", "Địa chỉ thư điện tử chưa đúng. Ví dụ: ten@example.vn."),
    ],
)
def test_a_bad_comment_gets_a_vietnamese_error_and_keeps_what_was_typed(
    client, make_draft, field, value, message
):
    draft = make_draft()
    response = post_comment(client, draft, **{field: value, "organisation": "Hội Luật gia <b>"})
    page = text(response, 400)
    assert message in page
    assert "Ý kiến CHƯA được gửi" in page
    assert "Hội Luật gia &lt;b&gt;" in page  # kept, and escaped
    assert 'aria-invalid="true"' in page
    assert not DraftComment.objects.exists()


def test_exactly_5000_characters_are_accepted_counted_as_stored(client, make_draft):
    draft = make_draft()
    decomposed = "e\u0301" * 5000  # "é" typed as two code points: one character once stored
    assert post_comment(client, draft, content=decomposed).status_code == 302
    assert len(DraftComment.objects.get().content) == 5000


def test_a_filled_honeypot_is_thanked_and_nothing_is_stored(client, make_draft):
    draft = make_draft()
    response = post_comment(client, draft, website="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("/cam-on/")
    assert not DraftComment.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (timedelta(days=1), timedelta(days=5), "chưa đến thời gian lấy ý kiến"),
        (
            timedelta(days=-5),
            timedelta(seconds=-1),
            "đã hết thời gian lấy ý kiến lúc 09:59 | 15/05/2024",
        ),
    ],
    ids=["before-opening", "after-closing"],
)
def test_a_comment_outside_the_window_is_refused_with_a_clear_page(
    client, make_draft, opens, closes, message
):
    draft = make_draft(opens_at=NOW + opens, closes_at=NOW + closes)
    response = post_comment(client, draft, content="<script>alert(1)</script> Ý kiến muộn")
    page = text(response, 403)
    assert message in page
    assert "Ý kiến chưa được gửi" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ý kiến muộn" in page  # nothing lost
    assert "<script>alert(1)</script>" not in page
    assert not DraftComment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://attacker.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": "https://attacker.example/trang.html"},
        {},
    ],
    ids=["other-origin", "null-origin", "cross-site-fetch", "other-referer", "no-origin"],
)
def test_a_comment_posted_from_another_site_is_refused(client, make_draft, headers):
    draft = make_draft()
    page = text(post_comment(client, draft, headers=headers), 403)
    assert "Ý kiến chỉ được nhận từ biểu mẫu trên trang dự thảo của cổng." in page
    assert not DraftComment.objects.exists()


def test_a_comment_from_a_browser_that_sends_only_the_referer_is_taken(client, make_draft):
    draft = make_draft()
    referer = {"HTTP_REFERER": f"http://testserver{draft.get_absolute_url()}"}
    assert post_comment(client, draft, headers=referer).status_code == 302
    assert DraftComment.objects.count() == 1


def test_a_comment_makes_no_page_stale(client, make_draft):
    draft = make_draft()
    url = draft.get_absolute_url()
    client.get(url)
    client.get(LIST)
    assert post_comment(client, draft).status_code == 302
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(LIST)["X-Page-Cache"] == "hit"


# -- the page cache ---------------------------------------------------------------------------


def test_the_draft_page_is_cached_the_same_for_every_reader_with_no_token_or_cookie(
    client, make_draft
):
    from django.test import Client

    draft = make_draft()
    url = draft.get_absolute_url()
    first, second = Client(), Client()
    miss = first.get(url)
    hit = second.get(url)
    assert miss["X-Page-Cache"] == "miss" and hit["X-Page-Cache"] == "hit"
    assert miss.content == hit.content
    for response in (miss, hit):
        assert b"csrfmiddlewaretoken" not in response.content
        assert not response.cookies and "Set-Cookie" not in response
    assert "public" in hit["Cache-Control"]
    # A reader who comments gets no cookie either.
    assert not post_comment(first, draft).cookies
    assert first.get(url).content == miss.content


def test_cached_pages_show_the_form_from_the_moment_the_window_opens_until_it_closes(
    client, make_draft, time_machine
):
    draft = make_draft(opens_at=NOW + timedelta(seconds=90), closes_at=NOW + timedelta(hours=2))
    url = draft.get_absolute_url()
    before = client.get(url)
    assert 'name="content"' not in text(before)
    assert "s-maxage=90" in before["Cache-Control"]
    assert client.get(LIST)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    time_machine.move_to(NOW + timedelta(seconds=90, milliseconds=1), tick=False)
    opened = client.get(url)
    assert opened["X-Page-Cache"] == "miss"
    assert 'name="content"' in text(opened)
    assert "Đang lấy ý kiến</span>" in text(client.get(LIST))
    assert client.get(url)["X-Page-Cache"] == "hit"

    time_machine.move_to(NOW + timedelta(hours=2, milliseconds=1), tick=False)
    closed = client.get(url)
    assert closed["X-Page-Cache"] == "miss"
    assert 'name="content"' not in text(closed)
    assert "Đã hết thời gian lấy ý kiến." in text(closed)


@pytest.mark.django_db(transaction=True)
def test_a_draft_saved_in_another_process_shows_on_cached_pages(client, make_draft):
    from tests.test_caching import in_another_process

    draft = make_draft()
    client.get(LIST)
    assert client.get(LIST)["X-Page-Cache"] == "hit"
    in_another_process(
        "from documents.models import Draft; "
        f"draft = Draft.objects.get(pk={draft.pk}); "
        "draft.title = 'Dự thảo đã đổi tên'; draft.save()"
    )
    page = client.get(LIST)
    assert page["X-Page-Cache"] == "miss" and "Dự thảo đã đổi tên" in text(page)


# -- the preview -------------------------------------------------------------------------------


def test_staff_who_may_change_drafts_preview_an_unpublished_one(
    client, make_draft, django_user_model
):
    from django.contrib.auth.models import Permission

    draft = make_draft(title="Dự thảo chưa đăng", status=Draft.Status.DRAFT)
    url = reverse("documents:draft-preview", kwargs={"pk": draft.pk})
    assert draft.get_absolute_url() == url
    assert client.get(url).status_code == 404
    clerk = django_user_model.objects.create_user("vanthu", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    clerk.user_permissions.add(Permission.objects.get(codename="change_draft"))
    page = text(client.get(url))
    assert "Bản xem trước – dự thảo này chưa hiển thị với bạn đọc." in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "<fieldset disabled>" in page
    # The files of the draft and of its response, before anyone else may have them.
    stored = DraftFile.objects.create(draft=draft, file=pdf_upload())
    answer = DraftResponseFile.objects.create(draft=draft, file=pdf_upload("Báo cáo.pdf"))
    for url in (stored.get_absolute_url(), answer.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.logout()
    assert client.get(stored.get_absolute_url()).status_code == 404


# -- the hourly rate per address ---------------------------------------------------------------


def test_an_address_may_send_five_comments_an_hour_and_is_then_refused_politely(
    client, make_draft, time_machine
):
    from django.conf import settings

    assert settings.PORTAL_COMMENT_RATE == 5
    draft = make_draft()
    for n in range(5):
        assert post_comment(client, draft, content=f"Ý kiến số {n + 1}").status_code == 302
    time_machine.move_to(NOW + timedelta(minutes=30), tick=False)
    refused = post_comment(client, draft, content="Ý kiến thứ sáu <b>đậm</b>")
    page = text(refused, 429)
    assert "Bạn đã gửi 5 ý kiến trong một giờ qua, là số ý kiến tối đa trong một giờ." in page
    assert "Ý kiến thứ sáu &lt;b&gt;đậm&lt;/b&gt;</textarea>" in page  # kept, escaped
    assert DraftComment.objects.count() == 5
    # Another address is counted apart.
    other = {**SAME_SITE, "REMOTE_ADDR": "203.0.113.7"}
    assert post_comment(client, draft, headers=other).status_code == 302
    # An hour after the first five, the address may comment again.
    time_machine.move_to(NOW + timedelta(hours=1, seconds=1), tick=False)
    assert post_comment(client, draft, content="Ý kiến thứ sáu").status_code == 302
    assert DraftComment.objects.count() == 7


def test_the_rate_is_a_setting(client, make_draft, settings):
    settings.PORTAL_COMMENT_RATE = 1
    draft = make_draft()
    assert post_comment(client, draft).status_code == 302
    assert "Bạn đã gửi 1 ý kiến trong một giờ qua" in text(post_comment(client, draft), 429)


def test_refused_and_invalid_comments_do_not_count(client, make_draft, settings):
    settings.PORTAL_COMMENT_RATE = 1
    draft = make_draft()
    assert post_comment(client, draft, content="").status_code == 400
    assert post_comment(client, draft, website="bot").status_code == 302
    assert post_comment(client, draft, headers={}).status_code == 403
    assert post_comment(client, draft).status_code == 302
    assert DraftComment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_count_is_shared_by_every_process_through_the_cache(client, make_draft, monkeypatch):
    from tests.test_caching import in_another_process

    draft = make_draft()
    monkeypatch.setenv("PORTAL_COMMENT_RATE", "5")
    in_another_process(
        "from documents.comment_rate import take_slot; "
        "assert all(take_slot('127.0.0.1') for _ in range(5)); "
        "assert not take_slot('127.0.0.1')"
    )
    assert text(post_comment(client, draft), 429)
    assert not DraftComment.objects.exists()


def test_a_comment_is_taken_when_the_cache_is_down(client, make_draft, monkeypatch, caplog):
    from documents import comment_rate

    def broken(address):
        raise ConnectionError("cache down")

    monkeypatch.setattr(comment_rate, "take_slot", broken)
    assert post_comment(client, make_draft()).status_code == 302
    assert DraftComment.objects.count() == 1
    assert "Comment rate not counted" in caplog.text


# -- hostile posts -----------------------------------------------------------------------------

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', '=HYPERLINK("http://x")']


def test_hostile_posts_never_get_a_server_error(client, make_draft):
    from django.test import Client

    hostile = Client(raise_request_exception=False)
    open_draft = make_draft(title="Dự thảo mở")
    closed = make_draft(title="Dự thảo đóng", closes_at=NOW - timedelta(seconds=1))
    values = [
        *XSS,
        "",
        " ",
        "\x00",
        "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
        "a" * 100_000,
        "😀" * 3000,
        "e\u0301" * 6000,
        "%00%ff",
        "{{ 7*7 }}",
        "'; DROP TABLE documents_draftcomment; --",
    ]
    failures = []
    for url in (
        open_draft.get_absolute_url(),
        closed.get_absolute_url(),
        "/du-thao/khong-co/",
        "/du-thao/%00/",
        "/du-thao/",
        f"/du-thao/{open_draft.slug}/cam-on/",
    ):
        for value in values:
            for field in ("name", "email", "organisation", "content", "website"):
                response = hostile.post(url, comment_data(**{field: value}), **SAME_SITE)
                if response.status_code >= 500:
                    failures.append((response.status_code, url, field, value[:20]))
        for body in ("name=a&name=b&email=x", "%%%", "content=" + "%FF" * 50):
            response = hostile.post(
                url, body, content_type="application/x-www-form-urlencoded", **SAME_SITE
            )
            if response.status_code >= 500:
                failures.append((response.status_code, url, body[:20]))
    assert not failures, failures[:10]
    stored = list(DraftComment.objects.values_list("content", flat=True))
    assert all(len(content) <= 5000 for content in stored)


def test_hostile_text_is_stored_as_typed_and_escaped_on_every_page_it_reaches(
    client, make_draft, settings
):
    settings.PORTAL_COMMENT_RATE = 10
    draft = make_draft()
    for payload in XSS:
        response = post_comment(client, draft, name=payload, organisation=payload, content=payload)
        assert response.status_code == 302, payload
    assert set(DraftComment.objects.values_list("content", flat=True)) == set(XSS)
    # The email check lets a quoted local part through: it is stored as typed, as text.
    assert (
        post_comment(client, draft, email='"<script>alert(1)</script>"@example.vn').status_code
        == 302
    )
    # A payload that fails the form comes back in it, escaped.
    page = text(post_comment(client, draft, email=XSS[1], content=XSS[0]), 400)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert 'value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page

"""Albums and videos in Chromium: an album walked with the keyboard, with and without
JavaScript; the video player's text track; the pages on a phone."""

import pytest
from playwright.sync_api import expect

from tests.gallery_samples import make_gallery_pages

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def gallery(transactional_db):
    return make_gallery_pages()


def tab_to(page, selector, presses=80):
    """Press Tab until ``selector`` has the focus, as a keyboard user would reach it."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_an_album_is_walked_with_tab_and_enter_without_javascript(open_page, gallery):
    page = open_page(java_script_enabled=False)
    page.goto(gallery["album"])
    tab_to(page, ".photo-grid__link")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/anh/')[0]}{gallery['album']}1/")
    expect(page.locator(".photo-viewer__count")).to_have_text("Ảnh 1/3")
    expect(page.locator(".photo-viewer__hint")).to_be_hidden()
    for number in (2, 3):
        tab_to(page, 'a[rel="next"]')
        page.keyboard.press("Enter")
        expect(page.locator(".photo-viewer__count")).to_have_text(f"Ảnh {number}/3")
    assert page.locator('a[rel="next"]').count() == 0
    tab_to(page, 'a[rel="prev"]')
    page.keyboard.press("Enter")
    expect(page.locator(".photo-viewer__count")).to_have_text("Ảnh 2/3")
    expect(page.locator(".photo-viewer figcaption")).to_have_text("Ảnh: Thái Bình")


def test_the_arrow_keys_move_through_an_album_with_javascript(page, gallery):
    count, hint = page.locator(".photo-viewer__count"), page.locator(".photo-viewer__hint")

    def press(key, expected):
        page.keyboard.press(key)
        expect(count).to_have_text(expected)
        expect(hint).to_be_visible()  # the page's script runs: the keys work again

    page.goto(gallery["album photo"])
    expect(hint).to_be_visible()
    press("ArrowRight", "Ảnh 3/3")
    expect(page.locator(".photo-viewer figcaption")).to_contain_text("Quang cảnh buổi lễ")
    page.keyboard.press("ArrowRight")  # the last photo: nowhere further to go
    page.wait_for_timeout(200)
    expect(count).to_have_text("Ảnh 3/3")
    press("ArrowLeft", "Ảnh 2/3")
    press("ArrowLeft", "Ảnh 1/3")
    # Typing in the search box moves nothing.
    page.locator("#tu-khoa").press("ArrowRight")
    page.wait_for_timeout(200)
    expect(count).to_have_text("Ảnh 1/3")


def test_the_video_plays_in_the_browsers_player_with_its_captions_track(page, gallery):
    page.goto(gallery["video"])
    video = page.locator("video.video__element")
    expect(video).to_have_attribute("controls", "")
    expect(video).to_have_attribute("preload", "metadata")
    assert "/media/renditions/" in video.get_attribute("poster")
    track = video.locator("track")
    expect(track).to_have_attribute("kind", "captions")
    expect(track).to_have_attribute("srclang", "vi")
    expect(track).to_have_attribute("default", "")
    found = page.evaluate(
        """async () => {
            const video = document.querySelector("video");
            const track = video.querySelector("track");
            const answer = await fetch(track.src);
            return {
                tracks: [...video.textTracks].map((t) => [t.kind, t.language, t.label]),
                status: answer.status,
                type: answer.headers.get("Content-Type"),
                text: await answer.text(),
            };
        }"""
    )
    assert found["tracks"] == [["captions", "vi", "Tiếng Việt"]]
    assert found["status"] == 200 and found["type"] == "text/vtt; charset=utf-8"
    assert found["text"].startswith("WEBVTT")
    expect(page.locator(".video__transcript")).to_contain_text("Kính thưa các đồng chí.")
    expect(page.get_by_role("link", name="Tải phụ đề (WebVTT)")).to_be_visible()


@pytest.mark.parametrize("name", ["albums", "album", "album photo", "videos", "video"])
def test_gallery_pages_fit_a_phone(phone_page, gallery, name):
    phone_page.goto(gallery[name])
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width} px wide on a 360 px phone"


# Every document records the Content Security Policy violations the browser reports.
WATCH_POLICY = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(`${event.effectiveDirective} refused ${event.blockedURI}`);
});
"""


def test_gallery_pages_break_no_rule_of_the_policy(open_page, gallery):
    page = open_page(init_script=WATCH_POLICY)
    found = {}
    for name in ("albums", "album", "album photo", "videos", "video"):
        page.goto(gallery[name])
        page.wait_for_load_state("load")
        if name == "video":
            # The text track loads under the policy (media-src), its cues with it.
            page.evaluate("document.querySelector('video').textTracks[0].mode = 'showing'")
            page.wait_for_function("document.querySelector('track').readyState === 2")
            cues = page.evaluate("document.querySelector('video').textTracks[0].cues.length")
            assert cues == 1
        found[name] = page.evaluate("window.__cspViolations")
    assert not {name: refused for name, refused in found.items() if refused}, found

"""The slug the admin fills in as an editor types is the server's own (vietnamese_slugify).

static/js/slug.js takes the place of Django's URLify; these tests run it in Node against the
server function, and check that every admin form that prepopulates a slug loads it. The browser
test that types titles is tests/e2e/test_slug_typing.py.
"""

import json
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import django
import pytest
from django.contrib import admin
from django.urls import reverse

from agency.models import AgencyPage
from news.models import Article, Category
from news.text import vietnamese_slugify

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SLUG_JS = ROOT / "static" / "js" / "slug.js"
DJANGO_ADMIN = Path(django.__file__).parent / "contrib" / "admin"
DJANGO_URLIFY = DJANGO_ADMIN / "static" / "admin" / "js" / "urlify.js"

# The five tones (huyền, sắc, hỏi, ngã, nặng) and none, on every Vietnamese vowel.
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
LETTERS = [unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES]

LONG_TITLE = (
    "Hội nghị trực tuyến toàn quốc tổng kết công tác lao động, người có công và xã hội năm 2023, "
    "triển khai nhiệm vụ năm 2024 với sự tham dự của lãnh đạo Đảng, Nhà nước, các bộ, ngành "
    "trung ương và địa phương – kỳ vọng về một năm bứt phá"
)
TITLES = [
    "Bộ LĐTBXH tổ chức hội nghị trực tuyến về việc làm cho thanh niên",
    "Lao động – Việc làm",
    "Hằng năm, miền Bắc khẳng định sẵn sàng đối mặt",
    "Đầu tư cấp tỉnh: sản phẩm hướng dẫn nhận diện",
    "Về thế hệ trẻ để dễ tìm việc",
    "Đồng bộ số hóa tổ chức hỗ trợ",
    "Người mới ở sở đỡ đợi",
    "Từ chức năng sử dụng những lực lượng",
    "Kỷ niệm, ỷ lại, quý vị, lý do, mỹ thuật, ỵ",
    "ĐẠI HỘI ĐẢNG BỘ BỘ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI",
    "đường Đê La Thành",
    "Thông tư 15/2023/TT-BLĐTBXH: hướng dẫn (mới)!",
    "“Nói không” với lao động trẻ em… 100% & hơn thế?",
    "Giai đoạn 2019 — 2022; ngày 17.10 tại Hà Nội",
    "  khoảng   trắng\tvà\ndòng mới  ",
    "gạch_dưới __ và --- gạch ngang -",
    "Café, naïve, façade, Øresund, Ðiện, smörgåsbord, straße",
    "ﬁle ½ ™ ² ① ＡＢＣ",
    "Hà Nội 🇻🇳 北京 Москва",
    "không\u00a0ngắt\u2009dòng",
    "a\x1fb\x1cc",
    "–",
    "",
    LONG_TITLE,
    "a" * 250,
    "từ-" * 80,
]
# Each base letter in a word, with its tone as a composed letter and as a combining mark after
# it, in lower and upper case, and a breve or circumflex letter with the tone typed after it.
TITLES += [f"t{letter}n {letter.upper()}N" for letter in LETTERS]
TITLES += [unicodedata.normalize("NFD", title) for title in TITLES]
TITLES += [vowel + tone for vowel in "ăâêôơư" for tone in TONES[1:]]
# The slug fields' lengths (articles, sections, agency pages), Django's fallback, and short cuts.
MAX_LENGTHS = [200, 140, 120, 50, 20, 7, 1]

# Loads each file into one context, as a page's <script> tags do, and slugifies the cases read
# from stdin ([text, max length] pairs) with whatever window.URLify is at the end.
NODE_PROGRAM = """
const fs = require("fs");
const vm = require("vm");
const {scripts, cases} = JSON.parse(fs.readFileSync(0, "utf8"));
const context = vm.createContext({window: {}});
for (const script of scripts) {
  vm.runInContext(fs.readFileSync(script, "utf8"), context, {filename: script});
}
const urlify = context.window.URLify;
process.stdout.write(JSON.stringify(cases.map(([text, maxLength]) => urlify(text, maxLength))));
"""


def urlify_in_node(scripts, cases):
    """window.URLify(text, max_length) for each case, after running ``scripts`` in order."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js is not installed; CI needs it to test static/js/slug.js.")
        pytest.skip("Node.js is not installed: static/js/slug.js is not compared with the server.")
    result = subprocess.run(
        [node, "-e", NODE_PROGRAM],
        input=json.dumps({"scripts": [str(script) for script in scripts], "cases": cases}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_admins_slug_is_the_servers_for_every_vietnamese_letter_and_tone():
    cases = [[title, length] for title in TITLES for length in MAX_LENGTHS]

    in_browser = urlify_in_node([SLUG_JS], cases)

    on_server = [vietnamese_slugify(title, length) for title, length in cases]
    mismatches = [
        (title, length, js, py)
        for (title, length), js, py in zip(cases, in_browser, on_server, strict=True)
        if js != py
    ]
    assert not mismatches
    assert in_browser[0] == "bo-ldtbxh-to-chuc-hoi-nghi-truc-tuyen-ve-viec-lam-cho-thanh-nien"
    assert in_browser[len(MAX_LENGTHS)] == "lao-dong-viec-lam"


def test_long_titles_are_cut_to_the_fields_length_at_a_hyphen():
    lengths = [200, 140, 120, 50]

    slugs = urlify_in_node([SLUG_JS], [[LONG_TITLE, length] for length in lengths])

    for slug, length in zip(slugs, lengths, strict=True):
        assert len(slug) <= length
        assert vietnamese_slugify(LONG_TITLE, 1000).startswith(slug + "-")
        assert not slug.endswith("-")


@pytest.mark.parametrize("order", ["django-first", "portal-first"])
def test_the_portals_urlify_wins_over_djangos_whichever_loads_first(order):
    scripts = [DJANGO_URLIFY, SLUG_JS] if order == "django-first" else [SLUG_JS, DJANGO_URLIFY]

    assert urlify_in_node(scripts, [["Lao động – Việc làm", 50], ["Bộ trưởng", 50]]) == [
        "lao-dong-viec-lam",
        "bo-truong",
    ]


def test_djangos_own_urlify_garbles_vietnamese():
    """Why slug.js exists: if this starts to pass Django fixed it, and slug.js may go."""
    title = "Bộ LĐTBXH tổ chức hội nghị"

    assert urlify_in_node([DJANGO_URLIFY], [[title, 200]]) != [vietnamese_slugify(title)]


def prepopulating_admins():
    return [
        model_admin
        for model_admin in admin.site._registry.values()
        if model_admin.prepopulated_fields
    ]


def test_every_admin_form_that_fills_a_slug_loads_the_portals_urlify(admin_client):
    admins = prepopulating_admins()
    modules = {type(model_admin).__module__ for model_admin in admins}
    assert modules >= {"news.admin", "agency.admin"}

    for model_admin in admins:
        opts = model_admin.model._meta
        response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert response.status_code == 200, opts.label
        page = response.content.decode()
        # Django's prepopulate and the constants it reads, and ours before them.
        assert 'src="/static/js/slug.js"' in page, opts.label
        assert page.index("/static/js/slug.js") < page.index("admin/js/prepopulate_init.js")
        assert 'id="django-admin-prepopulated-fields-constants"' in page, opts.label


def test_the_template_override_keeps_djangos_own_tag():
    """templates/admin/prepopulated_fields_js.html copies Django's; a Django upgrade that
    changes it shows up here."""
    django_template = (DJANGO_ADMIN / "templates/admin/prepopulated_fields_js.html").read_text()
    ours = (ROOT / "templates/admin/prepopulated_fields_js.html").read_text()

    assert django_template.replace("{% load static %}\n", "").strip() in ours


def test_a_section_left_without_a_slug_gets_the_servers_on_save(admin_client):
    response = admin_client.post(
        reverse("admin:news_category_add"),
        {"name": "Lao động – Việc làm", "slug": "", "parent": "", "description": "", "position": 0},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    section = Category.objects.get(name="Lao động – Việc làm")
    assert section.slug == vietnamese_slugify("Lao động – Việc làm", 140) == "lao-dong-viec-lam"
    assert section.get_absolute_url() == "/chuyen-muc/lao-dong-viec-lam/"


def test_an_article_left_without_a_slug_gets_the_servers_on_save(admin_client, category):
    title = TITLES[0]
    response = admin_client.post(
        reverse("admin:news_article_add"),
        {
            "title": title,
            "slug": "",
            "category": category.pk,
            "lead": "",
            "body": "<p>Nội dung.</p>",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            "expires_at_0": "",
            "expires_at_1": "",
            "author": "",
            "source": "",
            "language": "vi",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.get().slug == vietnamese_slugify(title)


def test_an_agency_page_left_without_slugs_gets_the_servers_on_save(admin_client):
    response = admin_client.post(
        reverse("admin:agency_agencypage_add"),
        {
            "title_vi": "Chức năng, nhiệm vụ của Bộ",
            "slug_vi": "",
            "summary_vi": "",
            "body_vi": "<p>Nội dung.</p>",
            "title_en": "Functions and Duties",
            "slug_en": "",
            "summary_en": "",
            "body_en": "",
            "block": "",
            "position": 0,
            "is_published": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = AgencyPage.objects.get()
    assert (page.slug_vi, page.slug_en) == ("chuc-nang-nhiem-vu-cua-bo", "functions-and-duties")


def test_an_agency_page_saved_in_code_without_slugs_gets_them():
    page = AgencyPage.objects.create(title_vi="Lãnh đạo Bộ", title_en="Leadership")

    assert (page.slug_vi, page.slug_en) == ("lanh-dao-bo", "leadership")

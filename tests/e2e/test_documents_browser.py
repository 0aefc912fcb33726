"""The library of legal documents in a browser: the filters through the form, a search by
number, a document's files downloaded under their Vietnamese names, and a 360 px phone."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.documents_samples import DOCX, PDF, make_document

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def library(transactional_db):
    decree = make_document(
        "42/2022/NĐ-CP",
        summary="Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến",
        issued_on=datetime.date(2022, 6, 24),
        field_names=["Công nghệ thông tin"],
        files=[("Nghị định 42-2022-NĐ-CP.pdf", PDF), ("Phụ lục.docx", DOCX)],
    )
    circular = make_document(
        "11/2023/TT-BLĐTBXH",
        type_name="Thông tư",
        body_name="Bộ Lao động – Thương binh và Xã hội",
        summary="Hướng dẫn thực hiện bình đẳng giới trong lao động",
        issued_on=datetime.date(2023, 3, 1),
        field_names=["Bình đẳng giới"],
    )
    make_document(
        "05/2023/TT-BLĐTBXH",
        type_name="Thông tư",
        body_name="Bộ Lao động – Thương binh và Xã hội",
        summary="Hướng dẫn về lao động nữ",
        issued_on=datetime.date(2023, 1, 5),
        expires_on=datetime.date(2024, 1, 1),
        field_names=["Lao động"],
    )
    return {"decree": decree, "circular": circular}


def titles(page):
    return page.locator(".card__title a").all_inner_texts()


def test_a_reader_filters_the_library_through_the_form_and_downloads_a_file(page, library):
    page.goto("/van-ban/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Văn bản")
    assert len(titles(page)) == 3

    main = page.get_by_role("main")
    main.get_by_label("Loại văn bản").select_option(label="Thông tư")
    main.get_by_label("Năm ban hành").select_option("2023")
    main.get_by_label("Hiệu lực", exact=True).select_option(label="Còn hiệu lực")
    main.get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(r"loai=thong-tu.*nam=2023.*hieu-luc=con"))
    expect(page.locator(".card__title a")).to_have_text(["Thông tư 11/2023/TT-BLĐTBXH"])
    expect(main.get_by_label("Loại văn bản")).to_have_value("thong-tu")

    main.get_by_role("link", name="Bỏ lọc").click()
    main.get_by_label("Số ký hiệu hoặc trích yếu").fill("42/2022/nd-cp")
    main.get_by_role("button", name="Tìm văn bản").click()
    expect(page.locator(".card__title a").first).to_have_text("Nghị định 42/2022/NĐ-CP")

    page.locator(".card__title a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nghị định 42/2022/NĐ-CP")
    link = page.get_by_role("link", name="Nghị định 42-2022-NĐ-CP.pdf", exact=True)
    expect(link).to_have_attribute("download", "")
    expect(page.get_by_text("(PDF, 77\u00a0byte)")).to_be_visible()
    with page.expect_download() as caught:
        link.click()
    assert caught.value.suggested_filename == "Nghị định 42-2022-NĐ-CP.pdf"
    expect(page.get_by_role("link", name=re.compile("^Xem Nghị định"))).to_have_count(1)


WIDER_THAN_SCREEN = """[...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > 361)
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
    .slice(0, 8)"""


def test_the_library_fits_a_phone(phone_page, library):
    for path in ("/van-ban/", library["decree"].get_absolute_url()):
        phone_page.goto(path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        wide = phone_page.evaluate(WIDER_THAN_SCREEN)
        assert width <= 360, (path, width, wide)

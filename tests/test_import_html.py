"""import_articles on saved HTML pages: the pages of tests/importer_corpus/ with their folders."""

import json
import shutil
import socket
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image as PILImage

from news.html_page import parse_html_page
from news.models import Article, Image
from news.parser import ParseError
from tests.test_import import run

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent / "importer_corpus"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def saved_page(stem, folder, files=None):
    """Copy a corpus page and the folder its browser saved beside it into ``folder``."""
    folder.mkdir(exist_ok=True)
    shutil.copy(CORPUS / f"{stem}.html", folder / f"{stem}.html")
    files = files or f"{stem}_files"
    if (CORPUS / files).is_dir():
        shutil.copytree(CORPUS / files, folder / files)
    return folder / f"{stem}.html"


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach another machine fails the test (the database and cache are local)."""
    real_connect = socket.socket.connect
    attempts = []

    def connect(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if sock.family == socket.AF_UNIX or host in ("127.0.0.1", "::1", "localhost"):
            return real_connect(sock, address)
        attempts.append(address)
        raise AssertionError(f"the importer tried to reach {address}")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: attempts.append(host) or [])
    return attempts


def test_a_page_with_metadata_imports_its_headline_time_author_and_saved_photo(tmp_path):
    saved_page("vnexpress-html-01", tmp_path / "pages")
    out, err, error = run(tmp_path / "pages")
    assert error is None, err
    assert "Đã tạo 1, cập nhật 0, không đổi 0, bỏ qua 0, lỗi 0." in out

    article = Article.objects.get()
    assert article.title == "Hà Nội cần tuyển 5.000 lao động trong tháng 10"  # no " - VnExpress"
    assert article.published_at == datetime(2024, 10, 3, 8, 15, tzinfo=HCM)
    assert not article.date_only
    assert article.author == "Ngọc Thành"
    assert article.category.name == "Kinh doanh"
    assert article.lead.startswith("Các phiên giao dịch việc làm của Hà Nội")
    image = Image.objects.get()
    assert image.original_filename == "san-viec-lam.jpg" and image.file
    assert image.caption.startswith("Người lao động tìm việc tại một phiên giao dịch")
    assert article.featured_image == image
    assert f'src="{image.file.url}"' in article.body
    assert "Ảnh: Ngọc Thành</figcaption>" in article.body
    for furniture in ("Tin liên quan", "Xem nhiều", "Copyright", "Chia sẻ", "Giá vàng"):
        assert furniture not in article.body and furniture not in article.lead


def test_a_page_without_metadata_is_read_by_the_text_rules(tmp_path):
    saved_page("tinhlaichau-html-01", tmp_path / "pages", files="lai-chau-portal_files")
    out, err, error = run(tmp_path / "pages")
    assert error is None, err

    article = Article.objects.get()
    assert article.title == "Huyện Phong Thổ giải ngân hơn 10 tỷ đồng vốn giảm nghèo bền vững"
    assert article.title != "Cổng thông tin điện tử tỉnh Lai Châu"  # the <title> is the portal's
    assert article.published_at == datetime(2023, 11, 14, 15, 20, tzinfo=HCM)
    assert article.source == "Sở Lao động - TB&XH"
    assert article.lead.startswith("Tính đến hết tháng 10/2023, huyện Phong Thổ")
    assert "Người dân xã Sì Lở Lầu nhận bò giống" in article.body
    assert "CÁC TIN KHÁC" not in article.body and "Tam Đường" not in article.body
    assert Image.objects.get().file  # from the folder the page was saved with


def test_a_page_with_only_a_printed_date_is_dated_that_day(tmp_path):
    saved_page("huyengiaothuy-html-01", tmp_path / "pages")
    _out, err, error = run(tmp_path / "pages")
    assert error is None, err
    article = Article.objects.get()
    assert article.title == "Trao 500 suất quà Tết cho hộ nghèo, gia đình chính sách"
    assert article.date_only and article.published_date.isoformat() == "2024-01-15"
    assert Image.objects.get().caption.startswith("Ảnh: Đoàn công tác trao quà")


def test_a_remote_photo_is_never_fetched_and_its_caption_is_kept(tmp_path, no_network):
    saved_page("dantri-html-01", tmp_path / "pages")
    out, err, error = run(tmp_path / "pages", "--dry-run", "--json")
    assert error is None, err
    [row] = [json.loads(line) for line in out.splitlines()]
    skipped = row["article"]["skipped"]
    assert {
        "text": "https://cdnphoto.dantri.com.vn/nghi-tet-thumb.jpg",
        "why": "remote image, not fetched",
    } in skipped
    assert row["article"]["images"] == []

    _out, err, error = run(tmp_path / "pages")
    assert error is None, err
    article = Article.objects.get()
    assert "cdnphoto.dantri.com.vn" not in article.body
    assert '<p class="caption">Người lao động tại một khu công nghiệp ở Bắc Ninh' in article.body
    assert not Image.objects.exists()
    assert no_network == []


def test_photos_are_read_only_from_inside_the_pages_folder(tmp_path):
    outside = tmp_path / "secret.jpg"
    PILImage.new("RGB", (8, 8), "red").save(outside)
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "trang.html").write_text(
        "<html><head><title>x</title></head><body><h1>Tỉnh trao quà cho người có công dịp "
        "Tết</h1><p>Ngày đăng: 02/02/2024</p><p>Sáng nay, lãnh đạo tỉnh đã đến thăm và trao "
        "quà cho các gia đình người có công với cách mạng trên địa bàn thành phố.</p>"
        '<p><img src="../secret.jpg"></p><p><img src="file:///etc/hostname"></p>'
        "<p>Mỗi suất quà trị giá 2 triệu đồng, do ngân sách tỉnh bảo đảm.</p></body></html>",
        encoding="utf-8",
    )
    page = parse_html_page((pages / "trang.html").read_bytes(), base_dir=pages)
    assert page.image_files == {}
    assert ("../secret.jpg", "image file not saved with the page") in [
        (s.text, s.why) for s in page.skipped
    ]
    assert ("file:///etc/hostname", "remote image, not fetched") in [
        (s.text, s.why) for s in page.skipped
    ]

    _out, err, error = run(pages)
    assert error is None, err
    assert not Image.objects.filter(file__gt="").exists()


def test_refused_pages_fail_alone_with_a_one_line_reason(tmp_path):
    pages = tmp_path / "pages"
    saved_page("sokhanhhoa-html-01", pages)  # a section's list of headlines
    saved_page("laodong-html-01", pages)
    (pages / "rong.html").write_bytes(b"")
    (pages / "chi-menu.html").write_text(
        "<html><body><ul><li><a href='/'>Trang chủ</a></li><li>Liên hệ</li></ul></body></html>",
        encoding="utf-8",
    )
    (pages / "nhi-phan.htm").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))

    out, err, error = run(pages)
    assert error is not None and error.returncode == 1
    assert "Đã tạo 1, cập nhật 0, không đổi 0, bỏ qua 0, lỗi 4." in out
    lines = err.strip().splitlines()
    assert len(lines) == 4
    reasons = {Path(line.split(": ", 1)[0]).name: line.split(": ", 1)[1] for line in lines}
    assert "bài viết" in reasons["sokhanhhoa-html-01.html"]  # not an article
    assert reasons["rong.html"] == "tệp rỗng"
    assert "nhị phân" in reasons["nhi-phan.htm"]
    assert "Traceback" not in err
    assert Article.objects.get().title == "Công nhân khu công nghiệp được khám sức khỏe miễn phí"


def test_a_listing_page_is_refused_by_the_parser():
    with pytest.raises(ParseError, match="không phải (trang )?bài viết"):
        parse_html_page((CORPUS / "sokhanhhoa-html-01.html").read_bytes(), base_dir=CORPUS)


def test_dry_run_json_describes_html_pages_and_writes_nothing(tmp_path):
    pages = tmp_path / "pages"
    saved_page("tuoitre-html-01", pages)
    saved_page("sokhanhhoa-html-01", pages)
    out, _err, error = run(pages, "--dry-run", "--json")
    assert error is not None and error.returncode == 1  # the listing page
    rows = {Path(row["file"]).name: row for row in map(json.loads, out.splitlines())}
    assert rows["sokhanhhoa-html-01.html"]["ok"] is False
    article = rows["tuoitre-html-01.html"]["article"]
    assert rows["tuoitre-html-01.html"]["key"] == (
        "https://tuoitre.vn/tang-luong-huu-tu-1-7-ai-duoc-tang-tang-bao-nhieu-20240701093512345.htm"
    )
    assert article["title"] == "Tăng lương hưu từ 1-7: ai được tăng, tăng bao nhiêu?"
    assert article["published_at"] == "2024-07-01T09:35:00+07:00"
    assert article["updated_at"] == "2024-07-01T11:02:00+07:00"
    assert article["author"] == "Ngọc Hiển"  # JSON-LD's Person, not the capitals byline
    assert article["images"] == [
        {
            "file": "luong-huu.jpg",
            "caption": "Người hưởng lương hưu làm thủ tục tại bưu điện quận 3, TP.HCM - Ảnh: "
            "HỮU HẠNH",
        }
    ]
    assert not Article.objects.exists() and not Image.objects.exists()


def test_importing_html_twice_is_idempotent(tmp_path):
    pages = tmp_path / "pages"
    for stem in ("molisa-html-01", "nhandan-html-01", "vov-html-01"):
        saved_page(stem, pages)
    run(pages)
    before = list(Article.objects.order_by("pk").values_list("pk", "title", "body", "version"))
    images = Image.objects.count()
    assert len(before) == 3 and images == 4

    out, _err, error = run(pages)
    assert error is None
    assert "Đã tạo 0, cập nhật 0, không đổi 3, bỏ qua 0, lỗi 0." in out
    assert list(Article.objects.order_by("pk").values_list("pk", "title", "body", "version")) == (
        before
    )
    assert Image.objects.count() == images


def test_a_page_saved_again_under_another_name_updates_its_article(tmp_path):
    first = tmp_path / "first"
    saved_page("vnexpress-html-01", first)
    run(first)
    again = tmp_path / "again"
    again.mkdir()
    html = (first / "vnexpress-html-01.html").read_text(encoding="utf-8")
    html = html.replace("vnexpress-html-01_files", "ban-luu_files").replace(
        "gọi tổng đài", "gọi đường dây nóng"
    )
    (again / "ban-luu.html").write_text(html, encoding="utf-8")
    shutil.copytree(first / "vnexpress-html-01_files", again / "ban-luu_files")

    out, err, error = run(again)
    assert error is None, err
    assert "Đã tạo 0, cập nhật 1" in out  # the same address: the same article
    article = Article.objects.get()
    assert "gọi đường dây nóng" in article.body
    assert Image.objects.count() == 1  # the same photo, recognised by its bytes


def test_an_article_an_editor_changed_is_not_overwritten(tmp_path):
    pages = tmp_path / "pages"
    page = saved_page("laodong-html-01", pages)
    run(pages)
    article = Article.objects.get()
    article.lead = "Sapo do biên tập viên viết lại."
    article.save()
    page.write_text(
        page.read_text(encoding="utf-8").replace("50 suất quà", "60 suất quà"), encoding="utf-8"
    )

    out, _err, error = run(pages)
    assert error is None
    assert "bỏ qua 1" in out and "không ghi đè" in out
    article.refresh_from_db()
    assert article.lead == "Sapo do biên tập viên viết lại."
    assert "50 suất quà" in article.body


def test_same_named_photos_of_two_pages_stay_two_photos(tmp_path):
    pages = tmp_path / "pages"
    saved_page("tuoitre-html-01", pages)
    saved_page("nhandan-html-01", pages)
    # Both pages' photos are called anh.jpg, as browsers often save them, but differ.
    for stem, old in (("tuoitre-html-01", "luong-huu.jpg"), ("nhandan-html-01", "yen-bai.jpg")):
        page = pages / f"{stem}.html"
        page.write_text(page.read_text(encoding="utf-8").replace(old, "anh.jpg"), encoding="utf-8")
        (pages / f"{stem}_files" / old).rename(pages / f"{stem}_files" / "anh.jpg")

    _out, err, error = run(pages)
    assert error is None, err
    photos = Image.objects.filter(original_filename="anh.jpg")
    assert photos.count() == 2
    assert len({photo.sha256 for photo in photos}) == 2
    for article in Article.objects.all():
        assert article.featured_image.caption.split()[0] in article.body


def test_pages_saved_inside_a_pages_files_folder_are_not_pages(tmp_path):
    pages = tmp_path / "pages"
    saved_page("laodong-html-01", pages)
    (pages / "laodong-html-01_files" / "quang-cao.html").write_text(
        "<html><body><h1>Quảng cáo</h1><p>Khung quảng cáo nhúng trong trang.</p></body></html>",
        encoding="utf-8",
    )
    out, err, error = run(pages)
    assert error is None, err
    assert "Đã tạo 1, cập nhật 0, không đổi 0, bỏ qua 0, lỗi 0." in out


def test_text_and_html_pages_import_together(tmp_path):
    pages = tmp_path / "pages"
    saved_page("baochinhphu-html-01", pages)
    shutil.copy(
        Path(__file__).resolve().parent.parent / "fixtures" / "seeds" / "004_500632ae6ba68493.txt",
        pages / "seed.txt",
    )
    out, err, error = run(pages)
    assert error is None, err
    assert "Đã tạo 2," in out
    assert Article.objects.filter(author="Thanh Quang").exists()


def test_a_lazy_loaded_photo_is_found_in_any_of_its_addresses(tmp_path):
    (tmp_path / "trang_files").mkdir()
    PILImage.new("RGB", (8, 8), "blue").save(tmp_path / "trang_files" / "anh 1.jpg")
    page = tmp_path / "trang.html"
    page.write_text(
        "<html><head><meta property='og:title' content='Hội nghị tổng kết công tác năm'>"
        "<meta property='article:published_time' content='2024-01-10T09:00:00+07:00'></head>"
        "<body><h1>Hội nghị tổng kết công tác năm</h1><p>Sáng 10/1, Sở tổ chức hội nghị tổng "
        "kết công tác năm 2023 và triển khai nhiệm vụ năm 2024 với sự tham dự của các phòng, "
        "đơn vị trực thuộc.</p><figure><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw=' "
        "data-src='trang_files/anh%201.jpg'><figcaption>Quang cảnh hội nghị</figcaption>"
        "</figure><p>Hội nghị đã thảo luận và thống nhất các chỉ tiêu chủ yếu của năm mới, "
        "trong đó có giải quyết việc làm cho 30.000 lao động.</p></body></html>",
        encoding="utf-8",
    )
    article = parse_html_page(page.read_bytes(), base_dir=tmp_path)
    [figure] = article.images
    assert (figure.file, figure.caption) == ("anh 1.jpg", "Quang cảnh hội nghị")
    assert article.image_files == {"anh 1.jpg": (tmp_path / "trang_files" / "anh 1.jpg").resolve()}
    assert article.published_at == datetime(2024, 1, 10, 9, 0, tzinfo=HCM)

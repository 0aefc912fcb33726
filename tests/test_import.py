import io
import json
import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from reversion.models import Version

from news.models import Article, Category, Image
from news.parser import decode_page, parse_page
from tests.test_parser import to_cp1258_form

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SEED_000 = SEEDS / "000_9d12e023e3493c91.txt"
SEED_004 = SEEDS / "004_500632ae6ba68493.txt"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def run(*args):
    """Run the command; returns (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def article_of(seed):
    """The article imported from a seed page, found by what the page is (its title)."""
    return Article.objects.get(title=parse_page(decode_page(seed.read_bytes())).title)


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in (SEED_000, SEED_004):
        shutil.copy(seed, folder / seed.name)
    return folder


def test_seeds_import_as_articles(seeds):
    out, err, error = run(seeds)
    assert error is None, err
    assert "Đã tạo 2, cập nhật 0, không đổi 0, bỏ qua 0, lỗi 0." in out

    training = article_of(SEED_000)
    assert training.title == (
        "Tập huấn nghiệp vụ công tác bình đẳng giới và vì sự tiến bộ của phụ nữ năm 2023"
    )
    assert training.published_date.isoformat() == "2023-09-13"
    assert training.category.name == "Tin tức"
    assert training.author == ""
    assert training.lead.startswith("Trong 02 ngày (12-13/9/2023), tại tỉnh Phú Yên")
    assert training.status == "published" and training.is_visible
    body = training.body
    assert body.count("<figure") == 2
    assert body.index("Thứ trưởng Nguyễn Thị Hà phát biểu khai mạc lớp Tập huấn") < body.index(
        "Các đại biểu tham gia lớp Tập huấn"
    )
    assert body.count("<p>") == 5  # six text paragraphs, counting the lead
    for junk in ("Skip Ribbon Commands", "Sign In", ">Xem<"):
        assert junk not in body and junk not in training.title
    assert set(Image.objects.values_list("original_filename", "caption")) == {
        ("1c48a1fa9d2d4873113c.jpg", "Thứ trưởng Nguyễn Thị Hà phát biểu khai mạc lớp Tập huấn"),
        ("f7ba700c4cdb9985c0ca.jpg", "Các đại biểu tham gia lớp Tập huấn"),
    }
    assert all(not image.file for image in Image.objects.all())  # recorded, waiting for a file

    signing = article_of(SEED_004)
    assert signing.category.name == "Xã hội" and signing.category.slug == "xa-hoi"
    assert signing.title == (
        "Bộ Lao động, Thương binh và Xã hội và Hội Liên hiệp Phụ nữ Việt Nam ký phối hợp công "
        "tác giai đoạn 2019 – 2022"
    )
    assert signing.published_at == datetime(2019, 10, 17, 21, 50, tzinfo=HCM)
    assert signing.lead.startswith("Ngày 17.10, tại Hà Nội")
    assert "Toàn cảnh ký kết giữa Bộ trưởng" in signing.body
    assert signing.author == "Thái Bình"
    last_paragraph = signing.body.rsplit("<p>", 1)[-1]
    assert last_paragraph.startswith("Trên cơ sở các nội dung đã ký kết")
    for junk in (
        "Xem tin theo ngày:",
        "LAO ĐỘNG",
        "Với tinh thần",
        "Quay trở lại đầu trang",
        "Cập nhật",
    ):
        assert junk not in signing.body and junk not in signing.lead
    # The page's own update stamp, not the time of the import.
    assert signing.updated_at == datetime(2020, 2, 19, 9, 34, tzinfo=HCM)


def test_importing_twice_is_idempotent(seeds):
    run(seeds)
    out, _err, error = run(seeds)
    assert error is None
    assert "Đã tạo 0, cập nhật 0, không đổi 2, bỏ qua 0, lỗi 0." in out
    assert Article.objects.count() == 2
    assert Image.objects.count() == 2
    assert Category.objects.filter(name="Xã hội").count() == 1


def test_a_changed_file_updates_its_article(seeds):
    run(seeds)
    page = seeds / SEED_004.name
    page.write_text(page.read_text().replace("Thái Bình\n", "Minh Anh\n"), encoding="utf-8")
    out, _err, error = run(seeds)
    assert error is None
    assert "Đã tạo 0, cập nhật 1, không đổi 1, bỏ qua 0, lỗi 0." in out
    assert article_of(SEED_004).author == "Minh Anh"
    assert Article.objects.count() == 2


def test_a_file_named_directly_has_the_same_identity(seeds):
    run(seeds)
    out, _err, _error = run(seeds / SEED_004.name)
    assert "không đổi 1" in out
    assert Article.objects.count() == 2


def test_the_database_holds_the_source_identity(seeds):
    from django.db import IntegrityError, transaction

    run(seeds)
    article = article_of(SEED_004)
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(
            title="Bản sao", category=article.category, import_key=article.import_key
        )


def test_dry_run_writes_nothing(seeds):
    out, _err, error = run(seeds, "--dry-run")
    assert error is None
    assert "Chạy thử, không ghi gì: phân tích được 2, lỗi 0." in out
    assert not Article.objects.exists()
    assert not Image.objects.exists()
    assert not Category.objects.exists()


def test_dry_run_json_prints_one_object_per_file(seeds):
    out, err, error = run(seeds, "--dry-run", "--json")
    assert error is None
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    by_name = {Path(row["file"]).name: row for row in rows}
    training = by_name[SEED_000.name]
    assert training["ok"] is True and training["error"] is None
    assert training["article"]["published_at"] == "2023-09-13"
    assert training["article"]["images"] == [
        {
            "file": "1c48a1fa9d2d4873113c.jpg",
            "caption": "Thứ trưởng Nguyễn Thị Hà phát biểu khai mạc lớp Tập huấn",
        },
        {"file": "f7ba700c4cdb9985c0ca.jpg", "caption": "Các đại biểu tham gia lớp Tập huấn"},
    ]
    signing = by_name[SEED_004.name]["article"]
    assert signing["published_at"] == "2019-10-17T21:50:00+07:00"
    assert signing["updated_at"] == "2020-02-19T09:34:00+07:00"
    assert signing["category"] == "Xã hội"
    assert signing["author"] == "Thái Bình"
    assert "<p>" in signing["body_html"]
    assert any("Với tinh thần" in item["text"] for item in signing["skipped"])
    assert set(signing) == {
        "title",
        "published_at",
        "updated_at",
        "category",
        "author",
        "lead",
        "body_html",
        "images",
        "skipped",
    }
    assert "phân tích được 2" in err  # the summary goes to stderr, leaving stdout pure JSON
    assert not Article.objects.exists()


def test_json_without_dry_run_is_refused(seeds):
    _out, _err, error = run(seeds, "--json")
    assert error is not None and "--json chỉ dùng cùng --dry-run" in str(error)


def test_category_option_and_default(seeds):
    Category.objects.create(name="Bình đẳng giới", slug="binh-dang-gioi")
    run(seeds, "--category", "binh-dang-gioi")
    assert article_of(SEED_000).category.slug == "binh-dang-gioi"
    assert article_of(SEED_004).category.slug == "xa-hoi"


def test_unknown_category_is_refused_before_anything_is_written(seeds):
    _out, _err, error = run(seeds, "--category", "khong-co")
    assert error is not None and "khong-co" in str(error)
    assert not Article.objects.exists()


def test_status_draft_option(seeds):
    run(seeds, "--status", "draft")
    assert set(Article.objects.values_list("status", flat=True)) == {"draft"}
    assert not Article.objects.published().exists()


def test_page_without_a_date_is_imported_as_a_draft(tmp_path):
    page = tmp_path / "khong-ngay.txt"
    page.write_text(
        "Hội nghị tổng kết công tác năm\n\nSáng nay, Bộ tổ chức hội nghị tổng kết.\n\n"
        "Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ năm qua.\n",
        encoding="utf-8",
    )
    out, _err, error = run(page)
    assert error is None
    article = Article.objects.get()
    assert article.status == "draft" and article.published_at is None
    assert "1 trang không in ngày xuất bản: nhập thành bản nháp" in out


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("rong.txt", b"", "tệp rỗng"),
        ("nhi-phan.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "nhị phân"),
        ("sai-ma.txt", "Tiêu đề bài\n\nNội dung".encode("utf-16-le"), "nhị phân"),
        ("latin1.txt", "Báo cáo tổng kết".encode()[:-1] + b"\xe9\xff", "UTF-8"),
        (
            "chi-dieu-huong.txt",
            b"Skip Ribbon Commands\nSkip to main content\nSign In\n",
            "không tìm thấy tiêu đề",
        ),
        (
            "cut-ngang.txt",
            "Tiêu đề bị cắt ngang ngay sau đây\n21:50 | 17/10/2019\n".encode(),
            "cắt cụt",
        ),
    ],
)
def test_a_bad_file_fails_alone_with_one_line(seeds, name, content, reason):
    bad = seeds / name
    bad.write_bytes(content)
    out, err, error = run(seeds)
    assert error is not None and error.returncode == 1
    lines = [line for line in err.splitlines() if name in line]
    assert len(lines) == 1
    assert reason in lines[0]
    assert "Traceback" not in err
    assert "Đã tạo 2, cập nhật 0, không đổi 0, bỏ qua 0, lỗi 1." in out
    assert Article.objects.count() == 2


def test_missing_path_is_a_clear_error(tmp_path):
    _out, _err, error = run(tmp_path / "khong-co")
    assert error is not None and "không có tệp hoặc thư mục này" in str(error)


def test_encoding_option(tmp_path):
    page = tmp_path / "cp1258.txt"
    text = "Hội nghị tổng kết\n\n21:50 | 17/10/2019\n\nĐoạn mở đầu bài viết.\n\nĐoạn hai.\n"
    page.write_bytes(to_cp1258_form(text).encode("cp1258"))
    _out, _err, error = run(page, "--encoding", "cp1258")
    assert error is None
    assert Article.objects.get().title == "Hội nghị tổng kết"
    _out, _err, error = run(page, "--encoding", "khong-co-bang-ma")
    assert error is not None and "khong-co-bang-ma" in str(error)


def test_nfd_crlf_and_bom_import_the_same(tmp_path):
    import unicodedata

    text = SEED_004.read_text(encoding="utf-8")
    variant = "\ufeff" + unicodedata.normalize("NFD", text).replace("\n", "\r\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "bien-the.txt").write_bytes(variant.encode("utf-8"))
    run(tmp_path / "a")
    out, _err, error = run(SEED_004)
    assert error is None
    assert "không đổi 1" in out  # the same page, saying the same: one article, left as it was
    article = Article.objects.get()
    assert article == article_of(SEED_004)
    assert article.author == "Thái Bình"


def _photo(path, size=(900, 600)):
    PILImage.new("RGB", size, (30, 90, 160)).save(path, "JPEG")


def test_images_option_attaches_files_by_name(seeds, tmp_path):
    folder = tmp_path / "anh"
    folder.mkdir()
    _photo(folder / "1c48a1fa9d2d4873113c.jpg")
    (folder / "f7ba700c4cdb9985c0ca.jpg").write_bytes(b"<svg onload=alert(1)>")  # not an image
    _out, err, error = run(seeds, "--images", folder)
    assert error is None
    attached = Image.objects.get(original_filename="1c48a1fa9d2d4873113c.jpg")
    assert attached.file and attached.width == 900
    assert attached.file.name.startswith("images/") and "1c48" not in attached.file.name
    refused = Image.objects.get(original_filename="f7ba700c4cdb9985c0ca.jpg")
    assert not refused.file
    assert "f7ba700c4cdb9985c0ca.jpg bị từ chối" in err
    article = article_of(SEED_000)
    assert attached.file.url in article.body
    assert article.featured_image == attached


def test_images_found_later_are_attached_on_the_next_run(seeds, tmp_path):
    run(seeds)
    folder = tmp_path / "anh"
    folder.mkdir()
    _photo(folder / "f7ba700c4cdb9985c0ca.jpg")
    out, _err, _error = run(seeds, "--images", folder)
    assert "cập nhật 1" in out
    assert Image.objects.get(original_filename="f7ba700c4cdb9985c0ca.jpg").file
    assert Image.objects.count() == 2


def test_every_import_keeps_a_revision(seeds):
    run(seeds)
    article = article_of(SEED_004)
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 1
    assert "004_500632ae6ba68493.txt" in versions.first().revision.get_comment()


def test_progress_bar_on_stderr_for_many_files(tmp_path, capsys):
    for n in range(12):
        (tmp_path / f"{n:03d}.txt").write_text(
            f"Tin số {n}\n\n{n + 1:02d}/10/2019\n\nĐoạn mở đầu của tin {n}.\n\nĐoạn hai.\n",
            encoding="utf-8",
        )
    out, _err, error = run(tmp_path)
    assert error is None
    assert "Đã tạo 12" in out
    assert "12/12" in capsys.readouterr().err


def test_an_image_already_in_the_library_is_reused(seeds, tmp_path):
    folder = tmp_path / "anh"
    folder.mkdir()
    _photo(folder / "1c48a1fa9d2d4873113c.jpg")
    with (folder / "1c48a1fa9d2d4873113c.jpg").open("rb") as handle:
        from django.core.files import File

        existing = Image(file=File(handle, name="da-co.jpg"), alt_text="Ảnh đã có")
        existing.save()
    _out, err, error = run(seeds, "--images", folder)
    assert error is None, err
    article = article_of(SEED_000)
    assert article.featured_image == existing
    assert existing.file.url in article.body
    assert Image.objects.filter(sha256=existing.sha256).count() == 1


def test_a_page_that_printed_only_its_date_shows_only_its_date(seeds, client):
    run(seeds)
    training = article_of(SEED_000)
    signing = article_of(SEED_004)
    assert training.date_only and not signing.date_only
    page = client.get(training.get_absolute_url()).content.decode()
    assert "13/09/2023" in page and "00:00 | 13/09/2023" not in page
    assert "21:50 | 17/10/2019" in client.get(signing.get_absolute_url()).content.decode()

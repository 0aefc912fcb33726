"""The importer knows a page by what it is, not by where its file lies (issue: the importer
overwrote unrelated articles and editors' work)."""

import json
import shutil

import pytest
from django.utils import timezone
from PIL import Image as PILImage
from reversion.models import Version

from news.models import Article
from news.parser import parse_page
from tests.test_import import SEED_000, SEED_004, article_of, run

pytestmark = pytest.mark.django_db

MEETING = "Bộ trưởng làm việc với tỉnh Quảng Nam về giảm nghèo"


def meeting_page(title=MEETING, source="Nguồn: https://molisa.gov.vn/tin-tuc/bo-truong-5"):
    """A page that names its source address at its foot."""
    return (
        f"{title}\n\n08:30 | 05/03/2024\n\n"
        "Sáng 5/3, Bộ trưởng đã làm việc với lãnh đạo tỉnh Quảng Nam.\n\n"
        f"Hai bên thống nhất nhiều giải pháp giảm nghèo bền vững.\n\n{source}\n"
    )


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


@pytest.fixture
def seeds(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in (SEED_000, SEED_004):
        shutil.copy(seed, folder / seed.name)
    return folder


def test_a_copy_of_a_page_under_another_name_is_the_same_article(seeds, tmp_path):
    run(seeds)
    elsewhere = tmp_path / "khac"
    elsewhere.mkdir()
    shutil.copy(SEED_000, elsewhere / "ban-sao.txt")
    out, _err, error = run(elsewhere)
    assert error is None
    assert "Đã tạo 0, cập nhật 0, không đổi 1, bỏ qua 0, lỗi 0." in out
    assert Article.objects.count() == 2
    assert not Article.objects.filter(slug__endswith="-2").exists()


def test_a_copy_in_the_same_run_is_skipped_as_the_same_page(seeds):
    shutil.copy(SEED_000, seeds / "ban-sao.txt")
    out, _err, error = run(seeds)
    assert error is None
    assert "Đã tạo 2, cập nhật 0, không đổi 0, bỏ qua 1, lỗi 0." in out
    skipped = [line for line in out.splitlines() if "bỏ qua:" in line]
    assert len(skipped) == 1
    assert (
        "ban-sao.txt" in skipped[0] and f"cùng một trang với {seeds / SEED_000.name}" in skipped[0]
    )
    assert Article.objects.count() == 2
    assert not Article.objects.filter(slug__endswith="-2").exists()


def test_a_different_page_under_an_earlier_name_is_a_new_article(tmp_path, client):
    first, second = tmp_path / "dot-1", tmp_path / "dot-2"
    first.mkdir()
    second.mkdir()
    shutil.copy(SEED_000, first / "tin.txt")
    shutil.copy(SEED_004, second / "tin.txt")
    run(first)
    training = Article.objects.get()
    address = training.get_absolute_url()

    out, _err, error = run(second)
    assert error is None
    assert "Đã tạo 1, cập nhật 0, không đổi 0, bỏ qua 0, lỗi 0." in out
    assert Article.objects.count() == 2
    training.refresh_from_db()
    assert training.title.startswith("Tập huấn nghiệp vụ công tác bình đẳng giới")
    page = client.get(address)
    assert page.status_code == 200
    assert "Tập huấn nghiệp vụ công tác bình đẳng giới" in page.content.decode()
    assert client.get(article_of(SEED_004).get_absolute_url()).status_code == 200


def test_importing_the_seeds_from_their_parent_folder_makes_no_duplicates(seeds):
    run(seeds)
    out, _err, error = run(seeds.parent)
    assert error is None
    assert "Đã tạo 0, cập nhật 0, không đổi 2, bỏ qua 0, lỗi 0." in out
    assert Article.objects.count() == 2


def test_a_recrawl_keeps_what_an_editor_unpublished_and_rewrote(seeds, client):
    run(seeds)
    article = article_of(SEED_004)
    address = article.get_absolute_url()
    article.status = Article.Status.DRAFT  # what an editor does in the admin, through save()
    article.lead = "Sapo do biên tập viên viết lại."
    article.save()
    recrawled = seeds / SEED_004.name
    recrawled.write_bytes(recrawled.read_bytes() + b"\n")

    out, err, error = run(seeds)
    assert error is None, err
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.lead == "Sapo do biên tập viên viết lại."
    assert client.get(address).status_code == 404
    assert "Đã tạo 0, cập nhật 0, không đổi 1, bỏ qua 1, lỗi 0." in out
    [line] = [line for line in out.splitlines() if "bỏ qua:" in line]
    assert str(recrawled) in line
    assert "đã được sửa sau lần nhập trước" in line and "không ghi đè" in line


def test_an_edited_article_is_skipped_even_when_its_page_changed(seeds):
    run(seeds)
    article = article_of(SEED_004)
    article.body = "<p>Nội dung biên tập viên viết lại.</p>"
    article.save()
    page = seeds / SEED_004.name
    page.write_text(page.read_text().replace("Thái Bình\n", "Minh Anh\n"), encoding="utf-8")

    out, _err, error = run(seeds, "--update-status", "--status", "draft")
    assert error is None
    assert "bỏ qua 1" in out
    article.refresh_from_db()
    assert article.author == "Thái Bình"
    assert article.body == "<p>Nội dung biên tập viên viết lại.</p>"
    assert article.status == Article.Status.PUBLISHED


def test_a_recrawl_without_edits_is_unchanged(seeds):
    run(seeds)
    for page in seeds.iterdir():
        text = page.read_text(encoding="utf-8").replace("\n\n", "\n\n\n")
        page.write_bytes(text.replace("\n", "\r\n").encode("utf-8") + b"\r\n")
    out, _err, error = run(seeds)
    assert error is None
    assert "Đã tạo 0, cập nhật 0, không đổi 2, bỏ qua 0, lỗi 0." in out
    for article in Article.objects.all():
        assert Version.objects.get_for_object(article).count() == 1  # nothing written again


def test_status_draft_does_not_unpublish_an_article_imported_before(seeds, client):
    run(seeds)
    out, _err, error = run(seeds, "--status", "draft")
    assert error is None
    assert "Đã tạo 0, cập nhật 0, không đổi 2, bỏ qua 0, lỗi 0." in out
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
    assert client.get(article_of(SEED_000).get_absolute_url()).status_code == 200


def test_status_draft_on_a_changed_page_keeps_its_article_published(seeds):
    run(seeds)
    page = seeds / SEED_004.name
    page.write_text(page.read_text().replace("Thái Bình\n", "Minh Anh\n"), encoding="utf-8")
    out, _err, error = run(seeds, "--status", "draft")
    assert error is None
    assert "cập nhật 1" in out
    signing = article_of(SEED_004)
    assert signing.author == "Minh Anh"
    assert signing.status == Article.Status.PUBLISHED


def test_update_status_sets_the_status_of_articles_imported_before(seeds):
    run(seeds)
    out, _err, error = run(seeds, "--status", "draft", "--update-status")
    assert error is None
    assert "Đã tạo 0, cập nhật 2, không đổi 0, bỏ qua 0, lỗi 0." in out
    assert not Article.objects.published().exists()


def test_a_changed_page_under_a_new_name_updates_its_article(seeds, tmp_path):
    run(seeds)
    page = SEED_000.read_text(encoding="utf-8").replace("có 120 đại biểu", "có 125 đại biểu")
    out, _err, error = run(write(tmp_path / "dot-2", "tap-huan.txt", page))
    assert error is None
    assert "Đã tạo 0, cập nhật 1, không đổi 0, bỏ qua 0, lỗi 0." in out
    assert Article.objects.count() == 2
    assert "có 125 đại biểu" in article_of(SEED_000).lead


def test_a_page_is_known_by_the_source_address_it_prints(tmp_path, client):
    run(write(tmp_path / "dot-1", "a.txt", meeting_page()))
    article = Article.objects.get()
    assert article.import_key == "https://molisa.gov.vn/tin-tuc/bo-truong-5"

    # Re-crawled under another name, the title corrected, the address spelt another way.
    corrected = meeting_page(
        title=f"{MEETING} bền vững",
        source="Nguồn: http://www.Molisa.gov.vn/tin-tuc/bo-truong-5/?utm_source=zalo#binh-luan",
    )
    out, _err, error = run(write(tmp_path / "dot-2", "b.txt", corrected))
    assert error is None
    assert "Đã tạo 0, cập nhật 1, không đổi 0, bỏ qua 0, lỗi 0." in out
    article.refresh_from_db()
    assert article.title == f"{MEETING} bền vững"
    assert Article.objects.count() == 1
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_source_that_names_only_a_site_does_not_make_pages_one(tmp_path):
    folder = tmp_path / "trang"
    write(folder, "a.txt", meeting_page(source="Nguồn: https://baochinhphu.vn/"))
    write(
        folder,
        "b.txt",
        meeting_page(
            title="Hội nghị tổng kết công tác năm 2023", source="Nguồn: https://baochinhphu.vn/"
        ),
    )
    out, _err, error = run(folder)
    assert error is None
    assert "Đã tạo 2" in out
    assert Article.objects.count() == 2


def test_undated_pages_with_the_same_title_stay_apart(tmp_path):
    folder = tmp_path / "thong-bao"
    write(folder, "a.txt", "Thông báo\n\nLịch tiếp công dân tháng 3.\n\nTại trụ sở Bộ.\n")
    write(folder, "b.txt", "Thông báo\n\nLịch tiếp công dân tháng 4.\n\nTại trụ sở Bộ.\n")
    out, _err, error = run(folder)
    assert error is None
    assert "Đã tạo 2" in out
    assert Article.objects.count() == 2


def test_the_source_address_is_read_from_the_source_line():
    page = parse_page(meeting_page(source="Theo https://baochinhphu.vn/bai-viet-102.htm."))
    assert page.source_url == "https://baochinhphu.vn/bai-viet-102.htm"
    assert parse_page(meeting_page(source="Nguồn: Báo Chính phủ")).source_url == ""


def test_dry_run_json_gives_a_copy_the_same_key(seeds):
    shutil.copy(SEED_000, seeds / "ban-sao.txt")
    out, _err, error = run(seeds, "--dry-run", "--json")
    assert error is None
    keys = {row["file"].rsplit("/", 1)[-1]: row["key"] for row in map(json.loads, out.splitlines())}
    assert keys["ban-sao.txt"] == keys[SEED_000.name] != keys[SEED_004.name]
    assert not Article.objects.exists()


def _as_if_imported_by_the_old_importer(seeds):
    """Articles as the importer before this change left them: keyed by the file's path, with
    no recorded import version."""
    for seed in (SEED_000, SEED_004):
        Article.objects.filter(pk=article_of(seed).pk).update(
            import_key=seed.name, imported_version=None, import_checksum="cũ"
        )


def test_articles_imported_before_the_change_are_taken_over_not_duplicated(seeds):
    run(seeds)
    _as_if_imported_by_the_old_importer(seeds)
    out, _err, error = run(seeds.parent)  # from the parent folder: other paths
    assert error is None
    assert "Đã tạo 0, cập nhật 2, không đổi 0, bỏ qua 0, lỗi 0." in out
    assert Article.objects.count() == 2
    out, _err, _error = run(seeds)
    assert "không đổi 2" in out


def test_an_article_edited_after_the_old_importer_ran_is_skipped(seeds):
    run(seeds)
    _as_if_imported_by_the_old_importer(seeds)
    Article.objects.filter(pk=article_of(SEED_004).pk).update(
        updated_at=timezone.now(), status=Article.Status.DRAFT
    )
    out, _err, error = run(seeds, "--update-status")
    assert error is None
    assert "Đã tạo 0, cập nhật 1, không đổi 0, bỏ qua 1, lỗi 0." in out
    assert article_of(SEED_004).status == Article.Status.DRAFT
    assert Article.objects.count() == 2


def test_a_run_without_the_images_folder_leaves_attached_pictures_unchanged(seeds, tmp_path):
    folder = tmp_path / "anh"
    folder.mkdir()
    PILImage.new("RGB", (900, 600), (30, 90, 160)).save(folder / "1c48a1fa9d2d4873113c.jpg")
    run(seeds, "--images", folder)
    body = article_of(SEED_000).body
    out, _err, error = run(seeds)
    assert error is None
    assert "Đã tạo 0, cập nhật 0, không đổi 2, bỏ qua 0, lỗi 0." in out
    assert article_of(SEED_000).body == body
    assert Version.objects.get_for_object(article_of(SEED_000)).count() == 1


@pytest.mark.parametrize(
    "spelling",
    [
        "https://molisa.gov.vn/tin-tuc/bo-truong-5?id=7",
        "HTTP://WWW.MOLISA.GOV.VN:80/tin-tuc/bo-truong-5/?id=7",
        "https://molisa.gov.vn/tin-tuc/bo-truong-5?utm_source=zalo&id=7&fbclid=abc#binh-luan",
        "www.molisa.gov.vn/tin-tuc/bo%2Dtruong%2D5?id=7",
    ],
)
def test_spellings_of_one_address_are_one_page(spelling):
    from news.management.commands.import_articles import canonical_url

    assert canonical_url(spelling) == "https://molisa.gov.vn/tin-tuc/bo-truong-5?id=7"

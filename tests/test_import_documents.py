"""manage.py import_documents REGISTER.csv --files DIR: the ministry's register of documents into
the library, row by row, idempotent, never over an editor's changes."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.models import Document, DocumentField, DocumentType, IssuingBody
from tests.documents_samples import DOCX, HTML, PDF

pytestmark = pytest.mark.django_db

HEADER = [
    "so_ky_hieu",
    "loai",
    "co_quan",
    "nguoi_ky",
    "ngay_ban_hanh",
    "ngay_hieu_luc",
    "ngay_het_hieu_luc",
    "linh_vuc",
    "trich_yeu",
    "tep",
]
DECREE = [
    "42/2022/NĐ-CP",
    "Nghị định",
    "Chính phủ",
    "Phạm Minh Chính",
    "24/06/2022",
    "15/08/2022",
    "",
    "Việc làm; Lao động",
    "Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến",
    "nd42.pdf; phu-luc/Phụ lục.docx",
]
CIRCULAR = [
    "11/2023/TT-BLĐTBXH",
    "Thông tư",
    "Bộ Lao động – Thương binh và Xã hội",
    "",
    "01/03/2023",
    "",
    "",
    "Bình đẳng giới",
    "Hướng dẫn về bình đẳng giới trong lao động",
    "",
]


@pytest.fixture
def files_dir(tmp_path):
    folder = tmp_path / "tep"
    (folder / "phu-luc").mkdir(parents=True)
    (folder / "nd42.pdf").write_bytes(PDF)
    (folder / "phu-luc" / "Phụ lục.docx").write_bytes(DOCX)
    (folder / "trang-web.pdf").write_bytes(HTML)
    return folder


def register(tmp_path, *rows, header=HEADER, name="so-dang-ky.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(path, files_dir=None, *args):
    out, err = io.StringIO(), io.StringIO()
    options = ["--files", str(files_dir)] if files_dir else []
    try:
        call_command("import_documents", str(path), *options, *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        err.write(str(error))
        code = error.returncode
    return code, out.getvalue(), err.getvalue()


def test_good_rows_are_imported_with_their_lookups_and_files(tmp_path, files_dir):
    code, out, err = run(register(tmp_path, DECREE, CIRCULAR), files_dir)
    assert code == 0, err
    assert "Đã tạo 2, cập nhật 0, không đổi 0, bỏ qua 0; từ chối 0 dòng." in out
    decree = Document.objects.get(number="42/2022/NĐ-CP")
    assert decree.is_visible and decree.document_type.name == "Nghị định"
    assert decree.issuing_body.slug == "chinh-phu"
    assert decree.effective_on.isoformat() == "2022-08-15" and decree.signer == "Phạm Minh Chính"
    assert sorted(decree.fields.values_list("name", flat=True)) == ["Lao động", "Việc làm"]
    files = list(decree.files.order_by("position"))
    assert [(f.original_name, f.file_type) for f in files] == [
        ("nd42.pdf", "pdf"),
        ("Phụ lục.docx", "docx"),
    ]
    assert files[0].file.name.startswith("van-ban/")
    assert Document.objects.get(number="11/2023/TT-BLĐTBXH").files.count() == 0


def test_lookups_are_matched_whatever_the_case_and_diacritics(tmp_path, files_dir):
    DocumentType.objects.create(name="Nghị định")
    IssuingBody.objects.create(name="Chính phủ")
    DocumentField.objects.create(name="Việc làm")
    row = [
        "43/2022/NĐ-CP",
        "NGHI DINH",
        "chính phủ",
        "",
        "01/07/2022",
        "",
        "",
        "viec lam",
        "Một nghị định khác",
        "",
    ]
    code, out, err = run(register(tmp_path, row), files_dir)
    assert code == 0, err
    assert DocumentType.objects.count() == IssuingBody.objects.count() == 1
    assert DocumentField.objects.count() == 1
    assert Document.objects.get().document_type.name == "Nghị định"


def test_each_bad_row_is_refused_with_its_line_and_why_and_the_good_ones_go_in(tmp_path, files_dir):
    bad_date = [*CIRCULAR[:4], "31/02/2024", *CIRCULAR[5:]]
    bad_date[0] = "12/2024/TT-BLĐTBXH"
    unknown_file = [*CIRCULAR[:9], "khong-co.pdf"]
    unknown_file[0] = "13/2024/TT-BLĐTBXH"
    web_page = [*CIRCULAR[:9], "trang-web.pdf"]
    web_page[0] = "14/2024/TT-BLĐTBXH"
    no_summary = [*CIRCULAR[:8], "", ""]
    no_summary[0] = "15/2024/TT-BLĐTBXH"
    outside = [*CIRCULAR[:9], "../tep/nd42.pdf"]
    outside[0] = "16/2024/TT-BLĐTBXH"
    backwards = [*CIRCULAR[:5], "01/01/2020", *CIRCULAR[6:]]
    backwards[0] = "17/2024/TT-BLĐTBXH"
    path = register(
        tmp_path, DECREE, bad_date, unknown_file, web_page, no_summary, CIRCULAR, backwards
    )
    code, out, err = run(path, files_dir)
    assert code == 1
    assert "Dòng 3: không có ngày 31/02/2024 (cột ngay_ban_hanh)." in err
    assert f"Dòng 4: không có tệp 'khong-co.pdf' trong {files_dir}." in err
    assert "Dòng 5: tệp 'trang-web.pdf': Nội dung tệp không phải là văn bản được phép." in err
    assert "Dòng 6: thiếu trích yếu (cột trich_yeu)." in err
    assert "Dòng 8: ngày có hiệu lực: Ngày có hiệu lực không thể trước ngày ban hành." in err
    assert "Đã tạo 2, cập nhật 0, không đổi 0, bỏ qua 0; từ chối 5 dòng." in out
    assert "5 dòng bị từ chối." in err
    assert sorted(Document.objects.values_list("number", flat=True)) == [
        "11/2023/TT-BLĐTBXH",
        "42/2022/NĐ-CP",
    ]


def test_a_file_outside_the_folder_is_refused(tmp_path, files_dir):
    (tmp_path / "bi-mat.pdf").write_bytes(PDF)
    row = [*CIRCULAR[:9], "../bi-mat.pdf"]
    code, _out, err = run(register(tmp_path, row), files_dir)
    assert code == 1 and "Dòng 2: tệp '../bi-mat.pdf' nằm ngoài thư mục --files." in err


def test_a_refused_row_leaves_no_new_lookup_behind(tmp_path, files_dir):
    row = [
        "1/2024/XX",
        "Loại mới",
        "Cơ quan mới",
        "",
        "01/01/2024",
        "01/01/2023",
        "",
        "",
        "Ngày hiệu lực trước ngày ban hành",
        "",
    ]
    code, _out, err = run(register(tmp_path, row), files_dir)
    assert code == 1, err
    assert not DocumentType.objects.exists() and not IssuingBody.objects.exists()


def test_a_rerun_changes_nothing(tmp_path, files_dir):
    path = register(tmp_path, DECREE, CIRCULAR)
    run(path, files_dir)
    before = {d.pk: (d.version, d.updated_at) for d in Document.objects.all()}
    files_before = set(Document.objects.values_list("files__file", flat=True))
    code, out, _err = run(path, files_dir)
    assert code == 0
    assert "Đã tạo 0, cập nhật 0, không đổi 2, bỏ qua 0; từ chối 0 dòng." in out
    assert {d.pk: (d.version, d.updated_at) for d in Document.objects.all()} == before
    assert set(Document.objects.values_list("files__file", flat=True)) == files_before


def test_a_changed_row_updates_its_document(tmp_path, files_dir):
    run(register(tmp_path, DECREE), files_dir)
    changed = [*DECREE[:8], "Trích yếu đã sửa trong sổ", "nd42.pdf"]
    code, out, _err = run(register(tmp_path, changed), files_dir)
    assert code == 0 and "cập nhật 1" in out
    decree = Document.objects.get()
    assert decree.summary == "Trích yếu đã sửa trong sổ"
    assert list(decree.files.values_list("original_name", flat=True)) == ["nd42.pdf"]


def test_a_document_an_editor_changed_since_its_import_is_never_overwritten(tmp_path, files_dir):
    run(register(tmp_path, DECREE), files_dir)
    decree = Document.objects.get()
    decree.summary = "Biên tập viên đã sửa"
    decree.save()
    changed = [*DECREE[:8], "Trích yếu mới trong sổ", "nd42.pdf"]
    code, out, _err = run(register(tmp_path, changed), files_dir)
    assert code == 0
    assert "bỏ qua: đã được sửa sau khi nhập" in out
    assert "bỏ qua 1" in out
    decree.refresh_from_db()
    assert decree.summary == "Biên tập viên đã sửa"


def test_a_document_made_by_an_editor_is_left_alone(tmp_path, files_dir):
    Document.objects.create(
        number="42/2022/NĐ-CP",
        document_type=DocumentType.objects.create(name="Nghị định"),
        issuing_body=IssuingBody.objects.create(name="Chính phủ"),
        issued_on="2022-06-24",
        summary="Nhập tay",
    )
    code, out, _err = run(register(tmp_path, DECREE), files_dir)
    assert code == 0 and "do biên tập viên tạo" in out
    assert Document.objects.get().summary == "Nhập tay"


def test_a_dry_run_writes_nothing(tmp_path, files_dir):
    code, out, _err = run(register(tmp_path, DECREE, CIRCULAR), files_dir, "--dry-run")
    assert code == 0
    assert "Chạy thử, không ghi gì: sẽ tạo 2" in out
    assert not Document.objects.exists() and not DocumentType.objects.exists()


def test_a_repeated_row_in_one_register_is_refused(tmp_path, files_dir):
    code, _out, err = run(register(tmp_path, CIRCULAR, CIRCULAR), files_dir)
    assert code == 1
    assert "Dòng 3: trùng số ký hiệu 11/2023/TT-BLĐTBXH" in err
    assert Document.objects.count() == 1


def test_line_numbers_count_the_lines_of_the_file(tmp_path, files_dir):
    multiline = [*CIRCULAR[:8], "Trích yếu\ntrên hai dòng", ""]
    bad = [*CIRCULAR[:4], "2024-01-01", *CIRCULAR[5:]]
    bad[0] = "99/2024/TT"
    code, _out, err = run(register(tmp_path, multiline, bad), files_dir)
    assert code == 1
    assert "Dòng 4: ngày không đúng dạng dd/mm/yyyy ở cột ngay_ban_hanh: '2024-01-01'." in err


def test_bad_input_files_are_one_line_errors(tmp_path, files_dir):
    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("import_documents", str(tmp_path / "khong-co.csv"))
    wrong = register(tmp_path, ["a", "b"], header=["so", "loai"], name="sai.csv")
    with pytest.raises(CommandError, match="dòng tiêu đề thiếu cột so_ky_hieu"):
        call_command("import_documents", str(wrong))
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(HEADER).encode() + b"\n42,Ngh\xe9 \xf0\xf1nh\n")
    with pytest.raises(CommandError, match="dòng 2 không phải văn bản UTF-8"):
        call_command("import_documents", str(latin))
    with pytest.raises(CommandError, match="--files: không có thư mục"):
        call_command("import_documents", str(wrong), "--files", str(tmp_path / "khong"))
    code, _out, err = run(register(tmp_path, DECREE, name="khong-tep.csv"))
    assert code == 1 and "cột tep có tệp nhưng lệnh không có --files DIR" in err


def test_long_runs_show_their_progress(tmp_path, files_dir, capsys):
    rows = [
        [
            f"{n}/2024/CV-BLĐTBXH",
            "Công văn",
            "Bộ Lao động – Thương binh và Xã hội",
            "",
            "02/01/2024",
            "",
            "",
            "",
            f"Công văn số {n}",
            "",
        ]
        for n in range(1, 151)
    ]
    call_command("import_documents", str(register(tmp_path, *rows)), stdout=io.StringIO())
    progress = capsys.readouterr().err
    assert "Đã xử lý 100/150 dòng" in progress and "Đã xử lý 150/150 dòng" in progress
    assert Document.objects.count() == 150


def test_the_seed_register_imports_cleanly():
    seed = Path(__file__).resolve().parent.parent / "fixtures" / "documents" / "so-dang-ky.csv"
    code, out, err = run(seed)
    assert code == 0, err
    assert "Đã tạo 6," in out
    labour_code = Document.objects.get(number="10/2012/QH13")
    assert labour_code.legal_status == "het"
    assert Document.objects.get(number="45/2019/QH14").legal_status == "con"
    assert run(seed)[1].startswith("Đã tạo 0, cập nhật 0, không đổi 6")

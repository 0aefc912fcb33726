"""The importer scored on pages it was not written against: tests/importer_corpus/.

Pure Python for the text pages (no database). The score per field is printed (run with -s to
see it, or ``.venv/bin/python tests/importer_score.py -v`` for every miss).
"""

from __future__ import annotations

import json

from tests.importer_score import (
    CORPUS,
    REQUIRED_FIELDS,
    corpus_pages,
    score_corpus,
    score_file,
)

TARGET = 0.95
MIN_TEXT_PAGES = 40
MIN_OUTLETS = 15


def test_corpus_has_forty_text_pages_from_fifteen_outlets():
    text_pages = [path for path in corpus_pages() if path.suffix == ".txt"]
    outlets = {path.stem.rsplit("-", 1)[0] for path in text_pages}
    assert len(text_pages) >= MIN_TEXT_PAGES
    assert len(outlets) >= MIN_OUTLETS


def test_every_corpus_page_has_a_complete_expected_record():
    for path in corpus_pages():
        record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if record.get("refused"):
            continue
        assert set(REQUIRED_FIELDS) <= set(record), path.name
        assert record["paragraphs"] == len(record["body"]), path.name


def test_image_folders_beside_html_pages_are_not_scored_as_pages(tmp_path):
    (tmp_path / "page-01_files").mkdir()
    (tmp_path / "page-01_files" / "photo.txt").write_text("not a page", encoding="utf-8")
    (tmp_path / "page-01.txt").write_text("x", encoding="utf-8")
    assert [path.name for path in corpus_pages(tmp_path)] == ["page-01.txt"]


def test_refused_pages_score_right_only_when_the_parser_refuses(tmp_path):
    (tmp_path / "menu-01.txt").write_text("Trang chủ\nTin tức\nLiên hệ\n", encoding="utf-8")
    (tmp_path / "menu-01.json").write_text('{"refused": true}', encoding="utf-8")
    score = score_file(tmp_path / "menu-01.txt")
    assert (score.right, score.total) == (1, 1)


def test_a_wrong_field_is_counted_wrong(tmp_path):
    page = tmp_path / "site-01.txt"
    page.write_text(
        "Hội nghị tổng kết công tác năm 2023 của ngành lao động\n"
        "21:50 | 17/10/2019\n"
        "Sáng 17/10, tại Hà Nội, Bộ Lao động - Thương binh và Xã hội tổ chức hội nghị tổng kết.\n"
        "Hội nghị đã thảo luận nhiều giải pháp nâng cao hiệu quả công tác quản lý nhà nước.\n",
        encoding="utf-8",
    )
    record = {
        "title": "Hội nghị tổng kết công tác năm 2023 của ngành lao động",
        "lead": "Sáng 17/10, tại Hà Nội, Bộ Lao động - Thương binh và Xã hội tổ chức hội nghị "
        "tổng kết.",
        "published_at": "2019-10-17T21:51:00+07:00",
        "author": "",
        "body": [
            "Hội nghị đã thảo luận nhiều giải pháp nâng cao hiệu quả công tác quản lý nhà nước."
        ],
        "paragraphs": 1,
        "captions": [],
    }
    page.with_suffix(".json").write_text(json.dumps(record), encoding="utf-8")
    score = score_file(page)
    assert [miss.name for miss in score.misses] == ["published_at"]
    assert (score.right, score.total) == (6, 7)


def test_importer_gets_95_percent_of_the_corpus_fields_right(capsys):
    score = score_corpus(CORPUS)
    with capsys.disabled():
        print(f"\nImporter corpus score ({len(score.files)} pages)\n{score.table()}")
    assert score.ratio >= TARGET, score.misses()

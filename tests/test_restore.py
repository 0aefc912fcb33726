"""Restoring a backup while the site runs: other connections, the checks, the caches, /healthz."""

import contextlib
import io
import json
import sqlite3
import tarfile
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from news.models import Article, Category, Image

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    # django-dbbackup leaves some temporary files for the garbage collector to close.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own file and WAL")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_restore's transaction"
)


def back_up(tmp_path):
    call_command("backup_site", output_dir=str(tmp_path), stdout=io.StringIO())
    return next(tmp_path.glob("portal-*.tar"))


def restore(archive, **options):
    out = io.StringIO()
    call_command("restore_site", str(archive), interactive=False, stdout=out, **options)
    return out.getvalue()


def rewrite(archive, name, change):
    """The archive with one member's bytes passed through ``change``."""
    with tarfile.open(archive) as bundle:
        members = {member.name: bundle.extractfile(member).read() for member in bundle}
    members[name] = change(members[name])
    with tarfile.open(archive, "w") as bundle:
        for member, data in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
    return archive


def titles(db):
    return sorted(title for (title,) in db.execute("SELECT title FROM news_article"))


def live_titles():
    return sorted(Article.objects.values_list("title", flat=True))


@on_sqlite
def test_restore_reaches_a_connection_that_holds_the_wal_open(tmp_path, make_article):
    make_article(title="Bài trước khi sao lưu")
    archive = back_up(tmp_path)
    Article.objects.update(title="Bị sửa nhầm")
    make_article(title="Bài sẽ mất")
    # A worker of the running site: it has the database open in WAL mode, mid-read.
    worker = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    worker.execute("BEGIN")
    assert titles(worker) == ["Bài sẽ mất", "Bị sửa nhầm"]

    restore(archive)

    assert titles(worker) == ["Bài sẽ mất", "Bị sửa nhầm"]  # its snapshot, until it ends
    worker.execute("COMMIT")
    assert titles(worker) == ["Bài trước khi sao lưu"]
    with contextlib.closing(sqlite3.connect(connection.settings_dict["NAME"])) as fresh:
        assert fresh.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert titles(fresh) == ["Bài trước khi sao lưu"]
    assert live_titles() == ["Bài trước khi sao lưu"]
    worker.close()


@on_sqlite
def test_restore_refuses_while_the_site_keeps_writing(tmp_path, make_article):
    make_article(title="Bài trước khi sao lưu")
    archive = back_up(tmp_path)
    make_article(title="Bài đang ghi")
    writer = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(CommandError, match="đang bận.*chưa thay đổi gì.*dừng trang"):
            restore(archive, timeout=0.2)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert live_titles() == ["Bài trước khi sao lưu", "Bài đang ghi"]


@pytest.mark.parametrize("manifest_style", ["per-table counts", "older archive"])
def test_restore_refuses_an_archive_that_does_not_match_its_manifest(
    tmp_path, make_article, manifest_style
):
    make_article(title="Bài trước khi sao lưu")
    archive = back_up(tmp_path)
    make_article(title="Bài sau khi sao lưu")

    def tamper(data):
        manifest = json.loads(data)
        manifest["articles"] = 99
        if manifest_style == "older archive":
            del manifest["counts"]
        else:
            manifest["counts"]["news_article"] = 99
        return json.dumps(manifest).encode()

    with pytest.raises(
        CommandError, match="không khớp manifest.*news_article: 1 dòng thay vì 99"
    ) as refused:
        restore(rewrite(archive, "manifest.json", tamper))
    assert refused.value.returncode == 1  # manage.py's exit status
    assert live_titles() == ["Bài sau khi sao lưu", "Bài trước khi sao lưu"]


def test_restore_fails_when_the_restored_database_does_not_match_the_manifest(
    tmp_path, make_article, monkeypatch
):
    from news.management.commands import restore_site

    make_article(title="Bài trước khi sao lưu")
    archive = back_up(tmp_path)

    def promise_three(data):
        manifest = json.loads(data)
        manifest["counts"]["news_article"] = 3
        return json.dumps(manifest).encode()

    # An archive that passes its own check but does not bring back what it promised.
    real_dump_counts = restore_site.dump_counts
    monkeypatch.setattr(
        restore_site,
        "dump_counts",
        lambda dump, engine: {**real_dump_counts(dump, engine), "news_article": 3},
    )
    with pytest.raises(CommandError, match="sau khi khôi phục không khớp.*1 dòng thay vì 3"):
        restore(rewrite(archive, "manifest.json", promise_three))


def test_an_older_archive_restores_checked_on_articles_and_images(tmp_path, make_article):
    make_article(title="Bài trước khi sao lưu")
    archive = back_up(tmp_path)
    make_article(title="Bài sau khi sao lưu")

    def drop_counts(data):
        manifest = json.loads(data)
        del manifest["counts"]
        return json.dumps(manifest).encode()

    output = restore(rewrite(archive, "manifest.json", drop_counts))
    assert "1 bài viết, 0 ảnh" in output
    assert live_titles() == ["Bài trước khi sao lưu"]


@on_sqlite
def test_restore_refuses_a_corrupt_archived_database(tmp_path, make_article):
    make_article(title="Bài trước khi sao lưu")
    archive = back_up(tmp_path)
    make_article(title="Bài sau khi sao lưu")

    def corrupt(data):
        page_size = int.from_bytes(data[16:18], "big")
        return data[: 2 * page_size] + b"\xff" * (len(data) - 2 * page_size)

    with pytest.raises(CommandError, match="bản sao lưu bị hỏng.*chưa thay đổi gì"):
        restore(rewrite(archive, "database.dump", corrupt))
    assert live_titles() == ["Bài sau khi sao lưu", "Bài trước khi sao lưu"]


@on_postgresql
def test_a_failing_postgresql_restore_changes_nothing(tmp_path, make_article):
    make_article(title="Bài trước khi sao lưu")
    archive = back_up(tmp_path)
    make_article(title="Bài sau khi sao lưu")
    # Something the dump does not know depends on the articles: pg_restore cannot drop them,
    # after it has already dropped other tables in the same transaction.
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW bao_cao AS SELECT title FROM news_article")
    try:
        with pytest.raises(CommandError, match="chưa thay đổi gì.*news_article"):
            restore(archive)
        assert live_titles() == ["Bài sau khi sao lưu", "Bài trước khi sao lưu"]
        assert Category.objects.exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP VIEW bao_cao")


def test_restore_says_what_it_restored(tmp_path, make_article, image_upload):
    image = Image(file=image_upload("le-ky.jpg"), alt_text="Lễ ký")
    image.save()
    make_article(title="Bài một", featured_image=image)
    make_article(title="Bài hai")
    archive = back_up(tmp_path)
    media_files = sum(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))
    tables = len(connection.introspection.django_table_names(only_existing=True))

    output = restore(archive)

    created = datetime.strptime(archive.stem.removeprefix("portal-"), "%Y%m%d-%H%M%S")
    assert f"Đã khôi phục bản sao lưu ngày {created:%d/%m/%Y %H:%M:%S}" in output
    assert f"({connection.settings_dict['ENGINE'].rsplit('.', 1)[-1]})" in output
    assert f"{tables} bảng" in output
    assert "2 bài viết, 1 ảnh" in output
    assert f"{media_files} tệp media" in output


def test_pages_cached_before_a_restore_are_not_served_after_it(client, tmp_path, make_article):
    article = make_article(title="Tin gốc được sao lưu")
    archive = back_up(tmp_path)
    article.title = "Tin bị sửa nhầm"
    article.save()
    client.get("/")
    cached = client.get("/")
    assert cached["X-Page-Cache"] == "hit"
    assert "Tin bị sửa nhầm" in cached.text

    restore(archive)

    after = client.get("/")
    assert after["X-Page-Cache"] == "miss"
    assert "Tin gốc được sao lưu" in after.text
    assert "Tin bị sửa nhầm" not in after.text


def test_restore_empties_a_file_cache(client, tmp_path, make_article):
    make_article(title="Tin gốc được sao lưu")
    archive = back_up(tmp_path)
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    cache_dir = tmp_path / "cache"
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": cache_dir}}):
        client.get("/")
        assert client.get("/")["X-Page-Cache"] == "hit"

        restore(archive)

        assert len(list(cache_dir.iterdir())) == 1  # the new generation, no page
        assert client.get("/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_articles_table_cannot_be_read(client):
    assert client.get("/healthz").status_code == 200
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("ALTER TABLE news_article RENAME TO news_article_mat")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


@on_sqlite
def test_healthz_answers_503_when_the_database_file_is_malformed(client, tmp_path, make_article):
    make_article()
    live = connection.settings_dict["NAME"]
    broken = tmp_path / "malformed.sqlite3"
    with (
        contextlib.closing(sqlite3.connect(live)) as source,
        contextlib.closing(sqlite3.connect(broken)) as copy,
    ):
        source.backup(copy)
        page_size = copy.execute("PRAGMA page_size").fetchone()[0]
        # The table and its indexes: one page each while they are this small.
        roots = copy.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'news_article' AND rootpage"
        ).fetchall()
    with open(broken, "r+b") as file:
        for (root,) in roots:
            file.seek((root - 1) * page_size)
            file.write(b"\xff" * page_size)

    connection.close()
    connection.settings_dict["NAME"] = str(broken)
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = live
    assert response.status_code == 503
    assert client.get("/healthz").status_code == 200


def test_a_site_without_any_upload_yet_can_be_backed_up(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "no-media-yet")
    call_command("backup_site", output_dir=str(tmp_path / "out"), verbosity=0)
    assert len(list((tmp_path / "out").glob("portal-*.tar"))) == 1

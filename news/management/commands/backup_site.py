import contextlib
import gc
import json
import sqlite3
import subprocess
import tarfile
import tempfile
import warnings
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from news.models import Article, Image


@contextlib.contextmanager
def closing_leaked_files():
    """django-dbbackup's media and restore commands leave files open: close them, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield
        finally:
            gc.collect()


def quoted(table):
    return '"' + table.replace('"', '""') + '"'


def table_counts(cursor, tables):
    """Rows in each table, through any DB-API cursor (Django's or sqlite3's)."""
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(table)}")  # noqa: S608 - a quoted name
        counts[table] = cursor.fetchone()[0]
    return counts


class UnreadableDump(Exception):
    """A database.dump that its own database's tools cannot read back."""


def dump_counts(dump, engine):
    """Rows per table as the dump itself holds them.

    Counted in the dump, not the live database: the site may have saved something since the
    dump was made, and the manifest must describe what a restore brings back.
    """
    if engine == "sqlite3":
        try:
            with contextlib.closing(sqlite3.connect(f"{dump.as_uri()}?mode=ro", uri=True)) as db:
                tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                return table_counts(db.cursor(), [name for (name,) in tables.fetchall()])
        except sqlite3.DatabaseError as error:
            raise UnreadableDump(error) from None
    # pg_restore turns the custom-format dump back into SQL without a server: one line per row
    # between "COPY schema.table (...) FROM stdin;" and "\.", newlines in values escaped.
    counts, table = {}, None
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(  # noqa: S603 - a fixed command, our own file
            ["pg_restore", "--data-only", "--file=-", str(dump)],  # noqa: S607 - on PATH
            stdout=subprocess.PIPE,
            stderr=errors,
        ) as process:
            for line in process.stdout:
                if table is not None:
                    if line == b"\\.\n":
                        table = None
                    else:
                        counts[table] += 1
                elif line.startswith(b"COPY "):
                    table = line.split()[1].decode().rsplit(".", 1)[-1].strip('"')
                    counts[table] = 0
        if process.returncode:
            errors.seek(0)
            said = errors.read().decode(errors="replace").strip().splitlines()
            raise UnreadableDump(said[-1] if said else f"pg_restore: mã lỗi {process.returncode}")
    return counts


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và toàn bộ ảnh (media) vào MỘT tệp .tar, bằng django-dbbackup. "
        "Khôi phục bằng restore_site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir", default=str(settings.PORTAL_BACKUP_DIR), help="Thư mục ghi tệp sao lưu."
        )

    def handle(self, *args, **options):
        out_dir = Path(options["output_dir"])
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Không tạo được thư mục {out_dir}: {error.strerror}") from None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        archive = out_dir / f"portal-{stamp}.tar"
        quiet = {"verbosity": 0, "quiet": True}
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            call_command("dbbackup", output_path=str(tmp / "database.dump"), **quiet)
            # A site without any upload yet has no media folder, which mediabackup needs.
            Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
            with closing_leaked_files():
                call_command("mediabackup", output_path=str(tmp / "media.tar"), **quiet)
            engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            try:
                in_dump = dump_counts(tmp / "database.dump", engine)
            except UnreadableDump as error:
                raise CommandError(f"Bản sao lưu vừa tạo không đọc lại được: {error}") from None
            counts = {
                table: in_dump[table]
                for table in sorted(connection.introspection.django_table_names(only_existing=True))
                if table in in_dump
            }
            manifest = {
                "created": stamp,
                "django": django.get_version(),
                "database": engine,
                "articles": counts[Article._meta.db_table],
                "images": counts[Image._meta.db_table],
                "counts": counts,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
            partial = archive.with_suffix(".tar.partial")
            with tarfile.open(partial, "w") as bundle:
                for name in ("manifest.json", "database.dump", "media.tar"):
                    bundle.add(tmp / name, arcname=name)
            partial.rename(archive)  # never leave a half-written archive under the real name
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu {manifest['articles']} bài viết, {manifest['images']} ảnh "
                f"vào {archive}"
            )
        )
        return None

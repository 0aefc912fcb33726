import contextlib
import json
import sqlite3
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from dbbackup.db.exceptions import CommandConnectorError
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from news.models import Article, Image
from portal.caching.store import invalidate

from .backup_site import UnreadableDump, closing_leaked_files, dump_counts, table_counts

MEMBERS = {"manifest.json", "database.dump", "media.tar"}
SQLITE_BUSY_OR_LOCKED = (5, 6)  # named in the sqlite3 module only from Python 3.11


class SiteBusy(Exception):
    """Another process held the database's write lock for longer than the restore waits."""


def give_up_when_busy(status, remaining, total):
    # Python's backup() would otherwise retry a busy database forever.
    if status in SQLITE_BUSY_OR_LOCKED:
        raise SiteBusy


def empty_page_cache():
    """Make every page and fragment cached before the restore stale, in every process.

    A new page cache generation reaches every worker, whatever the backend; the site's own
    file cache is also emptied, so the old pages leave the disk. A Redis cache is never
    cleared: it may hold other sites' keys.
    """
    store = caches[settings.PORTAL_PAGE_CACHE_ALIAS]
    if isinstance(store, FileBasedCache):
        store.clear()
    invalidate()


def expected_counts(manifest):
    """Rows per table the archive holds; archives made before per-table counts name two."""
    return manifest.get("counts") or {
        Article._meta.db_table: manifest["articles"],
        Image._meta.db_table: manifest["images"],
    }


def differences(found, expected):
    return "; ".join(
        f"{table}: {found[table]} dòng thay vì {rows}"
        if table in found
        else f"{table}: không có bảng này (manifest: {rows} dòng)"
        for table, rows in expected.items()
        if found.get(table) != rows
    )


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và ảnh từ một tệp do backup_site tạo, kể cả khi trang đang chạy: "
        "SQLite qua API sao lưu trực tuyến của SQLite, PostgreSQL trong một giao dịch. Kiểm tra "
        "kết quả với manifest của bản sao lưu rồi làm trống bộ nhớ đệm trang. Dữ liệu hiện có bị "
        "thay thế hoàn toàn."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp portal-….tar do backup_site tạo.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Không hỏi xác nhận.",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=30,
            help="Số giây chờ khi trang đang ghi vào cơ sở dữ liệu SQLite (mặc định 30).",
        )

    def handle(self, *args, **options):
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"{path}: không có tệp này.")
        try:
            with tarfile.open(path) as bundle:
                names = set(bundle.getnames())
                if names != MEMBERS:
                    raise CommandError(f"{path}: không phải tệp sao lưu của cổng thông tin.")
                with tempfile.TemporaryDirectory() as tmp:
                    bundle.extractall(tmp, filter="data")
                    self._restore(Path(tmp), path, options)
        except tarfile.TarError:
            raise CommandError(f"{path}: tệp sao lưu hỏng hoặc không đọc được.") from None

    def _restore(self, tmp, path, options):
        manifest = json.loads((tmp / "manifest.json").read_text())
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if manifest["database"] != engine:
            raise CommandError(
                f"{path}: bản sao lưu của {manifest['database']}, "
                f"không khôi phục được vào {engine}."
            )
        dump = tmp / "database.dump"
        expected = expected_counts(manifest)
        self._check_archive(path, dump, engine, expected)
        if options["interactive"]:
            answer = input(
                f"Khôi phục bản sao lưu {manifest['created']} sẽ thay thế toàn bộ dữ liệu hiện "
                "có. Gõ 'yes' để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy khôi phục.")

        quiet = {"verbosity": 0, "quiet": True, "interactive": False}
        if engine == "sqlite3":
            self._restore_sqlite(dump, options["timeout"])
        else:
            self._restore_with_dbbackup(dump, quiet)
        with closing_leaked_files():
            call_command("mediarestore", input_path=str(tmp / "media.tar"), replace=True, **quiet)
        empty_page_cache()

        found = self._check_database(engine, expected)
        with tarfile.open(tmp / "media.tar") as media:
            media_files = sum(member.isfile() for member in media)
        created = datetime.strptime(manifest["created"], "%Y%m%d-%H%M%S")
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã khôi phục bản sao lưu ngày {created:%d/%m/%Y %H:%M:%S} ({engine}) từ "
                    f"{path}: {len(found)} bảng, {sum(found.values())} dòng, trong đó "
                    f"{found[Article._meta.db_table]} bài viết, {found[Image._meta.db_table]} "
                    f"ảnh; {media_files} tệp media. Đã làm trống bộ nhớ đệm trang."
                )
            )

    def _check_archive(self, path, dump, engine, expected):
        """Refuse a damaged archive before anything is changed."""
        if engine == "sqlite3":
            uri = f"{dump.as_uri()}?mode=ro"
            try:
                with contextlib.closing(sqlite3.connect(uri, uri=True)) as archive:
                    result = archive.execute("PRAGMA integrity_check").fetchall()
            except sqlite3.DatabaseError as error:
                result = [(str(error),)]
            if result != [("ok",)]:
                raise CommandError(
                    f"{path}: cơ sở dữ liệu trong bản sao lưu bị hỏng ({result[0][0]}); "
                    "chưa thay đổi gì."
                )
        try:
            wrong = differences(dump_counts(dump, engine), expected)
        except UnreadableDump as error:
            raise CommandError(
                f"{path}: không đọc được cơ sở dữ liệu trong bản sao lưu ({error}); "
                "chưa thay đổi gì."
            ) from None
        if wrong:
            raise CommandError(
                f"{path}: cơ sở dữ liệu trong bản sao lưu không khớp manifest ({wrong}); "
                "chưa thay đổi gì."
            )

    def _restore_sqlite(self, dump, timeout):
        """Copy the archived database into the live one with SQLite's online backup API.

        Overwriting the file would leave the running site's -wal and -shm files describing a
        database that is no longer there. The backup API writes through SQLite's own locks,
        in one transaction: the site's workers finish reading their snapshot and see the
        restored data from their next one.
        """
        connections.close_all()
        live_path = connection.settings_dict["NAME"]
        uri = f"{dump.as_uri()}?mode=ro"
        try:
            with (
                contextlib.closing(sqlite3.connect(uri, uri=True)) as archive,
                contextlib.closing(sqlite3.connect(live_path, timeout=timeout)) as live,
            ):
                archive.backup(live, progress=give_up_when_busy)
        except SiteBusy:
            raise CommandError(
                f"Cơ sở dữ liệu đang bận: trang vẫn đang ghi sau {timeout:g} giây chờ; chưa "
                "thay đổi gì. Chạy lại với --timeout lớn hơn, hoặc dừng trang (gunicorn, "
                "make run) rồi khôi phục."
            ) from None
        except sqlite3.Error as error:
            raise CommandError(f"Không khôi phục được cơ sở dữ liệu SQLite: {error}.") from None

    def _restore_with_dbbackup(self, dump, quiet):
        """PostgreSQL: pg_restore --single-transaction, which also stops at the first error."""
        try:
            with closing_leaked_files():
                call_command("dbrestore", input_path=str(dump), **quiet)
        except CommandConnectorError as error:
            said = [line for line in str(error).splitlines() if "error:" in line]
            raise CommandError(
                "Không khôi phục được cơ sở dữ liệu, chưa thay đổi gì (pg_restore đã hủy giao "
                f"dịch): {said[0] if said else str(error).strip().splitlines()[-1]}"
            ) from None

    def _check_database(self, engine, expected):
        """Rows per table in the restored database, after checking them against the manifest."""
        with connection.cursor() as cursor:
            if engine == "sqlite3":
                cursor.execute("PRAGMA integrity_check")
                result = cursor.fetchall()
                if result != [("ok",)]:
                    raise CommandError(
                        f"Cơ sở dữ liệu sau khi khôi phục bị hỏng ({result[0][0]}): khôi phục "
                        "lại từ một bản sao lưu khác."
                    )
            present = set(connection.introspection.table_names(cursor))
            tables = set(connection.introspection.django_table_names()) | set(expected)
            found = table_counts(cursor, sorted(tables & present))
        wrong = differences(found, expected)
        if wrong:
            raise CommandError(f"Cơ sở dữ liệu sau khi khôi phục không khớp manifest: {wrong}.")
        return found

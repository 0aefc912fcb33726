import contextlib
import gc
import json
import tarfile
import tempfile
import warnings
from datetime import datetime
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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
            with closing_leaked_files():
                call_command("mediabackup", output_path=str(tmp / "media.tar"), **quiet)
            manifest = {
                "created": stamp,
                "django": django.get_version(),
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "articles": Article.objects.count(),
                "images": Image.objects.count(),
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

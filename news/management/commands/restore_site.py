import json
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from .backup_site import closing_leaked_files

MEMBERS = {"manifest.json", "database.dump", "media.tar"}


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và ảnh từ một tệp do backup_site tạo. Dữ liệu hiện có bị thay "
        "thế hoàn toàn."
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
                    self._restore(Path(tmp), path, options["interactive"])
        except tarfile.TarError:
            raise CommandError(f"{path}: tệp sao lưu hỏng hoặc không đọc được.") from None

    def _restore(self, tmp, path, interactive):
        manifest = json.loads((tmp / "manifest.json").read_text())
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if manifest["database"] != engine:
            raise CommandError(
                f"{path}: bản sao lưu của {manifest['database']}, "
                f"không khôi phục được vào {engine}."
            )
        if interactive:
            answer = input(
                f"Khôi phục bản sao lưu {manifest['created']} sẽ thay thế toàn bộ dữ liệu hiện "
                "có. Gõ 'yes' để tiếp tục: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy khôi phục.")
        quiet = {"verbosity": 0, "quiet": True, "interactive": False}
        with closing_leaked_files():
            call_command("dbrestore", input_path=str(tmp / "database.dump"), **quiet)
            call_command("mediarestore", input_path=str(tmp / "media.tar"), replace=True, **quiet)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {manifest['articles']} bài viết, {manifest['images']} ảnh từ {path}"
            )
        )

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from agency.models import AgencyLink, AgencyPage, Leader, OrganisationUnit

# Content an editor may have written since: while any of it exists, the seed is not loaded again.
EDITED_CONTENT = (AgencyPage, OrganisationUnit, Leader, AgencyLink)


class Command(BaseCommand):
    help = (
        "Nạp nội dung mẫu của cơ quan (fixtures/portal.json: thông tin chung, trang giới thiệu "
        "hai thứ tiếng, cơ cấu tổ chức, lãnh đạo, liên kết website) cho lần chạy đầu. Khi cổng "
        "đã có trang giới thiệu, đơn vị, lãnh đạo hay liên kết nào thì không nạp, để giữ nội dung "
        "biên tập viên đã sửa."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ cho biết có nạp hay không; không ghi gì."
        )
        parser.add_argument(
            "--fixture", default="portal", help="Tên tệp dữ liệu mẫu (mặc định: portal)."
        )

    def handle(self, *args, dry_run=False, fixture="portal", verbosity=1, **options):
        existing = {model._meta.verbose_name: model.objects.count() for model in EDITED_CONTENT}
        if any(existing.values()):
            if verbosity:
                found = ", ".join(f"{count} {name}" for name, count in existing.items() if count)
                self.stdout.write(
                    self.style.NOTICE(f"Cổng đã có nội dung ({found}): giữ nguyên, không nạp mẫu.")
                )
            return
        if dry_run:
            self.stdout.write(f"Sẽ nạp dữ liệu mẫu “{fixture}” (chạy thử: chưa ghi gì).")
            return
        with transaction.atomic():
            call_command("loaddata", fixture, verbosity=0)
        if verbosity:
            loaded = ", ".join(
                f"{model.objects.count()} {model._meta.verbose_name}" for model in EDITED_CONTENT
            )
            self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {loaded}."))

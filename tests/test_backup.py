"""Backups that restore: the database (articles, revisions, images) and the media, round trip."""

import io
import tarfile
from pathlib import Path

import pytest
import reversion
from django.conf import settings
from django.core.management import CommandError, call_command
from reversion.models import Version

from news.models import Article, Category, Image
from tests.conftest import make_image_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def state():
    return {
        "articles": sorted(Article.objects.values_list("title", "body", "status")),
        "categories": sorted(Category.objects.values_list("slug", flat=True)),
        "images": sorted(Image.objects.values_list("original_filename", "sha256")),
        "versions": Version.objects.count(),
    }


# django-dbbackup leaves some temporary files for the garbage collector to close.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.slow
def test_backup_and_restore_round_trip(tmp_path, image_upload):
    category = Category.objects.create(name="Xã hội", slug="xa-hoi")
    image = Image(file=image_upload("le-ky.jpg", size=(300, 200)), alt_text="Lễ ký")
    image.save()
    with reversion.create_revision():
        Article.objects.create(
            title="Bài được sao lưu",
            category=category,
            status="published",
            body="<p>Nội dung <strong>gốc</strong></p>",
            featured_image=image,
        )
    before = state()
    stored = Path(settings.MEDIA_ROOT, image.file.name)
    original_bytes = stored.read_bytes()

    out = io.StringIO()
    call_command("backup_site", output_dir=str(tmp_path), stdout=out)
    archive = next(tmp_path.glob("portal-*.tar"))
    assert "Đã sao lưu 1 bài viết, 1 ảnh" in out.getvalue()
    with tarfile.open(archive) as bundle:
        assert set(bundle.getnames()) == {"manifest.json", "database.dump", "media.tar"}

    # A bad day: the article is changed, another appears, the photo's file is lost.
    Article.objects.update(title="Bị sửa nhầm")
    Article.objects.create(title="Bài sẽ mất", category=category)
    stored.unlink()

    call_command("restore_site", str(archive), interactive=False, stdout=io.StringIO())
    assert state() == before
    assert stored.read_bytes() == original_bytes
    assert Article.objects.get().featured_image.file.name == image.file.name


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    Category.objects.create(name="Còn nguyên", slug="con-nguyen")
    bogus = tmp_path / "khong-phai.tar"
    bogus.write_bytes(make_image_bytes())
    with pytest.raises(CommandError, match="tệp sao lưu hỏng"):
        call_command("restore_site", str(bogus), interactive=False)
    other = tmp_path / "tar-khac.tar"
    with tarfile.open(other, "w") as bundle:
        info = tarfile.TarInfo("ghi-chu.txt")
        bundle.addfile(info, io.BytesIO(b""))
    with pytest.raises(CommandError, match="không phải tệp sao lưu"):
        call_command("restore_site", str(other), interactive=False)
    with pytest.raises(CommandError, match="không có tệp này"):
        call_command("restore_site", str(tmp_path / "khong-co.tar"), interactive=False)
    assert Category.objects.filter(slug="con-nguyen").exists()

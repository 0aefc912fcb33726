"""The agency's seed content: fixtures/portal.json, and seed_portal, which loads it once."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from agency.models import AgencyLink, AgencyPage, Leader, OrganisationUnit, SiteIdentity

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "portal.json"


def test_the_portal_fixture_loads_with_loaddata():
    call_command("loaddata", "portal", verbosity=0)

    identity = SiteIdentity.objects.get()
    assert identity.name_vi == "Bộ Lao động – Thương binh và Xã hội"
    assert identity.name_en == "Ministry of Labour, Invalids and Social Affairs"
    assert identity.address_vi == "12 Ngô Quyền, Hoàn Kiếm, Hà Nội"
    assert list(AgencyPage.objects.values_list("slug_vi", "slug_en")) == [
        ("chuc-nang-nhiem-vu", "functions"),
        ("co-cau-to-chuc", "organisation"),
        ("lanh-dao-bo", "leadership"),
        ("lien-he", "contact"),
    ]
    assert list(AgencyLink.objects.values_list("url", flat=True)) == [
        "https://chinhphu.vn",
        "https://quochoi.vn",
        "https://moha.gov.vn",
        "https://mof.gov.vn",
        "https://dichvucong.gov.vn",
    ]
    assert all(link.name_en for link in AgencyLink.objects.all())
    assert OrganisationUnit.objects.filter(parent=None).count() == 1
    assert OrganisationUnit.objects.count() > 10
    assert Leader.objects.count() == 2


def test_every_seed_text_is_marked_as_sample_content():
    call_command("loaddata", "portal", verbosity=0)
    for page in AgencyPage.objects.all():
        assert "Nội dung mẫu – biên tập viên thay bằng nội dung chính thức." in page.body_vi
        assert "Sample content – to be replaced by an editor." in page.body_en
    assert all("nội dung mẫu" in leader.name for leader in Leader.objects.all())
    identity = SiteIdentity.objects.get()
    assert "nội dung mẫu" in identity.licence_vi and "sample content" in identity.licence_en


def test_the_fixture_is_valid_json_with_one_identity():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert [o["pk"] for o in objects if o["model"] == "agency.siteidentity"] == [1]


def test_seed_portal_loads_the_seed_once_and_keeps_editors_changes():
    out = io.StringIO()
    call_command("seed_portal", stdout=out)
    assert "Đã nạp dữ liệu mẫu: 4 trang giới thiệu" in out.getvalue()

    page = AgencyPage.objects.get(slug_vi="lien-he")
    page.title_vi = "Liên hệ với Bộ"
    page.save()
    AgencyLink.objects.get(url="https://quochoi.vn").delete()
    identity = SiteIdentity.objects.get()
    identity.phone = "024 3826 9534"
    identity.save()

    out = io.StringIO()
    call_command("seed_portal", stdout=out)

    assert "giữ nguyên, không nạp mẫu" in out.getvalue()
    assert AgencyPage.objects.get(slug_vi="lien-he").title_vi == "Liên hệ với Bộ"
    assert not AgencyLink.objects.filter(url="https://quochoi.vn").exists()
    assert SiteIdentity.objects.get().phone == "024 3826 9534"


def test_seed_portal_dry_run_writes_nothing():
    out = io.StringIO()
    call_command("seed_portal", "--dry-run", stdout=out)
    assert "chạy thử" in out.getvalue()
    assert not AgencyPage.objects.exists()

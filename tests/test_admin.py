import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article, Image

pytestmark = pytest.mark.django_db


def test_article_changelist_renders_for_staff(staff_client, make_article):
    make_article(title="Tập huấn nghiệp vụ công tác bình đẳng giới")
    response = staff_client.get(reverse("admin:news_article_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tập huấn nghiệp vụ công tác bình đẳng giới" in page
    assert "Đang hiển thị" in page  # the "visible now" column
    assert "Chờ duyệt" in page  # the status filter


def test_article_add_form_has_the_rich_text_editor(staff_client):
    response = staff_client.get(reverse("admin:news_article_add"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="django_ckeditor_5"' in page
    assert "django_ckeditor_5/dist/bundle.js" in page
    assert "django_ckeditor_5/dist/translations/vi.js" in page
    assert reverse("news:editor-image-upload") in page
    assert "Tiêu đề" in page or "tiêu đề" in page


def test_admin_is_in_vietnamese(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()
    assert "Quản trị Cổng thông tin điện tử" in page
    assert "Thoát" in page  # Django's own Vietnamese catalogue


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("admin:news_article_add"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_editor_publishes_an_article_with_bold_text_and_an_image(
    staff_client, staff_user, category, image_upload
):
    upload = staff_client.post(
        reverse("news:editor-image-upload"), {"upload": image_upload("anh-le-ky.jpg")}
    )
    url = upload.json()["url"]
    body = (
        f'<p>Nội dung <strong>quan trọng</strong>.</p><figure class="image">'
        f'<img src="{url}" alt="Lễ ký"><figcaption>Lễ ký kết</figcaption></figure>'
        "<script>alert(1)</script>"
    )
    response = staff_client.post(
        reverse("admin:news_article_add"),
        {
            "title": "Đào Ngọc Dung gặp gỡ đại biểu",
            "slug": "",
            "category": category.pk,
            "lead": "Sapo ngắn.",
            "body": body,
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "author": "Thái Bình",
            "source": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.slug == "dao-ngoc-dung-gap-go-dai-bieu"
    assert article.is_visible
    assert "<strong>quan trọng</strong>" in article.body
    assert url in article.body
    assert "<script" not in article.body
    assert article.created_by == staff_user
    assert article.updated_by == staff_user


def test_duplicate_slug_on_the_same_day_is_a_form_error(staff_client, make_article, category):
    existing = make_article(title="Lễ ký kết")
    local = timezone.localtime(existing.published_at)
    response = staff_client.post(
        reverse("admin:news_article_add"),
        {
            "title": "Lễ ký kết",
            "slug": existing.slug,
            "category": category.pk,
            "status": "published",
            "published_at_0": local.strftime("%d/%m/%Y"),
            "published_at_1": local.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 200
    assert "Đã có bài khác cùng đường dẫn này trong ngày" in response.content.decode()
    assert Article.objects.count() == 1


def test_image_changelist_shows_thumbnails(staff_client, image_upload):
    image = Image.objects.create(file=image_upload("ho-so.jpg"), caption="Các đại biểu")
    page = staff_client.get(reverse("admin:news_image_changelist")).content.decode()
    assert "Các đại biểu" in page
    assert f'<img src="{image.jpeg_320.url}"' in page
    assert image.jpeg_320.url.startswith("/media/renditions/")
    assert image.jpeg_320.storage.exists(image.jpeg_320.name)


def test_category_changelist_and_delete_protection(staff_client, make_article, category):
    make_article()
    assert staff_client.get(reverse("admin:news_category_changelist")).status_code == 200
    response = staff_client.post(
        reverse("admin:news_category_delete", args=[category.pk]), {"post": "yes"}
    )
    assert response.status_code == 200  # Django's "cannot delete, protected" page
    assert "Xã hội" in response.content.decode()
    assert category.__class__.objects.filter(pk=category.pk).exists()


def test_admin_reads_dates_day_first(staff_client, category):
    response = staff_client.post(
        reverse("admin:news_article_add"),
        {
            "title": "Tin ngày 1 tháng 12",
            "category": category.pk,
            "status": "draft",
            "published_at_0": "01/12/2026",
            "published_at_1": "08:30:00",
        },
    )
    assert response.status_code == 302
    local = timezone.localtime(Article.objects.get().published_at)
    assert (local.day, local.month, local.hour, local.minute) == (1, 12, 8, 30)


def test_date_and_time_boxes_have_accessible_names(staff_client):
    # Django prints "Ngày:" and "Giờ:" beside them as plain text; screen readers need a name.
    page = staff_client.get(reverse("admin:news_article_add")).content.decode()
    assert 'aria-label="Thời điểm xuất bản – Ngày"' in page
    assert 'aria-label="Thời điểm xuất bản – Giờ"' in page
    assert 'aria-label="Hết hạn lúc – Ngày"' in page

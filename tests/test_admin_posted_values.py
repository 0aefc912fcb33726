"""A form posted back with values that are not keys at all shows its errors, never a 500."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from news.models import Article
from tests.conftest import article_form_data
from tests.reader import text

pytestmark = pytest.mark.django_db


def every_autocomplete_field():
    """(admin, field name) for each autocomplete box of every registered admin and inline."""
    for model, model_admin in admin.site._registry.items():
        for owner in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            for name in owner.autocomplete_fields:
                yield pytest.param(owner, name, id=f"{owner.model.__name__}.{name}")


@pytest.mark.parametrize(("owner", "name"), list(every_autocomplete_field()))
def test_every_autocomplete_box_draws_a_posted_value_that_is_no_key(owner, name, make_user):
    request = RequestFactory().get("/")
    request.user = make_user("superuser")
    field = owner.model._meta.get_field(name)
    box = owner.formfield_for_dbfield(field, request).widget
    posted = ["abc", "1"] if field.many_to_many else "abc"

    drawn = box.render(name, posted)

    assert f'name="{name}"' in drawn
    assert "abc" not in drawn.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]


def test_an_article_posted_with_values_that_are_no_keys_gets_form_errors(
    client, make_user, make_article
):
    article = make_article(title="Bài đang sửa")
    client.force_login(make_user("editor"))
    data = article_form_data(article, category="abc", featured_image="x")
    data.update(article_topics=["abc"], related_articles=["abc"])

    response = client.post(reverse("admin:news_article_change", args=[article.pk]), data)

    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in text(response)
    assert Article.objects.get(pk=article.pk).category_id == article.category_id

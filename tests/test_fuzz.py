"""2,500 hostile URLs over every public route: none may answer with a server error."""

import pytest
from django.test import Client

from news.models import Topic
from tests.documents_samples import PDF, make_document
from tests.drafts_samples import make_draft_pages
from tests.fuzz_urls import hostile_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(make_article, category):
    """A little content, so the routes have something real to find and page through."""
    topic = Topic.objects.create(name="Xã hội", is_event=True)
    for n in range(3):
        make_article(title=f"Tập huấn bình đẳng giới {n}", body="<p>Nội dung</p>").topics.add(topic)
    make_document(files=[("Nghị định.pdf", PDF)], field_names=["Lao động"])  # /van-ban/…
    make_draft_pages()  # /du-thao/…: an open draft with a file, an upcoming and a closed one
    return category


@pytest.mark.slow
def test_no_hostile_url_gets_a_server_error(site):
    client = Client(raise_request_exception=False)
    failures = []
    urls = hostile_urls(2500)
    assert len(set(urls)) == 2500
    for url in urls:
        status = client.get(url).status_code
        if status >= 500:
            failures.append((status, url))
    assert not failures, failures[:20]


def test_malformed_requests_get_400_or_404_not_500(site):
    client = Client(raise_request_exception=False)
    for url in [
        "/tin-theo-ngay/2019/02/30/",
        "/tin-theo-ngay/2019/13/01/",
        "/tin-theo-ngay/abcd/",
        "/chuyen-muc/xa-hoi/?trang=99999999999999999999",
        "/%C3%28/",
        "/tin-tuc/2019/10/17/%00/",
        "/xem-truoc/99999999999999999999/",
    ]:
        assert client.get(url).status_code in (400, 404), url

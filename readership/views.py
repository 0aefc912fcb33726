"""The most read page, and the endpoint readers' browsers tell a view to."""

import datetime

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from news.context_processors import category_tree
from news.models import Article
from portal.caching.fragments import fragment

from . import counting, selectors

# The periods of /doc-nhieu/, by their anchors on the page. Each counts back from now, by the
# hour: the last day is the last 24 hours, whatever the time of day.
PERIODS = {
    "trong-ngay": (datetime.timedelta(days=1), _("Trong 24 giờ qua")),
    "trong-tuan": (datetime.timedelta(days=7), _("Trong 7 ngày qua")),
    "trong-thang": (datetime.timedelta(days=30), _("Trong 30 ngày qua")),
}
LIST_ITEMS = 10
# A list, and every fragment and page that shows it (in the page cache and in HTTP caches in
# front), is kept at most this long: a written batch is on every page within a minute. The
# templates' {% fragment ... seconds=60 %} say the same.
LIST_SECONDS = 60
# A beacon's form: an article token (about 40 characters) and a reader id (at most 64).
MAX_BEACON_BYTES = 512


def most_read_list(request, period):
    """The LIST_ITEMS most read published articles of ``period`` (a key of PERIODS), in the
    page's language, as cards with their categories: a lazy fragment shared by every page and
    reader, kept LIST_SECONDS at most."""

    def load():
        since = timezone.now() - PERIODS[period][0]
        language = translation.get_language()
        published = Article.objects.published().in_language(language)
        articles = selectors.most_read(published.cards(), language, since, LIST_ITEMS)
        return category_tree(request).attach(articles)

    return fragment(request, "most-read", load, period, lazy=True, seconds=LIST_SECONDS)


class MostReadView(TemplateView):
    """The most read articles of the last day, week and month, one section each."""

    template_name = "readership/most_read.html"

    def get_context_data(self, **kwargs):
        periods = [
            (anchor, heading, most_read_list(self.request, anchor))
            for anchor, (_length, heading) in PERIODS.items()
        ]
        return super().get_context_data(periods=periods, **kwargs)


# Not a form: the page that sends it may have come from the page cache or from an HTTP cache
# in front, the same copy for every reader, so it can carry no reader's CSRF token. What the
# token would prove is checked instead: the request comes from the site's own pages (Origin,
# Sec-Fetch-Site), and names an article the site printed (a signed token). All it can do is
# count one view.
@csrf_exempt
@never_cache
@require_POST
def count_read(request):
    """A reader's browser showed an article page: count the view (counting.py). 204 whether it
    counted or not (a repeat, a bot); 400 for what the site's script never sends, 403 from
    another site."""
    if not _from_this_site(request):
        return HttpResponse(status=403)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BEACON_BYTES + 1
    if length > MAX_BEACON_BYTES:
        return HttpResponse(status=400)
    article = counting.article_of(request.POST.get("bai", ""))
    reader = counting.reader_of(request.POST.get("ban-doc", ""))
    if article is None or reader is None:
        return HttpResponse(status=400)
    if not counting.is_bot(request.headers.get("User-Agent", "")):
        try:
            counting.count(article, reader, _address(request))
        except Exception as error:  # noqa: BLE001 - a store that is down must not trouble readers
            counting.warn(error)
    return HttpResponse(status=204)


def _from_this_site(request):
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site != "same-origin":
        return False
    origin = request.headers.get("Origin")
    if origin is None:  # browsers send it with every POST; other clients may not
        return True
    return (
        origin == f"{request.scheme}://{request.get_host()}"
        or origin in settings.CSRF_TRUSTED_ORIGINS
    )


def _address(request):
    """The reader's address as the sign-in lockouts see it (behind the proxy when
    DJANGO_BEHIND_PROXY is set)."""
    return get_client_ip_address(request)

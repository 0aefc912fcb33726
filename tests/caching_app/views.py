from django.views.generic import ListView, TemplateView

from portal.caching.fragments import fragment

from .models import Notice


class NoticeListView(ListView):
    model = Notice
    template_name = "caching_app/notice_list.html"

    def get_queryset(self):
        return Notice.objects.visible()


# What changes without a save (as counts written in batches do): a test sets it.
TALLY = {"count": 0}


class TallyView(TemplateView):
    """A page that shows a value kept for a minute at most, inside a template fragment."""

    template_name = "caching_app/tally.html"

    def get_context_data(self, **kwargs):
        tally = fragment(self.request, "tally", lambda: dict(TALLY), seconds=60, lazy=True)
        return super().get_context_data(tally=tally, **kwargs)

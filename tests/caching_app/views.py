from django.views.generic import ListView

from .models import Notice


class NoticeListView(ListView):
    model = Notice
    template_name = "caching_app/notice_list.html"

    def get_queryset(self):
        return Notice.objects.visible()

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

from .views import NoticeListView, TallyView

urlpatterns = [
    path("thong-bao/", NoticeListView.as_view(), name="notices"),
    path("bang-dem/", TallyView.as_view(), name="tally"),
    *portal_urlpatterns,
]

from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

from .views import NoticeListView

urlpatterns = [path("thong-bao/", NoticeListView.as_view(), name="notices"), *portal_urlpatterns]

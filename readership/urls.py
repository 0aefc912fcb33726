from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "readership"

urlpatterns = [
    path(_("doc-nhieu/"), views.MostReadView.as_view(), name="most-read"),
    path("doc-nhieu/dem/", views.count_read, name="count"),
]

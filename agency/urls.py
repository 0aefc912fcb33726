from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "agency"

# Translated routes: /gioi-thieu/… in Vietnamese, /en/about/… in English (locale/*/django.po).
urlpatterns = [
    path(_("gioi-thieu/"), views.AgencyPageListView.as_view(), name="page-list"),
    path(
        _("gioi-thieu/tiep-can/"),
        views.AccessibilityStatementView.as_view(),
        name="accessibility",
    ),
    path(_("gioi-thieu/<slug:slug>/"), views.AgencyPageDetailView.as_view(), name="page-detail"),
    path(_("tuy-chinh/"), views.ReaderPreferencesView.as_view(), name="reader-preferences"),
]

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import feeds, views, views_drafts

app_name = "documents"
# The library of legal documents (views.py), translated: /van-ban/… in Vietnamese,
# /en/documents/… in English (locale/*/django.po). The preview is the same in both.
urlpatterns = [
    path(_("van-ban/"), views.DocumentListView.as_view(), name="document-list"),
    path(_("van-ban/rss/"), feeds.LatestDocumentsFeed(), name="document-feed"),
    path(_("van-ban/<slug:slug>/"), views.DocumentDetailView.as_view(), name="document-detail"),
    path(
        _("van-ban/<slug:slug>/tep/<int:pk>/"),
        views.DocumentFileView.as_view(),
        name="file-download",
    ),
    path(
        _("van-ban/<slug:slug>/tep/<int:pk>/xem/"),
        views.DocumentFileView.as_view(inline=True),
        name="file-view",
    ),
    path(
        "xem-truoc/van-ban/<int:pk>/",
        views.DocumentPreviewView.as_view(),
        name="document-preview",
    ),
]

# Drafts for public comment (views_drafts.py), translated: /du-thao/… in Vietnamese,
# /en/drafts-for-comment/… in English (locale/*/django.po). The preview is the same in both.
urlpatterns += [
    path(_("du-thao/"), views_drafts.DraftListView.as_view(), name="draft-list"),
    path(_("du-thao/<slug:slug>/"), views_drafts.DraftDetailView.as_view(), name="draft-detail"),
    path(
        _("du-thao/<slug:slug>/cam-on/"),
        views_drafts.DraftThanksView.as_view(),
        name="draft-thanks",
    ),
    path(
        _("du-thao/<slug:slug>/tep/<int:pk>/"),
        views_drafts.DraftFileView.as_view(),
        name="draft-file",
    ),
    path(
        _("du-thao/<slug:slug>/tiep-thu/<int:pk>/"),
        views_drafts.DraftFileView.as_view(model=views_drafts.DraftResponseFile),
        name="draft-response-file",
    ),
    path(
        "xem-truoc/du-thao/<int:pk>/",
        views_drafts.DraftPreviewView.as_view(),
        name="draft-preview",
    ),
]

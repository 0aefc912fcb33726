"""Photo albums (Album ảnh) and videos for readers."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "gallery"

# Translated routes: /anh/… and /video/… in Vietnamese, /en/photos/… and /en/videos/… in
# English (locale/*/django.po).
urlpatterns = [
    path(_("anh/"), views.AlbumListView.as_view(), name="album-list"),
    path(_("anh/<slug:slug>/"), views.AlbumDetailView.as_view(), name="album-detail"),
    path(_("anh/<slug:slug>/<int:number>/"), views.AlbumPhotoView.as_view(), name="album-photo"),
    path(_("video/"), views.VideoListView.as_view(), name="video-list"),
    path(_("video/<slug:slug>/"), views.VideoDetailView.as_view(), name="video-detail"),
    path(
        _("video/<slug:slug>/phu-de.vtt"),
        views.VideoCaptionsView.as_view(),
        name="video-captions",
    ),
]

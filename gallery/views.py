"""The gallery's public pages: albums, one photo at a time, and videos.

Every page starts from ``published()``; the same pages exist on the English side (/en/), with
the editors' Vietnamese text.
"""

from django.http import Http404, HttpResponse
from django.views.generic import DetailView, ListView

from news.pagination import WindowedPaginationMixin

from . import selectors
from .models import Album, Video

PAGE_SIZE = 12  # two, three or four cards a row


class AlbumListView(WindowedPaginationMixin, ListView):
    """/anh/: the published albums, newest first, with their covers and photo counts."""

    model = Album
    paginate_by = PAGE_SIZE
    page_kwarg = "trang"
    extra_context = {"gallery_section": "albums"}

    def get_queryset(self):
        return Album.objects.published().listing().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = context["album_list"] = selectors.with_covers(
            context["object_list"]
        )
        return context


class AlbumDetailView(DetailView):
    """/anh/<slug>/: an album's photos as a grid, each linking to its own page."""

    model = Album
    extra_context = {"gallery_section": "albums"}

    def get_queryset(self):
        return Album.objects.published().select_related("cover")

    def get_context_data(self, **kwargs):
        photos = list(self.object.photos.shown().select_related("image"))
        return super().get_context_data(photos=photos, **kwargs)


class AlbumPhotoView(DetailView):
    """/anh/<slug>/<n>/: photo n of an album, large, with links to the one before and after:
    the album seen one photo at a time, with the keyboard and without JavaScript."""

    model = Album
    template_name = "gallery/album_photo.html"
    extra_context = {"gallery_section": "albums"}

    def get_queryset(self):
        return Album.objects.published().listing()

    def get_context_data(self, **kwargs):
        number = self.kwargs["number"]
        photo = None
        if 1 <= number <= self.object.photo_count:
            previous, photo, following = selectors.photo_and_neighbours(self.object, number)
        if photo is None:
            raise Http404("Album không có ảnh này.")
        return super().get_context_data(
            number=number, photo=photo, previous=previous, next=following, **kwargs
        )


class VideoListView(WindowedPaginationMixin, ListView):
    """/video/: the published videos, newest first."""

    model = Video
    paginate_by = PAGE_SIZE
    page_kwarg = "trang"
    extra_context = {"gallery_section": "videos"}

    def get_queryset(self):
        return Video.objects.published().select_related("poster").newest_first()


class VideoDetailView(DetailView):
    """/video/<slug>/: the browser's own player, with the poster and the text track, then the
    description, the transcript and the downloads."""

    model = Video
    extra_context = {"gallery_section": "videos"}

    def get_queryset(self):
        return Video.objects.published().select_related("poster")


class VideoCaptionsView(DetailView):
    """/video/<slug>/phu-de.vtt: the video's text track, from this site whatever storage holds
    it, so the player may read it without cross-origin permissions (CORS) on the media host."""

    model = Video

    def get_queryset(self):
        return Video.objects.published()

    def render_to_response(self, context, **response_kwargs):
        try:
            with self.object.captions.open("rb") as track:
                content = track.read()
        except (OSError, ValueError) as error:
            raise Http404("Video không có tệp phụ đề.") from error
        return HttpResponse(content, content_type="text/vtt; charset=utf-8")

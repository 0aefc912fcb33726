from django.urls import path, register_converter
from django.utils.translation import gettext_lazy as _

from . import converters, editor, feeds, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")
register_converter(converters.TwoDigitConverter, "dd")

app_name = "news"

# Reader routes are translated: /tin-tuc/… in Vietnamese, /en/news/… in English
# (locale/*/django.po). Staff routes are the same in both.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("rss/", feeds.LatestArticlesFeed(), name="feed"),
    path(
        _("chuyen-muc/<slug:slug>/"),
        views.CategoryArticleListView.as_view(),
        name="category-detail",
    ),
    path(_("chuyen-muc/<slug:slug>/rss/"), feeds.CategoryArticlesFeed(), name="category-feed"),
    path(_("chu-de/<slug:slug>/"), views.TopicArticleListView.as_view(), name="topic-detail"),
    path(_("chu-de/<slug:slug>/rss/"), feeds.TopicArticlesFeed(), name="topic-feed"),
    path(
        _("tin-tuc/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/"),
        views.ArticleDateDetailView.as_view(),
        name="article-detail",
    ),
    path(
        _("tin-tuc/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/tai-ve/"),
        views.ArticleDownloadView.as_view(),
        name="article-download",
    ),
    path(_("tin-theo-ngay/"), views.ArticleArchiveIndexView.as_view(), name="archive"),
    path(
        _("tin-theo-ngay/<yyyy:year>/"), views.ArticleYearArchiveView.as_view(), name="archive-year"
    ),
    path(
        _("tin-theo-ngay/<yyyy:year>/<mm:month>/"),
        views.ArticleMonthArchiveView.as_view(),
        name="archive-month",
    ),
    path(
        _("tin-theo-ngay/<yyyy:year>/<mm:month>/<dd:day>/"),
        views.ArticleDayArchiveView.as_view(),
        name="archive-day",
    ),
    path(_("tim-kiem/"), views.ArticleSearchView.as_view(), name="search"),
    path("xem-truoc/<int:pk>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("bien-tap/tai-anh/", editor.editor_image_upload, name="editor-image-upload"),
    path("bien-tap/thu-vien-anh/", editor.editor_image_library, name="editor-image-library"),
]

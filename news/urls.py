from django.urls import path, register_converter

from . import converters, editor, feeds, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")
register_converter(converters.TwoDigitConverter, "dd")

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("rss/", feeds.LatestArticlesFeed(), name="feed"),
    path(
        "chuyen-muc/<slug:slug>/", views.CategoryArticleListView.as_view(), name="category-detail"
    ),
    path("chuyen-muc/<slug:slug>/rss/", feeds.CategoryArticlesFeed(), name="category-feed"),
    path(
        "tin-tuc/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        views.ArticleDateDetailView.as_view(),
        name="article-detail",
    ),
    path(
        "tin-tuc/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/tai-ve/",
        views.ArticleDownloadView.as_view(),
        name="article-download",
    ),
    path("tin-theo-ngay/", views.ArticleArchiveIndexView.as_view(), name="archive"),
    path("tin-theo-ngay/<yyyy:year>/", views.ArticleYearArchiveView.as_view(), name="archive-year"),
    path(
        "tin-theo-ngay/<yyyy:year>/<mm:month>/",
        views.ArticleMonthArchiveView.as_view(),
        name="archive-month",
    ),
    path(
        "tin-theo-ngay/<yyyy:year>/<mm:month>/<dd:day>/",
        views.ArticleDayArchiveView.as_view(),
        name="archive-day",
    ),
    path("tim-kiem/", views.ArticleSearchView.as_view(), name="search"),
    path("xem-truoc/<int:pk>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("bien-tap/tai-anh/", editor.editor_image_upload, name="editor-image-upload"),
]

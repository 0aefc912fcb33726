from django.urls import path, register_converter

from . import converters, editor, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")
register_converter(converters.TwoDigitConverter, "dd")

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("chuyen-muc/<slug:slug>/", views.CategoryArticleListView.as_view(),
         name="category-detail"),
    path(
        "tin-tuc/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        views.ArticleDateDetailView.as_view(),
        name="article-detail",
    ),
    path("xem-truoc/<int:pk>/", views.ArticlePreviewView.as_view(), name="article-preview"),
    path("bien-tap/tai-anh/", editor.editor_image_upload, name="editor-image-upload"),
]

from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import DateDetailView, DetailView, ListView

from .models import Article, Category


class PublishedArticleMixin:
    """Every public page starts from Article.objects.published()."""

    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"

    def get_queryset(self):
        return Article.objects.published().with_related()


class HomeView(PublishedArticleMixin, ListView):
    template_name = "news/home.html"
    context_object_name = "latest_articles"

    def get_queryset(self):
        return super().get_queryset()[:20]


class CategoryArticleListView(PublishedArticleMixin, ListView):
    template_name = "news/category_detail.html"
    paginate_by = 20
    page_kwarg = "trang"

    def get_queryset(self):
        self.category = get_object_or_404(Category, slug=self.kwargs["slug"])
        return super().get_queryset().in_category(self.category)

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class ArticleDateDetailView(PublishedArticleMixin, DateDetailView):
    context_object_name = "article"


@method_decorator(never_cache, name="dispatch")
class ArticlePreviewView(UserPassesTestMixin, DetailView):
    """Any article, as the public will see it, for staff who may change it."""

    model = Article
    context_object_name = "article"
    template_name = "news/article_detail.html"
    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_authenticated and user.is_staff and user.has_perm("news.change_article")

    def handle_no_permission(self):
        raise Http404

    def get_queryset(self):
        return Article.objects.with_related()

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)

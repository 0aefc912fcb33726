"""The section menu, shared by every public page.

Categories are a short list that every page needs (the menu, breadcrumbs, home blocks, the day
page's filter), so they are one fragment, read once per request.
"""

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from portal.caching.fragments import fragment

from .models import Article, Category


class CategoryTree:
    """All categories of the site, with the top level ordered as the menu shows it."""

    def __init__(self, categories):
        self.all = list(categories)
        self.by_slug = {category.slug: category for category in self.all}
        self.by_pk = by_pk = {category.pk: category for category in self.all}
        self.children = {category.pk: [] for category in self.all}
        for category in self.all:
            if category.parent_id in by_pk:
                # The parent object is already here: breadcrumbs need no further query.
                category.parent = by_pk[category.parent_id]
                self.children[category.parent_id].append(category)
        self.top = [category for category in self.all if category.parent_id is None]
        # The menu leaves out a section with nothing published in it or its subcategories.
        # (newest_article_id: load_categories(); a tree made of plain categories shows them all.)
        self.menu = self.sections_with("newest_article_id")

    @property
    def english_menu(self):
        """The English side's menu: the sections with English news. (A property, so that a
        tree stored in the cache by an older version of this class still has it.)"""
        return self.sections_with("has_english_news")

    def sections_with(self, mark):
        """The top-level sections in which, or in one of whose subcategories, ``mark`` is set."""
        return [
            section
            for section in self.top
            if any(
                getattr(category, mark, True) for category in [section, *self.children_of(section)]
            )
        ]

    def get(self, slug):
        return self.by_slug.get(slug)

    def ids_under(self, category):
        """The ids of a category and of its subcategories, for ArticleQuerySet.in_categories."""
        return [category.pk, *(child.pk for child in self.children_of(category))]

    def attach(self, articles):
        """``articles`` as a list, each given its category (and the category its parent) from
        this tree: for rows read with ArticleQuerySet.cards(). The tree is as current as the
        rows (any change to a category makes both stale at once), so an unknown category
        means a category made since; that article reads its own."""
        articles = list(articles)
        for article in articles:
            category = self.by_pk.get(article.category_id)
            if category is not None:
                article.category = category
        return articles

    def children_of(self, category):
        return self.children.get(category.pk, [])

    def with_children(self):
        """Top-level categories, each followed by its subcategories: for a select box."""
        for category in self.top:
            yield category
            yield from self.children_of(category)


def load_categories():
    """Every category in menu order, each with ``newest_article_id``: its newest published
    article in any language, or None, and ``has_english_news``. In the same query: each
    category's subquery walks its own part of the (category, publication) index back from now
    and stops at the first published row (ArticleQuerySet.newest_in_category); the categories
    with English news are one subquery for all, over the English side's published articles (a
    small part of the archive, on the language index)."""
    newest = Article.objects.published().newest_in_category(OuterRef("pk")).values("pk")
    english = Article.objects.published().in_language("en").values("category_id")
    return Category.objects.annotate(
        newest_article_id=Subquery(newest),
        has_english_news=ExpressionWrapper(Q(pk__in=english), output_field=BooleanField()),
    ).order_by("position", "name", "pk")


def category_tree(request):
    """The site's CategoryTree: a fragment, so one lookup per request and no query."""
    return fragment(
        request,
        "category-tree",
        lambda: CategoryTree(load_categories()),
        per_language=False,  # a category holds both its names (Category.display_name)
    )


def menu_sections(request):
    """The top-level sections the menu shows: those with news; on the English side (/en/),
    which lists English articles only, those with English news."""
    tree = category_tree(request)
    return tree.menu if translation.get_language() == settings.LANGUAGE_CODE else tree.english_menu


def navigation(request):
    """``menu_categories``: the top-level sections that have news on this side of the site.
    (The site's name is agency.context_processors'.)

    The menu is lazy, so pages that do not show it (the admin) pay nothing for it.
    """
    return {
        "menu_categories": SimpleLazyObject(lambda: menu_sections(request)),
    }

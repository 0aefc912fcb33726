"""Paging that does not count the whole archive."""

import re

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.functional import cached_property

from portal.caching.fragments import fragment

# ``?trang=cuoi``: the last page, wherever it is. Only a reader who asks for it pays the count.
LAST_PAGE = "cuoi"


class WindowedPaginator(Paginator):
    """Counts at most a few pages beyond the one asked for.

    A section with 200,000 articles would otherwise pay a COUNT over all of them on every page
    view. Here page N costs a count of at most (N + LOOKAHEAD) pages of rows, read from the
    same index as the page itself; ``is_capped`` says there may be more pages than counted.
    Without ``around`` (the last page was asked for) every row is counted.
    """

    LOOKAHEAD = 5

    def __init__(self, object_list, per_page, *, around=1, known_count=None, **kwargs):
        """``known_count``: (count, whether there are more) when the caller counted already."""
        super().__init__(object_list, per_page, **kwargs)
        self.around = None if around is None else max(1, around)
        self.is_capped = False
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            count, self.is_capped = self.known_count
            return count
        if self.around is None:
            return self.object_list.count()
        limit = (self.around + self.LOOKAHEAD) * self.per_page
        # The list's own order (newest first) is kept: the count then walks the publication
        # index the page itself uses and stops after limit + 1 rows. (Search, whose order is a
        # ranking, counts its matches when it finds them: ``known_count``.)
        rows = self.object_list
        counted = rows[: limit + 1].count()
        self.is_capped = counted > limit
        return min(counted, limit)

    @property
    def last_page(self):
        """How a link names the last page: its number when it is known, else LAST_PAGE."""
        return LAST_PAGE if self.is_capped else self.num_pages


class WindowedPaginationMixin:
    """For ListViews paged with ``page_kwarg``: use WindowedPaginator around the asked page,
    and answer ``?trang=cuoi`` with the last page."""

    def asked_page(self):
        """The page asked for, as the reader wrote it: "1" when none was."""
        kwarg = self.page_kwarg
        return str(self.kwargs.get(kwarg) or self.request.GET.get(kwarg) or "1")

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        asked = self.asked_page()
        # ASCII digits only: "²".isdigit() is true, and int() refuses it.
        around = int(asked) if re.fullmatch(r"[0-9]{1,6}", asked) else 1
        return WindowedPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            around=None if asked == LAST_PAGE else around,
            **kw,
        )

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        asked = self.asked_page()
        try:
            page = paginator.page(paginator.num_pages if asked == LAST_PAGE else asked)
        except InvalidPage as error:
            raise Http404("Không có trang này.") from error
        return paginator, page, page.object_list, page.has_other_pages()


class SharedPagesMixin(WindowedPaginationMixin):
    """Each page of the list, its rows and its windowed count, is a fragment shared by every
    reader (portal.caching): a page asked again costs no query until something changes. A page
    past the end, or not a number, raises 404 and is never kept. ``page_fragment`` names it;
    ``page_fragment_vary()`` says what, besides the page asked for, its rows depend on."""

    page_fragment = None

    def page_fragment_vary(self):
        return ()

    def paginate_queryset(self, queryset, page_size):
        paged = super().paginate_queryset

        def load():
            paginator, page, _rows, _is_paginated = paged(queryset, page_size)
            return list(page.object_list), page.number, (paginator.count, paginator.is_capped)

        rows, number, known_count = fragment(
            self.request,
            self.page_fragment,
            load,
            *self.page_fragment_vary(),
            page_size,
            self.asked_page(),
        )
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
            known_count=known_count,
        )
        page = Page(rows, number, paginator)
        return paginator, page, page.object_list, page.has_other_pages()

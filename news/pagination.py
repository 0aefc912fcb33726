"""Paging that does not count the whole archive."""

import re

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class WindowedPaginator(Paginator):
    """Counts at most a few pages beyond the one asked for.

    A section with 200,000 articles would otherwise pay a COUNT over all of them on every page
    view. Here page N costs a count of at most (N + LOOKAHEAD) pages of rows, read from the
    same index as the page itself; ``is_capped`` says there may be more pages than counted.
    """

    LOOKAHEAD = 5

    def __init__(self, object_list, per_page, *, around=1, known_count=None, **kwargs):
        """``known_count``: (count, whether there are more) when the caller counted already."""
        super().__init__(object_list, per_page, **kwargs)
        self.around = max(1, around)
        self.is_capped = False
        self.known_count = known_count

    @cached_property
    def count(self):
        if self.known_count is not None:
            count, self.is_capped = self.known_count
            return count
        limit = (self.around + self.LOOKAHEAD) * self.per_page
        # The list's own order (newest first) is kept: the count then walks the publication
        # index the page itself uses and stops after limit + 1 rows. (Search, whose order is a
        # ranking, counts its matches when it finds them: ``known_count``.)
        rows = self.object_list
        counted = rows[: limit + 1].count()
        self.is_capped = counted > limit
        return min(counted, limit)


class WindowedPaginationMixin:
    """For ListViews paged with ``page_kwarg``: use WindowedPaginator around the asked page."""

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        asked = self.request.GET.get(self.page_kwarg, "1")
        # ASCII digits only: "²".isdigit() is true, and int() refuses it.
        around = int(asked) if re.fullmatch(r"[0-9]{1,6}", asked) else 1
        return WindowedPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            around=around,
            **kw,
        )

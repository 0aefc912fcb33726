"""The newsroom's desk on the admin's index: the articles that wait for someone, each a link to
its page in the admin.

Editors, who may publish, see the whole newsroom's review queue and schedule. A reporter sees
their own articles there, as news.permissions lets them work on their own only; the latest
published articles are public, so everyone sees those. Four queries, each with a LIMIT.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article
from .permissions import can_publish

DESK_LENGTH = 8
# What a line of the desk shows: the long text columns stay in the database.
LINE_FIELDS = ["pk", "title", "status", "published_at", "date_only", "updated_at"]


@dataclass(frozen=True)
class DeskList:
    """One list of the desk. ``time`` names the field each line shows ("published_at" or
    "updated_at"); ``more_url`` is the whole list in the article list, when it has that filter."""

    slug: str
    heading: str
    articles: list
    empty: str
    time: str
    more_url: str = ""


def newsroom_desk(user, length=DESK_LENGTH):
    """The desk's lists for ``user``: waiting for review, scheduled, their own drafts and the
    latest published; [] for staff who may not see articles."""
    if not (user.is_active and user.is_staff):
        return []
    if not (user.has_perm("news.view_article") or user.has_perm("news.change_article")):
        return []
    now = timezone.now()
    everyone = can_publish(user)
    lines = Article.objects.only(*LINE_FIELDS)
    # Reporters see their own articles only in the lists of work not yet public.
    own_or_all = lines if everyone else lines.filter(created_by=user)
    changelist = reverse("admin:news_article_changelist")
    pending = own_or_all.filter(status=Article.Status.PENDING).order_by("updated_at", "pk")
    scheduled = own_or_all.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
    drafts = lines.filter(status=Article.Status.DRAFT, created_by=user).order_by("-updated_at")
    latest = lines.published(now).order_by("-published_at", "-pk")
    return [
        DeskList(
            "pending",
            _("Chờ duyệt") if everyone else _("Bài của tôi đang chờ duyệt"),
            list(pending[:length]),
            _("Không có bài nào đang chờ duyệt."),
            "updated_at",
            f"{changelist}?status__exact=pending" if everyone else "",
        ),
        DeskList(
            "scheduled",
            _("Hẹn giờ xuất bản") if everyone else _("Bài của tôi đã hẹn giờ"),
            list(scheduled.order_by("published_at", "pk")[:length]),
            _("Không có bài nào đang hẹn giờ."),
            "published_at",
            f"{changelist}?hien-thi=scheduled" if everyone else "",
        ),
        DeskList(
            "drafts",
            _("Bản nháp của tôi"),
            list(drafts[:length]),
            _("Bạn không có bản nháp nào."),
            "updated_at",
        ),
        DeskList(
            "published",
            _("Mới xuất bản"),
            list(latest[:length]),
            _("Chưa có bài nào được xuất bản."),
            "published_at",
            f"{changelist}?hien-thi=live",
        ),
    ]

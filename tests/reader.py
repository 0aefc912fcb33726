"""Shared by the reader-site tests: the frozen moment, page text, and the hidden states."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from news.models import Article

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2024, 5, 15, 10, 0, tzinfo=VN)
HIDDEN_STATES = ["draft", "pending", "scheduled", "expired"]


def text(response):
    return response.content.decode()


def hidden_fields(state):
    """Article fields for each way an article is kept from the public, on NOW's local day."""
    return {
        "draft": {"status": Article.Status.DRAFT, "published_at": NOW - timedelta(hours=1)},
        "pending": {"status": Article.Status.PENDING, "published_at": NOW - timedelta(hours=1)},
        "scheduled": {"status": Article.Status.PUBLISHED, "published_at": NOW + timedelta(hours=1)},
        "expired": {
            "status": Article.Status.PUBLISHED,
            "published_at": NOW - timedelta(hours=2),
            "expires_at": NOW - timedelta(minutes=5),
        },
    }[state]

"""Topics in the reader's search (news.search finds the articles; agency.search the ministry's
pages).

Topics are few (tens, a few hundred), so their words are kept as a fragment per language, read
in one query when it is not stored, and matched here as the ministry's pages are
(agency.search.words_match): a topic is found when each query word begins one of its words,
whatever the case and diacritics.
"""

from django.utils import translation

from agency.search import folded_words, words_match
from portal.caching.fragments import fragment

from .models import Article, Topic


def searchable_topics():
    """What search needs of each topic with news on this side of the site, by name:
    {"name", "description", "url", "words": its folded words}."""
    published = Article.objects.published().in_language(translation.get_language())
    return [
        {
            "name": topic.display_name,
            "description": topic.description,
            "url": topic.get_absolute_url(),
            "words": folded_words(f"{topic.name} {topic.name_en} {topic.description}"),
        }
        for topic in Topic.objects.with_news(published).order_by("name", "pk")
    ]


def matching_topics(request, words, limit):
    """The first ``limit`` topics holding every one of the folded ``words``
    (news.search.marked_words()), by name, and how many there are."""
    if not words:
        return [], 0
    found = [
        topic
        for topic in fragment(request, "search-topics", searchable_topics)
        if words_match(topic["words"], words)
    ]
    return found[:limit], len(found)

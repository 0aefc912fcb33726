"""Field-by-field differences between two saved states of an article, for editors to read."""

import difflib
from datetime import datetime

from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .models import Article, Category, Image

COMPARED_FIELDS = [
    "title",
    "slug",
    "category",
    "lead",
    "body",
    "author",
    "source",
    "featured_image",
    "status",
    "published_at",
    "expires_at",
    "pinned_until",
]


def _text(field_name, value):
    """A field's value as an editor reads it: names, labels and local times, not ids."""
    if value is None or value == "":
        return ""
    if field_name == "body":
        return strip_tags(value.replace("</p>", "</p>\n")).strip()
    if field_name == "category":
        return str(Category.objects.filter(pk=value).first() or value)
    if field_name == "featured_image":
        return str(Image.objects.filter(pk=value).first() or value)
    if field_name == "status":
        return str(Article.Status(value).label)
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%H:%M | %d/%m/%Y")
    return str(value)


def _word_diff(old, new):
    """HTML with <del> for removed and <ins> for added words; everything escaped."""
    old_words, new_words = old.split(" "), new.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1 and any(old_words[a1:a2]):
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1 and any(new_words[b1:b2]):
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 - built only from escaped text


def changed_fields(old, new):
    """[(label, diff_html)] for the fields that differ between two field dicts."""
    changes = []
    for name in COMPARED_FIELDS:
        key = Article._meta.get_field(name).attname
        before, after = _text(name, old.get(key)), _text(name, new.get(key))
        if before == after:
            continue
        label = Article._meta.get_field(name).verbose_name
        changes.append((label, _word_diff(before, after)))
    return changes


def article_state(article):
    """The compared fields of a saved article, in the shape reversion stores them."""
    attnames = [Article._meta.get_field(name).attname for name in COMPARED_FIELDS]
    return {attname: getattr(article, attname) for attname in attnames}

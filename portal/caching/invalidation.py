"""The one invalidation rule: saving or deleting anything readers may see makes every stored
page and fragment stale.

One signal handler for every model, connected once (portal.caching.apps): a new public model
needs no code to stay fresh. Only what readers never see is left out, named here by app or by
model. A model left out by mistake is caught by a system check: every model a public page
lists or shows must invalidate.
"""

from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver

from .store import invalidate

# Apps and models whose rows no public page shows: sessions, the admin's log, accounts,
# revisions, sign-in factors and lockouts. Saving them (on every staff request) must not
# empty the cache.
NOT_SHOWN_TO_READERS = {
    "admin",
    "auth",
    "axes",
    "contenttypes",
    # The public's comments on drafts: read in the admin only, never on a public page; a
    # comment must not empty the cache (documents/drafts.py).
    "documents.DraftComment",
    "otp_static",
    "otp_totp",
    # Read counts, written in batches every minute: the lists that show them are fragments
    # kept a minute at most (readership.views.LIST_SECONDS).
    "readership",
    "reversion",
    "sessions",
}


def shown_to_readers(model):
    meta = model._meta
    return meta.app_label not in NOT_SHOWN_TO_READERS and meta.label not in NOT_SHOWN_TO_READERS


def content_changed(sender, using=None, action="post_", **kwargs):
    """post_save, post_delete and m2m_changed (once it has changed) of every model."""
    if action.startswith("post_") and shown_to_readers(sender):
        invalidate(using=using)


def _public_views(patterns, admin_prefix):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if str(entry.pattern).startswith(admin_prefix):
                continue
            yield from _public_views(entry.url_patterns, admin_prefix)
        elif isinstance(entry, URLPattern):
            yield entry


def _models_of(view):
    view_class = getattr(view, "view_class", None) or type(view)
    model = getattr(view_class, "model", None)
    queryset = getattr(view_class, "queryset", None)
    return [m for m in (model, getattr(queryset, "model", None)) if m is not None]


@checks.register(checks.Tags.caches)
def check_public_models_invalidate(app_configs, **kwargs):
    """Every model a public view lists or shows must make the cache stale when it changes."""
    from django.conf import settings

    errors = []
    admin_prefix = getattr(settings, "ADMIN_URL", "admin/")
    for pattern in _public_views(get_resolver().url_patterns, admin_prefix):
        for model in _models_of(pattern.callback):
            if not shown_to_readers(model):
                errors.append(
                    checks.Error(
                        f"{model._meta.label} is shown by the public page {pattern.pattern} but "
                        "saving it does not make cached pages stale.",
                        hint="Take it out of portal.caching.invalidation.NOT_SHOWN_TO_READERS.",
                        obj=model,
                        id="caching.E001",
                    )
                )
    return errors

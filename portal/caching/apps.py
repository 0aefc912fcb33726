from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "portal.caching"
    label = "caching"
    verbose_name = "Caching"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import invalidation

        # One handler for every model: invalidation.shown_to_readers decides.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(invalidation.content_changed, dispatch_uid=f"caching-{signal}")

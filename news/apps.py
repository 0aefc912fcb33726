from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Tin tức")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .search import repair_search_index

        # A migration that rebuilds news_article on SQLite drops the search triggers with it.
        post_migrate.connect(repair_search_index, sender=self, dispatch_uid="news-search-index")

        from django.conf import settings
        from PIL import Image

        # Pillow's own guard, used wherever a file is decoded (dimensions, renditions), agrees
        # with the portal's limit: a decompression bomb is refused, never decoded.
        Image.MAX_IMAGE_PIXELS = settings.PORTAL_IMAGE_MAX_PIXELS

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("Tin tức")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        # Pillow's own guard, used wherever a file is decoded (dimensions, renditions), agrees
        # with the portal's limit: a decompression bomb is refused, never decoded.
        Image.MAX_IMAGE_PIXELS = settings.PORTAL_IMAGE_MAX_PIXELS

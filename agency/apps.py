from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = _("Giới thiệu cơ quan")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from news import cache

        from . import models

        # Every page shows the identity and the links, and the about pages show the rest: any
        # change makes every cached page (and the cached frame, agency.frame) stale at once.
        for model in (
            models.SiteIdentity,
            models.AgencyLink,
            models.AgencyPage,
            models.OrganisationUnit,
            models.Leader,
        ):
            post_save.connect(cache.invalidate, sender=model, dispatch_uid=f"cache-{model}")
            post_delete.connect(cache.invalidate, sender=model, dispatch_uid=f"cache-d-{model}")

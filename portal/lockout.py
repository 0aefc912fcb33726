"""What a locked-out sign-in sees (django-axes): a Vietnamese page with status 429, never a 500."""

from django.conf import settings
from django.template.response import TemplateResponse


def locked_out(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = TemplateResponse(
        request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429
    )
    return response.render()

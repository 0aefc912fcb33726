"""Security headers Django does not set by itself: the Content Security Policy and the
Permissions-Policy.

Both run for every response the views make; a page stored by the page cache (news/cache.py)
was stored with them, so it is served with them too.
"""

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's own policy under ``settings.ADMIN_URL``.

    Readers get ``CONTENT_SECURITY_POLICY``; the admin gets
    ``PORTAL_ADMIN_CONTENT_SECURITY_POLICY``, which lets CKEditor 5 inject its styles (see the
    README). A view's own ``@csp`` decorator still wins over both.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and _is_admin(request):
            parts.config = default_config(
                settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
            )
        return parts


def _is_admin(request):
    return request.path_info.startswith(f"/{settings.ADMIN_URL}")


class PermissionsPolicyMiddleware:
    """``Permissions-Policy``: the browser features in ``settings.PORTAL_PERMISSIONS_POLICY_DENIED``
    are refused to our pages and to anything they might embed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=()" for feature in settings.PORTAL_PERMISSIONS_POLICY_DENIED
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response

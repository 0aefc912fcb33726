"""The CSRF failure page (settings.CSRF_FAILURE_VIEW): the site's 403 page, saying why.

Django's own page explains CSRF verification to developers. Readers and staff meet it mostly
when a form stayed open too long, so this one says that, in the page's language, and what to do.
"""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    return render(request, "403.html", {"csrf_failure": True}, status=403)

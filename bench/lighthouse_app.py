"""The portal as bench/lighthouse.py serves it: ``portal.wsgi`` (static files by WhiteNoise, as in
production) with the uploaded files served from the same address, as the reverse proxy in front
of production does; WhiteNoise stands in for the proxy here."""

from django.conf import settings
from whitenoise import WhiteNoise

from portal.wsgi import application as portal

application = WhiteNoise(portal, root=settings.MEDIA_ROOT, prefix=settings.MEDIA_URL)

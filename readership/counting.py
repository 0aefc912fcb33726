"""What a beacon from a reader's browser must be to count: not a bot, an article the site
printed, a reader's own id. Then one operation in the shared store (stores.py), and, for the
one request in a minute that the store says should, a batch written (batches.py).
"""

import logging
import re
import time

from django.core.signing import BadSignature, Signer
from django.utils.crypto import salted_hmac

from . import batches
from .stores import read_store

logger = logging.getLogger("portal.readership")

# Crawlers, link previews, monitors, scripts and automated browsers. Readers' browsers name
# none of these (Cốc Cốc says coc_coc_browser, Zalo's own browser Zalo).
BOT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|headless|lighthouse|pagespeed"
    r"|gtmetrix|phantomjs|python|curl|wget|httpclient|http-client|okhttp|java/|axios"
    r"|node-fetch|scrapy|monitor|pingdom|check_http",
    re.IGNORECASE,
)
# What static/js/site.js makes: 128 random bits, kept in the browser's localStorage.
READER = re.compile(r"[A-Za-z0-9_-]{16,64}")

_SALT = "readership.article"
_last_warning = 0.0


def is_bot(user_agent):
    """Whether a request with this User-Agent comes from a known bot (an empty one does)."""
    return not user_agent.strip() or bool(BOT.search(user_agent))


def token_for(article_id):
    """What an article page carries for its beacon: the article's id, signed, so that only
    articles the site printed can be counted."""
    return Signer(salt=_SALT).sign(str(article_id))


def article_of(token):
    """The article id a beacon's token names, or None for one the site did not make."""
    try:
        return int(Signer(salt=_SALT).unsign(token))
    except (BadSignature, ValueError):
        return None


def reader_of(value):
    """The reader id a beacon sends, or None when it is not one static/js/site.js makes."""
    return value if READER.fullmatch(value) else None


def address_key(address):
    """What the store keeps of an address, to limit readers per address: a keyed digest, never
    the address itself."""
    return salted_hmac("readership.address", address or "").hexdigest()[:16]


def count(article_id, reader, address, now=None):
    """Count a reader's view of an article; True when it counted (not a repeat within the
    hour, nor past the address's limit). One atomic operation in the shared store; when that
    operation hands this request the batch, the pending counts are written too."""
    now = time.time() if now is None else now
    store = read_store()
    counted, claimed = store.count(article_id, reader, address_key(address), now)
    if claimed:
        batches.write_batches(store, now)
    return counted


def warn(error):
    """Log that counting failed, at most once a minute per process: readers never see it."""
    global _last_warning
    moment = time.monotonic()
    if moment - _last_warning >= 60:
        _last_warning = moment
        logger.warning("Could not count a view: %s", error)

"""Every part of the portal's cache, in one package. Read this page before changing a page.

The way a request takes
  1. front (pages.PageCacheFront, the WSGI application gunicorn runs): an anonymous GET for a
     stored page is answered from the cache in one round trip, before Django builds a request.
  2. middleware (pages.PageCacheMiddleware, first in MIDDLEWARE): otherwise Django runs; the
     middleware stores the page it made for the next reader, with its headers, and tells HTTP
     caches in front (Varnish, a CDN) how long they may keep it (Cache-Control: s-maxage).
  3. the page: a generic view and its templates, as in any Django project.
  4. fragments (fragments.py): parts of pages many pages share, and values many readers share.
     In a template, ``{% fragment "name" %}…{% endfragment %}`` (``{% load caching %}``); it
     varies by itself on every value its contents use. In Python,
     ``fragment(request, name, load, *vary)``; with ``lazy=True`` for data a view hands to a
     template fragment, read only when that template fragment is not stored; with
     ``seconds=N`` (also ``{% fragment "name" seconds=N %}``) for what changes without a save:
     it, and every fragment and page that shows it, is kept at most N seconds. A page reads all
     the fragments it used last time in one round trip, before the view runs (pages.py).
  Staff, and readers with display preferences, always get live pages, never stored ones.

The one invalidation rule
  Saving or deleting any model that readers may see makes a new *generation*: every stored
  page and fragment, in every process, is stale at once (store.py), and HTTP caches in front
  are told to drop theirs (edge.py). Nothing is kept past the next scheduled change: a model
  whose rows appear or disappear by themselves says when, with ``next_visibility_change(now)``
  on its queryset (see ArticleQuerySet). One signal handler covers every model
  (invalidation.py); only what readers never see (sessions, accounts, revisions) is left out.

Adding a page
  Write the model, the view and the template. Nothing else: no key, no signal, no list of
  what a fragment varies on. Wrap a part that many pages share in ``{% fragment %}`` if it is
  costly to render. A model that changes often but that no page shows (a counter, a log) goes
  into invalidation.NOT_SHOWN_TO_READERS; a system check fails if a public page lists it.

One request-state object, ``request.cache_state`` (state.py), holds what the cache knows about
a request. The cache is an optimisation only: when it is down, pages are served uncached.
"""

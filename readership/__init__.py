"""Most read: how often each article is read, counted in readers' browsers, and the lists.

The way a view takes
  1. An article page (whatever copy of it the reader gets: made by Django, from the page cache,
     from an HTTP cache in front, or from the browser's own) carries its article's signed token
     ({% read_counter %}). When the browser shows the page, static/js/site.js posts the token
     and the browser's own random id (localStorage) to /doc-nhieu/dem/ (views.count_read).
  2. counting.py refuses bots, forged tokens and other sites' pages, then makes one atomic
     operation in the shared store (stores.py: a Lua script on Redis, one SQLite transaction in
     a small file beside the site's data otherwise): a browser's view of an article counts once
     an hour, at most MAX_READERS_PER_ADDRESS browsers per address, article and hour, into the
     hour's pending counts.
  3. The same operation names the one request that writes the next batch (the last one is
     BATCH_SECONDS old): batches.py moves the pending counts into the database (ReadCount, per
     article and hour), exactly once even across a crash. No cron.
  4. selectors.most_read adds up a period's counts (the last 24 hours, 7 or 30 days) and picks
     the most read published articles of the page's language. Pages show the lists through
     fragments kept LIST_SECONDS at most ({% most_read_panel %}, /doc-nhieu/), so a written
     batch is on every page within a minute.

Nothing here writes to the articles table, and writing counts makes no cached page stale (the
app is in portal.caching.invalidation.NOT_SHOWN_TO_READERS): a page shows new counts when its
list's fragment ends. So the home page and article pages, which show the short list, are kept
a minute at most in the page cache and in HTTP caches in front.
"""

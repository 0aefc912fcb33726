"""What a page-cache hit costs beyond the floor: the one Redis round trip, measured.

    .venv/bin/python bench/hit_cost.py [--articles 1000] [--rounds 3] [--duration 8]

Serves one page three ways under the same gunicorn (2 sync workers) and wrk -t2 -c16, in
alternating rounds so the machine's drift falls on all three alike:

- "floor": bare Django returning the page's HTML from memory (bench/floor_app.py);
- "hit": the portal's page cache as in production (portal.caching.pages.PageCacheFront, Redis);
- "hit without Redis": the same front, with each worker answering from its own copy of the
  entry after the first lookup. A diagnostic only, never something to deploy: a copy in one
  process's memory is exactly what the page cache must not keep (a save in another process
  could not reach it). It shows how much of the gap to the floor is the round trip itself.

Needs wrk and Redis on 127.0.0.1:6379, like bench/load_bench.py.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_bench import OUT, ROOT, base_env, gunicorn, prepare, wrk  # noqa: E402

# gunicorn loads this module as the application of the third server: the front, wrapped so a
# worker keeps the first current entry it finds. Written to a temporary directory at run time.
PER_WORKER_COPY = """
from portal.caching import pages as page_cache
from portal.wsgi import application  # noqa: F401 - what gunicorn serves

_lookup, _copies = page_cache._lookup, {}


def _lookup_once(key):
    if key not in _copies:
        entry, current = _lookup(key)
        if entry is None:
            return entry, current
        _copies[key] = (entry, current)
    return _copies[key]


page_cache._lookup = _lookup_once
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = base_env("sqlite", args.articles)
    path = prepare("sqlite", args.articles, env)["article"]
    env = {**env, "CACHE_URL": "redis://127.0.0.1:6379/14", "PORTAL_PAGE_CACHE_SECONDS": "300"}
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
    results = {"floor": [], "hit": [], "hit without Redis": []}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "per_worker_copy.py").write_text(PER_WORKER_COPY)
        portal = gunicorn(env)
        html = urllib.request.urlopen(portal.url(path)).read()  # noqa: S310 - loopback
        page = Path(tmp) / "article.html"
        page.write_bytes(html)
        floor = gunicorn(
            {**os.environ, "BENCH_FLOOR_HTML": str(page), "PYTHONPATH": str(ROOT)},
            app="bench.floor_app:application",
        )
        copy = gunicorn(
            {**env, "PYTHONPATH": os.pathsep.join([tmp, str(ROOT)])},
            app="per_worker_copy:application",
        )
        try:
            for _round in range(args.rounds):
                for name, server, target in (
                    ("floor", floor, "/"),
                    ("hit", portal, path),
                    ("hit without Redis", copy, path),
                ):
                    result = wrk(server.url(target), args.duration, args.connections)
                    results[name].append(result["rps"])
                    print(f"  {name:18} {result['rps']:8.0f} req/s")
        finally:
            for server in (portal, floor, copy):
                server.stop()
    floor_rps = sum(results["floor"]) / len(results["floor"])
    lines = [
        f"wrk -t2 -c{args.connections} -d{args.duration}s, {args.rounds} alternating rounds, "
        "gunicorn 2 sync workers; req/s per round, then the mean and its ratio to the floor's.",
        "",
        "| server | req/s, each round | mean | × floor |",
        "|---|---|---|---|",
    ]
    for name, values in results.items():
        mean = sum(values) / len(values)
        rounds = ", ".join(f"{value:.0f}" for value in values)
        lines.append(f"| {name} | {rounds} | {mean:.0f} | {mean / floor_rps:.2f} |")
    table = "\n".join(lines)
    print("\n" + table)
    (OUT / "hit-cost.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

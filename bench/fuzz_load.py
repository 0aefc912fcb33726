"""Send the fuzz test's hostile URLs (10,000 by default) to gunicorn and count the answers.

    .venv/bin/python bench/fuzz_load.py [--requests 10000] [--articles 2000]

Serves the site with gunicorn (2 workers) on 127.0.0.1 over a benchmark SQLite database (built
by bench/load_bench.py's dataset), sends each URL once from 8 threads, and prints how many
answers had each status. Any 5xx is listed and makes the exit status 1.
"""

import argparse
import collections
import http.client
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_bench import OUT, base_env, gunicorn, prepare  # noqa: E402
from tests.fuzz_urls import hostile_urls  # noqa: E402


def fetch(port, url):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest("GET", url, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException) as error:
        return f"error: {type(error).__name__}"
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = base_env("sqlite", args.articles)
    prepare("sqlite", args.articles, env)
    urls = hostile_urls(args.requests, seed=7)
    server = gunicorn(env)
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda url: fetch(server.port, url), urls))
    finally:
        server.stop()
    elapsed = time.perf_counter() - started
    counts = collections.Counter(statuses)
    print(f"{len(urls)} hostile requests in {elapsed:.0f} s")
    for status, count in sorted(counts.items(), key=lambda item: str(item[0])):
        print(f"  {status}: {count}")
    bad = [
        (s, u) for s, u in zip(statuses, urls, strict=True) if not isinstance(s, int) or s >= 500
    ]
    for status, url in bad[:30]:
        print(f"  !! {status} {url[:200]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

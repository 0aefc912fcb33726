"""Edge benchmark: pages through Varnish against the bare-Django floor and nginx, in one run.

Starts a cluster of its own (scripts/cluster.py, free ports, a throwaway PostgreSQL database,
Redis database 2) with the seed pages, then drives with wrk, for the same time each:

* the home page and an article through Varnish (stored at the edge: hits), asked for
  compressed as browsers do, and without compression,
* the same pages from one app server directly (the page cache's hits in Redis),
* bench/floor_app.py (bare Django under gunicorn, 2 sync workers) serving that home page's HTML,
* nginx serving the same HTML as a file.

    .venv/bin/python bench/edge_bench.py [--duration 10] [--connections 32]

Needs Varnish, wrk and nginx (bash scripts/cluster_setup.sh), PostgreSQL and Redis. Prints a
Markdown table for bench/RESULTS.md ("Edge"). Target: the edge ≥ 5× the floor.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_bench import free_port, gunicorn, nginx, wrk  # noqa: E402

GZIP = {"Accept-Encoding": "gzip"}


def cluster(action, folder, ports, database, *extra):
    edge, a, b, media = ports
    return subprocess.run(
        [
            sys.executable,
            "scripts/cluster.py",
            action,
            "--dir",
            str(folder),
            "--edge-port",
            str(edge),
            "--app-ports",
            f"{a},{b}",
            "--media-port",
            str(media),
            "--database",
            database,
            "--redis",
            "redis://127.0.0.1:6379/2",
            "--cache-prefix",
            database,
            *extra,
        ],
        cwd=ROOT,
        check=True,
    )


def cluster_env(folder):
    values = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    for line in (folder / "env").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value.strip("'")
    return values


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.headers, response.read()


def drop_database(database):
    import psycopg2

    connection = psycopg2.connect("postgres://postgres@127.0.0.1:5432/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()

    ports = [free_port() for _ in range(4)]
    database = f"portal_edge_bench_{uuid.uuid4().hex[:8]}"
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cluster"
        cluster("start", folder, ports, database)
        try:
            env = cluster_env(folder)
            manage(env, "import_articles", "fixtures/seeds")
            manage(env, "seed_portal")
            article = manage(
                env,
                "shell",
                "-c",
                "from news.models import Article; "
                "print(Article.objects.published().first().get_absolute_url())",
            ).splitlines()[-1]
            edge = f"http://127.0.0.1:{ports[0]}"
            app = f"http://127.0.0.1:{ports[1]}"
            for _ in range(3):
                headers, html = fetch(edge + "/")
            assert len(headers["X-Varnish"].split()) == 2, "the edge did not store the home page"
            page = Path(tmp) / "page.html"
            page.write_bytes(html)

            # As browsers ask (compressed), and without compression: Varnish keeps the page
            # compressed and must then decompress it for each such request.
            for name, path in (("home", "/"), ("article", article)):
                for asked, headers in (("gzip", GZIP), ("no compression", {})):
                    results[("Varnish (edge), stored", f"{name}, {asked}")] = wrk(
                        edge + path, args.duration, args.connections, headers=headers
                    )
                results[("one app server, page cache hit", f"{name}, gzip")] = wrk(
                    app + path, args.duration, args.connections, headers=GZIP
                )
        finally:
            cluster("stop", folder, ports, database)
            drop_database(database)

        floor = gunicorn(
            {**os.environ, "BENCH_FLOOR_HTML": str(page), "PYTHONPATH": str(ROOT)},
            app="bench.floor_app:application",
        )
        try:
            results[("floor: bare Django", "home HTML")] = wrk(
                floor.url("/"), args.duration, args.connections
            )
        finally:
            floor.stop()
        server = nginx(page, tmp)
        try:
            results[("floor: nginx static file", "home HTML")] = wrk(
                server.url("/"), args.duration, args.connections
            )
        finally:
            server.stop()

    floor_rps = results[("floor: bare Django", "home HTML")]["rps"]
    print(
        f"\n### Edge, wrk -t2 -c{args.connections} -d{args.duration}s, "
        f"{os.cpu_count()} cores, {platform.platform(terse=True)}, "
        f"{time.strftime('%Y-%m-%d')}\n"
    )
    print("| Served by | Page | req/s | × floor | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (served, name), r in results.items():
        print(
            f"| {served} | {name} | {r['rps']:,.0f} | {r['rps'] / floor_rps:.1f} | "
            f"{r['p50']:.2f} | {r['p99']:.2f} | {r['non2xx']} |"
        )


if __name__ == "__main__":
    main()

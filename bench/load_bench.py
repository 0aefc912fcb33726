"""Load benchmark: the portal under wrk, cached and uncached, against two floors.

    .venv/bin/python bench/load_bench.py [--articles 100000] [--db sqlite|postgres|both]
                                         [--duration 10] [--connections 16]

For each database it builds (once) a dataset of N articles, serves the site with gunicorn (2
sync workers) on 127.0.0.1 and drives it with wrk for a fixed time per page: home, a section, an
article, a day, a month and a search, and "articles": a different article on every request,
picked across the whole archive (the long tail no cache holds). Four modes: "cached" (the page
cache in Redis, as in production), "cached, file" (the page cache in the embedded default,
Django's file cache: make run), "uncached" (page cache off; the fragments many pages share,
portal/caching/fragments.py, in Redis) and "cold" (nothing cached: every query and every
fragment on every request). Off the page cache, each page is also measured with 2 connections,
one per worker: its p50 then is the time one request takes, without queueing. In the same run it
measures the floors: bare Django returning the article's HTML from memory (bench/floor_app.py),
right after the cached pages and again at the end (the ratios use the mean: the floor itself
drifts by 10-20 % over a run on these shared cores), and nginx serving that HTML as a static
file. On PostgreSQL it also prints EXPLAIN for each query of the uncached pages and flags any
sequential scan of the article table. Needs wrk and nginx (Debian packages) and Redis on
127.0.0.1:6379; traffic stays on loopback and every run is bounded in time.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# The embedded default cache's folder in the "cached, file" mode, emptied before it.
FILES = OUT / "file-cache"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
# "articles": a different article on every request, from this many across the archive.
ROTATING_ARTICLES = 5000
ROTATE_LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local n = math.random(#paths)
request = function()
  n = n %% #paths + 1
  return wrk.format("GET", paths[n])
end
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(db, articles):
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "bench-only-secret-key-on-loopback-0123456789abcdefghij",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "MEDIA_ROOT": str(OUT / "media"),
        "DJANGO_STATIC_ROOT": str(OUT / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    env.pop("DJANGO_DEBUG", None)
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{OUT / f'bench-{articles}.sqlite3'}"
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/portal_bench_{articles}"
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else None


def prepare(db, articles, env):
    if db == "postgres":
        name = f"portal_bench_{articles}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
            capture_output=True,
            check=False,
        )
    manage(env, "migrate", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    started = time.perf_counter()
    manage(env, "shell", "-c", f"from bench.dataset import build; build({articles})")
    print(f"dataset ready ({articles:,} articles) in {time.perf_counter() - started:.0f} s")
    # Planner statistics, as PostgreSQL's autovacuum and the importer (on SQLite) keep them.
    manage(
        env,
        "shell",
        "-c",
        "from django.db import connection; connection.cursor().execute('ANALYZE')",
    )
    script = (
        "import json; from news.models import Article, Category, Topic; "
        "from django.db.models import Count; from django.utils import timezone; "
        "a = Article.objects.published().order_by('-published_at')[500]; "
        "c = Category.objects.filter(parent=None).annotate(n=Count('articles'))"
        ".order_by('-n').first(); d = timezone.localtime(a.published_at); "
        "print(json.dumps({'article': a.get_absolute_url(), 'section': c.get_absolute_url(),"
        " 'day': f'/tin-theo-ngay/{d:%Y/%m/%d}/', 'month': f'/tin-theo-ngay/{d:%Y/%m}/',"
        " 'topic': Topic.objects.order_by('pk').first().get_absolute_url()}))"
    )
    urls = json.loads(manage(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])
    # The long tail: articles picked at random across the whole archive.
    script = (
        "import json, random; from django.db.models import Max, Min; "
        "from news.models import Article; "
        "r = Article.objects.aggregate(lo=Min('pk'), hi=Max('pk')); "
        "random.seed(8); ids = random.sample(range(r['lo'], r['hi'] + 1), "
        f"min({ROTATING_ARTICLES} * 2, r['hi'] - r['lo'] + 1)); "
        "rows = Article.objects.published().filter(pk__in=ids)"
        f"[:{ROTATING_ARTICLES}]; "
        "print(json.dumps([a.get_absolute_url() for a in rows]))"
    )
    paths = json.loads(manage(env, "shell", "-c", script, capture=True).strip().splitlines()[-1])
    (OUT / f"articles-{db}-{articles}.txt").write_text("\n".join(paths) + "\n")
    return {
        "home": "/",
        "section": urls["section"],
        "article": urls["article"],
        "day": urls["day"],
        "month": urls["month"],
        "search": "/tim-kiem/?q=binh+dang+gioi",
        "topic": urls["topic"],
        "most read": "/doc-nhieu/",
    }


class Server:
    def __init__(self, args, env):
        self.port = free_port()
        self.process = subprocess.Popen(
            [*args(self.port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("server did not start")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def gunicorn(env, app="portal.wsgi:application"):
    return Server(
        lambda port: [
            GUNICORN,
            app,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--max-requests",
            "0",
        ],
        env,
    )


def nginx(html_file, tmp):
    conf = Path(tmp) / "nginx.conf"

    def args(port):
        conf.write_text(f"""
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
user root;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  server {{
    listen 127.0.0.1:{port};
    location / {{ root {html_file.parent}; try_files /{html_file.name} =404;
                 default_type "text/html; charset=utf-8"; }}
  }}
}}
""")
        return ["nginx", "-c", str(conf), "-p", tmp, "-g", "daemon off;"]

    return Server(args, os.environ)


def wrk(url, duration, connections, script=None, headers=None):
    headers = headers or {}
    try:
        for _ in range(5):  # warm up
            warm = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback only
            urllib.request.urlopen(warm, timeout=30).read()  # noqa: S310
    except OSError as error:  # a page too slow to measure is reported, not fatal
        print(f"  {url}: not measured ({error})")
        return {
            "rps": 0.0,
            "p50": float("nan"),
            "p99": float("nan"),
            "non2xx": 0,
            "socket_errors": f"warm-up failed: {error}",
        }
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if script:
        command += ["-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        match = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": latency(50),
        "p99": latency(99),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def explain(env, urls):
    script = f"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
report = {{}}
for name, url in {json.dumps({k: v for k, v in urls.items() if k != "article"})}.items():
    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_HOST="127.0.0.1")
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\\n".join(row[0] for row in cursor.fetchall())
        # "news_article " with its space: not news_article_topics, a table of its own.
        scan = "Seq Scan on news_article " in plan
        plans.append({{"sql": sql[:160], "seq_scan_article": scan, "plan": plan}})
    report[name] = plans
print(json.dumps(report))
"""
    env = {**env, "PORTAL_PAGE_CACHE_SECONDS": "0", "PORTAL_FRAGMENT_CACHE_SECONDS": "0"}
    out = manage(env, "shell", "-c", script, capture=True).strip().splitlines()[-1]
    return json.loads(out)


def bare_django(html, args):
    """wrk against bench/floor_app.py serving ``html`` from memory."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "article.html"
        page.write_bytes(html)
        floor = gunicorn(
            {**os.environ, "BENCH_FLOOR_HTML": str(page), "PYTHONPATH": str(ROOT)},
            app="bench.floor_app:application",
        )
        try:
            return wrk(floor.url("/"), args.duration, args.connections)
        finally:
            floor.stop()


def run_db(db, args):
    env = base_env(db, args.articles)
    print(f"\n=== {db}: {args.articles:,} articles ===")
    urls = prepare(db, args.articles, env)
    if args.pages:
        urls = {name: path for name, path in urls.items() if name in args.pages.split(",")}
    results = {}
    redis = {"CACHE_URL": "redis://127.0.0.1:6379/14"}
    modes = [
        # The page cache serves the page (one Redis round trip).
        ("cached", {**redis, "PORTAL_PAGE_CACHE_SECONDS": "300"}),
        # The same from the embedded default: Django's file cache, no Redis (make run).
        ("cached, file", {"PORTAL_PAGE_CACHE_SECONDS": "300", "PORTAL_CACHE_DIR": str(FILES)}),
        # The page cache misses; the fragments many pages share are in Redis.
        ("uncached", {**redis, "PORTAL_PAGE_CACHE_SECONDS": "0"}),
        # Nothing cached at all: every query and every piece, on every request.
        ("cold", {"PORTAL_PAGE_CACHE_SECONDS": "0", "PORTAL_FRAGMENT_CACHE_SECONDS": "0"}),
    ]
    rotating = OUT / f"articles-{db}-{args.articles}.txt"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(ROTATE_LUA % rotating)
    for mode, extra in modes:
        subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True, check=False)
        shutil.rmtree(FILES, ignore_errors=True)
        server = gunicorn({**env, **extra})
        try:
            pages = dict(urls)
            if not mode.startswith("cached") and (not args.pages or "articles" in args.pages):
                pages["articles"] = rotating.read_text().split()[0]
            for name, path in pages.items():
                script = lua.name if name == "articles" else None
                result = wrk(server.url(path), args.duration, args.connections, script)
                if not mode.startswith("cached"):
                    # One connection per worker: the time one request takes, without queueing.
                    alone = wrk(server.url(path), args.duration, 2, script)
                    result["p50_alone"] = alone["p50"]
                results[(name, mode)] = result
                print(f"  {name:8} {mode:9} {result['rps']:8.0f} req/s")
            if mode == "cached":
                html = urllib.request.urlopen(server.url(urls["article"])).read()  # noqa: S310
        finally:
            server.stop()
        if mode == "cached":
            # Right after the cached pages, so their ratio compares runs minutes apart at most;
            # measured again at the end, and the ratios use the mean of the two.
            results[("floor: bare Django, after the cached pages", "-")] = bare_django(html, args)
    os.unlink(lua.name)
    results[("floor: bare Django, at the end", "-")] = bare_django(html, args)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "article.html"
        page.write_bytes(html)
        if shutil.which("nginx"):
            static = nginx(page, tmp)
            try:
                results[("floor: nginx static", "-")] = wrk(
                    static.url("/"), args.duration, args.connections
                )
            finally:
                static.stop()

    floors = [r["rps"] for (name, _m), r in results.items() if name.startswith("floor: bare")]
    floor_rps = sum(floors) / len(floors) or 1.0
    lines = [
        f"### {db}, {args.articles:,} articles, wrk -t2 -c{args.connections} "
        f"-d{args.duration}s, gunicorn 2 sync workers",
        "",
        f"× floor: requests/s over the mean of the two bare-Django floors ({floor_rps:.0f}/s).",
        "",
        "| page | cache | req/s | p50 ms | p99 ms | × floor | p50 ms, 2 connections | non-2xx |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (name, mode), r in results.items():
        alone = f"{r['p50_alone']:.2f}" if "p50_alone" in r else "–"
        lines.append(
            f"| {name} | {mode} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
            f"{r['rps'] / floor_rps:.2f} | {alone} | {r['non2xx']} |"
        )
    table = "\n".join(lines)
    print("\n" + table)
    if db == "postgres":
        plans = explain(env, urls)
        scans = {
            name: sum(p["seq_scan_article"] for p in queries) for name, queries in plans.items()
        }
        print("\nSequential scans of news_article per page (EXPLAIN):", scans)
        (OUT / f"explain-{args.articles}.json").write_text(
            json.dumps(plans, indent=1, ensure_ascii=False)
        )
        table += f"\n\nSequential scans of news_article per page (EXPLAIN): {scans}\n"
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pages", help="comma-separated subset, e.g. home,section,article")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    tables = [run_db(db, args) for db in dbs]
    report = OUT / f"load-{args.articles}.md"
    report.write_text("\n\n".join(tables) + "\n", encoding="utf-8")
    print(f"\nwritten to {report}")


if __name__ == "__main__":
    main()

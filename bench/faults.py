"""Faults and load: the site under wrk while Redis and PostgreSQL go down and come back.

    .venv/bin/python bench/faults.py [--articles 100000] [--load-seconds 60]

Two parts, both on PostgreSQL with the Redis page cache, gunicorn with 2 sync workers on
127.0.0.1, and only this machine's own servers touched:

1. Load: wrk for --load-seconds at 64 connections over a mix of home, section, article, day and
   search pages (a Lua script rotates them). Reports requests/s, non-2xx answers, socket errors,
   and each worker's memory (RSS) after the first tenth of the run and at the end.
2. Faults: one-second wrk slices for about a minute while Redis is stopped and started, then
   PostgreSQL is restarted. Prints a line per second (req/s, non-2xx, errors) so the outage
   windows are visible, and counts the seconds with failures.

Needs root (it stops and starts the services), wrk, and the dataset built by bench/load_bench.py.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_bench import OUT, base_env, gunicorn, prepare  # noqa: E402

PG_CLUSTER = os.listdir("/etc/postgresql")[0] if os.path.isdir("/etc/postgresql") else "15"
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def rss_kib(pid):
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1))


def worker_pids(master_pid):
    out = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True)
    return [int(pid) for pid in out.stdout.split()]


def wrk(url, seconds, connections, script=None):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "errors": sum(map(int, errors.groups())) if errors else 0,
    }


def load_test(server, urls, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA % ", ".join(f'"{path}"' for path in urls.values() if path))
    samples = {}

    def sample(label, delay):
        time.sleep(delay)
        samples[label] = {pid: rss_kib(pid) for pid in worker_pids(server.process.pid)}

    early = threading.Thread(target=sample, args=("early", max(5, seconds / 10)))
    early.start()
    result = wrk(server.url("/"), seconds, 64, lua.name)
    early.join()
    sample("end", 0)
    os.unlink(lua.name)
    print(
        f"\nload: {seconds} s at 64 connections, mixed pages: {result['requests']} requests, "
        f"{result['rps']:.0f} req/s, non-2xx {result['non2xx']}, socket errors "
        f"{result['errors']}"
    )
    growth = []
    for pid, start in samples["early"].items():
        end = samples["end"].get(pid)
        if start and end:
            growth.append((end - start) / start * 100)
            print(
                f"  worker {pid}: RSS {start / 1024:.1f} MiB -> {end / 1024:.1f} MiB "
                f"({(end - start) / start * 100:+.1f} %)"
            )
    return result, growth


def fault_test(url, events, seconds):
    """One-second wrk slices against ``url`` while ``events`` ({second: (label, command)}) run."""
    timeline = []
    for second in range(seconds):
        if second in events:
            label, command = events[second]
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"  -- {label}")
        result = wrk(url, 1, 16)
        timeline.append(result)
        mark = "  <- failures" if result["non2xx"] or result["errors"] else ""
        print(
            f"  t={second:2d}s {result['rps']:7.0f} req/s  non-2xx {result['non2xx']:4d}  "
            f"errors {result['errors']:3d}{mark}"
        )
    bad = [n for n, r in enumerate(timeline) if r["non2xx"] or r["errors"]]
    print(f"seconds with failures: {len(bad)} {bad}")
    return bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--skip-faults", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = {
        **base_env("postgres", args.articles),
        "CACHE_URL": "redis://127.0.0.1:6379/14",
        "PORTAL_PAGE_CACHE_SECONDS": "300",
    }
    urls = prepare("postgres", args.articles, env)
    server = gunicorn(env)
    try:
        load_test(server, urls, args.load_seconds)
        if not args.skip_faults:
            print("\nfaults 1: Redis stopped at 5 s and started at 15 s (page cache on)")
            fault_test(
                server.url(urls["article"]),
                {
                    5: ("stop Redis", ["redis-cli", "-p", "6379", "shutdown", "nosave"]),
                    15: ("start Redis", REDIS_START),
                },
                25,
            )
    finally:
        server.stop()
        subprocess.run(REDIS_START, capture_output=True, check=False)
    if args.skip_faults:
        return
    # Uncached, so every request needs the database while it restarts.
    server = gunicorn({**env, "PORTAL_PAGE_CACHE_SECONDS": "0"})
    try:
        print("\nfaults 2: PostgreSQL restarted at 5 s (page cache off)")
        fault_test(
            server.url(urls["article"]),
            {
                5: (
                    "restart PostgreSQL",
                    ["pg_ctlcluster", "--skip-systemctl-redirect", PG_CLUSTER, "main", "restart"],
                ),
            },
            20,
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main()

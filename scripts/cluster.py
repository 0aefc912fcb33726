"""Several servers on one machine: a local trial of the production topology (README, "Several
servers").

    .venv/bin/python scripts/cluster.py start     # what `make cluster` runs
    .venv/bin/python scripts/cluster.py stop      # what `make cluster-stop` runs

start: Varnish on 127.0.0.1:8080 (deploy/portal.vcl) in front of two gunicorn app servers
(127.0.0.1:8001 and :8002, gunicorn.conf.py), on the local PostgreSQL (database portal_cluster)
and Redis (database 1), with media in an S3 bucket served by moto's S3 server (127.0.0.1:8003).
Production settings: debug off, a secret key of its own, plain HTTP, no second sign-in factor.
It writes <dir>/env (default .cluster/env) for manage.py commands against the cluster:

    set -a; . .cluster/env; set +a; .venv/bin/python manage.py createsuperuser

stop: ends, by the process ids recorded at start, what start started; the database and the
secret key stay for the next start. moto keeps the bucket in memory: media uploaded in one run
are gone in the next.

Every port, the folder and the database can be changed (--help), so the tests run a cluster of
their own beside a running one. Bad input or a missing service is a one-line error and exit 2.
"""

import argparse
import contextlib
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
BUCKET = "portal-media"
ALREADY_THERE = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}
# In the order they start; stop ends them the other way round.
PROCESSES = ("media", "app-a", "app-b", "edge")


class ClusterError(Exception):
    """A problem the person running the command can fix; printed as one line."""


def options(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", default=str(ROOT / ".cluster"), help="state, logs and env file")
    parser.add_argument("--edge-port", type=int, default=8080)
    parser.add_argument("--app-ports", default="8001,8002", help="two comma-separated ports")
    parser.add_argument("--media-port", type=int, default=8003)
    parser.add_argument("--database", default="portal_cluster", help="PostgreSQL database")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--cache-prefix", default="portal-cluster")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="another setting"
    )
    args = parser.parse_args(argv)
    if any("=" not in item for item in args.set):
        parser.error("--set takes NAME=VALUE")
    args.set = dict(item.split("=", 1) for item in args.set)
    try:
        args.app_ports = [int(port) for port in args.app_ports.split(",")]
    except ValueError:
        parser.error("--app-ports takes two whole numbers, e.g. 8001,8002")
    if len(args.app_ports) != 2:
        parser.error("--app-ports takes two ports, e.g. 8001,8002")
    if not args.database.replace("_", "").isalnum():
        parser.error("--database takes letters, digits and underscores only")
    args.dir = Path(args.dir).resolve()
    return args


def environment(args):
    """The cluster's settings, as every process and the env file get them."""
    edge = f"127.0.0.1:{args.edge_port}"
    return {
        "DJANGO_SECRET_KEY": secret_key(args.dir),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_STAFF_2FA": "0",
        # Plain HTTP on the edge: no redirect to HTTPS, cookies without Secure.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_BEHIND_PROXY": "1",
        "DATABASE_URL": f"{args.postgres.rstrip('/')}/{args.database}",
        "REDIS_URL": args.redis,
        "DJANGO_CACHE_PREFIX": args.cache_prefix,
        "PORTAL_VARNISH_URLS": f"http://{edge}",
        "DJANGO_STATIC_ROOT": str(args.dir / "static"),
        "PORTAL_BACKUP_DIR": str(args.dir / "backups"),
        # Media in the bucket, at addresses on the edge's own host (/media/ is the bucket there).
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{args.media_port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_CUSTOM_DOMAIN": f"{edge}/media",
        "AWS_S3_URL_PROTOCOL": "http:",
        "DJANGO_MEDIA_URL": f"http://{edge}/media/",
        # Varnish reads the files without credentials (deploy/portal-site.vcl).
        "AWS_DEFAULT_ACL": "public-read",
        # moto accepts any key; a real store gets the ministry's own.
        "AWS_ACCESS_KEY_ID": "cluster",
        "AWS_SECRET_ACCESS_KEY": "cluster",  # noqa: S105 - moto's, on loopback
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_ACCESSLOG": "/dev/null",
    }


def secret_key(folder):
    """One key per cluster folder, made once: sessions survive a restart."""
    path = folder / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def write_env_file(folder, env):
    lines = ["# Written by scripts/cluster.py: set -a; . <this file>; set +a"]
    lines += [f"{name}={shlex.quote(value)}" for name, value in env.items()]
    path = folder / "env"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return path


def site_vcl(args):
    """deploy/portal-site.vcl for this machine: loopback addresses, the cluster's ports."""
    a, b = args.app_ports
    return f"""# Written by scripts/cluster.py; deploy/portal-site.vcl is the production example.
probe healthz {{
    .request =
        "GET /healthz HTTP/1.1"
        "Host: 127.0.0.1"
        "Connection: close";
    .interval = 2s;
    .timeout = 1s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}}

backend app_a {{
    .host = "127.0.0.1";
    .port = "{a}";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}}

backend app_b {{
    .host = "127.0.0.1";
    .port = "{b}";
    .probe = healthz;
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
}}

backend media {{
    .host = "127.0.0.1";
    .port = "{args.media_port}";
    .connect_timeout = 1s;
}}

acl app_servers {{
    "127.0.0.1";
}}

sub vcl_init {{
    new app = directors.round_robin();
    app.add_backend(app_a);
    app.add_backend(app_b);
}}

sub portal_media_fetch {{
    set bereq.url = regsub(bereq.url, "^/media/", "/{BUCKET}/");
    set bereq.http.host = "127.0.0.1:{args.media_port}";
    unset bereq.http.Cookie;
}}

sub portal_error_page {{
    set beresp.body = std.fileread("{args.dir / "error-503.html"}");
}}
"""


def pid_file(args, name):
    return args.dir / "pids" / f"{name}.pid"


def running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A child of ours that has exited but not been reaped is not running.
    try:
        finished, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return finished == 0


def recorded_pid(args, name):
    path = pid_file(args, name)
    try:
        return int(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


def spawn(args, name, command, env):
    """Start ``command`` in a session of its own (its process id is its group's), logging to
    <dir>/logs/<name>.log, and record its id."""
    log = open(args.dir / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    process = subprocess.Popen(  # noqa: S603 - the cluster's own programs
        command,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    pid_file(args, name).write_text(str(process.pid))
    return process


def wait_for(url, what, process, seconds=60, expect=200, host=None):
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ClusterError(f"{what} stopped at start (exit {process.returncode}); see its log")
        request = urllib.request.Request(  # noqa: S310 - http on loopback, built here
            url, headers={"Host": host} if host else {}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == expect:
                    return
                last = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            last = f"HTTP {error.code}"
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    raise ClusterError(f"{what} did not answer {url} within {seconds} s ({last}); see its log")


def manage(env, *command):
    result = subprocess.run(  # noqa: S603 - this project's manage.py
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        message = (result.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise ClusterError(f"manage.py {command[0]} failed: {message}")
    return result.stdout


def ensure_database(args):
    import psycopg2

    try:
        connection = psycopg2.connect(f"{args.postgres.rstrip('/')}/postgres")
    except psycopg2.OperationalError as error:
        first = str(error).strip().splitlines()[0]
        raise ClusterError(f"PostgreSQL does not answer at {args.postgres}: {first}") from None
    connection.autocommit = True  # CREATE DATABASE runs outside a transaction
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{args.database}"')  # checked: letters, _
    finally:
        connection.close()


def ensure_redis(args):
    import redis

    try:
        redis.Redis.from_url(args.redis, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise ClusterError(f"Redis does not answer at {args.redis}: {error}") from None


def ensure_bucket(args, env):
    import boto3
    from botocore.exceptions import ClientError

    s3 = boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        region_name=env["AWS_S3_REGION_NAME"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    try:
        s3.create_bucket(Bucket=BUCKET)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ALREADY_THERE:
            raise


def render_error_page(args, env):
    """templates/500.html as the site renders it (no database, no cache), for Varnish to send
    while no app server answers."""
    code = (
        "from django.template.loader import render_to_string; "
        "import sys; sys.stdout.write(render_to_string('500.html'))"
    )
    html = manage(env, "shell", "-c", code)
    (args.dir / "error-503.html").write_text(html, encoding="utf-8")


def port_free(port):
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(args):
    if not Path(VARNISHD).exists():
        raise ClusterError("varnishd is missing: run bash scripts/cluster_setup.sh (apt-get)")
    for name in PROCESSES:
        pid = recorded_pid(args, name)
        if pid and running(pid):
            raise ClusterError(f"the cluster in {args.dir} is running already (stop it first)")
    ports = [args.edge_port, *args.app_ports, args.media_port]
    busy = [port for port in ports if not port_free(port)]
    if busy:
        raise ClusterError(f"port {busy[0]} on 127.0.0.1 is in use")
    for sub in ("pids", "logs", "varnish"):
        (args.dir / sub).mkdir(parents=True, exist_ok=True)

    ensure_database(args)
    ensure_redis(args)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    for name in ("DATABASE_URL", "CACHE_URL", "REDIS_URL", "MEDIA_ROOT", "WEB_CONCURRENCY"):
        base.pop(name, None)
    settings = {**environment(args), **args.set}
    env = {**base, **settings}
    env_file = write_env_file(args.dir, settings)

    started = []
    try:
        media = spawn(
            args,
            "media",
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(args.media_port)],
            env,
        )
        started.append("media")
        wait_for(f"http://127.0.0.1:{args.media_port}/moto-api/", "moto", media, 30)
        ensure_bucket(args, env)

        print("migrate, collectstatic …", flush=True)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        render_error_page(args, env)
        (args.dir / "portal-site.vcl").write_text(site_vcl(args))

        for name, port in zip(("app-a", "app-b"), args.app_ports, strict=True):
            app = spawn(
                args,
                name,
                [
                    str(BIN / "gunicorn"),
                    "portal.wsgi:application",
                    "-c",
                    str(ROOT / "gunicorn.conf.py"),
                    "--bind",
                    f"127.0.0.1:{port}",
                ],
                {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            )
            started.append(name)
            wait_for(f"http://127.0.0.1:{port}/healthz", f"app server {name}", app)

        edge = spawn(
            args,
            "edge",
            [
                VARNISHD,
                "-F",
                "-j",
                "none",
                "-n",
                str(args.dir / "varnish"),
                "-a",
                f"127.0.0.1:{args.edge_port}",
                "-f",
                str(ROOT / "deploy" / "portal.vcl"),
                "-p",
                f"vcl_path={args.dir}:{ROOT / 'deploy'}",
                "-s",
                "malloc,256m",
                "-T",
                "127.0.0.1:0",
            ],
            env,
        )
        started.append("edge")
        wait_for(f"http://127.0.0.1:{args.edge_port}/healthz", "Varnish", edge, host="127.0.0.1")
    except BaseException:
        stop(args, quiet=True)
        raise

    edge_url = f"http://127.0.0.1:{args.edge_port}/"
    print(f"Trang web qua Varnish: {edge_url}  —  Quản trị: {edge_url}admin/")
    print(f"Máy chủ ứng dụng: {', '.join(f'127.0.0.1:{p}' for p in args.app_ports)}")
    print(f"Tệp môi trường: {env_file}")
    print(f"  set -a; . {env_file}; set +a; .venv/bin/python manage.py createsuperuser")
    print(f"Dừng: make cluster-stop  (nhật ký: {args.dir / 'logs'})")


def stop(args, quiet=False):
    """End what start started, by the recorded process ids: TERM, then KILL after 15 s."""
    stopped = []
    for name in reversed(PROCESSES):
        pid = recorded_pid(args, name)
        if pid is None:
            continue
        if running(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)  # its own session: the leader's id is the group's
            deadline = time.monotonic() + 15
            while running(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)  # what is left of the group (workers, children)
            stopped.append(name)
        pid_file(args, name).unlink(missing_ok=True)
    if not quiet:
        print(f"Đã dừng: {', '.join(stopped)}" if stopped else "Không có gì đang chạy.")


def main(argv=None):
    args = options(argv)
    try:
        if args.action == "start":
            start(args)
        else:
            stop(args)
    except ClusterError as error:
        print(f"cluster: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of the reader site and the editor, for the README: ``make screenshots``.

Builds a throwaway site in a temporary directory (SQLite database, media), imports the seed
pages, creates a superuser, serves it with ``manage.py runserver --noreload`` on a free port
with debug on, and photographs it with Debian's Chromium through Playwright: the home page, an
article, a day page and a month calendar at desktop (1366 px) and phone (360 px) widths, and the
admin's article editor. The PNGs go to docs/screenshots/ (or --output).

The seed pages name their photos but the files are not in the repository; stand-in pictures are
drawn for them so the pages show their figures.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
# The same headless flags as tests/e2e/conftest.py: nothing that phones home.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 740}}
# Long pages are cut here (CSS pixels), so the README's pictures stay a sensible size.
MAX_HEIGHT = {"desktop": 1700, "phone": 1800, "admin": 1300}
ADMIN_USER, ADMIN_PASSWORD = "admin", "mat-khau-chup-anh-1"
# Settings of the caller's own site that must not leak into the throwaway one.
NOT_PASSED_ON = {
    "CACHE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "DJANGO_SECRET_KEY",
    "DJANGO_ADMIN_URL",
}
# The day of seed 000, the article with photos (00:00, 13/09/2023, GMT+7).
DAY = "2023/09/13"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--chromium", default=os.environ.get("PORTAL_E2E_CHROMIUM", "/usr/bin/chromium")
    )
    options = parser.parse_args()
    if not os.access(options.chromium, os.X_OK):
        sys.exit(f"No Chromium at {options.chromium}: run scripts/e2e_setup.sh.")
    options.output.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as workdir:
        work = Path(workdir)
        env = site_environment(work)
        build_site(work, env)
        port = free_port()
        log = (work / "server.log").open("w")
        server = subprocess.Popen(  # noqa: S603 - our own manage.py, no shell
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(base_url, server, work / "server.log")
            written = photograph(base_url, options.chromium, options.output)
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()
    for path in written:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def site_environment(work):
    """A local trial's settings, pointed at the temporary directory and nothing shared."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_PASSED_ON}
    env.update(
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        DJANGO_STATIC_ROOT=str(work / "static"),
        CACHE_URL="locmem://",
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
        PYTHONUNBUFFERED="1",
    )
    return env


def build_site(work, env):
    photos = work / "photos"
    draw_stand_in_photos(photos)

    def manage(*args):
        subprocess.run(  # noqa: S603 - our own manage.py, no shell
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    manage("migrate", "--noinput")
    manage("import_articles", str(SEEDS), "--images", str(photos))
    manage("import_documents", str(ROOT / "fixtures" / "documents" / "so-dang-ky.csv"))
    manage("createsuperuser", "--noinput", "--username", ADMIN_USER, "--email", "admin@example.vn")


def draw_stand_in_photos(folder):
    """A soft picture under each photo name the seed pages mention."""
    from PIL import Image, ImageDraw

    folder.mkdir()
    names = sorted(
        {
            line.strip()
            for seed in SEEDS.glob("*.txt")
            for line in seed.read_text(encoding="utf-8").splitlines()
            if line.strip().lower().endswith((".jpg", ".jpeg", ".png"))
        }
    )
    palettes = [((18, 64, 140), (120, 170, 220)), ((150, 40, 40), (235, 190, 120))]
    for index, name in enumerate(names):
        top, bottom = palettes[index % len(palettes)]
        picture = Image.new("RGB", (1200, 800))
        draw = ImageDraw.Draw(picture)
        for y in range(800):
            mix = y / 799
            draw.line(
                [(0, y), (1200, y)],
                fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)),
            )
        for column in range(7):  # rows of seated people, seen from behind
            for row in range(3):
                x, y = 110 + column * 160, 430 + row * 120
                draw.ellipse([x - 32, y - 32, x + 32, y + 32], fill=(40, 40, 50))
                draw.rounded_rectangle([x - 60, y + 30, x + 60, y + 110], 30, fill=(60, 60, 75))
        draw.rectangle([380, 120, 820, 300], fill=(245, 245, 240))  # the screen on the stage
        picture.save(folder / name, "JPEG", quality=85)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(base_url, server, log_path, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server stopped:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(base_url + "/", timeout=2):  # noqa: S310 - http://127.0.0.1
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    sys.exit(f"The server did not answer within {seconds} s:\n{log_path.read_text()}")


def photograph(base_url, chromium, output):
    from playwright.sync_api import sync_playwright

    written = []

    def shoot(page, name, device, cut=None):
        page.wait_for_load_state("networkidle")
        height = page.evaluate("document.documentElement.scrollHeight")
        height = min(height, MAX_HEIGHT[cut or device])
        path = output / f"{name}.png"
        clip = {"x": 0, "y": 0, "width": WIDTHS[device]["width"], "height": height}
        page.screenshot(path=path, full_page=True, clip=clip, animations="disabled")
        written.append(path)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for device, viewport in WIDTHS.items():
            context = browser.new_context(
                base_url=base_url,
                viewport=viewport,
                locale="vi-VN",
                timezone_id="Asia/Ho_Chi_Minh",
                is_mobile=device == "phone",
                has_touch=device == "phone",
            )
            page = context.new_page()
            page.goto(f"/tin-theo-ngay/{DAY}/")
            article_url = page.locator(".card__title a").first.get_attribute("href")
            for name, path in [
                ("home", "/"),
                ("article", article_url),
                ("day", f"/tin-theo-ngay/{DAY}/"),
                ("month", f"/tin-theo-ngay/{DAY.rsplit('/', 1)[0]}/"),
                ("documents", "/van-ban/"),
            ]:
                page.goto(path)
                shoot(page, f"{name}-{device}", device)
            context.close()

        context = browser.new_context(
            base_url=base_url,
            viewport=WIDTHS["desktop"],
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        page = context.new_page()
        page.goto("/admin/")
        page.get_by_label("Tên đăng nhập").fill(ADMIN_USER)
        page.get_by_label("Mật khẩu").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto("/admin/news/article/")
        page.get_by_role("link", name="Tập huấn nghiệp vụ công tác bình đẳng giới").first.click()
        page.locator(".ck-editor__editable_inline").wait_for()
        shoot(page, "admin-editor", "desktop", cut="admin")
        context.close()
        browser.close()
    return written


if __name__ == "__main__":
    main()

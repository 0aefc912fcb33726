"""Peak memory and time of one image upload, for hostile files and the largest accepted ones.

    .venv/bin/python bench/upload_memory.py [--cases gif_121 gif_401 ...] [--cap-gb 8]

Each case is a file built here, uploaded in a fresh child process the way every path uploads
(``Image(file=...).save()``: the checks, the clean copy, storage and the eight renditions), on a
migrated SQLite database in a temporary directory. The child reports the outcome, the seconds
the upload took and its peak resident memory (VmHWM) before and after; the address space is
capped at --cap-gb so a runaway upload ends in MemoryError instead of taking the machine.

The largest accepted stills are 3:2 pictures just under PORTAL_IMAGE_MAX_PIXELS (read from the
environment, as the settings do; half of it for WebP, whose pixels count twice), the largest
animations six frames of 3000 × 3000.
"""

import argparse
import io
import json
import math
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def largest(weight=1):
    """A 3:2 size just under the pixel limit (a WebP's pixels count twice)."""
    pixels = int(os.environ.get("PORTAL_IMAGE_MAX_PIXELS", 60_000_000)) // weight
    width = math.isqrt(pixels * 3 // 2)
    return width, pixels // width


def animated_gif(frames, size=(3000, 3000)):
    """A GIF of ``frames`` full-size solid frames, built from one encoded frame in milliseconds."""
    from PIL import Image

    one = io.BytesIO()
    frame = Image.new("P", size, 0)
    frame.putpalette([200, 30, 30, 30, 30, 200])
    frame.save(one, "GIF")
    data = one.getvalue()
    start = data.index(b"\x2c" + struct.pack("<4H", 0, 0, *size))
    control = b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # 100 ms per frame
    loop = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    return b"GIF89a" + data[6:start] + loop + (control + data[start:-1]) * frames + b";"


def tiny_frames_gif(size_mb=20, screen=(3000, 3000)):
    """As many 1 × 1 frames on a large screen as fit in ``size_mb`` megabytes."""
    head = b"GIF89a" + struct.pack("<2H3B", *screen, 0x80, 0, 0) + b"\0\0\0\xff\xff\xff"
    frame = b"\x21\xf9\x04\0\x0a\0\0\0" + b"\x2c" + struct.pack("<4HB", 0, 0, 1, 1, 0)
    frame += b"\x02\x02\x44\x01\x00"
    count = (size_mb * 1024 * 1024 - len(head) - 1) // len(frame)
    return head + frame * count + b";"


def picture(size, mode="RGB"):
    """Smooth light and shade: compresses like a photo, so a large one stays under the limits."""
    from PIL import Image

    light = Image.linear_gradient("L").resize(size)
    shade = Image.radial_gradient("L").resize(size)
    bands = [light, shade, Image.blend(light, shade, 0.5)]
    if mode == "RGBA":
        bands.append(Image.linear_gradient("L").rotate(90).resize(size))
    return Image.merge(mode, bands)


def encoded(img, fmt, **options):
    out = io.BytesIO()
    img.save(out, fmt, **options)
    return out.getvalue()


def jpeg_rotated(size):
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90° clockwise to view
    return encoded(picture(size), "JPEG", quality=90, exif=exif, comment=b"<script>x</script>")


def animation(fmt, frames, size=(3000, 3000)):
    from PIL import Image

    images = [Image.new("RGB", size, (20 * i % 255, 40, 90)) for i in range(frames)]
    return encoded(images[0], fmt, save_all=True, append_images=images[1:], duration=100)


CASES = {
    "gif_121": lambda: animated_gif(121),
    "gif_401": lambda: animated_gif(401),
    "gif_tiny_frames_20mb": tiny_frames_gif,
    "gif_6_frames_3000": lambda: animated_gif(6),
    "webp_6_frames_3000": lambda: animation("WEBP", 6),
    "apng_6_frames_3000": lambda: animation("PNG", 6),
    "jpeg_largest_rotated": lambda: jpeg_rotated(largest()),
    "jpeg_largest": lambda: encoded(picture(largest()), "JPEG", quality=90),
    "png_largest_rgba": lambda: encoded(picture(largest(), "RGBA"), "PNG"),
    "webp_largest": lambda: encoded(picture(largest(2)), "WEBP", quality=80),
    "gif_largest": lambda: encoded(picture(largest()).convert("P"), "GIF"),
    "gif_largest_transparent": lambda: encoded(
        picture(largest()).convert("P"), "GIF", transparency=0
    ),
    "png_largest_palette_transparent": lambda: encoded(
        picture(largest()).convert("P"), "PNG", transparency=0
    ),
}


def vm_hwm_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


def child(path):
    """Upload one file as every path does; print what happened as JSON."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from news.models import Image

    Image.objects.exists()  # connect before measuring
    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    before, started = vm_hwm_mb(), time.monotonic()
    try:
        image = Image(file=upload)
        image.save()
        outcome = f"stored {image.width} × {image.height}"
    except ValidationError as error:
        outcome = "refused: " + " ".join(error.messages)
    except MemoryError:
        outcome = "MemoryError"
    seconds = time.monotonic() - started
    print(json.dumps({"outcome": outcome, "seconds": seconds, "base": before, "peak": vm_hwm_mb()}))


def run_child(path, env, cap_gb):
    def cap():
        limit = int(cap_gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=cap,  # only sets a limit, before exec
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode or not lines:
        tail = (result.stderr.strip().splitlines() or ["?"])[-1]
        return {"outcome": f"died ({tail})", "seconds": time.monotonic() - started}
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", nargs="*", choices=sorted(CASES), default=list(CASES))
    parser.add_argument("--cap-gb", type=float, default=8)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
    if args.child:
        child(args.child)
        return

    work = Path(tempfile.mkdtemp(prefix="upload-memory-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
    }
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True)
    print(
        f"{'case':<32} {'MB':>6} {'frames × pixels':>16} {'s':>7} {'base':>5} {'peak':>6}  outcome"
    )
    for name in args.cases:
        data = CASES[name]()
        path = work / f"{name}.{'jpg' if 'jpeg' in name else name.split('_')[0][:4]}"
        path.write_bytes(data)
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            frames = getattr(img, "n_frames", 1)
            pixels = f"{frames} × {img.size[0] * img.size[1] / 1e6:.1f}M"
        found = run_child(path, env, args.cap_gb)
        print(
            f"{name:<32} {len(data) / 1024 / 1024:6.1f} {pixels:>16} {found['seconds']:7.2f} "
            f"{found.get('base', '-'):>5} {found.get('peak', '-'):>6}  {found['outcome'][:90]}",
            flush=True,
        )


if __name__ == "__main__":
    main()

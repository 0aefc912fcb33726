"""Hostile URLs for every public route: the fuzz test and bench/fuzz_load.py share them.

Deterministic for a given seed, so a failure can be replayed.
"""

import random
import unicodedata
from urllib.parse import quote

TEMPLATES = [
    "/",
    "/chuyen-muc/{slug}/",
    "/chuyen-muc/{slug}/rss/",
    "/chuyen-muc/{slug}/?trang={page}",
    "/chu-de/{slug}/",
    "/chu-de/{slug}/rss/",
    "/chu-de/{slug}/?trang={page}",
    "/tin-tuc/{y}/{m}/{d}/{slug}/",
    "/tin-tuc/{y}/{m}/{d}/{slug}/tai-ve/",
    "/tin-theo-ngay/",
    "/tin-theo-ngay/?ngay={date}",
    "/tin-theo-ngay/{y}/",
    "/tin-theo-ngay/{y}/{m}/",
    "/tin-theo-ngay/{y}/{m}/{d}/",
    "/tin-theo-ngay/{y}/{m}/{d}/?chuyen-muc={slug}",
    "/tim-kiem/?q={text}",
    "/tim-kiem/?q={text}&trang={page}",
    "/tim-kiem/?q={text}&chuyen-muc={slug}&tu-ngay={date}&den-ngay={date}&sap-xep={text}",
    "/tim-kiem/?q={text}&tu-ngay={date}&trang=cuoi",
    "/tin-theo-ngay/?chuyen-muc={slug}",
    "/chuyen-muc/{slug}/?trang=cuoi",
    "/doc-nhieu/",
    "/doc-nhieu/dem/",
    "/rss/",
    "/sitemap.xml",
    "/robots.txt",
    "/xem-truoc/{page}/",
    "/gioi-thieu/",
    "/gioi-thieu/{slug}/",
    "/en/",
    "/en/about/{slug}/",
    "/en/news/{y}/{m}/{d}/{slug}/",
    "/en/section/{slug}/",
    "/en/section/{slug}/?trang={page}",
    "/anh/",
    "/anh/?trang={page}",
    "/anh/{slug}/",
    "/anh/{slug}/{page}/",
    "/video/",
    "/video/?trang={page}",
    "/video/{slug}/",
    "/video/{slug}/phu-de.vtt",
    "/en/photos/{slug}/{page}/",
    "/en/videos/{slug}/",
    "/healthz",
    "/van-ban/",
    "/van-ban/?trang={page}",
    "/van-ban/?q={text}",
    "/van-ban/?q={text}&trang={page}",
    "/van-ban/?loai={slug}&co-quan={slug}&linh-vuc={slug}&nam={page}&hieu-luc={text}&q={text}",
    "/van-ban/?nam={y}&hieu-luc={slug}&trang=cuoi",
    "/van-ban/rss/",
    "/van-ban/{slug}/",
    "/van-ban/{slug}/tep/{page}/",
    "/van-ban/{slug}/tep/{page}/xem/",
    "/xem-truoc/van-ban/{page}/",
    "/en/van-ban/{slug}/",
    "/du-thao/",
    "/du-thao/?trang={page}",
    "/du-thao/{slug}/",
    "/du-thao/{slug}/cam-on/",
    "/du-thao/{slug}/tep/{page}/",
    "/du-thao/{slug}/tiep-thu/{page}/",
    "/xem-truoc/du-thao/{page}/",
    "/en/drafts-for-comment/{slug}/",
]

NUMBERS = [
    "0",
    "00",
    "000",
    "0000",
    "1",
    "01",
    "-1",
    "-01",
    "13",
    "31",
    "32",
    "99",
    "9999",
    "10000",
    "99999",
    "2147483648",
    "9" * 30,
    "1e9",
    "0x10",
    "１２",
    "٣",
    "²",
    " 1",
    "1 ",
    "%31",
    "+1",
    "1.0",
    "NaN",
    "Infinity",
    "",
]
DATES = [
    "2019-10-17",
    "2019-02-30",
    "2019-13-01",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "17/10/2019",
    "2019-10-17T00:00",
    "-2019-10-17",
    "2019-1-1",
    "20191017",
    "ngày",
    "2019-10-17%00",
    "'; DROP TABLE news_article; --",
    "",
]
TEXTS = [
    "binh dang gioi",
    "Bình đẳng giới",
    "BÌNH ĐẲNG GIỚI",
    "%",
    "_",
    "%%",
    "\\",
    "'\"",
    "<script>alert(1)</script>",
    "a" * 5000,
    "đ" * 300,
    "\u200b",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "😀" * 50,
    " ",
    "\t\n",
    "NULL",
    "../../etc/passwd",
    "{{ 7*7 }}",
    "${7*7}",
    "%s%s%s%n",
]
SLUGS = [
    "xa-hoi",
    "khong-co",
    "a" * 300,
    "..",
    ".",
    "%2e%2e",
    "x" * 3000,
    "xã-hội",
    "Xa-Hoi",
    "tap-huan",
    "chuc-nang-nhiem-vu",
    "functions",
    "-",
    "--",
    "a_b",
    "a.b",
    "a b",
    "42-2022-nd-cp",
    "du-thao-luat-viec-lam",
]
RAW_MUTATIONS = [
    "%",
    "%zz",
    "%C3%28",
    "%FF%FE",
    "%00",
    "%E0%80%AF",
    "%c0%af",
    "%ED%A0%80",
    "%2F",
    "%5C",
    "//",
    "/./",
    "/../",
    ";jsessionid=1",
    "?",
    "#",
    "%23",
    "&&&",
    "?a=1&a=2&a[]=3",
    "%0d%0aSet-Cookie:x=1",
]


def _quote(text):
    return quote(text, safe="/-_.~")


def _forms(text, rng):
    form = rng.choice(["NFC", "NFD", "NFKC", "NFKD"])
    return unicodedata.normalize(form, text)


def hostile_urls(count=2500, seed=20261201):
    """``count`` different URLs: each route's template filled with hostile parts, then mutated."""
    rng = random.Random(seed)
    urls, seen, attempt = [], set(), 0
    while len(urls) < count:
        template = TEMPLATES[attempt % len(TEMPLATES)]
        attempt += 1
        values = {
            "slug": _quote(_forms(rng.choice(SLUGS), rng)),
            "page": _quote(rng.choice(NUMBERS)),
            "y": _quote(rng.choice(NUMBERS + ["2019", "2023", "1899", "3000"])),
            "m": _quote(rng.choice(NUMBERS + ["10", "02"])),
            "d": _quote(rng.choice(NUMBERS + ["17", "30"])),
            "date": _quote(rng.choice(DATES)),
            "text": _quote(_forms(rng.choice(TEXTS), rng)),
        }
        url = template.format(**values)
        roll = rng.random()
        if roll < 0.3:  # splice a raw, possibly broken, escape somewhere in the URL
            cut = rng.randrange(1, len(url) + 1)
            url = url[:cut] + rng.choice(RAW_MUTATIONS) + url[cut:]
        elif roll < 0.4:
            url += rng.choice(
                [
                    "?trang=-5",
                    "?trang=99999999999999999999",
                    "?q=%",
                    "?ngay=%00",
                    "?chuyen-muc=%FF",
                    "?" + "x=1&" * 500,
                ]
            )
        if url not in seen:
            seen.add(url)
            urls.append(url)
    return urls

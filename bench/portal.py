"""The public portal's catalogue and search pages over 100,000 published items. Target: median
server time per request under 50 ms.

Each page is requested through Django's test Client (the full stack: middleware, views, queries,
templates), timed in-process; median and p99 per page are printed with the number of queries.
For search the naive plan (``LIKE '%q%'`` on ``search_text`` alone, no bigram index) is timed too,
to show what the index buys.

The database is built once and kept: a SQLite file under var/bench/ or the PostgreSQL database
``gongkai_bench`` (created if missing); a second run only measures. Items are bulk-created in one
agency (the worst case for its catalogue), published over 2014–2025 in the default catalogue,
with titles and bodies made of a government-notice vocabulary.

Run:
    .venv/bin/python bench/portal.py                     # SQLite, 100,000 items
    .venv/bin/python bench/portal.py --db postgres       # PostgreSQL gongkai_bench
    .venv/bin/python bench/portal.py --items 20000 --runs 30
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dbcache import create_pg_database, migrated_sqlite, migrations_key  # noqa: E402

TARGET_MEDIAN_MS = 50.0
BATCH = 5_000
PG_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench"
AGENCY_CODE = "BENCH-PORTAL"

PLACES = [
    "果园",
    "鼓楼",
    "檀营",
    "西田各庄",
    "溪翁庄",
    "穆家峪",
    "十里堡",
    "河南寨",
    "巨各庄",
    "太师屯",
    "高岭",
    "不老屯",
    "冯家峪",
    "古北口",
    "大城子",
    "东邵渠",
    "北庄",
    "新城子",
    "石城",
    "密云水库",
]
SUBJECTS = [
    "部门预算",
    "部门决算",
    "三公经费",
    "冬季供暖安全检查",
    "汛期安全防范",
    "城乡居民医保参保",
    "垃圾分类",
    "燃气安全入户检查",
    "老旧小区综合整治",
    "退役军人信息采集",
    "电动自行车安全隐患排查",
    "防范电信网络诈骗",
    "森林防火",
    "高龄老人津贴认证",
    "社区工作者招聘",
    "背街小巷整治",
    "接诉即办",
    "安全生产大检查",
    "食品安全专项检查",
    "群租房专项整治",
    "违法建设治理",
    "城市管理行政处罚决定",
    "便民服务活动",
    "重点工作安排",
    "法治政府建设",
    "政务公开工作要点",
    "人大代表建议答复",
    "政协委员提案答复",
]
FORMS = [
    "关于开展{s}的通知",
    "关于做好{s}工作的通知",
    "{p}{s}实施方案",
    "{p}{s}情况公示",
    "关于{s}的公告",
    "{p}{y}年{s}工作总结",
    "{p}{s}办事指南",
    "关于印发《{y}年{s}工作方案》的通知",
]
SENTENCES = [
    "为进一步做好{s}工作，切实保障辖区居民合法权益，根据有关规定，结合本街道实际，现将有关事项通知如下。",
    "各社区、各科室要高度重视，明确责任分工，确保{s}各项任务按时完成。",
    "请辖区居民积极配合，如有疑问请在工作日拨打咨询电话。",
    "{p}社区将于近期组织工作人员入户开展{s}，请居民予以支持。",
    "本次工作自发布之日起实施，由街道党政办公室负责解释。",
    "各单位要加强组织领导，落实工作责任，确保各项措施落到实处。",
    "对检查中发现的问题，要建立台账，限期整改，做到闭环管理。",
]
RARE = "水源保护区界桩"  # in 0.1 % of the items: a selective query


def configure(db: str, items: int) -> str:
    if db == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        # Named by the migrations' hash: a new migration builds a new database (bench/dbcache.py).
        path = folder / f"portal_{items}_{migrations_key()}.sqlite3"
        migrated = migrated_sqlite(path)  # a copy of the cached migrated database
        url = f"sqlite:///{path}"
    else:
        migrated = False
        url = os.environ.get("BENCH_DATABASE_URL", PG_URL)
        create_pg_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not migrated:
        call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log; the rest as in development
    return url


def _text(rnd: random.Random, year: int) -> tuple[str, str]:
    subject, place = rnd.choice(SUBJECTS), rnd.choice(PLACES)
    title = rnd.choice(FORMS).format(s=subject, p=place, y=year)
    sentences = [rnd.choice(SENTENCES).format(s=subject, p=place) for _ in range(rnd.randint(3, 8))]
    if rnd.random() < 0.001:
        sentences.append(f"涉及{RARE}的调整另行公告。")
    return title, "".join(f"<p>{s}</p>" for s in sentences)


def build(items: int, seed: int = 2025) -> Any:
    """The agency and its published items, unless already there."""
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.accounts.models import Role, User
    from gongkai.accounts.services import create_user
    from gongkai.agencies.models import Agency, AgencyLevel, NumberSequence, SequenceKind
    from gongkai.agencies.services import create_agency
    from gongkai.core.publication_flow import ItemStatus
    from gongkai.publications import services
    from gongkai.publications.models import Category, Item, Topic

    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        with transaction.atomic():
            agency = create_agency(
                actor=None,
                code=AGENCY_CODE,
                name="基准测试街道办事处",
                short_name="基准街道",
                level=AgencyLevel.TOWNSHIP,
            )
            for username, role in (("bench_clerk", Role.CLERK), ("bench_officer", Role.OFFICER)):
                create_user(actor=None, username=username, password=os.urandom(16).hex(), role=role, agency=agency)
    clerk = User.objects.get(username="bench_clerk")
    officer = User.objects.get(username="bench_officer")
    categories = [
        c
        for c in services.seed_catalogue(actor=officer, agency=agency)
        if not Category.objects.filter(parent=c).exists()
    ]
    have = Item.objects.filter(agency=agency).count()
    if have >= items:
        return agency
    print(f"building {items - have:,} items …", flush=True)
    rnd = random.Random(seed + have)
    weights = [8 if c.name == "通知公告" else 1 for c in categories]
    started = time.perf_counter()
    now = timezone.now()
    n = have
    while n < items:
        batch = []
        for _ in range(min(BATCH, items - n)):
            n += 1
            year = 2014 + (n * 12) // items if items else 2020
            formed = dt.date(min(year, 2025), 1, 1) + dt.timedelta(days=rnd.randrange(350))
            title, body = _text(rnd, formed.year)
            item = Item(
                agency=agency,
                index_number=f"{AGENCY_CODE}/{formed.year}-{n:06d}",
                category=rnd.choices(categories, weights)[0],
                title=title,
                issuer=agency.name,
                document_number=f"基街发〔{formed.year}〕{n % 200 + 1}号" if rnd.random() < 0.3 else "",
                formed_on=formed,
                published_on=formed + dt.timedelta(days=rnd.randint(1, 10)),
                topic=rnd.choice(list(Topic)).value,
                body=body,
                status=ItemStatus.PUBLISHED.value,
                author=clerk,
                reviewed_by=officer,
                reviewed_at=now,
                published_by=officer,
                created_at=now,
                updated_at=now,
            )
            services.refresh_search_text(item)
            batch.append(item)
        with transaction.atomic():
            Item.objects.bulk_create(batch)
        print(f"  {n:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    for year in range(2014, 2026):
        NumberSequence.objects.update_or_create(
            agency=agency, kind=SequenceKind.INDEX, year=year, defaults={"last": items}
        )
    with connection.cursor() as cursor:
        # As autovacuum would by now: statistics, and on PostgreSQL the visibility map that lets
        # counts be answered from the indexes.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    return agency


def timed(fn: Any, runs: int, warmup: int = 3, before: Any = None) -> list[float]:
    """Milliseconds of ``fn`` per run; ``before`` (untimed) runs ahead of each."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(agency: Any, runs: int) -> list[tuple[str, float, float, int, bool, float | None]]:
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from gongkai.publications.models import Category, Item

    client = Client()
    notices = Category.objects.get(agency=agency, name="通知公告")
    finance = Category.objects.get(agency=agency, name="财政信息")
    some_item = Item.objects.filter(agency=agency).order_by("-id").values_list("pk", flat=True)[500]
    catalogue = reverse("portal:catalogue", args=[agency.code])
    search = reverse("portal:search")
    pages = [
        ("机关首页（目录树+计数）", reverse("portal:agency", args=[agency.code])),
        ("目录 全部 第1页", catalogue),
        ("目录 全部 第50页", catalogue + "?page=50"),
        ("目录 全部 第2500页（末页附近）", catalogue + "?page=2500"),
        ("目录 通知公告 第1页", reverse("portal:category", args=[agency.code, notices.pk])),
        ("目录 财政信息（含子目录）第1页", reverse("portal:category", args=[agency.code, finance.pk])),
        ("信息页", reverse("portal:item", args=[some_item])),
        ("检索 “预算”（常见，两字）", search + "?q=预算"),
        ("检索 “供暖”（两字）", search + "?q=供暖"),
        ("检索 “老旧小区综合整治”", search + "?q=老旧小区综合整治"),
        (f"检索 “{RARE}”（罕见）", search + f"?q={RARE}"),
        ("检索 “界桩”（罕见，两字）", search + "?q=界桩"),
        ("检索 “基街发〔2020〕”（文号）", search + "?q=基街发〔2020〕"),
        ("检索 “通知” 第20页", search + "?q=通知&page=20"),
        ("检索 “界”（一个字）", search + "?q=界"),
        ("检索 无结果 “量子计算”", search + "?q=量子计算"),
    ]
    rows = []
    # One client sends every request: lift its search rate limit, which would otherwise answer 429.
    lifted = override_settings(PORTAL_RATE_LIMITS={"search": (10**9, 60)})
    lifted.enable()
    for label, url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        # A page as its first visitor gets it: the cache emptied (untimed) before each request, so
        # the view computes it; then as the next visitors get it, from the public-page cache.
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        queries = len(ctx.captured_queries)
        reset_queries()
        samples = timed(lambda url=url: client.get(url), runs, before=cache.clear)
        cached = timed(lambda url=url: client.get(url), runs)
        rows.append((label, statistics.median(samples), p99(samples), queries, True, statistics.median(cached)))
    lifted.disable()
    return rows


def measure_naive(agency: Any, runs: int) -> list[tuple[str, float, float, int, bool, float | None]]:
    """The same searches without the bigram index: count + first page, as the view does."""
    from gongkai.publications.models import Item
    from gongkai.publications.text import normalize

    rows = []
    for q in ("预算", "老旧小区综合整治", RARE, "量子计算"):
        qs = Item.objects.published().filter(agency=agency, search_text__contains=normalize(q))

        def run(qs: Any = qs) -> None:
            qs.count()
            list(qs.order_by("-published_on", "-id")[:20])

        samples = timed(run, max(5, runs // 5), warmup=1)
        rows.append((f"（对照）仅 LIKE 无索引 “{q}”", statistics.median(samples), p99(samples), 2, False, None))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--no-baseline", action="store_true", help="skip the LIKE-only comparison")
    args = parser.parse_args(argv)
    url = configure(args.db, args.items)
    from django.db import connection

    agency = build(args.items)
    from gongkai.publications.models import Item

    total = Item.objects.published().filter(agency=agency).count()
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{connection.vendor} ({url.split('@')[-1]}), {total:,} published items, {args.runs} runs per page; "
        f"load average {load}"
    )
    rows = measure(agency, args.runs)
    if not args.no_baseline:
        rows += measure_naive(agency, args.runs)
    width = max(len(r[0]) for r in rows) + 2
    print("computed: the cache emptied before each request (the first visitor); cached: from the page cache")
    print(f"{'page':<{width}}{'computed median ms':>19}{'p99 ms':>10}{'queries':>9}{'cached median ms':>18}")
    failed = []
    for label, median, worst, queries, counted, cached in rows:
        mark = "" if not counted else (" ✓" if median < TARGET_MEDIAN_MS else " ✗")
        shown = "" if cached is None else f"{cached:>18.1f}"
        print(f"{label:<{width}}{median:>19.1f}{worst:>10.1f}{queries:>9}{shown}{mark}")
        if counted and median >= TARGET_MEDIAN_MS:
            failed.append(label)
    print(
        f"\ntarget: computed median < {TARGET_MEDIAN_MS:.0f} ms per page; "
        + ("all pages met it ✓" if not failed else f"missed by: {', '.join(failed)} ✗")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

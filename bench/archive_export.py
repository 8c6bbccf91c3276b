"""The year's case archive (``gongkai.archives.export.write_archive``) for a large year.

Registers ``--cases`` applications of 2025 in a fresh agency through the services, each closed
予以公开 with a 登记回执 and an answer letter (two issued letters per case), then writes the year's
archive to a temporary file as ``gongkai archive`` does. Prints the time to write it, the time per
letter (each letter is laid out as PDF by WeasyPrint: that is the cost), the zip's size, and the
process's peak resident memory before and after the export (the zip is streamed to the file, so
the peak should not grow with the number of cases).

The database is a fresh SQLite file under var/bench/ (or PostgreSQL ``gongkai_bench`` with
``--db postgres``).

    .venv/bin/python bench/archive_export.py [--cases 200] [--db sqlite|postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/gongkai_bench"


def configure(db: str) -> None:
    if db == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "archive_export.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", PG_URL)
    os.environ["DATABASE_URL"] = url
    os.environ["GONGKAI_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="archive-bench-media-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    configure(args.db)

    from django.utils import timezone

    from gongkai.accounts.models import Role
    from gongkai.accounts.services import create_user
    from gongkai.agencies.models import AgencyLevel
    from gongkai.agencies.services import create_agency
    from gongkai.archives.export import write_archive, year_cases
    from gongkai.cases import services
    from gongkai.cases.applicants import Applicant
    from gongkai.core.deadlines import Channel
    from gongkai.core.letters import LetterType
    from gongkai.core.outcomes import Outcome
    from gongkai.core.report.taxonomy import ApplicantType
    from gongkai.letters.context import LetterFacts
    from gongkai.letters.models import LetterSettings
    from gongkai.letters.services import generate_letter

    stamp = int(time.time())
    agency = create_agency(
        actor=None,
        code=f"BENCH-{stamp}",
        name=f"基准测试街道办事处{stamp}",
        short_name="基准街道",
        level=AgencyLevel.TOWNSHIP,
    )
    LetterSettings.objects.create(
        agency=agency, reconsideration_body="某区人民政府", court_name="某区人民法院", payment_instructions="缴款平台"
    )
    officer = create_user(
        actor=None,
        username=f"bench{stamp}",
        password="bench-password-1",  # noqa: S106
        role=Role.OFFICER,
        agency=agency,
        full_name="王芳",
    )
    started = time.perf_counter()
    day = dt.date(2025, 1, 2)
    for n in range(args.cases):
        received = day + dt.timedelta(days=(n * 7) % 300)
        case = services.register_application(
            actor=officer,
            today=received,
            channel=Channel.IN_PERSON,
            applicant=Applicant(
                applicant_type=ApplicantType.NATURAL_PERSON,
                applicant_name=f"申请人{n}",
                id_number=f"11010119900101{n:04d}",
            ),
            request_description=f"第{n}号：某小区外墙保温改造的审批文件",
        )
        generate_letter(actor=officer, case=case, kind=LetterType.RECEIPT, today=received)
        closed = received + dt.timedelta(days=10)
        case = services.close_case(actor=officer, case=case, outcome=Outcome.GRANTED, today=closed)
        generate_letter(
            actor=officer,
            case=case,
            kind=LetterType.ANSWER_GRANTED,
            today=closed,
            facts=LetterFacts(access_method="随本答复书提供复印件。"),
        )
    print(f"setup: {args.cases} cases, {2 * args.cases} letters in {time.perf_counter() - started:.1f} s")

    before = peak_mb()
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        result = write_archive(
            out,
            agency=agency,
            cases=year_cases(agency, 2025).iterator(chunk_size=200),
            generated_at=timezone.now(),
            year=2025,
        )
        seconds = time.perf_counter() - started
        size = out.tell()
    print(
        f"archive ({args.db}): {result.case_count} cases, {result.letter_count} letters, {result.file_count} files, "
        f"{size / 1e6:.1f} MB in {seconds:.1f} s = {1000 * seconds / max(result.letter_count, 1):.0f} ms per letter"
    )
    print(f"peak RSS before export {before:.0f} MB, after {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()

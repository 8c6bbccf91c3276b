"""Recompute 100,000 open cases' due dates after a calendar year is loaded. Target: under 10 s.

When the 2027 notice is published, every open case's stored due date must be recomputed
(docs/calendar-format.md). The cases are synthetic: receipts spread over 2026, with 补正,
consultations (some open), extensions, fee notices and art 35 delays in realistic shares. Cases
received late in 2026 need 2027 and raise CalendarYearMissing until it is loaded. The 2027 year
loaded here is the shipped *example* file: fine for timing, never for real dates.

Run: .venv/bin/python bench/deadlines.py [N]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gongkai.core.calendar import DATA_DIR, WorkingCalendar, load_calendar_file
from gongkai.core.deadlines import (
    ClockEvent,
    Consultation,
    ConsultedParty,
    CorrectionReceived,
    CorrectionRequested,
    DelayedAnswer,
    Extension,
    FeeNotice,
    compute_deadline,
)
from gongkai.core.errors import CalendarYearMissing

TARGET_SECONDS = 10.0


def synthetic_cases(n: int, seed: int = 2026) -> list[tuple[date, list[ClockEvent]]]:
    rnd = random.Random(seed)
    start = date(2026, 1, 1)
    cases = []
    for _ in range(n):
        received = start + timedelta(days=rnd.randrange(365))
        events: list[ClockEvent] = []
        clock = received
        if rnd.random() < 0.20:
            asked = received + timedelta(days=rnd.randint(1, 6))
            events.append(CorrectionRequested(asked, asked + timedelta(days=15)))
            if rnd.random() < 0.85:
                clock = asked + timedelta(days=rnd.randint(1, 12))
                events.append(CorrectionReceived(clock))
            else:
                cases.append((received, events))  # still waiting for the applicant
                continue
        if rnd.random() < 0.15:
            s = clock + timedelta(days=rnd.randint(1, 20))
            end = None if rnd.random() < 0.3 else s + timedelta(days=rnd.randint(2, 25))
            events.append(Consultation(s, end, rnd.choice(list(ConsultedParty))))
        if rnd.random() < 0.10:
            events.append(Extension(rnd.randint(5, 20), clock + timedelta(days=rnd.randint(0, 10))))
        if rnd.random() < 0.08:
            notice = clock + timedelta(days=rnd.randint(1, 15))
            paid = None if rnd.random() < 0.4 else notice + timedelta(days=rnd.randint(0, 20))
            events.append(FeeNotice(notice, paid))
        if rnd.random() < 0.02:
            events.append(DelayedAnswer(received + timedelta(days=3), received + timedelta(days=240)))
        cases.append((received, events))
    return cases


def recompute(cal: WorkingCalendar, cases: list[tuple[date, list[ClockEvent]]]) -> tuple[int, int, float]:
    ok = missing = 0
    t0 = time.perf_counter()
    for received, events in cases:
        try:
            compute_deadline(received, events, calendar=cal)
            ok += 1
        except CalendarYearMissing:
            missing += 1
    return ok, missing, time.perf_counter() - t0


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    t0 = time.perf_counter()
    cases = synthetic_cases(n)
    print(f"cases: {n:,} synthetic open cases, receipts in 2026 ({time.perf_counter() - t0:.2f} s to generate)")

    t0 = time.perf_counter()
    cal = WorkingCalendar()
    print(f"calendar: package data 2004–2026 built in {(time.perf_counter() - t0) * 1000:.1f} ms")

    ok, missing, seconds = recompute(cal, cases)
    print(f"before 2027 is loaded: {ok:,} computed, {missing:,} need 2027 (CalendarYearMissing) in {seconds:.2f} s")

    t0 = time.perf_counter()
    cal.add_year(load_calendar_file(DATA_DIR / "2027.example.toml", allow_example=True))
    print(f"add_year(2027, example data): {(time.perf_counter() - t0) * 1000:.1f} ms")

    ok, missing, seconds = recompute(cal, cases)
    per_case = seconds / n * 1e6
    # The target is for 100,000 cases: a smaller run is judged by its rate, scaled to 100,000.
    projected = seconds * 100_000 / n
    verdict = "✓" if projected < TARGET_SECONDS else "✗"
    at_rate = "" if n == 100_000 else f" (at this rate 100,000 cases take {projected:.2f} s)"
    print(
        f"after 2027 is loaded: {ok:,} computed, {missing:,} still missing; "
        f"recompute {seconds:.2f} s ({per_case:.1f} µs/case){at_rate} — target 100,000 in < {TARGET_SECONDS:.0f} s: {verdict}"
    )
    return 0 if projected < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())

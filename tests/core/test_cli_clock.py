"""``gongkai deadline``, ``gongkai fee``, ``gongkai calendar``: no database."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import OperationalError

import gongkai.cases.due_dates as due_dates
import gongkai.workcalendar.loader as loader
from gongkai.cli import main
from gongkai.core.calendar import DATA_DIR, CalendarYear, parse_calendar_file
from tests.core.test_calendar import TEST_2027_DAYS, calendar_text


@pytest.fixture(autouse=True)
def no_loaded_years(monkeypatch: pytest.MonkeyPatch) -> None:
    """No year is loaded in the database unless a test says otherwise (these tests use none)."""
    monkeypatch.setattr(loader, "extra_years", lambda: [])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def file_2027(tmp_path: Path) -> Path:
    path = tmp_path / "2027.toml"
    path.write_text(calendar_text(TEST_2027_DAYS), encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# deadline
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--received", "2026-03-02"], "2026-03-30"),
        (["--received", "2026-03-01"], "2026-03-27"),
        (["--received", "2026-02-28"], "2026-03-27"),
        (["--received", "2026-02-13"], "2026-03-19"),
        (["--received", "2025-09-26"], "2025-10-30"),
        (["--received", "2025-12-31"], "2026-01-29"),
        (["--received", "2026-03-02", "--extend", "20"], "2026-04-28"),
        (["--received", "2026-03-02", "--corrected", "2026-03-10"], "2026-04-08"),
        (["--received", "2026-09-24", "--pause", "2026-09-28..2026-10-09"], "2026-11-05"),
        (
            ["--received", "2026-03-02", "--pause", "2026-03-09..2026-03-11", "--pause", "2026-03-12..2026-03-13"],
            "2026-04-07",
        ),
    ],
)
def test_deadline_first_line(capsys: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    code, out, _ = run(capsys, "deadline", *args)
    assert code == 0
    assert out.splitlines() == [expected]


def test_deadline_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadline", "--received", "2026-02-13", "--explain")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "2026-03-19"
    assert "逐日计算：" in lines
    assert any(line.strip().startswith("2026年2月14日 周六  调休上班（春节），第1个工作日") for line in lines)
    assert any(line.strip() == "2026年2月16日 周一  春节，不计" for line in lines)
    assert "答复期限届满" in lines[-1]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--received", "2026-03-02", "--extend", "21"], "最长不得超过20个工作日"),
        (["--received", "2026-03-02", "--extend", "0"], "最长不得超过20个工作日"),
        (["--received", "2026-12-21"], "2027年"),
        (["--received", "2026-03-02", "--corrected", "2026-03-01"], "早于收到申请之日"),
        (["--received", "2026-03-02", "--pause", "2026-03-10..2026-03-09"], "早于开始日"),
    ],
)
def test_deadline_errors_exit_2(capsys: pytest.CaptureFixture[str], args: list[str], fragment: str) -> None:
    code, out, err = run(capsys, "deadline", *args)
    assert code == 2
    assert out == ""
    assert fragment in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--received", "2026-02-30"], "无效日期 “2026-02-30”"),
        (["--received", "2026-03-02", "--pause", "2026-03-09"], "无效期间 “2026-03-09”"),
        (["--received", "2026-03-02", "--pause", "2026-03-09..x"], "无效日期 “x”"),
    ],
)
def test_deadline_bad_arguments(capsys: pytest.CaptureFixture[str], args: list[str], fragment: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["deadline", *args])
    assert info.value.code == 2
    assert fragment in capsys.readouterr().err


def test_deadline_with_a_calendar_file(capsys: pytest.CaptureFixture[str], file_2027: Path) -> None:
    code, out, _ = run(capsys, "deadline", "--received", "2026-12-21", "--calendar", str(file_2027))
    assert code == 0 and out.splitlines() == ["2027-01-19"]


def test_deadline_refuses_the_example_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "deadline", "--received", "2026-12-21", "--calendar", str(DATA_DIR / "2027.example.toml")
    )
    assert code == 2 and "示例文件" in err


# ---------------------------------------------------------------------------------------------
# years loaded in the database
# ---------------------------------------------------------------------------------------------


def test_database_years_are_used(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    year = parse_calendar_file(calendar_text(TEST_2027_DAYS), "数据库 2027")
    monkeypatch.setattr(loader, "extra_years", lambda: [year])
    code, out, err = run(capsys, "deadline", "--received", "2026-12-21")
    assert code == 0 and out.splitlines() == ["2027-01-19"] and err == ""


def test_database_errors_do_not_stop_the_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> list[CalendarYear]:
        raise OperationalError("no such table: workcalendar_year")

    monkeypatch.setattr(loader, "extra_years", broken)
    code, out, err = run(capsys, "deadline", "--received", "2026-03-02")
    assert code == 0 and out.splitlines() == ["2026-03-30"]
    assert "no such table" in err


def test_other_errors_are_not_swallowed(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def faulty() -> list[CalendarYear]:
        raise RuntimeError("a fault, not a missing database")

    monkeypatch.setattr(loader, "extra_years", faulty)
    with pytest.raises(RuntimeError, match="a fault"):
        main(["deadline", "--received", "2026-03-02"])


def test_calendar_load_calls_the_use_case_for_each_good_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, file_2027: Path, tmp_path: Path
) -> None:
    seen: list[tuple[int, str]] = []

    class Result:
        def summary(self) -> str:
            return "已加载"

        def moved_lines(self) -> list[str]:
            return ["甲〔2026〕第0001号：2027-01-18（暂定） → 2027-01-19"]

    def load_calendar_year(*, actor: object, data: CalendarYear, text: str, file_name: str, **_: object) -> Result:
        assert actor is None and text == file_2027.read_text(encoding="utf-8")
        seen.append((data.year, file_name))
        return Result()

    monkeypatch.setattr(due_dates, "load_calendar_year", load_calendar_year)
    bad = tmp_path / "bad.toml"
    bad.write_text("year = ", encoding="utf-8")
    code, out, err = run(capsys, "calendar", "load", str(bad), str(file_2027))
    assert code == 2 and seen == [(2027, "2027.toml")]
    assert "bad.toml" in err and out.splitlines() == ["已加载", "  甲〔2026〕第0001号：2027-01-18（暂定） → 2027-01-19"]


# ---------------------------------------------------------------------------------------------
# fee
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (["--pieces", "35"], "3000 元"),
        (["--pieces", "10"], "0 元"),
        (["--pieces", "1", "--earlier", "10"], "100 元"),
        (["--pieces", "5", "--earlier", "30"], "1000 元"),
        (["--pages", "250"], "4700 元"),
        (["--pages", "30"], "0 元"),
    ],
)
def test_fee(capsys: pytest.CaptureFixture[str], args: list[str], first_line: str) -> None:
    code, out, _ = run(capsys, "fee", *args)
    assert code == 0 and out.splitlines()[0] == first_line
    assert out.splitlines()[-1] == f"合计：{first_line.split()[0]}元"


@pytest.mark.parametrize("args", [["--pieces", "3", "--pages", "40"], [], ["--pieces", "0"]])
def test_fee_errors(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, err = run(capsys, "fee", *args)
    assert code == 2 and out == "" and err


# ---------------------------------------------------------------------------------------------
# calendar show / check
# ---------------------------------------------------------------------------------------------


def test_calendar_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "show", "2026")
    assert code == 0
    assert "春节" in out and "2026-02-15 至 2026-02-23（9天）" in out
    assert "调休上班 2026-02-14（周六）、2026-02-28（周六）" in out
    assert "全年工作日：248天" in out


def test_calendar_show_unknown_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "calendar", "show", "2027")
    assert code == 2 and "2027年" in err


def test_calendar_show_with_file(capsys: pytest.CaptureFixture[str], file_2027: Path) -> None:
    code, out, _ = run(capsys, "calendar", "show", "2027", "--calendar", str(file_2027))
    assert code == 0 and "2027-02-05 至 2027-02-09（5天）" in out and "国办发明电〔2026〕1号" in out


def test_calendar_check(capsys: pytest.CaptureFixture[str], file_2027: Path, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "calendar", "check", str(file_2027))
    assert code == 0 and "格式正确" in out and "放假6天，调休上班1天" in out

    bad = tmp_path / "bad.toml"
    bad.write_text(calendar_text("2027-01-01, 放假, 元旦\n2027-01-04, 上班, 元旦"), encoding="utf-8")
    code, out, err = run(capsys, "calendar", "check", str(file_2027), str(bad))
    assert code == 2
    assert "格式正确" in out  # the good file is still reported
    assert f"{bad} 第4行" in err


def test_calendar_check_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar", "check", str(DATA_DIR / "2027.example.toml"))
    assert code == 0 and "示例文件" in out


def test_calendar_without_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calendar")
    assert code == 2 and "show" in out and "check" in out and "load" in out

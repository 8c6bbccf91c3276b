"""The ``gongkai`` command.

Sub-commands live in ``gongkai/commands/<name>.py``; each module defines
``register(subparsers)`` and is found automatically, so adding a command touches no other file.
Commands that need the database call :func:`gongkai.djangosetup.setup_django` themselves: ``gongkai --help`` and the
core commands (parse, check, deadline, fee) run without one.

Start-up is part of every command's time (issue 19): ``gongkai parse FILE`` imports only
``gongkai/commands/parse.py`` (a command ``audit-dir`` lives in ``audit_dir.py``), and a command
module imports at its top only what ``register`` needs: the libraries of its work (Django, the
readers, the writers) are imported by its handler.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from gongkai import __version__
from gongkai.core.errors import GongkaiError

#: argparse's own wording, in Chinese.
_ARGPARSE_WORDS = (
    ("the following arguments are required: ", "缺少必需的参数："),
    ("unrecognized arguments: ", "无法识别的参数："),
    ("invalid choice: ", "无效的选项："),
    ("choose from ", "可选："),
    ("invalid int value: ", "无效的整数："),
    (" not allowed with argument ", " 不能与以下参数同时使用："),
    ("expected one argument", "缺少参数值"),
    ("argument ", "参数 "),
)


class _Parser(argparse.ArgumentParser):
    """A usage error is one line on standard error (no usage block), in Chinese, exit status 2."""

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        message = " ".join(message.split())
        self.exit(2, f"{self.prog}: {message}（用法见 {self.prog} --help）\n")

    def _get_formatter(self) -> argparse.HelpFormatter:
        # argparse builds a formatter for every add_argument, and without a width the formatter
        # imports shutil (with lzma and bz2: ~6 ms of every command's start-up) for the terminal's.
        return self.formatter_class(prog=self.prog, width=_terminal_width() - 2)  # type: ignore[call-arg]


def _terminal_width() -> int:
    """What ``shutil.get_terminal_size().columns`` gives: $COLUMNS, the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 0
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of the command ``only`` (when a module defines it)."""
    parser = _Parser(
        prog="gongkai",
        description="gongkai — 政府信息公开：依申请公开办理、主动公开、年度报告的生成与审核",
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    import gongkai.commands as commands_pkg

    # The package's own .py files (not pkgutil.iter_modules, which imports `inspect`: ~10 ms).
    names = sorted(
        f.removesuffix(".py") for f in os.listdir(commands_pkg.__path__[0]) if f.endswith(".py") and f[0] != "_"
    )
    # A command's name is its module's with "-" for "_"; an unknown word gets every command's list.
    names = [n for n in names if n.replace("_", "-") == only] or names
    for name in names:
        module = importlib.import_module(f"gongkai.commands.{name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def _command_word(argv: Sequence[str]) -> str | None:
    """The first word of ``argv`` that is not an option: the command's name, if any."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command_word(words))
    args = parser.parse_args(words)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 0
    try:
        return int(func(args) or 0)
    except GongkaiError as exc:
        print(f"gongkai {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `gongkai parse … | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())

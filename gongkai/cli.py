"""The ``gongkai`` command.

Sub-commands live in ``gongkai/commands/<name>.py``; each module defines
``register(subparsers)`` and is found automatically, so adding a command touches no other file.
Commands that need the database call :func:`gongkai.djangosetup.setup_django` themselves: ``gongkai --help`` and the
core commands (parse, check, deadline, fee) run without one.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gongkai",
        description="gongkai — 政府信息公开：依申请公开办理、主动公开、年度报告的生成与审核",
    )
    parser.add_argument("--version", action="version", version=f"gongkai {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    import gongkai.commands as commands_pkg

    for info in sorted(pkgutil.iter_modules(commands_pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"gongkai.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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

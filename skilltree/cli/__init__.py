"""The command line, ``python -m skilltree``: flags in, one library call, text or JSON out.

Every command that reads data takes ``--data FILE`` (default: the built-in ladder, or the file
named by the ``SKILLTREE_DATA`` environment variable). Query commands take ``--json`` for
scripts. Exit codes: 0 success, 1 invalid data or a failed export, 2 usage errors (unknown
flags, unknown ids, bad profiles). Commands are listed in :data:`COMMANDS`, one module per
group of them; adding a command is one entry there and its module.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from ..errors import ProfileError, SkilltreeError, UnknownIdError
from ..routes import NoRouteError
from . import imports, ladder, plans
from .common import Command, UsageError

__all__ = ["COMMANDS", "build_parser", "exit_code_of", "main"]

COMMANDS: tuple[Command, ...] = (*ladder.COMMANDS, *plans.COMMANDS, *imports.COMMANDS)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m skilltree",
        description="Explore a career ladder: validate data, list roles, plan, export.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help)
        command.configure(p)
        p.set_defaults(func=command.run)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run one command; return its exit code. Errors go to standard error, never a traceback."""
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.func(args, out))
    except SkilltreeError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return exit_code_of(exc)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


def exit_code_of(exc: SkilltreeError) -> int:
    """Unknown ids, bad profiles and impossible routes are usage errors (2); the rest failed (1)."""
    usage = (UnknownIdError, ProfileError, UsageError, NoRouteError)
    return 2 if isinstance(exc, usage) else 1

"""Commands about a person's path: plan, next, route and export."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from ..advice import QUICK_WIN_HOURS, next_steps
from ..export import FORMATS, ExportRequest, export_bytes, format_of
from ..index import index_of
from ..planner import plan
from ..routes import compare, route
from ..timeline import weeks
from ..views.records import (
    choices_text,
    comparison_json,
    comparison_rows,
    exactness_text,
    implied_rows,
    milestone_rows,
    plan_json,
    plan_rows,
    route_json,
    route_rows,
    suggestion_json,
)
from ..views.text import hours_text
from .common import (
    Command,
    UsageError,
    add_data,
    add_profile,
    emit_json,
    load,
    pace_of,
    profile_of,
    role_of,
    table,
    write_atomically,
)

__all__ = ["COMMANDS"]


def cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    G = load(args)
    profile = profile_of(args, G)
    pace = pace_of(args)
    result = plan(G, profile, role_of(G, args.target), optional=args.optional)
    start = date.today()
    if args.json:
        emit_json(out, plan_json(result, pace, start))
        return 0
    index = index_of(G)
    out.write(
        f"Plan to {result.target_name}: readiness now {result.readiness.score:.0%}, "
        f"{hours_text(result.total_hours)} to go"
        f" (about {weeks(result.total_hours, pace):.0f} weeks at {pace:g} h/week), "
        f"{exactness_text(result)}\n"
    )
    held = implied_rows(index, result.held)
    if held:
        by_role = sum(1 for row in held if row["kind"] == "role")
        implied = len(held) - by_role
        parts = [f"{implied} level{'s' if implied != 1 else ''} implied by what you hold"]
        if by_role:
            parts.append(f"{by_role} assumed from your role")
        out.write(f"From your profile: {', '.join(parts)} (--json lists them)\n")
    if result.choices:
        out.write(f"Choices: {choices_text(index, result)}\n")
        for g, notes in result.notes.items():
            for note in notes:
                out.write(f"  {index.names[g]}: {note}\n")
    for warning in result.warnings:
        out.write(f"Note: {warning}\n")
    milestones = milestone_rows(result, pace, start)
    if len(milestones) > 1:
        out.write("Milestones: " + "; ".join(m.sentence() for m in milestones) + "\n")
    if not result.steps:
        out.write("Nothing to learn: the profile meets every requirement.\n")
        return 0
    out.write("\n")
    table(
        out,
        ("#", "skill", "level", "hours", "total", "done by", "why"),
        [
            (
                row.number,
                row.name,
                row.levels,
                f"{row.hours:g}",
                f"{row.cumulative_hours:g}",
                row.done_by.isoformat() if row.done_by else "",
                row.why,
            )
            for row in plan_rows(result, pace, start)
        ],
    )
    return 0


def cmd_next(args: argparse.Namespace, out: TextIO) -> int:
    G = load(args)
    profile = profile_of(args, G)
    if args.limit < 1:
        raise UsageError(f"--limit must be at least 1, got {args.limit}")
    target = role_of(G, args.target) if args.target else None
    found = next_steps(G, profile, target, limit=args.limit, optional=args.optional)
    if args.json:
        emit_json(out, {"target": target, "suggestions": [suggestion_json(s) for s in found]})
        return 0
    if not found:
        out.write("Nothing left to suggest: the profile covers what the roles ask for.\n")
        return 0
    progress = [s for s in found if not s.quick]
    quick = [s for s in found if s.quick]
    for n, s in enumerate(progress, 1):
        out.write(f"{n:>2}. {s.reason}\n")
    if quick:
        out.write(f"\nQuick wins (at most {QUICK_WIN_HOURS:g} h each):\n")
        for s in quick:
            out.write(f"  - {s.reason}\n")
    return 0


def cmd_route(args: argparse.Namespace, out: TextIO) -> int:
    G = load(args)
    profile = profile_of(args, G)
    targets = [role_of(G, t.strip()) for t in args.to.split(",") if t.strip()]
    if not targets:
        raise UsageError("--to needs at least one role")
    start = role_of(G, args.start) if args.start else None
    routes = [route(G, profile, t, start, optional=args.optional) for t in targets]
    comparison = compare(G, profile, targets, optional=args.optional)
    if args.json:
        emit_json(
            out,
            {"routes": [route_json(r) for r in routes], "comparison": comparison_json(comparison)},
        )
        return 0
    names = index_of(G).names
    for r in routes:
        out.write(f"Route to {names[r.target]}: {hours_text(r.total_hours)} in all\n")
        rows = route_rows(r)
        table(out, tuple(rows[0]), [tuple(row.values()) for row in rows])
        out.write("\n")
    if len(targets) > 1:
        out.write("Side by side\n")
        side = comparison_rows(index_of(G), comparison)
        table(
            out,
            ("target", "ready now", "hours left", "salary band", "only on this path"),
            [tuple(f"{v:g}" if isinstance(v, float) else v for v in row.values()) for row in side],
        )
        shared = ", ".join(sorted(names[s] for s in comparison.shared)) or "—"
        out.write(f"\nShared by every path: {shared}\n")
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.out)
    fmt = format_of(path.name)
    G = load(args)
    profile = profile_of(args, G)
    pace = pace_of(args)
    result = plan(G, profile, role_of(G, args.target), optional=args.optional)
    request = ExportRequest(
        G, profile, result, pace, date.today(), args.width, args.height, args.scale
    )
    data = export_bytes(request, fmt)
    write_atomically(path, data)
    out.write(f"wrote {path} ({fmt}, {len(data):,} bytes)\n")
    return 0


# --- parser ----------------------------------------------------------------------------------


def _person(
    p: argparse.ArgumentParser, optional_help: str = "meet optional requirements too"
) -> None:
    """Who plans: the profile flags and whether optional requirements count."""
    add_profile(p)
    p.add_argument("--optional", action="store_true", help=optional_help)


def _pace(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pace", type=float, default=10.0, metavar="H", help="hours per week (10)")


def _data_and_json(p: argparse.ArgumentParser) -> None:
    add_data(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")


def _plan_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", required=True, metavar="ROLE", help="the role to reach")
    _person(p)
    _pace(p)
    _data_and_json(p)


def _next_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", metavar="ROLE", help="rank toward this role (default: all roles)")
    _person(p, "with --target: optional ones too")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="how many (10)")
    _data_and_json(p)


def _route_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--to", required=True, metavar="ROLE[,ROLE...]", help="target role(s)")
    p.add_argument("--from", dest="start", metavar="ROLE", help="start rung (default: --role)")
    _person(p)
    _data_and_json(p)


def _export_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--target", required=True, metavar="ROLE", help="the role to reach")
    _person(p)
    _pace(p)
    add_data(p)
    p.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="where to write; the extension picks the format (" + ", ".join(FORMATS) + ")",
    )
    p.add_argument("--width", type=int, metavar="W", help="pixels (default: the plan's own size)")
    p.add_argument("--height", type=int, metavar="H", help="pixels (default: the plan's own size)")
    p.add_argument("--scale", type=float, default=1.0, metavar="S", help="2 for sharp PNGs")


COMMANDS = (
    Command("plan", "the minimum-hours learning plan to a role", _plan_flags, cmd_plan),
    Command("next", "what to learn next, best value per hour first", _next_flags, cmd_next),
    Command("route", "rung by rung to one or more roles, side by side", _route_flags, cmd_route),
    Command(
        "export",
        "the plan as " + ", ".join(f.ext.upper() for f in FORMATS.values()),
        _export_flags,
        cmd_export,
    ),
)

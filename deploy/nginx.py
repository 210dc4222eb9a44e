"""nginx in front of the app's processes: the site configuration, and a private nginx.

The site (``deploy/nginx/site.conf.template``) is what any nginx needs: a sticky upstream of the
app's processes (a route cookie nginx sets, hashed), websocket upgrade, the Host header with its
port, timeouts. Print it for the distribution's nginx (it goes inside ``http { }``, e.g. as
``/etc/nginx/conf.d/skilltree.conf``)::

    python -m deploy.nginx --listen 80 --server-name skilltree.example \\
        --backend 10.0.0.5:8501 --backend 10.0.0.5:8502 --backend 10.0.0.6:8501

``python -m deploy.cluster`` runs its own nginx with the same site, wrapped in
``standalone.conf.template`` (pid, logs and temporary files in its run directory).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "ROUTE_COOKIE",
    "nginx_binary",
    "site_config",
    "standalone_config",
]

HERE = Path(__file__).resolve().parent / "nginx"
#: The cookie nginx sets to keep a browser on one process.
ROUTE_COOKIE = "skilltree_route"
_PLACEHOLDER = re.compile(r"\{\{[A-Z_]+\}\}")
_BACKEND = re.compile(r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$")


def _fill(template: str, values: dict[str, str]) -> str:
    text = (HERE / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    left = _PLACEHOLDER.search(text)
    if left:
        raise ValueError(f"{template}: {left.group()} has no value")
    return text


def site_config(
    backends: Sequence[str],
    listen: str,
    *,
    server_name: str = "_",
    access_log: str | None = None,
    connect_timeout: str = "2s",
    fail_timeout: str = "5s",
) -> str:
    """The site: an upstream of ``backends`` (``host:port`` each) and a server on ``listen``
    (``port`` or ``address:port``). ``access_log``: a path (logged in the ``skilltree`` format,
    which shows each request's process and route), or None for no log."""
    if not backends:
        raise ValueError("at least one backend (host:port) is needed")
    for backend in backends:
        match = _BACKEND.match(backend)
        if not match or not 0 < int(match.group(2)) < 65536:
            raise ValueError(f"{backend!r} is not host:port")
    servers = "\n".join(
        f"    server {b} max_fails=1 fail_timeout={fail_timeout};" for b in backends
    )
    return _fill(
        "site.conf.template",
        {
            "COOKIE": ROUTE_COOKIE,
            "SERVERS": servers,
            "LISTEN": listen,
            "SERVER_NAME": server_name,
            "ACCESS_LOG": f"{access_log} skilltree" if access_log else "off",
            "CONNECT_TIMEOUT": connect_timeout,
        },
    )


def standalone_config(workers: int = 1) -> str:
    """The main file of a private nginx whose prefix is a run directory holding ``site.conf``.

    Started as root, nginx would hand its workers to an unprivileged user who cannot write to
    the run directory (uploads buffer there), so the workers keep the current user."""
    user = "user root root;" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    return _fill("standalone.conf.template", {"USER": user, "WORKERS": str(workers)})


def nginx_binary() -> str | None:
    """The nginx program (on PATH, or where Debian puts it), or None."""
    found = shutil.which("nginx")
    if found:
        return found
    for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"):
        if os.access(path, os.X_OK):
            return path
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.nginx",
        description="Print the nginx site for the app's processes (goes inside http { }).",
    )
    parser.add_argument(
        "--backend",
        action="append",
        required=True,
        metavar="HOST:PORT",
        help="an app process; repeat for each (on any number of hosts)",
    )
    parser.add_argument("--listen", default="80", help="nginx's port, or address:port")
    parser.add_argument("--server-name", default="_", help="the site's host name")
    parser.add_argument("--access-log", help="a log file (shows each request's process)")
    args = parser.parse_args(argv)
    try:
        text = site_config(
            args.backend, args.listen, server_name=args.server_name, access_log=args.access_log
        )
    except ValueError as exc:
        parser.error(str(exc))
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Streamlit's command line with the interpreter tuned for serving many sessions.

    python -m deploy.launch [--switch-interval SECONDS] run app.py [streamlit options]

``--switch-interval`` is :func:`sys.setswitchinterval`: how long a thread may keep the GIL while
another waits (Python's default is 5 ms). A Streamlit process runs each session's script on its
own thread and hands every message to its event loop through a system call; with many sessions
each such hand-off can wait a whole interval, so a shorter one (1 ms) serves more reruns per
second. Everything after it goes to ``streamlit`` unchanged.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--switch-interval"]:
        if len(args) < 2:
            raise SystemExit("--switch-interval needs a number of seconds")
        seconds = float(args[1])
        if seconds > 0:
            sys.setswitchinterval(seconds)
        args = args[2:]
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", *args]
    streamlit_main(prog_name="streamlit")


if __name__ == "__main__":
    main()

"""Several app processes behind one nginx, supervised: ``python -m deploy.cluster``.

    python -m deploy.cluster --processes 4 --port 8080 --db /srv/skilltree/ladders.sqlite3

Starts N ``streamlit run app.py`` processes (each on its own port of ``--backend-host``,
loopback by default), waits until each answers ``/_stcore/health``, warms each one with a full
run of the script (``/_stcore/script-health-check``: the ladder loaded and the caches filled
before the first visitor), then starts nginx on ``--host:--port`` with the site from
:mod:`deploy.nginx` (sticky by a route cookie). Every process gets the same ``SKILLTREE_DB``
(the ladder store: uploaded ladders, shared) and the same cookie secret.

While it runs, every ``--health-interval`` seconds it checks each process: one that has exited
is started again on the same port (so the routes do not move) and warmed; one that has not
answered its health check for ``--hung-after`` seconds is killed and started again. nginx is
started again if it exits. Ctrl-C or SIGTERM stops nginx (graceful: no new connections), then
every process (SIGTERM, SIGKILL after 10 s); only processes it started are signalled.

``--proxy none`` runs the processes only, for an nginx that already runs (on this host or in
front of several): print its site with ``python -m deploy.nginx``. The run directory holds
``state.json`` (url, ports, pids, restarts), the processes' logs and nginx's files; it is
removed at exit unless given with ``--run-dir`` or ``--keep-run-dir``.

Production settings: ``.streamlit/config.toml`` (read by every process, since each starts in the
project folder) turns off Streamlit's full garbage collection after every script run
(``runner.postScriptGC``); here each process also gets no file watching, and a 1 ms GIL switch
interval (:mod:`deploy.launch`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .nginx import nginx_binary, site_config, standalone_config
from .serve import ROOT, free_port

__all__ = ["DEFAULT_PROCESSES", "Backend", "Cluster", "main"]

#: Four processes per core: one process's sessions share one GIL, and the scheduler shares the
#: cores between processes better than the GIL shares a process between its sessions; more
#: processes also even out the sessions each one gets from the route hash. Measured on two
#: cores with 50 sessions: p95 1.0 s with four processes, 0.8 s with six, 0.7 s with eight.
DEFAULT_PROCESSES = 4 * (os.cpu_count() or 1)
SWITCH_INTERVAL = 0.001
# Every request here goes to this machine's processes: never through a proxy from the
# environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def log(message: str) -> None:
    """One timestamped line on standard error."""
    print(f"[cluster {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def http_get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    """The status and the start of the body of a GET; status 0 when nothing answered."""
    try:
        with _OPENER.open(url, timeout=timeout) as answer:
            return int(answer.status), answer.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except (OSError, ValueError):
        return 0, ""


def _port_free(host: str, port: int) -> bool:
    import socket

    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@dataclass
class Backend:
    """One app process and the port it serves."""

    host: str
    port: int
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    healthy: bool = False
    failing_since: float | None = None
    log_path: Path | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        return f"http://{host}:{self.port}"

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Cluster:
    """N app processes, optionally behind one private nginx, all owned by this object.

    Use as a context manager (started on entry, stopped on exit), and call :meth:`check`
    periodically (``main`` does) to restart what died.
    """

    processes: int = 2
    port: int | None = 8080  # nginx's port; None: no nginx
    host: str = "127.0.0.1"  # where nginx listens
    backend_host: str = "127.0.0.1"
    backend_ports: Sequence[int] | None = None  # fixed ports; default: free ones
    db: Path | None = None  # SKILLTREE_DB for every process; None: the environment's / app's
    run_dir: Path | None = None
    keep_run_dir: bool = False
    root: Path = ROOT  # the project folder the processes run in (its app.py and config)
    app: Path | None = None  # default: root / "app.py"
    app_args: Sequence[str] = ()  # after `--`: the app's own options (--data FILE, ...)
    streamlit_args: Sequence[str] = ()  # more `streamlit run` options
    switch_interval: float | None = SWITCH_INTERVAL
    warm: bool = True
    access_log: bool = True
    nginx_workers: int = 1
    hung_after: float = 60.0
    start_timeout: float = 120.0
    backends: list[Backend] = field(default_factory=list)
    nginx: subprocess.Popen[bytes] | None = None
    _own_run_dir: bool = False
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _cookie_secret: str = field(
        default_factory=lambda: (
            os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
        )
    )

    # --- the app's processes -------------------------------------------------------------

    def command(self, backend: Backend) -> list[str]:
        """The command line of one process."""
        launcher = [sys.executable, "-m", "deploy.launch"]
        if self.switch_interval:
            launcher += ["--switch-interval", f"{self.switch_interval:g}"]
        command = [
            *launcher, "run", str(self.app or self.root / "app.py"),
            "--server.port", str(backend.port),
            "--server.address", backend.host,
            "--server.headless", "true",
            # Nothing to watch in production, and the script check warms each process.
            "--server.fileWatcherType", "none",
            "--server.runOnSave", "false",
            "--server.scriptHealthCheckEnabled", "true",
            "--browser.gatherUsageStats", "false",
            *self.streamlit_args,
        ]  # fmt: skip
        return command + (["--", *self.app_args] if self.app_args else [])

    def environment(self) -> dict[str, str]:
        """The processes' environment: the shared store and the shared cookie secret (which
        Streamlit takes from the environment only; signed cookies then hold on any process)."""
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self._cookie_secret}
        if self.db is not None:
            env["SKILLTREE_DB"] = str(self.db)
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(self.root), os.environ.get("PYTHONPATH", "")])
        )
        return env

    def _spawn(self, backend: Backend) -> None:
        assert self.run_dir is not None
        backend.log_path = self.run_dir / "logs" / f"app-{backend.port}.log"
        with backend.log_path.open("ab") as out:
            # A session of its own: Ctrl-C in a terminal reaches this script only, which then
            # stops nginx before the processes.
            backend.proc = subprocess.Popen(
                self.command(backend),
                cwd=self.root,  # its .streamlit/config.toml applies
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        backend.healthy = False
        backend.failing_since = None
        log(f"app on {backend.address} started (pid {backend.proc.pid})")

    def _wait_healthy(self, backend: Backend) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if not backend.running():
                return False
            status, body = http_get(f"{backend.url}/_stcore/health")
            if status == 200 and body.strip() == "ok":
                backend.healthy = True
                return True
            time.sleep(0.2)
        return False

    def _warm(self, backend: Backend) -> None:
        if not self.warm:
            return
        started = time.monotonic()
        status, body = http_get(
            f"{backend.url}/_stcore/script-health-check", timeout=self.start_timeout
        )
        took = time.monotonic() - started
        if status != 200:
            log(f"app on {backend.address}: warm-up run answered {status} {body.strip()!r}")
        else:
            log(f"app on {backend.address} warm in {took:.1f} s")

    def _start_backend(self, backend: Backend) -> None:
        """Start one process, wait until it is healthy and warm it; on a new port if its own
        was taken meanwhile (only when the ports are not fixed)."""
        for _attempt in range(3):
            self._spawn(backend)
            if self._wait_healthy(backend):
                self._warm(backend)
                return
            code = backend.proc.poll() if backend.proc is not None else None
            self._terminate(backend.proc)
            tail = ""
            if backend.log_path is not None and backend.log_path.exists():
                tail = backend.log_path.read_text(errors="replace")[-600:]
            if code is None:
                raise RuntimeError(
                    f"app on {backend.address} not healthy in {self.start_timeout:g} s:\n{tail}"
                )
            if self.backend_ports or "not available" not in tail:
                raise RuntimeError(f"app on {backend.address} exited with {code}:\n{tail}")
            backend.port = free_port()
            log(f"port taken; trying {backend.address}")
        raise RuntimeError("the app would not start; see the logs in the run directory")

    # --- nginx ---------------------------------------------------------------------------

    @property
    def listen(self) -> str:
        return f"{self.host}:{self.port}"

    def _write_nginx_config(self) -> Path:
        assert self.run_dir is not None
        site = site_config(
            [b.address if b.host not in ("0.0.0.0", "") else f"127.0.0.1:{b.port}"
             for b in self.backends],
            self.listen,
            access_log="logs/access.log" if self.access_log else None,
        )  # fmt: skip
        (self.run_dir / "site.conf").write_text(site, encoding="utf-8")
        main = self.run_dir / "nginx.conf"
        main.write_text(standalone_config(self.nginx_workers), encoding="utf-8")
        return main

    def _nginx_command(self, *extra: str) -> list[str]:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError(
                "nginx is not installed (on Debian: apt-get install nginx); "
                "or use --proxy none behind a proxy you run"
            )
        assert self.run_dir is not None
        return [
            binary,
            "-p", f"{self.run_dir}/",
            "-e", str(self.run_dir / "logs" / "error.log"),
            "-c", str(self.run_dir / "nginx.conf"),
            *extra,
        ]  # fmt: skip

    def _start_nginx(self) -> None:
        self._write_nginx_config()
        test = subprocess.run(
            self._nginx_command("-t", "-q"), capture_output=True, text=True, check=False
        )
        if test.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration:\n{test.stderr}")
        self.nginx = subprocess.Popen(
            self._nginx_command(), stdin=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 15
        while http_get(f"{self.url}/_stcore/health")[0] != 200:
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not come up; see {self.run_dir}/logs/error.log")
            time.sleep(0.1)
        log(f"nginx on {self.listen} (pid {self.nginx.pid})")

    def _reload_nginx(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self._write_nginx_config()
            self.nginx.send_signal(signal.SIGHUP)
            log("nginx reloaded with the new ports")

    # --- life cycle ----------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Where browsers go: nginx, or the first process when there is no nginx."""
        if self.port is not None:
            host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
            return f"http://{host}:{self.port}"
        return self.backends[0].url

    def state(self) -> dict[str, object]:
        """What ``state.json`` holds."""
        return {
            "url": self.url,
            "run_dir": str(self.run_dir),
            "db": str(self.db) if self.db is not None else os.environ.get("SKILLTREE_DB"),
            "nginx_pid": self.nginx.pid if self.nginx is not None else None,
            "backends": [
                {
                    "address": b.address,
                    "url": b.url,
                    "pid": b.pid,
                    "restarts": b.restarts,
                    "healthy": b.healthy,
                }
                for b in self.backends
            ],
        }

    def _write_state(self) -> None:
        assert self.run_dir is not None
        temporary = self.run_dir / "state.json.tmp"
        temporary.write_text(json.dumps(self.state(), indent=2), encoding="utf-8")
        temporary.replace(self.run_dir / "state.json")

    def start(self) -> None:
        """Start every process (together), wait until all are healthy and warm, then nginx."""
        if self.processes < 1:
            raise ValueError("at least one process")
        if self.backend_ports is not None and len(self.backend_ports) != self.processes:
            raise ValueError("one backend port per process")
        if self.port is not None and nginx_binary() is None:
            self._nginx_command()  # raises the explanation
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="skilltree-cluster-"))
            self._own_run_dir = True
        for sub in ("logs", "temp"):
            (self.run_dir / sub).mkdir(parents=True, exist_ok=True)
        if self.db is not None:
            self.db.parent.mkdir(parents=True, exist_ok=True)
        ports = list(self.backend_ports or [])
        for port in ports:
            if not _port_free(self.backend_host, port):
                raise RuntimeError(f"port {port} on {self.backend_host} is taken")
        self.backends = [
            Backend(self.backend_host, ports[i] if ports else free_port())
            for i in range(self.processes)
        ]
        try:
            errors: list[BaseException] = []

            def start_one(backend: Backend) -> None:
                try:
                    self._start_backend(backend)
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=start_one, args=(b,)) for b in self.backends]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if errors:
                raise errors[0]
            if self.port is not None:
                self._start_nginx()
            self._write_state()
        except BaseException:
            self.stop()
            raise

    def check(self) -> None:
        """One round of supervision: start again what exited or hung; note health changes."""
        with self._lock:
            changed = False
            for backend in self.backends:
                if not backend.running():
                    code = backend.proc.returncode if backend.proc is not None else None
                    log(f"app on {backend.address} exited ({code}); starting it again")
                    changed |= self._restart(backend)
                    continue
                status, _body = http_get(f"{backend.url}/_stcore/health", timeout=5.0)
                now = time.monotonic()
                if status == 200:
                    if not backend.healthy:
                        log(f"app on {backend.address} is healthy")
                    backend.healthy, backend.failing_since = True, None
                    continue
                if backend.healthy:
                    log(f"app on {backend.address} does not answer its health check")
                backend.healthy = False
                backend.failing_since = backend.failing_since or now
                if now - backend.failing_since >= self.hung_after:
                    log(f"app on {backend.address} silent for {self.hung_after:g} s: restarting")
                    changed |= self._restart(backend)
            if self.nginx is not None and self.nginx.poll() is not None:
                log(f"nginx exited ({self.nginx.returncode}); starting it again")
                self._start_nginx()
                changed = True
            if changed:
                self._write_state()

    def _restart(self, backend: Backend) -> bool:
        self._terminate(backend.proc, signal.SIGKILL)
        old = backend.port
        backend.restarts += 1
        try:
            self._start_backend(backend)
        except RuntimeError as exc:
            log(f"app on {backend.address} would not start again ({exc}); next round retries")
            return True
        if backend.port != old:
            self._reload_nginx()
        return True

    @staticmethod
    def _terminate(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
        """Stop one process this object started: ``sig``, then SIGKILL after 10 s."""
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            proc.wait(timeout=5)

    def stop(self) -> None:
        """nginx first (graceful: it stops taking connections), then every process."""
        with self._lock:
            self._terminate(self.nginx, signal.SIGQUIT)
            for backend in self.backends:
                if backend.running():
                    with contextlib.suppress(ProcessLookupError):
                        assert backend.proc is not None
                        backend.proc.send_signal(signal.SIGTERM)
            for backend in self.backends:
                self._terminate(backend.proc)
            if self._own_run_dir and not self.keep_run_dir and self.run_dir is not None:
                shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.cluster",
        description="Serve the app with several processes behind nginx, supervised.",
        epilog="After --: options for the app itself, e.g. -- --data my-ladder.yaml",
    )
    add = parser.add_argument
    add(
        "-n",
        "--processes",
        type=int,
        default=DEFAULT_PROCESSES,
        help=f"app processes (default: four per core, here {DEFAULT_PROCESSES})",
    )
    add("--port", type=int, default=8080, help="nginx's port (default 8080)")
    add("--host", default="127.0.0.1", help="nginx's address (default loopback)")
    add(
        "--proxy",
        choices=["nginx", "none"],
        default="nginx",
        help="none: the processes only, for an nginx you run (python -m deploy.nginx)",
    )
    add(
        "--backend-host",
        default="127.0.0.1",
        help="the processes' address (a private one to serve a proxy on another host)",
    )
    add(
        "--backend-port",
        type=int,
        help="the first process's port, the others follow (default: free ports)",
    )
    add(
        "--db",
        type=Path,
        help="the ladder store every process shares (default: $SKILLTREE_DB or the app's)",
    )
    add("--run-dir", type=Path, help="state.json, logs, nginx files (default: a temporary one)")
    add("--keep-run-dir", action="store_true", help="keep the temporary run directory")
    add("--health-interval", type=float, default=5.0, help="seconds between checks")
    add(
        "--hung-after",
        type=float,
        default=60.0,
        help="restart a process that fails its health check this long (seconds)",
    )
    add(
        "--switch-interval",
        type=float,
        default=SWITCH_INTERVAL,
        help="each process's GIL switch interval in seconds; 0: Python's default",
    )
    add("--no-warm", action="store_true", help="skip the warm-up run of each process")
    add("--no-access-log", action="store_true", help="no nginx access log")
    add(
        "--streamlit",
        action="append",
        default=[],
        metavar="OPTION",
        help="one more `streamlit run` option, e.g. --streamlit=--server.maxUploadSize=5",
    )
    add("app_args", nargs="*", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ports = None
    if args.backend_port is not None:
        ports = [args.backend_port + i for i in range(args.processes)]
    db = args.db or (Path(os.environ["SKILLTREE_DB"]) if os.environ.get("SKILLTREE_DB") else None)
    cluster = Cluster(
        processes=args.processes,
        port=args.port if args.proxy == "nginx" else None,
        host=args.host,
        backend_host=args.backend_host,
        backend_ports=ports,
        db=db.resolve() if db is not None and str(db) != "off" else db,
        run_dir=args.run_dir.resolve() if args.run_dir else None,
        keep_run_dir=args.keep_run_dir,
        app_args=list(args.app_args),
        streamlit_args=list(args.streamlit),
        switch_interval=args.switch_interval or None,
        warm=not args.no_warm,
        access_log=not args.no_access_log,
        hung_after=args.hung_after,
    )
    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        log(f"{signal.Signals(signum).name}: stopping")
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        cluster.start()
        log(f"serving {cluster.url} with {args.processes} processes (run dir {cluster.run_dir})")
        print(json.dumps(cluster.state()), flush=True)
        while not stop.wait(args.health_interval):
            cluster.check()
    except RuntimeError as exc:
        log(str(exc))
        return 1
    finally:
        cluster.stop()
        log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())

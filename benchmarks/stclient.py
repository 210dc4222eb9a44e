"""One browser tab's session with a Streamlit app, without the browser: Streamlit's own
websocket protocol, for load tests.

What a tab does, and :class:`Session` does the same way:

1. ``GET /`` and ``GET /_stcore/health``, keeping the cookies they set (a proxy's route cookie,
   Streamlit's ``_streamlit_xsrf``).
2. Open ``ws://HOST:PORT/_stcore/stream`` with those cookies, an ``Origin`` header and the
   subprotocols ``["streamlit", XSRF_TOKEN]``; a reconnect adds the id of the session to resume
   (a process that does not know it starts a new session).
3. Send a ``BackMsg`` whose ``rerun_script`` is a ``ClientState``: the query string, the widget
   values, the hashes of the cached messages it holds.
4. Read ``ForwardMsg`` s until ``script_finished``. A cacheable message is kept and its hash
   offered with later reruns; the server then sends a ``ref_hash`` in its place, resolved here
   (a miss is an error: Streamlit 1.67 has no endpoint to fetch one).

Widgets are found in the deltas by key (Streamlit names a keyed widget ``$$ID-<hash>-<key>``)
and their values encoded as the frontend encodes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

__all__ = ["ProtocolError", "RunResult", "Session", "Widget", "http_get"]

WIDGET_ID = re.compile(r"^\$\$ID-[0-9a-f]+-(?P<key>.+)$")
FINISHED_OK = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
CACHE_ENTRIES = 64
WidgetValue = str | float | bool | list[str]


class ProtocolError(Exception):
    """The server could not be reached, or broke the protocol; ``kind`` says how (http,
    connect, disconnect, timeout, status, cache_miss)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind


@dataclass
class Widget:
    """A widget as the last run drew it."""

    key: str
    id: str
    kind: str  # the Element's oneof: selectbox, radio, number_input, checkbox, ...
    options: list[str] = field(default_factory=list)
    disabled: bool = False


@dataclass
class RunResult:
    """One script run: from sending the rerun to reading ``script_finished``."""

    seconds: float = 0.0
    messages: int = 0
    bytes: int = 0
    refs: int = 0  # messages sent as a ref_hash and found in the cache
    new_session: bool = False
    query_string: str | None = None  # the URL the app set (page_info_changed)
    exceptions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # st.error
    warnings: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)


async def http_get(url: str, cookies: dict[str, str], timeout: float = 30.0) -> int:
    """A plain HTTP/1.1 GET straight to the host (never through a proxy): its status; the
    cookies it sets go into ``cookies``."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = (
        f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: wsload\r\n"
        "Accept: text/html,*/*\r\nConnection: close\r\n"
        + (f"Cookie: {cookie}\r\n" if cookie else "")
        + "\r\n"
    )

    async def fetch() -> int:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(request.encode("latin-1"))
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            await reader.read()
        finally:
            writer.close()
        lines = head.decode("latin-1").split("\r\n")
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "set-cookie":
                pair = value.strip().split(";", 1)[0]
                key, _, val = pair.partition("=")
                cookies[key.strip()] = val.strip()
        return int(lines[0].split()[1])

    return await asyncio.wait_for(fetch(), timeout)


def _widget(key: str, kind: str, proto: Any) -> Widget:
    widget = Widget(key=key, id=proto.id, kind=kind, disabled=bool(getattr(proto, "disabled", 0)))
    if kind in ("selectbox", "radio", "multiselect"):
        widget.options = list(proto.options)
    elif kind == "button_group":  # segmented control, pills: options carry their label
        widget.options = [option.content for option in proto.options]
    return widget


def encode(widget: Widget, value: WidgetValue, state: Any) -> None:
    """Put ``value`` into a ``WidgetState`` as the frontend does for this kind of widget."""
    state.id = widget.id
    if widget.kind in ("selectbox", "radio"):
        state.string_value = str(value)
    elif widget.kind == "number_input":
        state.double_value = float(value)  # type: ignore[arg-type]
    elif widget.kind in ("checkbox", "toggle"):
        state.bool_value = bool(value)
    elif widget.kind == "multiselect":
        state.string_array_value.data.extend(list(value))  # type: ignore[arg-type]
    elif widget.kind == "button_group":  # the chosen labels; one for a single choice
        chosen = [value] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
        state.string_array_value.data.extend(chosen)
    else:
        raise ValueError(f"no encoding for a {widget.kind} widget")


class Session:
    """One tab: cookies, a websocket, a message cache, and the widget values "the user" set.

    ``resume``: the session this one reconnects for, as a tab does after a disconnect: the
    same cookies (so the same route), its session id offered, and no page load.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        use_cache: bool = True,
        resume: Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.use_cache = use_cache
        self.cookies: dict[str, str] = dict(resume.cookies) if resume else {}
        self.resume_id = resume.session_id if resume else None
        self.cache: OrderedDict[str, ForwardMsg] = OrderedDict()
        self.values: dict[str, WidgetValue] = {}
        self.widgets: dict[str, Widget] = {}
        self.session_id: str | None = None
        self.ws: ClientConnection | None = None

    async def open(self) -> None:
        """Load the page (for its cookies), then open the websocket."""
        paths = ("/_stcore/health",) if self.resume_id else ("/", "/_stcore/health")
        try:
            for path in paths:
                status = await http_get(self.base_url + path, self.cookies, self.timeout)
                if status != 200:
                    raise ProtocolError("http", f"GET {path} answered {status}")
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
            raise ProtocolError("http", repr(exc)) from None
        parts = urlsplit(self.base_url)
        # "streamlit", the XSRF token ("-" keeps its place when there is none: the check then
        # fails, as it should), and the session to resume.
        protocols = ["streamlit", self.cookies.get("_streamlit_xsrf", "-")]
        if self.resume_id:
            protocols.append(self.resume_id)
        try:
            self.ws = await connect(
                f"ws://{parts.netloc}/_stcore/stream",
                origin=f"{parts.scheme}://{parts.netloc}",  # type: ignore[arg-type]
                subprotocols=protocols,  # type: ignore[arg-type]
                additional_headers={
                    "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())
                },
                compression=None,  # as Streamlit's default (no websocket compression)
                max_size=None,
                proxy=None,
                open_timeout=self.timeout,
                ping_interval=None,  # the server pings; the client answers by itself
            )
        except (TimeoutError, OSError, InvalidHandshake) as exc:
            raise ProtocolError("connect", repr(exc)) from None

    async def close(self) -> None:
        if self.ws is not None:
            ws, self.ws = self.ws, None
            with contextlib.suppress(TimeoutError, OSError, ConnectionClosed):
                await asyncio.wait_for(ws.close(), 5)

    def _client_state(self, query_string: str) -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query_string
        state.page_script_hash = ""
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base_url}/?{query_string}"
        for key, value in self.values.items():
            widget = self.widgets.get(key)
            if widget is not None:  # only widgets on the page, as the browser sends them
                encode(widget, value, state.widget_states.widgets.add())
        if self.use_cache:
            state.cached_message_hashes.extend(self.cache.keys())
        return msg

    async def rerun(self, query_string: str = "") -> RunResult:
        """Run the script with this query string and the widget values chosen."""
        if self.ws is None:
            raise ProtocolError("disconnect", "not connected")
        msg = self._client_state(query_string)
        result = RunResult()
        start = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
            await asyncio.wait_for(self._read_run(result), self.timeout)
        except TimeoutError:
            raise ProtocolError("timeout", f"no script_finished in {self.timeout:g} s") from None
        except ConnectionClosed as exc:
            raise ProtocolError("disconnect", repr(exc)) from None
        result.seconds = time.perf_counter() - start
        self.widgets = result.widgets
        return result

    async def _read_run(self, result: RunResult) -> None:
        assert self.ws is not None
        while True:
            data = await self.ws.recv(decode=False)
            result.messages += 1
            result.bytes += len(data)
            fmsg = ForwardMsg.FromString(data)
            kind = fmsg.WhichOneof("type")
            if kind == "ref_hash":
                cached = self.cache.get(fmsg.ref_hash)
                if cached is None:
                    raise ProtocolError("cache_miss", fmsg.ref_hash)
                self.cache.move_to_end(fmsg.ref_hash)
                result.refs += 1
                fmsg, kind = cached, cached.WhichOneof("type")
            elif self.use_cache and fmsg.metadata.cacheable and fmsg.hash:
                self.cache[fmsg.hash] = fmsg
                while len(self.cache) > CACHE_ENTRIES:
                    self.cache.popitem(last=False)
            if kind == "new_session":
                result.new_session = True
                self.session_id = fmsg.new_session.initialize.session_id
            elif kind == "delta" and fmsg.delta.WhichOneof("type") == "new_element":
                self._element(fmsg.delta.new_element, result)
            elif kind == "page_info_changed":
                result.query_string = fmsg.page_info_changed.query_string
            elif kind == "script_finished":
                if fmsg.script_finished not in FINISHED_OK:
                    name = ForwardMsg.ScriptFinishedStatus.Name(fmsg.script_finished)
                    raise ProtocolError("status", name)
                return

    @staticmethod
    def _element(element: Any, result: RunResult) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "alert":
            if element.alert.format == Alert.Format.ERROR:
                result.errors.append(element.alert.body)
            elif element.alert.format == Alert.Format.WARNING:
                result.warnings.append(element.alert.body)
        elif kind:
            proto = getattr(element, kind, None)
            wid = getattr(proto, "id", "") if proto is not None else ""
            match = WIDGET_ID.match(wid) if isinstance(wid, str) else None
            if match:
                result.widgets[match["key"]] = _widget(match["key"], kind, proto)

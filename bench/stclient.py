"""A visitor without a browser: Streamlit's own websocket protocol, as its frontend speaks it.

The load benchmark (:mod:`bench.load`) opens dozens of these at once, which
Chromium contexts could not do on two cores without measuring themselves.
A session connects to ``/_stcore/stream`` with the ``streamlit`` subprotocol,
asks for a page with a ``rerun_script`` BackMsg (page name, query string,
widget states), and reads ForwardMsgs until ``script_finished``: what the
server sends and how long it takes are what a browser would receive, without
the drawing. Widgets are found in the deltas as the frontend finds them; a
slider is moved by sending its id with a new value, inside its fragment when
it has one (so the server reruns that fragment alone, as for a real visitor).

Only what the benchmark needs is spoken: sliders and select-sliders, page
changes, file uploads (``PUT /_stcore/upload_file/<session>/<file>`` with the
XSRF cookie and header, then the uploader's widget state).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.cookiejar
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileUploaderState, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

# ForwardMsg.script_finished values that end a run (the others are not sent to us).
FINISHED = {"FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"}


@dataclass(frozen=True)
class Slider:
    """A slider or select-slider as the server described it in a delta."""

    id: str
    label: str
    minimum: float
    maximum: float
    step: float
    default: tuple[float, ...]
    options: tuple[str, ...]  #: a select-slider's formatted options; () for a slider
    fragment_id: str


@dataclass
class Run:
    """One rerun as the visitor saw it: how long, how much, what came back."""

    seconds: float
    messages: int
    bytes: int
    status: str
    sliders: list[Slider] = field(default_factory=list)
    uploaders: list[tuple[str, str]] = field(default_factory=list)  #: (id, fragment id)
    exceptions: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)  #: st.error/warning/info texts


def run_async(coro):
    """Run ``coro`` to completion with ``asyncio.run`` on a thread of its own, so that it
    works where an event loop is already running on this thread (Playwright's sync API
    leaves one in a test process)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def slider_of(element, fragment_id: str) -> Slider | None:
    """The slider an Element proto holds, or None for any other element."""
    if element.WhichOneof("type") != "slider":
        return None
    s = element.slider
    return Slider(
        s.id,
        s.label,
        s.min,
        s.max,
        s.step,
        tuple(s.default),
        tuple(s.options),
        fragment_id,
    )


def slider_state(slider: Slider, position: float) -> WidgetState:
    """The widget state that moves ``slider`` to ``position`` in [0, 1] of its range.

    A slider gets a value on its step grid (every thumb of a range slider the
    same value); a select-slider gets the option at that position.
    """
    state = WidgetState(id=slider.id)
    if slider.options:
        option = slider.options[round(position * (len(slider.options) - 1))]
        state.string_array_value.data[:] = [option] * len(slider.default)
        return state
    span = slider.maximum - slider.minimum
    steps = round(position * span / slider.step) if slider.step > 0 else 0
    value = min(slider.maximum, slider.minimum + steps * slider.step)
    state.double_array_value.data[:] = [value] * len(slider.default)
    return state


def rerun_msg(page: str, query: str, states=(), fragment_id: str = "") -> BackMsg:
    """The BackMsg a browser sends to run ``page`` (its URL name) with ``query``."""
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    msg.rerun_script.widget_states.widgets.extend(states)
    msg.rerun_script.fragment_id = fragment_id
    return msg


class Session:
    """One visitor on one websocket."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.session_id = ""
        self.page = ""
        self.query = ""
        self._ws = None
        self._xsrf = ""
        self._jar = http.cookiejar.CookieJar()
        self._uploaded: dict[str, str] = {}  # uploader id -> URL of the file it holds
        #: Every replica that answered this visitor (a proxy's ``X-Replica`` header).
        self.replicas: set[str] = set()

    async def connect(self) -> None:
        """Fetch the page and the health check (which sets the XSRF cookie, as the
        frontend's first request does), then open the websocket."""
        await asyncio.to_thread(self._fetch_cookies)
        host = urllib.parse.urlsplit(self.base_url).netloc
        headers = {"Origin": self.base_url} | ({"Cookie": self._cookie()} if self._jar else {})
        self._ws = await websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit", self._xsrf or "unused"],
            additional_headers=headers,
            max_size=2**26,
            open_timeout=30,
        )
        self._note_replica(self._ws.response.headers)

    def _fetch_cookies(self) -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self._jar))
        for path in ("/", "/_stcore/health"):
            with opener.open(self.base_url + path, timeout=30) as response:
                response.read()
                self._note_replica(response.headers)
        for cookie in self._jar:
            if cookie.name == "_streamlit_xsrf":
                self._xsrf = cookie.value or ""

    def _cookie(self) -> str:
        """Every cookie the visitor holds (the XSRF token, a proxy's route), as a header."""
        return "; ".join(f"{c.name}={c.value}" for c in self._jar)

    def _note_replica(self, headers) -> None:
        if replica := headers.get("X-Replica"):
            self.replicas.add(replica)

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def open(self, page: str, query: str = "") -> Run:
        """Navigate to ``page`` (``"Convolution"``, ``""`` for home) with ``query``."""
        self.page, self.query = page, query
        return await self.send(rerun_msg(page, query))

    async def move(self, slider: Slider, position: float) -> Run:
        """Move ``slider`` to ``position`` in [0, 1], in its fragment if it has one."""
        state = slider_state(slider, position)
        return await self.send(rerun_msg(self.page, self.query, [state], slider.fragment_id))

    async def send(self, msg: BackMsg, timeout_s: float = 120.0) -> Run:
        """Send ``msg`` and read until the run it starts has finished."""
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        run = Run(0.0, 0, 0, "")
        async with asyncio.timeout(timeout_s):
            while not run.status:
                self._read(await self._ws.recv(), run)
        run.seconds = time.perf_counter() - start
        return run

    def _read(self, data: bytes, run: Run) -> None:
        fwd = ForwardMsg()
        fwd.ParseFromString(data)
        run.messages += 1
        run.bytes += len(data)
        kind = fwd.WhichOneof("type")
        if kind == "new_session":
            self.session_id = fwd.new_session.initialize.session_id or self.session_id
        elif kind == "script_finished":
            run.status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
        elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            self._element(fwd.delta.new_element, fwd.delta.fragment_id, run)

    @staticmethod
    def _element(element, fragment_id: str, run: Run) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            run.exceptions.append(element.exception.message)
        elif kind == "alert":
            run.alerts.append(element.alert.body)
        elif kind == "file_uploader":
            run.uploaders.append((element.file_uploader.id, fragment_id))
        elif (slider := slider_of(element, fragment_id)) is not None:
            run.sliders.append(slider)

    async def upload(self, uploader: tuple[str, str], name: str, data: bytes) -> Run:
        """Upload ``data`` as a browser does (the file it replaces deleted), then rerun
        with the uploader holding it."""
        file_id = uuid.uuid4().hex
        url = f"{self.base_url}/_stcore/upload_file/{self.session_id}/{file_id}"
        if (old := self._uploaded.pop(uploader[0], None)) is not None:
            await asyncio.to_thread(self._request, old, "DELETE")
        await asyncio.to_thread(self._put, url, name, data)
        self._uploaded[uploader[0]] = url
        info = UploadedFileInfo(file_id=file_id, name=name, size=len(data))
        info.file_urls.upload_url = url
        info.file_urls.delete_url = url
        state = WidgetState(id=uploader[0])
        state.file_uploader_state_value.CopyFrom(FileUploaderState(uploaded_file_info=[info]))
        return await self.send(rerun_msg(self.page, self.query, [state], uploader[1]))

    def _put(self, url: str, name: str, data: bytes) -> None:
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f"--{boundary}\r\n".encode(),
                f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'.encode(),
                b"Content-Type: application/octet-stream\r\n\r\n",
                data,
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        self._request(url, "PUT", body, f"multipart/form-data; boundary={boundary}")

    def _request(self, url: str, method: str, body: bytes | None = None, kind: str = "") -> None:
        request = urllib.request.Request(url, data=body, method=method)
        if kind:
            request.add_header("Content-Type", kind)
        request.add_header("X-Xsrftoken", self._xsrf)
        request.add_header("Cookie", self._cookie())
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            self._note_replica(response.headers)

"""Dashboard latencies in a real browser (Debian's Chromium through Playwright).

Three interactions, each timed from the user's action until the page has settled (the
script run finished and the map drew what it was sent), median of five:
- the first page: a new browser session opening the app;
- a marker click to its passages: the biggest marker, until its heading shows;
- a filter change: a new word in "Passage text contains", until the markers are redrawn.

Where the time goes, from the app's WebSocket: the server's script run (the user's
message out to Streamlit's "script finished" back), the bytes st_folium's component was
sent in that run, and the browser's share (script finished to settled: the component's
evaluation of the map and marker JavaScript, and drawing).
"""

from __future__ import annotations

import socket
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
TARGET_S = 1.0
VIEW = {"width": 1400, "height": 1000}
WORDS = ("shelling", "clashes", "convoy", "residents", "aid")


@dataclass
class Run:
    total: float
    script: float | None
    component_bytes: int

    @property
    def browser(self) -> float | None:
        return None if self.script is None else max(self.total - self.script, 0.0)


@dataclass
class Wire:
    """Timestamps and sizes seen on the app's WebSocket."""

    sent: list[float] = field(default_factory=list)
    finished: list[float] = field(default_factory=list)
    component: list[int] = field(default_factory=list)

    def on_socket(self, ws) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        def received(payload) -> None:
            if isinstance(payload, str):
                return
            msg = ForwardMsg.FromString(payload)
            kind = msg.WhichOneof("type")
            if kind == "script_finished":
                self.finished.append(time.perf_counter())
            elif kind == "delta" and b"streamlit_folium" in payload:
                self.component.append(len(payload))

        ws.on("framereceived", received)
        ws.on("framesent", lambda _payload: self.sent.append(time.perf_counter()))

    def mark(self) -> tuple[int, int]:
        return len(self.finished), len(self.component)

    def since(self, start: float, mark: tuple[int, int]) -> tuple[float | None, int]:
        done = [t for t in self.finished[mark[0] :] if t >= start]
        sent = [t for t in self.sent if t >= start]
        script = (done[-1] - sent[0]) if done and sent else None
        return script, sum(self.component[mark[1] :])


SETTLED = """() => {
    const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    if (!f || !f.contentWindow) return false;
    const w = f.contentWindow;
    return !!(w.GeoMap && w.GeoMap._markers && !w.GeoMap._markers.stale && w.GeoMap._base
              && w.GeoMap._base.ready)
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def _settle(page, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(SETTLED, timeout=timeout_ms, polling=20)


def _frame(page):
    return page.wait_for_selector(MAP_IFRAME, timeout=120_000).content_frame()


def _stale(page) -> None:
    _frame(page).evaluate("() => { window.GeoMap._markers.stale = true; }")


def first_page(browser, url: str) -> Run:
    """`browser` a Browser (a new context each time: nothing cached) or a BrowserContext."""
    page = browser.new_page(**({} if hasattr(browser, "browser") else {"viewport": VIEW}))
    wire = Wire()
    page.on("websocket", wire.on_socket)
    mark = wire.mark()
    start = time.perf_counter()
    page.goto(url)
    _settle(page)
    total = time.perf_counter() - start
    script, size = wire.since(start, mark)
    page.close()
    return Run(total, script, size)


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    wire = Wire()
    page.on("websocket", wire.on_socket)
    page.goto(url)
    _settle(page)
    return page, wire


def marker_click(browser, url: str, lat: float, lon: float, name: str) -> Run:
    """Click the marker at (lat, lon), zoomed in so that it is not clustered."""
    page, wire = _open(browser, url)
    handle = page.wait_for_selector(MAP_IFRAME)
    frame = handle.content_frame()
    frame.evaluate(f"() => {{ window.map.setView([{lat}, {lon}], 11, {{animate: false}}); }}")
    page.wait_for_timeout(800)
    x, y = frame.evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]);"
        " return [p.x, p.y]; }"
    )
    box = handle.bounding_box()
    mark = wire.mark()
    start = time.perf_counter()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.get_by_role("heading", name=name).first.wait_for(timeout=120_000)
    _settle(page)
    total = time.perf_counter() - start
    script, size = wire.since(start, mark)
    page.close()
    return Run(total, script, size)


def filter_change(browser, url: str, word: str) -> Run:
    page, wire = _open(browser, url)
    box = page.get_by_label("Passage text contains")
    box.fill(word)
    _stale(page)
    mark = wire.mark()
    start = time.perf_counter()
    box.press("Enter")
    _settle(page)
    total = time.perf_counter() - start
    script, size = wire.since(start, mark)
    page.close()
    return Run(total, script, size)


def _summary(runs: list[Run]) -> tuple[float, str]:
    med = statistics.median(r.total for r in runs)
    scripts = [r.script for r in runs if r.script is not None]
    browsers = [r.browser for r in runs if r.browser is not None]
    sizes = [r.component_bytes for r in runs]
    parts = [f"{med * 1000:.0f} ms (runs: {', '.join(f'{r.total:.2f}' for r in runs)} s)"]
    if scripts:
        parts.append(f"script run {statistics.median(scripts) * 1000:.0f} ms")
    parts.append(f"st_folium sent {statistics.median(sizes) / 1e6:.2f} MB")
    if browsers:
        parts.append(f"browser {statistics.median(browsers) * 1000:.0f} ms")
    return med, "; ".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc, tries: int = 300) -> None:
    """Wait until the dashboard answers /_stcore/health; fail with its stderr if it exits."""
    import urllib.request

    for _ in range(tries):
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard exited: {proc.stderr.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the dashboard did not start")


def measure(db: Path, repeat: int = 5) -> list[tuple[str, float, str]]:
    """[(interaction, median seconds, details)] on a dashboard serving `db`."""
    import subprocess

    from playwright.sync_api import sync_playwright

    from dashboard import labels_build, launch
    from geo.models import Filters
    from geo.store import Store

    with Store.open(str(db)) as store:
        top = store.place_counts(Filters(include_broad=False))[0].place
    if labels_build.is_stale():
        labels_build.build()
    port = free_port()
    results = []
    with tempfile.TemporaryDirectory() as elsewhere:
        proc = subprocess.Popen(
            launch.command(str(Path(db).resolve()), port=port),
            cwd=elsewhere,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                cold = first_page(browser, url)  # fills the server's query caches
                runs = [first_page(browser, url) for _ in range(repeat)]
                med, text = _summary(runs)
                results.append(("first page", med, f"{text}; cold server {cold.total:.2f} s"))
                # A returning user: Streamlit's and the map's files are in the browser cache.
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                runs = [first_page(context, url) for _ in range(repeat + 1)][1:]
                context.close()
                results.append(("first page, browser cache warm", *_summary(runs)))
                runs = [
                    marker_click(browser, url, top.lat, top.lon, top.name) for _ in range(repeat)
                ]
                med, text = _summary(runs)
                results.append((f"marker click to passages ({top.name})", med, text))
                runs = [filter_change(browser, url, WORDS[i % len(WORDS)]) for i in range(repeat)]
                med, text = _summary(runs)
                results.append(("filter change (passage text)", med, text))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    return results

"""Run inside a network namespace with only loopback (tests/test_browser_map.py):

    unshare -n sh -c 'ip link set lo up && exec python tests/offline_probe.py DB'

Starts the dashboard the way `make run` does (`python -m dashboard`), from a folder that is
not the project, loads it in Chromium and prints one JSON report on stdout: every request
the page made, each static asset's status and type, whether the map drew its basemap,
labels and markers, and what the server logged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import ROOT, free_port, launch_browser, map_frame, wait_healthy  # noqa: E402


def main(db: str) -> int:
    from playwright.sync_api import sync_playwright

    port = free_port()
    report: dict = {"requests": [], "failed": [], "assets": {}}
    with tempfile.TemporaryDirectory() as elsewhere:
        log = Path(elsewhere) / "server.log"
        with log.open("w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "dashboard", "--db", db, "--port", str(port)],
                cwd=elsewhere,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=err,
                stderr=subprocess.STDOUT,
                text=True,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_healthy(url, proc)
                with sync_playwright() as pw:
                    browser = launch_browser(pw)
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.on("request", lambda r: report["requests"].append(r.url))
                    page.on("requestfailed", lambda r: report["failed"].append(r.url))

                    def on_response(r) -> None:
                        if "/app/static/" in r.url:
                            kind = r.headers.get("content-type", "")
                            report["assets"][r.url.split("/app/static/")[1]] = [r.status, kind]

                    page.on("response", on_response)
                    page.goto(url)
                    _, frame = map_frame(page)
                    frame.evaluate("() => window.map.setView([35.86, 36.75], 10, {animate: false})")
                    frame.wait_for_function(
                        "window.GeoMap._labels.zoom === 10 && window.GeoMap._labels.placed.length"
                        " && window.GeoMap._base.level === '10m' && window.GeoMap._base.ready",
                        timeout=30_000,
                    )
                    page.wait_for_timeout(1000)
                    report["labels"] = frame.evaluate("() => window.GeoMap._labels.placed")
                    report["markers"] = frame.evaluate("() => window.GeoMap._markers.layers.length")
                    report["cells"] = frame.evaluate("() => Object.keys(window.GeoMap._base.drawn)")
                    browser.close()
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        report["server_log"] = log.read_text()
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))

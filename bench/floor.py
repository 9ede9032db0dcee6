"""The floor under the browser latencies: Streamlit and st_folium with (almost) no app.

Timed on the same harness, machine and load as bench/browser.py, median of five:
- a bare page: a Streamlit app with one st.write, opened in a new browser context;
- an empty map: the dashboard's base map (basemap, labels, no markers) through st_folium;
- a rerun: on that map page, a word typed into a text box until the script wrote it back.

No dashboard can open, or answer a widget, faster than these on this machine: they bound
what the first page, a marker click and a filter change can reach.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.browser import ARGS, CHROMIUM, free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent

BARE_APP = 'import streamlit as st\nst.write("floor page")\n'
MAP_APP = f"""import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from streamlit_folium import st_folium
from dashboard import maps
word = st.text_input("Word")
st.write(f"wrote {{word}}")
st_folium(maps.build_base_map(), key="map", height=560, use_container_width=True,
          returned_objects=["last_object_clicked"])
"""
IDLE = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
BARE_DONE = f"""() => [...document.querySelectorAll('p')].some(p => p.textContent === 'floor page')
    && {IDLE}"""
MAP_DONE = f"""() => {{
    const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    const w = f && f.contentWindow;
    return !!(w && w.map && w.GeoMap && w.GeoMap._base && w.GeoMap._base.ready) && {IDLE};
}}"""


def _wrote(word: str) -> str:
    return f"""() => [...document.querySelectorAll('p')].some(p => p.textContent === 'wrote {word}')
        && {IDLE}"""


def _serve(app: Path) -> tuple[subprocess.Popen, str]:
    from dashboard import launch

    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), *launch.server_flags(port=port)]
    proc = subprocess.Popen(
        cmd, cwd=app.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    return proc, url


def _first_pages(browser, url: str, done: str, repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat + 1):  # the first one warms the server
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(done, timeout=120_000, polling=20)
        runs.append(time.perf_counter() - start)
        page.close()
    return runs[1:]


def _reruns(browser, url: str, repeat: int) -> list[float]:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.wait_for_function(MAP_DONE, timeout=120_000, polling=20)
    box = page.get_by_label("Word")
    runs = []
    for i in range(repeat):
        word = f"w{i}"
        box.fill(word)
        start = time.perf_counter()
        box.press("Enter")
        page.wait_for_function(_wrote(word), timeout=120_000, polling=20)
        runs.append(time.perf_counter() - start)
    page.close()
    return runs


def _text(runs: list[float]) -> tuple[float, str]:
    med = statistics.median(runs)
    return med, f"{med * 1000:.0f} ms (runs: {', '.join(f'{r:.2f}' for r in runs)} s)"


def measure(repeat: int = 5) -> list[tuple[str, float, str]]:
    """[(what, median seconds, details)] for the three floors."""
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        here = Path(folder)
        # Streamlit serves <app folder>/static: the dashboard's Leaflet, basemap and labels.
        os.symlink(ROOT / "dashboard" / "static", here / "static")
        (here / "bare.py").write_text(BARE_APP, encoding="utf-8")
        (here / "map.py").write_text(MAP_APP, encoding="utf-8")
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            proc, url = _serve(here / "bare.py")
            try:
                results.append(
                    ("bare Streamlit page", *_text(_first_pages(browser, url, BARE_DONE, repeat)))
                )
            finally:
                proc.terminate()
                proc.wait(timeout=20)
            proc, url = _serve(here / "map.py")
            try:
                results.append(
                    ("empty map page", *_text(_first_pages(browser, url, MAP_DONE, repeat)))
                )
                results.append(("rerun on the map page", *_text(_reruns(browser, url, repeat))))
            finally:
                proc.terminate()
                proc.wait(timeout=20)
        finally:
            browser.close()
    return results

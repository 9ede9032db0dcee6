"""Start the dashboard with its settings on the command line, from any working folder.

    python -m dashboard [--db PATH] [--port 8501] [--address 127.0.0.1] [--tiles PATH]

Streamlit reads .streamlit/config.toml from the working folder only, so started elsewhere
it would serve no static files (blank map), post usage statistics, allow 200 MB uploads and
look up the machine's external IP. Every setting that matters is therefore passed as a
`streamlit run` flag here; .streamlit/config.toml repeats them for a bare `streamlit run`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
DEFAULT_ADDRESS = "127.0.0.1"  # loopback only unless the user asks for more
UPLOAD_LIMIT_MB = 10


def server_flags(address: str = DEFAULT_ADDRESS, port: int = 8501) -> list[str]:
    """`streamlit run` options that do not depend on the working folder."""
    settings = {
        "server.address": address,
        "server.port": str(port),
        "server.headless": "true",
        # dashboard/static at /app/static: Leaflet, the basemap and the labels.
        "server.enableStaticServing": "true",
        "server.enableXsrfProtection": "true",
        "server.enableCORS": "true",
        "server.maxUploadSize": str(UPLOAD_LIMIT_MB),
        "server.fileWatcherType": "none",
        "browser.gatherUsageStats": "false",
        # A fixed address stops headless Streamlit from asking an outside service for the
        # machine's external IP at start-up.
        "browser.serverAddress": "localhost" if address in ("127.0.0.1", "::1") else address,
        "browser.serverPort": str(port),
        "client.toolbarMode": "minimal",
    }
    flags: list[str] = []
    for key, value in settings.items():
        flags += [f"--{key}", value]
    return flags


def command(
    db: str | None = None,
    *,
    address: str = DEFAULT_ADDRESS,
    port: int = 8501,
    python: str = sys.executable,
) -> list[str]:
    """The full `python -m streamlit run ...` command line (app path made absolute)."""
    cmd = [python, "-m", "streamlit", "run", str(APP), *server_flags(address, port), "--"]
    if db:
        cmd += ["--db", db]
    return cmd


def prepare(tiles: str | None = None) -> None:
    """Build the label files if missing or stale; set up the user's offline tiles."""
    from dashboard import basemap, labels_build

    if labels_build.is_stale():
        print("building basemap labels from data/gazetteer.csv ...", file=sys.stderr)
        labels_build.build()
    if tiles:
        found = basemap.prepare_user_tiles(Path(tiles))
        print(f"offline tiles from {tiles}: {found.url}", file=sys.stderr)
    else:
        basemap.clear_user_tiles()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=os.environ.get("GEO_DB"), help="store path or URL")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument(
        "--address", default=DEFAULT_ADDRESS, help="address to listen on (default: loopback)"
    )
    parser.add_argument(
        "--tiles", default=os.environ.get("GEO_TILES"), help="MBTiles file or z/x/y folder"
    )
    args = parser.parse_args(argv)
    try:
        prepare(args.tiles)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cmd = command(args.db, address=args.address, port=args.port)
    os.execv(cmd[0], cmd)
    return 0  # not reached

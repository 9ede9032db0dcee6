"""Issue 14, item 11: the dashboard started as `make run` starts it listens on 127.0.0.1 only.

Sharing it on a network is the explicit `make run HOST=0.0.0.0`, which warns who can then
reach it (README, "Limits and failure behaviour").
"""

from __future__ import annotations

import shlex
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _make_run_command(**variables: str) -> str:
    """The dashboard's command line in `make run`, as make would run it."""
    settings = [f"{k}={v}" for k, v in variables.items()]
    dry = subprocess.run(
        ["make", "-n", "run", *settings], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    [line] = [line for line in dry.splitlines() if " -m dashboard --" in line]
    return line


def _listening(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        for row in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, raw))
    return found


def test_make_run_serves_the_dashboard_on_loopback_only(tmp_path: Path) -> None:
    port = _free_port()
    command = _make_run_command(PORT=str(port), DB=str(tmp_path / "geo.sqlite"))
    assert "--address 127.0.0.1" in command
    server = subprocess.Popen(
        shlex.split(command), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "streamlit exited"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health") as r:
                    if r.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, "streamlit did not start within 60 s"
                time.sleep(0.2)
        assert _listening(port) == {"127.0.0.1"}
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_sharing_on_a_network_is_explicit_and_warned() -> None:
    shared = _make_run_command(HOST="0.0.0.0")
    assert "--address 0.0.0.0" in shared
    recipe = subprocess.run(
        ["make", "-n", "run", "HOST=0.0.0.0"], cwd=REPO, capture_output=True, text=True
    ).stdout
    assert "WARNING: the dashboard listens on 0.0.0.0" in recipe and "no login" in recipe
    config = (REPO / ".streamlit" / "config.toml").read_text()
    assert 'address = "127.0.0.1"' in config

"""The marker data as content-addressed static files: written once, touched, pruned."""

from __future__ import annotations

import json
import os
from pathlib import Path

from dashboard import maps, marker_files
from tests.test_maps import COUNTS


def test_the_same_markers_are_one_file_named_by_their_content(tmp_path: Path) -> None:
    content = marker_files.payload_bytes(maps.marker_rows(COUNTS))
    name = marker_files.publish(content, tmp_path)
    assert marker_files.publish(content, tmp_path) == name
    assert [p.name for p in tmp_path.iterdir()] == [name]
    assert (tmp_path / name).read_bytes() == content
    data = json.loads(content)
    assert sorted(r[6] for r in data["rows"]) == ["Ankara", "Saraqeb", "Sochi"]
    assert data["cluster"] is False and data["nameZoom"] == maps.NAME_ZOOM
    other = marker_files.payload_bytes(maps.marker_rows(COUNTS[:2]))
    assert marker_files.publish(other, tmp_path) != name


def test_a_run_sends_the_url_and_the_selection_not_the_rows() -> None:
    markers = maps.marker_rows(COUNTS)
    sent = marker_files.selection_json(markers, "/app/static/markers/x.json", COUNTS[0].place)
    data = json.loads(json.loads(sent.removeprefix("JSON.parse(").removesuffix(")")))
    assert set(data) == {"url", "selected", "selectedZoom", "fit"}
    assert data["selected"][3] == "Saraqeb" and data["selectedZoom"] == 11


def test_old_files_are_pruned_and_a_used_one_survives(tmp_path: Path) -> None:
    names = []
    for i in range(6):
        names.append(marker_files.publish(f'{{"rows": [{i}]}}'.encode(), tmp_path, keep=100))
        os.utime(tmp_path / names[-1], (1_000_000 + i, 1_000_000 + i))
    (tmp_path / ".tmp-half-written.json").write_bytes(b"{")
    marker_files.publish(b'{"rows": [0]}', tmp_path, keep=100)  # the oldest, used again
    gone = marker_files.prune(tmp_path, keep=3)
    assert sorted(gone) == sorted(names[1:4])
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {names[0], names[4], names[5], ".tmp-half-written.json"}
    # A new file prunes the folder by itself.
    marker_files.publish(b'{"rows": [9]}', tmp_path, keep=2)
    assert len([n for n in os.listdir(tmp_path) if not n.startswith(".")]) == 2


def test_the_marker_folder_is_served_static_and_kept_out_of_git() -> None:
    assert marker_files.MARKER_DIR.parent.name == "static"
    assert marker_files.MARKER_URL == "/app/static/markers"
    ignored = (Path(__file__).resolve().parent.parent / ".gitignore").read_text()
    assert "dashboard/static/markers/" in ignored.splitlines()

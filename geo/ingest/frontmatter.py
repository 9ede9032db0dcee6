"""Front matter: a YAML block between "---" lines opening a text or Markdown file."""

from __future__ import annotations

import datetime as dt
import logging
import re

log = logging.getLogger(__name__)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def _value(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):  # "author: [A, B]"
        return ", ".join(str(v) for v in value if v is not None)
    return "" if value is None else str(value).strip()


def _loader() -> type:
    """PyYAML's safe loader without timestamp parsing: dates stay strings, so a bad one
    ("2020-13-45") is warned about by the date reader instead of failing the whole block."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def split_front_matter(text: str, name: str = "") -> tuple[dict[str, str], str]:
    """(metadata, body) when the text opens with a --- YAML block, else ({}, text).

    Parsed with PyYAML's safe loader, so quoting works as YAML says (`title: "He said 'no'"`
    keeps its inner quotes). A block that is not valid YAML, or not a mapping, is left in
    the text with a warning rather than guessed at.
    """
    import yaml  # imported lazily: only files with front matter need it

    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        data = yaml.load(match.group(1), Loader=_loader())  # noqa: S506 (a SafeLoader)
    except (yaml.YAMLError, ValueError) as exc:
        log.warning("%s: front matter is not valid YAML (%s); read as text", name, exc)
        return {}, text
    if not isinstance(data, dict):
        log.warning("%s: front matter is not a list of 'key: value' lines; read as text", name)
        return {}, text
    meta = {str(k).strip().lower(): _value(v) for k, v in data.items() if k is not None}
    return meta, text[match.end() :].strip()

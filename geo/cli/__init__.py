"""The command line, `python -m geo`. Uses every other room; nothing imports it but __main__."""

from geo.cli.main import build_parser, main

__all__ = ["build_parser", "main"]

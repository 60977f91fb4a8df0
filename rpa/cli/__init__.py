"""The ``rpa`` command line: the typer app (``app``) and one small module per command."""

from rpa.cli.app import app

__all__ = ["app"]

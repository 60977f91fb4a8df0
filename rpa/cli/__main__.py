"""``python -m rpa.cli``: the same as the ``rpa`` command."""

from rpa.cli.app import app

app()

"""How a CLI command gives up: one line on stderr and a non-zero exit (a leaf module, so the command
modules need not import gandeng.cli, which imports them)."""
import sys

import click

from gandeng.db import db


def fail(message: str):
    """Exit non-zero with a one-line reason on stderr, after undoing the transaction."""
    db.session.rollback()
    click.echo(message, err=True)
    sys.exit(1)

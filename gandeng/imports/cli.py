"""`flask import needs FILE` and `flask import offers FILE`: all-or-nothing bulk imports."""
from pathlib import Path

import click
from flask.cli import with_appcontext

from gandeng.cli_exit import fail
from gandeng.db import db
from gandeng.imports import needs, offers, sister
from gandeng.imports.readers import ImportFileError, read_rows

KINDS = {
    "needs": (needs.REQUIRED, needs.OPTIONAL, needs.import_needs, "verified"),
    "offers": (offers.REQUIRED, offers.OPTIONAL, offers.import_offers, "active"),
    "kampung": (sister.KAMPUNG_REQUIRED, (), sister.import_kampung, "verified, created or updated"),
    "sister-partners": (sister.PARTNER_REQUIRED, sister.PARTNER_OPTIONAL, sister.import_sister_partners,
                        "sister profiles, created or updated"),
}
from gandeng.nglarisi import imports as nglarisi_imports  # noqa: E402  (issue 18)

KINDS["groups"] = (nglarisi_imports.REQUIRED, nglarisi_imports.OPTIONAL, nglarisi_imports.import_groups, "verified")


@click.group("import")
def import_group():
    """Import needs, offers, kampung or sister partners from a CSV (UTF-8, comma) or XLSX file; any bad
    row rejects the file."""


def _run(kind: str, file: str) -> None:
    required, optional, importer, status = KINDS[kind]
    path = Path(file)
    if not path.is_file():
        fail(f"import {kind}: no such file: {file}")
    try:
        rows = read_rows(path, required, optional)
    except ImportFileError as error:
        fail(f"import {kind}: {error}")
    result = importer(db.session, rows)
    if not result.ok:
        for error in result.errors:
            click.echo(str(error), err=True)
        fail(f"import {kind}: {path.name} rejected: {result.bad_rows} bad row(s) of {len(rows)}; "
             "nothing was imported")
    db.session.commit()
    extra = "".join(f", {count} new {name}" for name, count in result.new.items())
    click.echo(f"imported {result.created} {kind} ({status}) from {path.name}{extra}")


@import_group.command("needs")
@click.argument("file")
@with_appcontext
def import_needs_command(file):
    """Needs from FILE; they arrive verified, their kampung are created if missing."""
    _run("needs", file)


@import_group.command("offers")
@click.argument("file")
@with_appcontext
def import_offers_command(file):
    """Offers from FILE; they arrive active, their organisations are created if missing."""
    _run("offers", file)


@import_group.command("kampung")
@click.argument("file")
@with_appcontext
def import_kampung_command(file):
    """Kampung with households, KMS households and themes from FILE; created or updated, verified."""
    _run("kampung", file)


@import_group.command("sister-partners")
@click.argument("file")
@with_appcontext
def import_sister_partners_command(file):
    """Campus and company sister profiles (home kelurahan, capacity, themes) from FILE."""
    _run("sister-partners", file)


@import_group.command("groups")
@click.argument("file")
@with_appcontext
def import_groups_command(file):
    """Kelompok (Nglarisi) from FILE; they arrive verified with one menu item each."""
    _run("groups", file)

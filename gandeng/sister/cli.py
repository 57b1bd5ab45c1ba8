"""`flask sister pair --year YYYY` and `flask sister export --year YYYY FILE.csv` (contract: Sister pairing)."""
import csv
from pathlib import Path

import click
from flask.cli import with_appcontext

from gandeng.cli import fail
from gandeng.db import db
from gandeng.errors import DomainError


@click.group("sister")
def sister_group():
    """Sister pairing: one campus and one company for every verified kampung, each year."""


def _km(value) -> str:
    return "-" if value is None else f"{value:.1f} km"


@sister_group.command("pair")
@click.option("--year", type=int, required=True)
@click.option("--solver", type=click.Choice(["auto", "networkx", "ortools"]), default="auto",
              help="min-cost flow solver (auto: networkx for small cities, OR-Tools at size)")
@with_appcontext
def pair_command(year, solver):
    """Compute the year's pairing and store it as the draft (replacing an earlier draft, never a published one)."""
    from gandeng.accounts.models import Organisation
    from gandeng.sister.services import kemantren_distances, run_pairing, summarise

    try:
        sister_round, skipped = run_pairing(db.session, None, year, solver)
    except DomainError as error:
        fail(f"sister pair: {error.message}")
    summary = summarise(db.session, sister_round)
    by_kemantren = kemantren_distances(db.session, sister_round)
    db.session.commit()
    click.echo(f"sister pair {year}: draft with {summary.kampung} kampung, {summary.complete} with a campus and a "
               f"company, {summary.without_campus} without a campus, {summary.without_company} without a company")
    click.echo(f"mean distance: campus {_km(summary.mean_campus_km)}, company {_km(summary.mean_company_km)}")
    if summary.largest_load:
        click.echo(f"largest load: {summary.largest_load_partner} {summary.largest_load}/"
                   f"{summary.largest_load_capacity}")
    if by_kemantren:
        far = by_kemantren[0]
        click.echo(f"farthest-served kemantren: {far.kemantren} (campus mean {_km(far.mean_campus_km)}, worst "
                   f"{_km(far.worst_campus_km)}; company mean {_km(far.mean_company_km)}, worst "
                   f"{_km(far.worst_company_km)})")
    for organisation_id, why in sorted(skipped.items()):
        reason = "no home kelurahan" if why == "no_home_base" else "capacity 0"
        click.echo(f"left out: {db.session.get(Organisation, organisation_id).name} ({reason})")
    click.echo(f"solved in {sister_round.seconds:.2f} s ({sister_round.solver or '-'})")


@sister_group.command("export")
@click.option("--year", type=int, required=True)
@click.argument("file")
@with_appcontext
def export_command(year, file):
    """Write the year's pairing (draft or published) to FILE.csv, one row per kampung."""
    from gandeng.sister.services import EXPORT_COLUMNS, export_rows, round_of

    sister_round = round_of(db.session, year)
    if sister_round is None:
        fail(f"sister export: no pairing for {year} (run `sister pair --year {year}` first)")
    rows = export_rows(db.session, sister_round)
    path = Path(file)
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=EXPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    except OSError as error:
        fail(f"sister export: cannot write {file} ({error.strerror})")
    click.echo(f"exported {len(rows)} kampung of the {sister_round.status} pairing {year} to {path.name}")


@sister_group.command("remove-partner")
@click.option("--year", type=int, required=True)
@click.argument("organisation")
@with_appcontext
def remove_partner_command(year, organisation):
    """ORGANISATION leaves the published pairing of the year: only its kampung get a new partner."""
    from gandeng.accounts.services import find_organisation
    from gandeng.sister.services import remove_partner

    found = find_organisation(db.session, organisation)
    if found is None:
        fail(f"sister remove-partner: unknown organisation '{organisation}'")
    try:
        pairs = remove_partner(db.session, None, year, found)
    except DomainError as error:
        fail(f"sister remove-partner: {error.message}")
    side = "campus" if found.type == "kampus" else "company"
    lines = []
    for pair in pairs:
        partner = getattr(pair, side)
        lines.append(f"{pair.kampung.name}: {partner.name if partner else 'unpaired'}")
    db.session.commit()
    click.echo(f"{found.name} removed from {year} (capacity 0); {len(pairs)} kampung re-paired")
    for line in lines:
        click.echo(f"  {line}")


@sister_group.command("remind")
@with_appcontext
def remind_command():
    """Remind the parties of each published pair whose quarterly report is late (once per pair and quarter;
    the worker does the same every minute)."""
    from gandeng.db import utcnow
    from gandeng.sister.work import remind_late_reports

    sent = remind_late_reports(db.session, utcnow())
    db.session.commit()
    click.echo(f"sister remind: {sent} late quarterly report(s) reminded")

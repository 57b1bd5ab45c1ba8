"""`flask import needs|offers FILE` (being built)."""
import click


@click.group("import")
def import_group():
    """Import needs or offers from a CSV or XLSX file."""

"""Demo data (being built)."""
import click


@click.command("seed-demo")
def seed_demo_command():
    """Demo users, kampung, organisations, needs and offers (idempotent)."""
    click.echo("seed-demo: not yet")

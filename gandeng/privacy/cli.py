"""`flask --app app privacy …`: the retention purge, naming the DPO, and the records-table check."""
import click
from flask import current_app
from flask.cli import with_appcontext

from gandeng.cli_exit import fail
from gandeng.db import db, utcnow


@click.group("privacy")
def privacy_group():
    """Personal-data protection (UU 27/2022): retention purge, DPO, records check."""


@privacy_group.command("purge")
@click.option("--dry-run", is_flag=True, help="list what would be anonymised; change nothing")
@click.option("--months", type=int, default=None, help="override PRIVACY_RETENTION_MONTHS")
@with_appcontext
def purge_command(dry_run, months):
    """Anonymise names, phones and attachments of needs closed more than N months ago; print the report."""
    from gandeng.privacy.records import retention_months
    from gandeng.privacy.retention import purge, report_lines

    months = retention_months(current_app.config) if months is None else months
    if months < 1:
        fail("privacy purge: --months must be at least 1")
    removed = purge(db.session, utcnow(), months, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report_lines(removed, dry_run):
        click.echo(line)


@privacy_group.command("dpo")
@click.argument("email")
@click.option("--off", is_flag=True, help="take the DPO permission away")
@with_appcontext
def dpo_command(email, off):
    """Give (or with --off take) a staff or admin account the data protection officer's permission."""
    from gandeng.accounts.models import Role
    from gandeng.accounts.services import user_by_email
    from gandeng.audit.services import record

    user = user_by_email(db.session, email)
    if user is None:
        fail(f"privacy dpo: no account with e-mail {email}")
    if user.role not in (Role.STAFF, Role.ADMIN):
        fail("privacy dpo: only a staff or admin account can be the DPO")
    user.dpo = not off
    record(db.session, None, "user.dpo", user, after={"dpo": user.dpo})
    db.session.commit()
    click.echo(f"{'removed DPO permission from' if off else 'DPO permission given to'} user {user.id}")


@privacy_group.command("check")
@with_appcontext
def check_command():
    """Compare the records of processing with the database, the templates and the exports."""
    from gandeng.privacy.coverage import all_findings

    findings = all_findings()
    for finding in findings:
        click.echo(finding)
    if findings:
        fail(f"privacy check: {len(findings)} finding(s)")
    click.echo("records of processing cover every personal column, page and export")

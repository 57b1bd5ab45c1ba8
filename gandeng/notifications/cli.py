"""`flask --app app outbox send`: send the e-mails that are due (run every minute by cron or a timer)."""
import click
from flask import current_app
from flask.cli import with_appcontext

from gandeng.db import db, utcnow


@click.group("outbox")
def outbox_group():
    """The e-mail outbox."""


@outbox_group.command("send")
@click.option("--limit", default=100, show_default=True, help="e-mails per batch (one SMTP connection each)")
@click.option("--max-batches", default=50, show_default=True, help="stop after this many batches")
@with_appcontext
def send_command(limit, max_batches):
    """Send every e-mail that is due; failures are kept and retried later with back-off."""
    from gandeng.notifications.outbox import send_pending

    sent = failed = 0
    result = {"configured": True, "waiting": 0}
    for _ in range(max(max_batches, 1)):
        result = send_pending(db.session, utcnow(), current_app.config, limit=max(limit, 1))
        db.session.commit()  # after each batch: what went out stays marked sent
        sent += result.get("sent", 0)
        failed += result.get("failed", 0)
        if not result["configured"] or result["sent"] + result["failed"] < limit:
            break
    if not result["configured"]:
        click.echo(f"MAIL_SERVER not set: nothing sent; {result['waiting']} e-mails wait in the outbox")
        return
    click.echo(f"sent {sent}, failed {failed} (will be retried), {result['waiting']} still unsent")

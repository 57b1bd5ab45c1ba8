"""`flask --app app outbox send` (WhatsApp and e-mail that are due) and `outbox remind` (due reminders).
Run both every minute by cron or a timer, or let `flask worker` do it when REDIS_URL is set."""
import click
from flask import current_app
from flask.cli import with_appcontext

from gandeng.db import db, utcnow


@click.group("outbox")
def outbox_group():
    """The outbox: WhatsApp and e-mail."""


@outbox_group.command("send")
@click.option("--limit", default=100, show_default=True, help="messages per batch")
@click.option("--max-batches", default=50, show_default=True, help="stop after this many batches")
@with_appcontext
def send_command(limit, max_batches):
    """Send every message that is due; failures are retried with back-off (5 tries, then failed)."""
    from gandeng.notifications.outbox import send_due

    totals = {"sent": 0, "failed": 0, "gave_up": 0}
    result = {"configured": False, "waiting": 0}
    for _ in range(max(max_batches, 1)):
        result = send_due(db.session, utcnow(), current_app.config, limit=max(limit, 1))
        for key in totals:
            totals[key] += result.get(key, 0)
        if not result["configured"] or result["sent"] + result["failed"] + result["gave_up"] < limit:
            break
    if not result["configured"]:
        click.echo(f"neither MAIL_SERVER nor WHATSAPP_API_URL set: nothing sent; {result['waiting']} messages "
                   "wait in the outbox")
        return
    click.echo(f"sent {totals['sent']}, failed {totals['failed']} (will be retried), gave up {totals['gave_up']}, "
               f"{result['waiting']} still unsent")


@outbox_group.command("remind")
@with_appcontext
def remind_command():
    """Queue the reminders that are due (partner not confirmed in 3 days, no report in 30 days)."""
    from gandeng.notifications.reminders import send_reminders

    counts = send_reminders(db.session, utcnow())
    db.session.commit()
    click.echo(f"reminders queued: {counts['confirm']} to confirm, {counts['report']} to report progress, "
               f"{counts.get('sister_report', 0)} sister quarterly reports late")

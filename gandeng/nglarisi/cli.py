"""`flask --app app orders expire`: move offers not accepted within ORDER_ACCEPT_MINUTES to the next group.
`flask --app app nglarisi recurate-remind`: remind groups (and staff) of the yearly re-curation."""
import click
from flask.cli import with_appcontext


@click.group("orders")
def orders_group():
    """Nglarisi orders (issue 18)."""


@orders_group.command("expire")
@click.option("--enqueue", is_flag=True, help="hand the round to the RQ worker on REDIS_URL instead")
@with_appcontext
def expire_command(enqueue):
    """Move expired offers on, remind groups before expiry and the day before delivery; for cron (the
    worker also does it every minute)."""
    from flask import current_app

    from gandeng.cli_exit import fail
    from gandeng.nglarisi import jobs

    if enqueue:
        url = current_app.config.get("REDIS_URL")
        if not url:
            fail("orders expire: --enqueue needs REDIS_URL")
        job = jobs.enqueue_expiry(url)
        click.echo(f"queued {job.id}")
        return
    counts = jobs.run_expiry(current_app._get_current_object())
    click.echo(f"{counts['expired']} expired offer(s) moved on, {counts['reminded']} reminder(s), "
               f"{counts['day_before']} day-before reminder(s)")


@click.group("nglarisi")
def nglarisi_group():
    """Nglarisi groups (issue 18)."""


@nglarisi_group.command("recurate-remind")
@with_appcontext
def recurate_remind_command():
    """Remind verified groups curated 11 months ago or more (and staff), once per curation year; for cron
    (the worker also does it every minute)."""
    from gandeng.db import db, utcnow
    from gandeng.nglarisi.recuration import remind

    count = remind(db.session, utcnow())
    db.session.commit()
    click.echo(f"{count} group(s) reminded of their yearly re-curation")

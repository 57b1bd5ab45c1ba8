"""Flask CLI commands of the contract: init-db, seed-demo, create-user, import."""
import click
from flask.cli import with_appcontext

from gandeng.cli_exit import fail
from gandeng.db import db
from gandeng.errors import DomainError


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or migrate the schema to head and load reference data (idempotent)."""
    from gandeng.reference.services import load_reference_data
    from gandeng.schema import upgrade_to_head

    upgrade_to_head()
    counts = load_reference_data(db.session)
    db.session.commit()
    click.echo(
        "database at head; reference data: "
        f"{counts['kemantren']} kemantren, {counts['kelurahan']} kelurahan, "
        f"{counts['categories']} categories added"
    )


@click.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
# Roles and types are checked in the command, not by click.Choice, so that a bad value gets the
# contract's one-line reason instead of click's multi-line usage error.
@click.option("--role", required=True, help="admin, staff, coordinator, partner, office or group")
@click.option("--password", required=True)
@click.option("--kampung", default=None, help="kampung name (coordinator)")
@click.option("--kelurahan", default=None, help="kelurahan name or code (coordinator)")
@click.option("--organisation", default=None, help="organisation name (partner)")
@click.option("--org-type", default=None, help="korporat, kampus or komunitas (new organisation)")
@click.option("--office", default=None, help="city office name (office; created if missing)")
@click.option("--group", "group_name", default=None, help="kelompok name (group; the group must exist)")
@click.option("--phone", default="", help="phone/WhatsApp number (0812…, +62 812…, 62812…); counts as consent "
                                         "for service messages on WhatsApp")
@with_appcontext
def create_user_command(email, name, role, password, kampung, kelurahan, organisation, org_type, office, group_name,
                        phone):
    """Create an active user; a coordinator's kampung or a partner's organisation is created if missing."""
    from gandeng.accounts import services
    from gandeng.reference.services import find_kelurahan

    kampung_row = organisation_row = None
    if role not in ("admin", "staff", "coordinator", "partner", "office", "group"):
        fail(f"create-user: unknown role '{role}' (admin, staff, coordinator, partner, office or group)")
    if org_type is not None and org_type not in ("korporat", "kampus", "komunitas"):
        fail(f"create-user: unknown --org-type '{org_type}' (korporat, kampus or komunitas)")
    try:
        if role == "coordinator":
            if not kampung or not kelurahan:
                fail("create-user: a coordinator needs --kampung and --kelurahan")
            found = find_kelurahan(db.session, kelurahan)
            if found is None:
                fail(f"create-user: unknown kelurahan '{kelurahan}' (run init-db first?)")
            kampung_row = services.get_or_create_kampung(db.session, kampung, found.code, verified=True)
        if role == "partner":
            if not organisation:
                fail("create-user: a partner needs --organisation (and --org-type if it is new)")
            organisation_row = services.find_organisation(db.session, organisation)
            if organisation_row is None:
                if not org_type:
                    fail("create-user: new organisation needs --org-type korporat|kampus|komunitas")
                organisation_row = services.get_or_create_organisation(
                    db.session, organisation, org_type, verified=True
                )
        user = services.create_user(
            db.session, None, email=email, name=name, role=role, password=password,
            kampung=kampung_row, organisation=organisation_row, phone=phone,
        )
        if role in ("office", "group"):
            _link_nglarisi(user, office, group_name)
        if user.phone:
            from gandeng.notifications.preferences import grant_whatsapp_consent

            grant_whatsapp_consent(db.session, user)
    except DomainError as error:
        fail(f"create-user: {error.message}")
    db.session.commit()
    click.echo(f"created {user.role} {user.email} (id {user.id})")


def _link_nglarisi(user, office: str | None, group_name: str | None) -> None:
    """Issue 18: an office user acts for its office (created if missing), a group user for its group."""
    from gandeng.nglarisi import services as nglarisi

    if user.role == "office":
        if not office:
            fail("create-user: an office user needs --office NAME")
        nglarisi.link_account(db.session, user, office=nglarisi.get_or_create_office(db.session, office))
    else:
        if not group_name:
            fail("create-user: a group user needs --group NAME")
        group = nglarisi.find_group(db.session, group_name)
        if group is None:
            fail(f"create-user: unknown group '{group_name}' (import groups FILE first)")
        nglarisi.link_account(db.session, user, group=group)


def register_cli(app):
    """Attach the commands to `flask --app app`."""
    from gandeng.backup import backup_command, restore_command
    from gandeng.cli_lazy import LazyCommand
    from gandeng.notifications.cli import outbox_group
    from gandeng.sister.cli import sister_group
    from gandeng.privacy.cli import privacy_group  # issue 19
    from gandeng.nglarisi.cli import nglarisi_group, orders_group  # issue 18

    # Imported when used (the services they drive are a fifth of the start-up; issue 15).
    seed_demo_command = LazyCommand("seed-demo", "gandeng.demo:seed_demo_command")
    import_group = LazyCommand("import", "gandeng.imports.cli:import_group")
    match_group = LazyCommand("match", "gandeng.proposals.cli:match_group")
    worker_command = LazyCommand("worker", "gandeng.proposals.cli:worker_command")
    for command in (init_db_command, seed_demo_command, create_user_command, import_group, outbox_group,
                    match_group, worker_command, backup_command, restore_command, sister_group, privacy_group,
                    orders_group, nglarisi_group):
        app.cli.add_command(command)

"""`flask seed-demo`: demo users, kampung, organisations, needs, offers and collaborations (idempotent).

Everything goes through the same services as the web pages, so the audit trail is written too.
Objects are found again by e-mail, name or `ref` (DEMO-…), so a second run adds nothing."""
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from gandeng import demo_data as data
from gandeng.accounts import services as accounts
from gandeng.accounts.models import Role
from gandeng.cli_exit import fail
from gandeng.db import db
from gandeng.demo_collaborations import seed_collaborations
from gandeng.errors import DomainError
from gandeng.formatting import today_wib
from gandeng.needs import services as needs
from gandeng.needs.models import Need
from gandeng.offers import services as offers
from gandeng.offers.models import Offer, OfferStatus
from gandeng.reference.models import Kelurahan
from gandeng.reference.services import find_kelurahan


class Seeder:
    """Creates what is missing and counts what it created."""

    def __init__(self, session):
        self.session = session
        self.today = today_wib()
        self.added = {"users": 0, "kampung": 0, "organisations": 0, "needs": 0, "offers": 0, "collaborations": 0}

    def user(self, email, name, role, kampung=None, organisation=None, phone=""):
        existing = accounts.user_by_email(self.session, email)
        if existing is not None:
            return existing
        self.added["users"] += 1
        return accounts.create_user(
            self.session, None, email=email, name=name, role=role, password=data.PASSWORDS[role],
            kampung=kampung, organisation=organisation, phone=phone,
            password_rules=False,  # the published demo passwords name the role, as the e-mails do
        )

    def kampung(self, name, kelurahan_name):
        kelurahan = find_kelurahan(self.session, kelurahan_name)
        if kelurahan is None:
            raise DomainError(f"unknown kelurahan {kelurahan_name} (run init-db first)")
        if accounts.find_kampung(self.session, name, kelurahan.code) is None:
            self.added["kampung"] += 1
        return accounts.get_or_create_kampung(self.session, name, kelurahan.code, verified=True)

    def organisation(self, name, org_type, verified):
        if accounts.find_organisation(self.session, name) is None:
            self.added["organisations"] += 1
            return accounts.get_or_create_organisation(self.session, name, org_type, verified=verified)
        return accounts.find_organisation(self.session, name)

    def need(self, row, kampung, coordinator, staff):
        ref, _key, category, title, description, households, kms, cost, days, urgency, partial, status, reason = row
        ref = f"DEMO-{ref}"
        if self.session.scalar(select(Need.id).where(Need.ref == ref)) is not None:
            return
        number = int(row[0][1:])
        fields = {
            "ref": ref, "rw": f"{(number % 12) + 1:02d}", "category_code": category, "title": title,
            "description": description, "households": households, "kms_households": kms, "cost_rp": cost,
            "deadline": self.today + timedelta(days=days), "urgency": urgency, "partial_ok": partial,
            # Personal data fields hold clearly fictional placeholders.
            "beneficiaries": f"Keluarga Fiktif {number}A (RT 0{number % 9 + 1}), Keluarga Fiktif {number}B "
                             "— nama contoh untuk demo",
            "contact_phone": f"0812000{number:05d}",
        }
        need = needs.create_need(self.session, coordinator, kampung, fields)
        if status != "D":
            needs.submit_need(self.session, coordinator, need)
        if status == "V":
            needs.verify_need(self.session, staff, need)
        elif status == "R":
            needs.return_need(self.session, staff, need, reason)
        self.added["needs"] += 1

    def offer(self, row, organisation, partner):
        ref, _key, kind, categories, title, description, capacity, areas, days, status = row
        ref = f"DEMO-{ref}"
        if self.session.scalar(select(Offer.id).where(Offer.ref == ref)) is not None:
            return
        fields = {
            "ref": ref, "kind": kind, "categories": categories, "title": title, "description": description,
            "capacity_rp": capacity, "areas": areas, "valid_until": self.today + timedelta(days=days),
        }
        wanted = OfferStatus.ACTIVE if status == "A" else OfferStatus.DRAFT
        offers.create_offer(self.session, partner, organisation, fields, status=wanted)
        self.added["offers"] += 1

    def run(self) -> None:
        self.user(*data.ADMIN, Role.ADMIN)
        staff = self.user(*data.STAFF, Role.STAFF)
        coordinators = {}
        for number, (key, (name, kelurahan, person)) in enumerate(data.KAMPUNG.items()):
            kampung = self.kampung(name, kelurahan)
            email = f"koordinator@{data.DOMAIN}" if number == 0 else f"koordinator.{key}@{data.DOMAIN}"
            # A (made-up) WhatsApp number, so a partner who agrees sees the coordinator's button.
            coordinators[key] = (kampung, self.user(email, person, Role.COORDINATOR, kampung=kampung,
                                                    phone=f"0812 0000 {1000 + number}"))
        partners = {}
        for number, (key, (name, org_type, verified, person)) in enumerate(data.ORGANISATIONS.items()):
            organisation = self.organisation(name, org_type, verified)
            email = f"mitra@{data.DOMAIN}" if number == 0 else f"mitra.{key}@{data.DOMAIN}"
            partners[key] = (organisation, self.user(email, person, Role.PARTNER, organisation=organisation))
        for row in data.NEEDS:
            kampung, coordinator = coordinators[row[1]]
            self.need(row, kampung, coordinator, staff)
        for row in data.OFFERS:
            organisation, partner = partners[row[1]]
            self.offer(row, organisation, partner)
        self.added["collaborations"] += seed_collaborations(self.session, staff, coordinators, partners)
        from gandeng.nglarisi.demo import seed_nglarisi  # issue 18: groups, an office and a group log-in

        nglarisi = seed_nglarisi(self.session, staff, self.today.year)
        self.added["users"] += nglarisi["users"]
        self.added["nglarisi groups"] = nglarisi["groups"]


def _print_logins():
    first_kampung = next(iter(data.KAMPUNG.values()))
    first_org = next(iter(data.ORGANISATIONS.values()))
    click.echo("demo log-ins (demo data for a local run only: change these passwords or remove these "
               "accounts in a real deployment):")
    rows = [
        ("admin", data.ADMIN[0], ""),
        ("staff", data.STAFF[0], ""),
        ("coordinator", f"koordinator@{data.DOMAIN}", f"kampung {first_kampung[0]}, {first_kampung[1]}"),
        ("partner", f"mitra@{data.DOMAIN}", first_org[0]),
    ]
    for role, email, note in rows:
        click.echo(f"  {role:<12} {email:<32} {data.PASSWORDS[role]:<22} {note}".rstrip())
    from gandeng.nglarisi.demo import GROUP_LOGIN, GROUPS, OFFICE_LOGIN

    click.echo(f"  {'office':<12} {OFFICE_LOGIN[0]:<32} {OFFICE_LOGIN[2]:<22} {OFFICE_LOGIN[3]}")
    click.echo(f"  {'group':<12} {GROUP_LOGIN[0]:<32} {GROUP_LOGIN[2]:<22} {GROUPS[0][0]}")
    click.echo(f"  other coordinators: koordinator.<kampung>@{data.DOMAIN}, other partners: "
               f"mitra.<organisation>@{data.DOMAIN}, with their role's password")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Demo users, kampung, organisations, needs, offers and collaborations (idempotent)."""
    session = db.session
    if not session.scalar(select(func.count()).select_from(Kelurahan)):
        fail("seed-demo: no reference data; run `flask --app app init-db` first")
    seeder = Seeder(session)
    try:
        seeder.run()
    except DomainError as error:
        fail(f"seed-demo: {error.message}")
    session.commit()
    if any(seeder.added.values()):
        counts = ", ".join(f"{n} {name}" for name, n in seeder.added.items())
        click.echo(f"seed-demo: added {counts}")
    else:
        click.echo("seed-demo: demo data already present; nothing changed")
    _print_logins()

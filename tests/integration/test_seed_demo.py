"""`flask seed-demo`: Yogyakarta-like demo data, idempotent, with working demo log-ins."""
from sqlalchemy import delete, func, select

from gandeng import demo_data
from gandeng.accounts.models import Kampung, Organisation, Role, User
from gandeng.audit.models import AuditEvent
from gandeng.needs.models import Need, NeedStatus
from gandeng.offers.models import Offer, OfferStatus
from gandeng.reference.models import Category


def counts(session):
    session.expire_all()
    return {model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (User, Kampung, Organisation, Need, Offer, AuditEvent)}


def test_seed_demo_creates_a_city_of_demo_data_and_prints_the_log_ins(runner, session):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "demo log-ins" in result.output and "real deployment" in result.output
    for role, password in demo_data.PASSWORDS.items():
        assert password in result.output
    numbers = counts(session)
    assert numbers["Kampung"] >= 12 and numbers["Need"] >= 40 and numbers["Offer"] >= 15
    kemantren = {k.kelurahan.kemantren_code for k in session.scalars(select(Kampung))}
    assert len(kemantren) >= 10
    assert {u.role for u in session.scalars(select(User))} == set(Role)
    coordinators = session.scalars(select(User).where(User.role == Role.COORDINATOR)).all()
    assert {u.kampung_id for u in coordinators} == {k.id for k in session.scalars(select(Kampung))}


def test_demo_needs_cover_every_category_in_several_statuses(runner, session):
    runner.invoke(args=["seed-demo"])
    all_codes = set(session.scalars(select(Category.code)))
    assert set(session.scalars(select(Need.category_code).distinct())) == all_codes
    statuses = dict(session.execute(select(Need.status, func.count()).group_by(Need.status)).all())
    assert statuses[NeedStatus.VERIFIED] > sum(statuses.values()) / 2
    assert {NeedStatus.DRAFT, NeedStatus.SUBMITTED, NeedStatus.RETURNED} <= set(statuses)
    returned = session.scalar(select(Need).where(Need.status == NeedStatus.RETURNED))
    assert returned.status_reason


def test_demo_offers_are_mostly_active_with_one_draft_of_an_unverified_community(runner, session):
    runner.invoke(args=["seed-demo"])
    offers = session.scalars(select(Offer)).all()
    drafts = [o for o in offers if o.status == OfferStatus.DRAFT]
    assert len([o for o in offers if o.status == OfferStatus.ACTIVE]) >= len(offers) - 2
    assert any(o.organisation.type == "komunitas" and not o.organisation.is_verified for o in drafts)
    assert {o.organisation.type for o in offers} == {"korporat", "kampus", "komunitas"}


def test_demo_changes_are_in_the_audit_trail(runner, session):
    runner.invoke(args=["seed-demo"])
    actions = set(session.scalars(select(AuditEvent.action).distinct()))
    assert {"user.create", "need.create", "need.submit", "need.verify", "need.return",
            "offer.create", "offer.activate"} <= actions


def test_running_seed_demo_twice_changes_nothing(runner, session):
    runner.invoke(args=["seed-demo"])
    before = counts(session)
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output
    assert counts(session) == before


def test_seed_demo_without_reference_data_fails_with_a_reason(runner, session):
    from gandeng.reference.models import Kelurahan, Kemantren

    session.execute(delete(Kelurahan))
    session.execute(delete(Kemantren))
    session.commit()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "init-db" in result.stderr


def test_each_demo_role_can_log_in_through_the_form(runner, session, client):
    runner.invoke(args=["seed-demo"])
    logins = {
        "admin": demo_data.ADMIN[0],
        "staff": demo_data.STAFF[0],
        "coordinator": f"koordinator@{demo_data.DOMAIN}",
        "partner": f"mitra@{demo_data.DOMAIN}",
    }
    for role, email in logins.items():
        response = client.post("/login", data={"email": email, "password": demo_data.PASSWORDS[role]},
                               follow_redirects=True)
        assert "Selamat datang" in response.text, role
        client.post("/logout")
    client.post("/login", data={"email": f"mitra@{demo_data.DOMAIN}", "password": demo_data.PASSWORDS["partner"]})
    assert client.get("/offers/new").status_code == 200

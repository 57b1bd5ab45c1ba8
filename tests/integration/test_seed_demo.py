"""`flask seed-demo`: Yogyakarta-like demo data, idempotent, with working demo log-ins."""
from sqlalchemy import delete, func, select

from gandeng import demo_data
from gandeng.accounts.models import Kampung, Organisation, Role, User
from gandeng.audit.models import AuditEvent
from gandeng.collaborations.models import Commitment, CommitmentStatus, ProgressPhoto
from gandeng.collaborations.queries import running_totals_agree
from gandeng.db import utcnow
from gandeng.needs.models import PUBLIC_STATUSES, Need, NeedStatus
from gandeng.offers.models import Offer, OfferStatus
from gandeng.reference.models import Category


def counts(session):
    session.expire_all()
    return {model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (User, Kampung, Organisation, Need, Offer, AuditEvent, Commitment, ProgressPhoto)}


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
    # Most needs are verified; some of them have moved on with their collaborations.
    assert sum(statuses.get(s, 0) for s in PUBLIC_STATUSES) > sum(statuses.values()) / 2
    assert statuses[NeedStatus.VERIFIED] >= 10
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


def test_demo_collaborations_span_quarters_statuses_partner_types_and_kelurahan(runner, session):
    result = runner.invoke(args=["seed-demo"])
    assert "15 collaborations" in result.output
    commitments = session.scalars(select(Commitment)).all()
    assert {c.status for c in commitments} == set(CommitmentStatus)
    assert {c.offer.organisation.type for c in commitments} == {"korporat", "kampus", "komunitas"}
    assert len({c.need.kelurahan_code for c in commitments}) >= 6
    quarters = {(c.created_at.year, (c.created_at.month - 1) // 3) for c in commitments}
    # Dated back up to about 18 months from the day it runs: several quarters over two years.
    assert len(quarters) >= 5 and len({year for year, _q in quarters}) >= 2
    now = utcnow()
    for c in commitments:
        assert c.created_at < now and c.need.created_at < c.created_at
        assert all(t is None or c.created_at < t < now for t in (c.confirmed_at, c.completed_at, c.closed_at))
    assert running_totals_agree(session) == []


def test_demo_completed_collaborations_have_beneficiaries_and_a_stored_photo(runner, session, app):
    from gandeng.uploads import stored_path

    runner.invoke(args=["seed-demo"])
    completed = session.scalars(select(Commitment).where(Commitment.status == CommitmentStatus.COMPLETED)).all()
    assert len(completed) >= 3
    for c in completed:
        assert c.beneficiaries_reached > 0 and c.realised_rp == c.amount_rp and c.need.status == NeedStatus.COMPLETED
        photos = [p for report in c.reports for p in report.photos]
        assert photos and all(p.content_type == "image/png" for p in photos)
        assert all(stored_path("progress", p.stored_name).read_bytes().startswith(b"\x89PNG") for p in photos)
    running = session.scalars(select(Commitment).where(Commitment.status == CommitmentStatus.IN_PROGRESS)).all()
    assert running and all(c.reports and 0 < c.realised_rp < c.amount_rp for c in running)


def test_demo_needs_with_collaborations_were_verified_before_their_approval(runner, session):
    runner.invoke(args=["seed-demo"])
    for c in session.scalars(select(Commitment)):
        verified = session.scalar(select(func.min(AuditEvent.created_at)).where(
            AuditEvent.action == "need.verify", AuditEvent.object_type == "needs", AuditEvent.object_id == c.need_id))
        assert verified is not None and c.need.created_at < verified < c.created_at


def test_the_main_demo_coordinator_has_a_collaboration_under_way_to_report_on(runner, session):
    """Phone walk: koordinator@demo had only finished collaborations, so the progress form was never seen."""
    runner.invoke(args=["seed-demo"])
    coordinator = session.scalar(select(User).where(User.email == "koordinator@demo.gandeng.id"))
    running = [c for c in session.scalars(select(Commitment).where(Commitment.status == CommitmentStatus.IN_PROGRESS))
               if c.need.kampung_id == coordinator.kampung_id]
    assert running and running[0].offer.kind == "barang" and 0 < running[0].progress_percent < 100

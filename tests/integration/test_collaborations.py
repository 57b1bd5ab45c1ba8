"""A collaboration's life: confirm or decline, progress with photos, completion confirmed by the
coordinator, cancellation; the money and the need and offer statuses follow every step."""
import pytest
from sqlalchemy import func, select

from gandeng.audit.models import AuditEvent
from gandeng.collaborations import services
from gandeng.collaborations.models import CommitmentStatus, ProgressPhoto
from gandeng.collaborations.queries import committed_by_need, committed_by_offer, running_totals_agree
from gandeng.errors import Conflict, DomainError, NotAllowed
from gandeng.needs.models import NeedStatus
from gandeng.notifications.models import Notification
from gandeng.offers.models import OfferStatus
from tests import factories as f


@pytest.fixture
def parties(session):
    """A kampung with its coordinator and need, an organisation with its partner and offer, staff."""
    kampung, org = f.make_kampung(session), f.make_organisation(session)
    return {
        "staff": f.make_staff(session),
        "coordinator": f.make_coordinator(session, kampung=kampung),
        "partner": f.make_partner(session, organisation=org),
        "other_partner": f.make_partner(session),
        "need": f.make_need(session, kampung=kampung, cost_rp=10_000_000),
        "offer": f.make_offer(session, organisation=org, capacity_rp=10_000_000),
    }


def _approve(session, p, amount=10_000_000, need=None):
    proposal = f.proposal_for(session, need or p["need"], p["offer"], amount)
    return services.approve_proposal(session, p["staff"], proposal)


def _agree(session, p):
    session.flush()
    session.refresh(p["need"])
    session.refresh(p["offer"])
    assert running_totals_agree(session) == []
    assert p["offer"].committed_rp == committed_by_offer(session, [p["offer"].id])[p["offer"].id]
    assert p["need"].committed_rp == committed_by_need(session, [p["need"].id])[p["need"].id]


def _audits(session, commitment):
    return [e.action for e in session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "commitments", AuditEvent.object_id == commitment.id)
        .order_by(AuditEvent.id))]


def test_partner_confirms_and_the_need_is_in_progress(session, parties):
    c = _approve(session, parties)
    assert parties["need"].status == NeedStatus.MATCHED
    services.confirm_collaboration(session, parties["partner"], c)
    assert c.status == CommitmentStatus.IN_PROGRESS and c.confirmed_at is not None
    assert parties["need"].status == NeedStatus.IN_PROGRESS
    assert _audits(session, c) == ["proposal.approve", "collaboration.confirm"]
    told = session.scalars(select(Notification).where(Notification.kind == "collaboration.confirmed")).all()
    assert [n.user_id for n in told] == [parties["coordinator"].id]


def test_declining_releases_the_whole_amount_and_statuses_go_back(session, parties):
    c = _approve(session, parties)
    assert parties["offer"].status == OfferStatus.FULLY_COMMITTED
    services.decline_collaboration(session, parties["partner"], c, "Anggaran CSR dialihkan.")
    assert c.status == CommitmentStatus.DECLINED and c.status_reason == "Anggaran CSR dialihkan."
    assert committed_by_offer(session, [parties["offer"].id])[parties["offer"].id] == 0
    assert parties["offer"].status == OfferStatus.ACTIVE
    assert parties["need"].status == NeedStatus.VERIFIED
    _agree(session, parties)
    approver_told = session.scalars(select(Notification).where(Notification.user_id == parties["staff"].id)).all()
    assert [n.kind for n in approver_told] == ["collaboration.declined"]


def test_declining_needs_a_reason_and_only_the_offer_s_partner_or_staff_answer(session, parties):
    c = _approve(session, parties)
    with pytest.raises(DomainError):
        services.decline_collaboration(session, parties["partner"], c, " ")
    for outsider in (parties["other_partner"], parties["coordinator"]):
        with pytest.raises(NotAllowed):
            services.confirm_collaboration(session, outsider, c)
    services.confirm_collaboration(session, parties["staff"], c)  # staff may answer for the partner
    with pytest.raises(Conflict):
        services.confirm_collaboration(session, parties["partner"], c)  # answered already


def test_progress_reports_by_either_party_with_photos_and_realised_amount(session, parties):
    c = _approve(session, parties)
    services.confirm_collaboration(session, parties["partner"], c)
    photo = f.upload(f.jpeg_bytes(gps=True), "rumah-bu-sarinah.jpg")
    report = services.report_progress(session, parties["partner"], c, 40, "Galian selesai.", 3_500_000, [photo])
    assert (c.progress_percent, c.realised_rp) == (40, 3_500_000)
    assert [p.content_type for p in report.photos] == ["image/jpeg"]
    services.report_progress(session, parties["coordinator"], c, 60, "Dinding sudah naik.")
    assert (c.progress_percent, c.realised_rp) == (60, 3_500_000)  # no figure given: the last one stays
    assert _audits(session, c).count("collaboration.progress") == 2
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "collaboration.progress")).first()
    assert "sarinah" not in str(audit.after).lower()  # file names stay out of the audit trail
    told = session.scalars(select(Notification).where(Notification.kind == "collaboration.progress"))
    assert {n.user_id for n in told} == {parties["coordinator"].id, parties["partner"].id}  # each told of the other's report


def test_progress_photo_loses_its_gps_position(session, parties, app):
    from pathlib import Path

    from PIL import Image

    c = _approve(session, parties)
    services.confirm_collaboration(session, parties["partner"], c)
    report = services.report_progress(session, parties["partner"], c, 10, "", None,
                                      [f.upload(f.jpeg_bytes(gps=True), "a.jpg")])
    stored = Path(app.config["UPLOAD_DIR"]) / "progress" / report.photos[0].stored_name
    with Image.open(stored) as image:
        assert not image.getexif()


@pytest.mark.parametrize("kwargs, field", [
    ({"percent": 101}, "percent"),
    ({"percent": -1}, "percent"),
    ({"realised_rp": 10_000_001}, "realised_rp"),
    ({"text": ""}, "text"),
    ({"photos": [f.upload(f.pdf_bytes(), "laporan.pdf")]}, "photos"),
])
def test_bad_progress_reports_are_refused_and_nothing_is_stored(session, parties, kwargs, field):
    c = _approve(session, parties)
    services.confirm_collaboration(session, parties["partner"], c)
    args = {"percent": 50, "text": "Berjalan.", "realised_rp": None, "photos": [], **kwargs}
    with pytest.raises(DomainError) as refused:
        services.report_progress(session, parties["partner"], c, **args)
    assert refused.value.field == field
    assert c.reports == [] and session.scalar(select(func.count(ProgressPhoto.id))) == 0


def test_a_lower_percentage_than_the_last_needs_words_saying_why(session, parties):
    c = _approve(session, parties)
    services.confirm_collaboration(session, parties["partner"], c)
    services.report_progress(session, parties["partner"], c, 60, "Dinding sudah naik.")
    photo = f.upload(f.jpeg_bytes(), "foto.jpg")
    with pytest.raises(DomainError) as refused:  # a typed 6 for 60, sent with a photo only
        services.report_progress(session, parties["partner"], c, 6, "", None, [photo])
    assert refused.value.field == "text" and "60%" in refused.value.message
    assert (c.progress_percent, len(c.reports)) == (60, 1)
    services.report_progress(session, parties["partner"], c, 50, "Koreksi: atap belum terpasang.")
    assert c.progress_percent == 50
    services.report_progress(session, parties["coordinator"], c, 50, "", None, [f.upload(f.jpeg_bytes(), "b.jpg")])
    assert len(c.reports) == 3  # the same figure again with a photo alone is fine


def test_no_progress_before_the_partner_confirms_and_not_by_outsiders(session, parties):
    c = _approve(session, parties)
    with pytest.raises(Conflict):
        services.report_progress(session, parties["partner"], c, 10, "Mulai.")
    services.confirm_collaboration(session, parties["partner"], c)
    with pytest.raises(NotAllowed):
        services.report_progress(session, parties["other_partner"], c, 10, "Mulai.")


def test_completion_is_reported_by_the_partner_and_confirmed_by_the_coordinator(session, parties):
    c = _approve(session, parties)
    services.confirm_collaboration(session, parties["partner"], c)
    with pytest.raises(Conflict):
        services.confirm_completion(session, parties["coordinator"], c)  # nothing reported yet
    with pytest.raises(NotAllowed):
        services.report_completion(session, parties["coordinator"], c, 5, "Selesai.")
    services.report_completion(session, parties["partner"], c, 23, "Lima jamban selesai dan dipakai.")
    assert c.beneficiaries_reached == 23 and c.progress_percent == 100
    assert c.status == CommitmentStatus.IN_PROGRESS
    services.confirm_completion(session, parties["coordinator"], c)
    assert c.status == CommitmentStatus.COMPLETED and c.completed_at is not None
    assert parties["need"].status == NeedStatus.COMPLETED
    assert _audits(session, c) == ["proposal.approve", "collaboration.confirm", "collaboration.complete",
                                   "collaboration.confirm_completion"]
    _agree(session, parties)


def test_need_is_completed_only_when_all_its_collaborations_are(session, parties):
    first = _approve(session, parties, 6_000_000)
    second = services.manual_match(session, parties["staff"], parties["need"], f.make_offer(session), 4_000_000)
    for c in (first, second):
        services.confirm_collaboration(session, parties["staff"], c)
    f.make_partner(session, organisation=second.offer.organisation)
    partner_two = f.make_partner(session, organisation=second.offer.organisation)
    services.report_completion(session, parties["partner"], first, 10, "Selesai.")
    services.confirm_completion(session, parties["coordinator"], first)
    assert parties["need"].status == NeedStatus.IN_PROGRESS
    services.report_completion(session, partner_two, second, 5, "Selesai juga.")
    services.confirm_completion(session, parties["coordinator"], second)
    assert parties["need"].status == NeedStatus.COMPLETED


def test_cancelling_releases_only_the_unrealised_part(session, parties):
    c = _approve(session, parties)
    services.confirm_collaboration(session, parties["partner"], c)
    services.report_progress(session, parties["partner"], c, 30, "Bahan dibeli.", 2_500_000)
    with pytest.raises(DomainError):
        services.cancel_collaboration(session, parties["staff"], c, "")
    with pytest.raises(NotAllowed):
        services.cancel_collaboration(session, parties["partner"], c, "Mundur.")
    services.cancel_collaboration(session, parties["staff"], c, "Lahan bersengketa.")
    assert c.status == CommitmentStatus.CANCELLED and c.amount_rp == 10_000_000  # approved amount kept
    assert committed_by_offer(session, [parties["offer"].id])[parties["offer"].id] == 2_500_000
    assert committed_by_need(session, [parties["need"].id])[parties["need"].id] == 2_500_000
    assert parties["offer"].status == OfferStatus.ACTIVE
    assert parties["need"].status == NeedStatus.VERIFIED  # open again for the 7.5 million left
    _agree(session, parties)
    with pytest.raises(Conflict):
        services.cancel_collaboration(session, parties["staff"], c, "Lagi.")


def test_a_need_whose_collaboration_was_cancelled_can_be_funded_again(session, parties):
    c = _approve(session, parties)
    services.confirm_collaboration(session, parties["partner"], c)
    services.report_progress(session, parties["partner"], c, 30, "Bahan dibeli.", 2_500_000)
    services.cancel_collaboration(session, parties["staff"], c, "Lahan bersengketa.")
    with pytest.raises(Conflict, match="Rp7.500.000"):
        services.manual_match(session, parties["staff"], parties["need"], f.make_offer(session), 8_000_000)
    services.manual_match(session, parties["staff"], parties["need"], f.make_offer(session), 7_500_000)
    assert parties["need"].status == NeedStatus.MATCHED
    _agree(session, parties)


@pytest.mark.parametrize("path", ["decline", "cancel_awaiting", "cancel_after_progress", "complete"])
def test_running_totals_equal_the_derived_sums_after_every_kind_of_transition(session, parties, path):
    """Two collaborations on one offer, walked through one path; the stored totals of every offer and
    need equal the sums of the commitments after each step."""
    other_need = f.make_need(session, kampung=parties["need"].kampung, cost_rp=4_000_000, partial_ok=True)
    one = _approve(session, parties, 6_000_000)
    _agree(session, parties)
    two = _approve(session, parties, 4_000_000, need=other_need)
    _agree(session, parties)
    steps = {
        "decline": [lambda: services.decline_collaboration(session, parties["partner"], one, "Tidak jadi.")],
        "cancel_awaiting": [lambda: services.cancel_collaboration(session, parties["staff"], two, "Ganda.")],
        "cancel_after_progress": [
            lambda: services.confirm_collaboration(session, parties["partner"], one),
            lambda: services.report_progress(session, parties["partner"], one, 50, "Separuh.", 3_000_000),
            lambda: services.report_progress(session, parties["coordinator"], one, 40, "Koreksi.", 2_000_000),
            lambda: services.cancel_collaboration(session, parties["staff"], one, "Berhenti."),
        ],
        "complete": [
            lambda: services.confirm_collaboration(session, parties["partner"], two),
            lambda: services.report_progress(session, parties["partner"], two, 100, "Beres.", 4_000_000),
            lambda: services.report_completion(session, parties["partner"], two, 8, "Selesai."),
            lambda: services.confirm_completion(session, parties["coordinator"], two),
        ],
    }[path]
    for step in steps:
        step()
        _agree(session, parties)
    session.commit()
    assert running_totals_agree(session) == []

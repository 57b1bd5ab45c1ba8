"""The events of issue 14 reach the right people on the right channels (in-app, WhatsApp with consent,
e-mail); the coordinator hears of a commitment only once the partner confirms; the daily digest;
consent; reminders after 3 days without confirmation and 30 days without a report."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from gandeng.accounts import services as accounts
from gandeng.accounts.models import UserStatus
from gandeng.collaborations import services as collaborations
from gandeng.db import utcnow
from gandeng.needs import services as needs
from gandeng.needs.models import NeedStatus
from gandeng.notifications.channels import next_digest_at
from gandeng.notifications.digests import release_digests
from gandeng.notifications.models import Channel, MessageStatus, OutboxMessage
from gandeng.notifications.preferences import grant_whatsapp_consent, preference_of, update_preferences
from gandeng.notifications.reminders import send_reminders
from gandeng.notifications.services import notify
from gandeng.recovery.services import request_reset
from tests import factories as f

ALL = {Channel.INAPP, Channel.WHATSAPP, Channel.EMAIL}


@pytest.fixture
def world(app, session):
    app.config.update({"WHATSAPP_API_URL": "http://127.0.0.1:9/v21.0", "WHATSAPP_PHONE_NUMBER_ID": "1"})
    kampung, org = f.make_kampung(session), f.make_organisation(session)
    w = {
        "staff": f.make_staff(session),
        "coordinator": f.make_coordinator(session, kampung=kampung, phone="081234567001"),
        "partner": f.make_partner(session, organisation=org, phone="+62 812 3456 7002"),
        "bystander": f.make_partner(session, phone="6281234567003"),
        "need": f.make_need(session, kampung=kampung, cost_rp=10_000_000),
        "offer": f.make_offer(session, organisation=org, capacity_rp=10_000_000),
    }
    for key in ("coordinator", "partner", "bystander"):
        grant_whatsapp_consent(session, w[key])
    session.flush()
    return w


def _channels(session, user, kind) -> set[str]:
    return set(session.scalars(select(OutboxMessage.channel).where(
        OutboxMessage.user_id == user.id, OutboxMessage.kind == kind)))


def _told(session, kind) -> set[int]:
    return set(session.scalars(select(OutboxMessage.user_id).where(OutboxMessage.kind == kind)))


def _body(session, user, kind, channel=Channel.WHATSAPP) -> OutboxMessage:
    return session.scalars(select(OutboxMessage).where(
        OutboxMessage.user_id == user.id, OutboxMessage.kind == kind, OutboxMessage.channel == channel)).one()


def test_need_verified_returned_rejected_reach_the_coordinator_on_every_channel(session, world):
    w = world
    for status, act, kind in (
            (NeedStatus.SUBMITTED, lambda n: needs.verify_need(session, w["staff"], n), "need.verify"),
            (NeedStatus.SUBMITTED, lambda n: needs.return_need(session, w["staff"], n, "Foto atap kurang."),
             "need.return"),
            (NeedStatus.SUBMITTED, lambda n: needs.reject_need(session, w["staff"], n, "Di luar kota."),
             "need.reject")):
        need = f.make_need(session, kampung=w["coordinator"].kampung, status=status)
        act(need)
        assert _told(session, kind) == {w["coordinator"].id}
        assert _channels(session, w["coordinator"], kind) == ALL
    assert "Alasan: Foto atap kurang." in _body(session, w["coordinator"], "need.return").body
    assert _body(session, w["coordinator"], "need.reject").template_name == "gg_kebutuhan_ditolak"
    assert _body(session, w["coordinator"], "need.verify").to_address == "+6281234567001"


def test_coordinator_hears_of_a_commitment_only_once_the_partner_confirms(session, world):
    w = world
    proposal = f.proposal_for(session, w["need"], w["offer"], 5_000_000)
    commitment = collaborations.approve_proposal(session, w["staff"], proposal)
    assert _told(session, "collaboration.approved") == {w["partner"].id}
    assert _channels(session, w["partner"], "collaboration.approved") == ALL
    assert "Mohon konfirmasi" in _body(session, w["partner"], "collaboration.approved").body
    assert _told(session, "collaboration.confirmed") == set()
    collaborations.confirm_collaboration(session, w["partner"], commitment)
    assert _told(session, "collaboration.confirmed") == {w["coordinator"].id}
    assert _channels(session, w["coordinator"], "collaboration.confirmed") == ALL
    assert "Rp5.000.000" in _body(session, w["coordinator"], "collaboration.confirmed").body


def test_a_declined_collaboration_reaches_the_approving_staff_not_the_coordinator(session, world):
    w = world
    commitment = collaborations.approve_proposal(session, w["staff"],
                                                 f.proposal_for(session, w["need"], w["offer"], 5_000_000))
    collaborations.decline_collaboration(session, w["partner"], commitment, "Anggaran dipotong.")
    assert _told(session, "collaboration.declined") == {w["staff"].id}
    assert Channel.EMAIL in _channels(session, w["staff"], "collaboration.declined")


def test_progress_completion_and_its_confirmation_reach_the_other_party(session, world):
    w = world
    commitment = collaborations.approve_proposal(session, w["staff"],
                                                 f.proposal_for(session, w["need"], w["offer"], 5_000_000))
    collaborations.confirm_collaboration(session, w["partner"], commitment)
    collaborations.report_progress(session, w["partner"], commitment, 40, "Fondasi selesai.")
    assert _told(session, "collaboration.progress") == {w["coordinator"].id}
    collaborations.report_progress(session, w["coordinator"], commitment, 50, "Dinding naik.")
    assert _told(session, "collaboration.progress") == {w["coordinator"].id, w["partner"].id}
    collaborations.report_completion(session, w["partner"], commitment, 12, "Selesai dibangun.")
    assert _told(session, "collaboration.completion_reported") == {w["coordinator"].id}
    assert _channels(session, w["coordinator"], "collaboration.completion_reported") == ALL
    collaborations.confirm_completion(session, w["coordinator"], commitment)
    assert _told(session, "collaboration.completed") == {w["partner"].id, w["staff"].id}
    assert w["bystander"].id not in set(session.scalars(select(OutboxMessage.user_id)))


def test_account_verified_reaches_the_user(session, world):
    user = f.make_partner(session, status=UserStatus.PENDING, phone="081234567009")
    grant_whatsapp_consent(session, user)
    accounts.verify_user(session, world["staff"], user)
    assert _channels(session, user, "user.verify") == ALL


def test_password_reset_goes_by_whatsapp_and_email_never_in_app_and_the_link_is_secret(session, world):
    coordinator = world["coordinator"]
    assert request_reset(session, "0812-3456-7001") is True
    assert _channels(session, coordinator, "password.reset") == {Channel.WHATSAPP, Channel.EMAIL}
    message = _body(session, coordinator, "password.reset")
    assert message.secret is True and message.template_params[1].startswith("/password/reset/")


def test_email_only_when_wanted_and_whatsapp_only_with_consent(session, world):
    user = f.make_coordinator(session, phone="081234567010")
    notify(session, [user], "need.verify", "x", "/needs/1")
    assert _channels(session, user, "need.verify") == {Channel.INAPP, Channel.EMAIL}  # no consent yet
    update_preferences(session, user, user, phone="081234567010", email_enabled=False, whatsapp_enabled=True,
                       daily_digest=False)
    assert preference_of(session, user).whatsapp_consent_at is not None
    notify(session, [user], "need.return", "y", "/needs/1")
    assert _channels(session, user, "need.return") == {Channel.INAPP, Channel.WHATSAPP}
    update_preferences(session, user, user, phone="081234567010", email_enabled=True, whatsapp_enabled=False,
                       daily_digest=False)
    assert preference_of(session, user).whatsapp_consent_at is None  # consent withdrawn
    notify(session, [user], "need.reject", "z", "/needs/1")
    assert _channels(session, user, "need.reject") == {Channel.INAPP, Channel.EMAIL}


def test_preferences_refuse_an_invalid_number_and_whatsapp_without_one(session):
    from gandeng.errors import DomainError

    user = f.make_coordinator(session)
    with pytest.raises(DomainError) as refused:
        update_preferences(session, user, user, phone="12345", email_enabled=True, whatsapp_enabled=False,
                           daily_digest=False)
    assert refused.value.field == "phone" and "tidak sah" in refused.value.message
    with pytest.raises(DomainError):
        update_preferences(session, user, user, phone="", email_enabled=True, whatsapp_enabled=True,
                           daily_digest=False)
    with pytest.raises(DomainError):  # only the owner
        update_preferences(session, f.make_staff(session), user, phone="", email_enabled=True,
                           whatsapp_enabled=False, daily_digest=False)


def test_daily_digest_holds_messages_and_sends_one_per_channel_at_seven_wib(session, world):
    user = world["coordinator"]
    preference_of(session, user).daily_digest = True
    now = utcnow()
    for title in ("Atap", "Jamban", "Sumur"):
        notify(session, [user], "need.verify", f"Kebutuhan “{title}” diverifikasi.", "/needs/1", now=now)
    held = session.scalars(select(OutboxMessage).where(OutboxMessage.status == MessageStatus.HELD)).all()
    assert len(held) == 6 and {m.next_attempt_at for m in held} == {next_digest_at(now)}
    assert release_digests(session, now) == 0  # not yet
    assert release_digests(session, next_digest_at(now)) == 2
    digests = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "digest")).all()
    assert {d.channel for d in digests} == {Channel.WHATSAPP, Channel.EMAIL}
    email = next(d for d in digests if d.channel == Channel.EMAIL)
    assert "3 pemberitahuan baru" in email.body and "Sumur" in email.body and email.status == MessageStatus.QUEUED
    whatsapp = next(d for d in digests if d.channel == Channel.WHATSAPP)
    assert whatsapp.template_name == "gg_ringkasan_harian"
    assert all(m.status == MessageStatus.DIGESTED for m in held)
    # Urgent messages never wait for the digest.
    request_reset(session, user.email)
    assert {m.status for m in session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "password.reset"))} == {MessageStatus.QUEUED}


@pytest.mark.parametrize("moment, expected_hour_utc", [("2026-12-06 23:30", 0), ("2026-12-06 00:30", 0),
                                                       ("2026-12-06 01:00", 0)])
def test_digest_time_is_seven_in_the_morning_wib(moment, expected_hour_utc):
    from datetime import datetime

    at = next_digest_at(datetime.fromisoformat(moment))
    assert at.hour == expected_hour_utc and at > datetime.fromisoformat(moment)
    assert at - datetime.fromisoformat(moment) <= timedelta(days=1)


def test_reminder_to_confirm_after_three_days_once(session, world):
    w = world
    commitment = collaborations.approve_proposal(session, w["staff"],
                                                 f.proposal_for(session, w["need"], w["offer"], 5_000_000))
    now = commitment.created_at
    assert send_reminders(session, now + timedelta(days=2)) == {"confirm": 0, "report": 0, "sister_report": 0}
    assert send_reminders(session, now + timedelta(days=3, minutes=1))["confirm"] == 1
    assert send_reminders(session, now + timedelta(days=4))["confirm"] == 0  # once
    assert _told(session, "reminder.confirm") == {w["partner"].id}
    assert _channels(session, w["partner"], "reminder.confirm") == ALL


def test_reminder_to_report_after_thirty_silent_days(session, world):
    w = world
    commitment = collaborations.approve_proposal(session, w["staff"],
                                                 f.proposal_for(session, w["need"], w["offer"], 5_000_000))
    collaborations.confirm_collaboration(session, w["partner"], commitment)
    start = commitment.confirmed_at
    assert send_reminders(session, start + timedelta(days=29))["report"] == 0
    assert send_reminders(session, start + timedelta(days=30, minutes=1))["report"] == 1
    assert send_reminders(session, start + timedelta(days=31))["report"] == 0
    assert _told(session, "reminder.report") == {w["partner"].id, w["coordinator"].id}
    assert send_reminders(session, start + timedelta(days=60, minutes=2))["report"] == 1  # still silent
    report = collaborations.report_progress(session, w["partner"], commitment, 30, "Mulai.")
    assert send_reminders(session, report.created_at + timedelta(days=10))["report"] == 0


def test_remind_command_prints_counts(runner, session, world):
    result = runner.invoke(args=["outbox", "remind"])
    assert result.exit_code == 0 and result.output.strip() == ("reminders queued: 0 to confirm, 0 to report progress, "
                                                              "0 sister quarterly reports late")

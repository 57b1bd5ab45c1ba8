"""The year's work of a published sister pair (issue 17, point 4): the year plan and the quarterly reports,
who may see and write them, and the reminder when a report is late.

Who does what (the issue: "a year plan written by the partners with the kampung"):
- the pair's parties (the kampung's coordinators, the campus's and the company's members) write the plan
  together, any of them may change it while it is a draft and submit it once they agree;
- city staff approve a submitted plan (it is then frozen) or send it back with a note (a draft again);
- any party sends the quarter's report; one report per quarter, due on the 15th of the month after the
  quarter ends (REPORT_GRACE_DAYS); a report sent after that counts as late.
Nobody else sees plans or reports: they may name people and places of the kampung.

Services take `session` and `actor`, flush and never commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from gandeng.accounts.models import Role, User
from gandeng.audit.services import record
from gandeng.db import utcnow
from gandeng.errors import DomainError, NotAllowed
from gandeng.formatting import WIB, long_date
from gandeng.sister.models import (
    PlanStatus, RoundStatus, SisterPair, SisterPlan, SisterReport, SisterReportPhoto, join_themes,
)

QUARTERS = (1, 2, 3, 4)
REPORT_GRACE_DAYS = 15          # a quarter's report is due this many days after the quarter ends
REMIND_WITHIN = timedelta(days=90)  # late reports older than this are not reminded any more
MAX_TEXT = 5000
MAX_FIGURE = 100_000
MAX_PHOTOS = 5
PHOTO_FOLDER = "sister"
PHOTO_FIELD = "photos"


# --- the calendar ---------------------------------------------------------------------------------

def quarter_end(year: int, quarter: int) -> date:
    """The last day of the quarter (31 March, 30 June, 30 September, 31 December)."""
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * quarter - 2, 1)


def report_due(year: int, quarter: int) -> date:
    """The last day a quarter's report counts as on time (15 April, 15 July, 15 October, 15 January)."""
    return quarter_end(year, quarter) + timedelta(days=REPORT_GRACE_DAYS)


def wib_date(moment: datetime) -> date:
    """The WIB calendar day of a naive-UTC or aware moment."""
    if moment.tzinfo is None:
        from datetime import timezone

        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WIB).date()


def quarters_due(pair: SisterPair, today: date) -> list[int]:
    """The quarters whose report was due before `today` for this pair: quarters that ended after the
    pairing was published (a pair published in May owes no report for January–March)."""
    sister_round = pair.round
    if sister_round.status != RoundStatus.PUBLISHED or not _has_partner(pair):
        return []
    published = wib_date(sister_round.published_at) if sister_round.published_at else date.min
    return [q for q in QUARTERS
            if report_due(sister_round.year, q) < today and quarter_end(sister_round.year, q) >= published]


def _has_partner(pair: SisterPair) -> bool:
    return pair.campus_id is not None or pair.company_id is not None


# --- who may -------------------------------------------------------------------------------------

def is_party(user, pair: SisterPair) -> bool:
    """The kampung's coordinator or a member of the pair's campus or company (signed in, active)."""
    if not (user and getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.role == Role.COORDINATOR:
        return user.kampung_id == pair.kampung_id
    if user.role == Role.PARTNER:
        return user.organisation_id is not None and user.organisation_id in (pair.campus_id, pair.company_id)
    return False


def _is_staff(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_see_work(user, pair: SisterPair) -> bool:
    """Plans and reports of a published pair: staff and the pair's parties; nobody else."""
    if pair.round.status != RoundStatus.PUBLISHED:
        return _is_staff(user)
    return _is_staff(user) or is_party(user, pair)


def can_write_plan(user, pair: SisterPair, plan: SisterPlan | None) -> bool:
    """A party of a published pair with at least one partner, while the plan is a draft."""
    return (pair.round.status == RoundStatus.PUBLISHED and _has_partner(pair) and is_party(user, pair)
            and (plan is None or plan.status == PlanStatus.DRAFT))


def can_decide_plan(user, plan: SisterPlan | None) -> bool:
    return plan is not None and plan.status == PlanStatus.SUBMITTED and _is_staff(user)


def can_report(user, pair: SisterPair) -> bool:
    """A party of a published pair with at least one partner (a kampung left unpaired has no year's work)."""
    return pair.round.status == RoundStatus.PUBLISHED and _has_partner(pair) and is_party(user, pair)


def pairs_of_user(session, user) -> list[SisterPair]:
    """The published pairs the user is a party of (newest year first)."""
    from gandeng.sister.models import SisterRound

    query = select(SisterPair).join(SisterRound, SisterRound.id == SisterPair.round_id).where(
        SisterRound.status == RoundStatus.PUBLISHED,
        SisterPair.campus_id.is_not(None) | SisterPair.company_id.is_not(None))
    if user.role == Role.COORDINATOR and user.kampung_id:
        query = query.where(SisterPair.kampung_id == user.kampung_id)
    elif user.role == Role.PARTNER and user.organisation_id:
        query = query.where((SisterPair.campus_id == user.organisation_id)
                            | (SisterPair.company_id == user.organisation_id))
    else:
        return []
    return list(session.scalars(query.order_by(SisterRound.year.desc(), SisterPair.id)))


def parties_of(session, pair: SisterPair) -> list[User]:
    """Everyone to tell about a pair's work: the kampung's coordinators and the partners' members."""
    partner_ids = [i for i in (pair.campus_id, pair.company_id) if i]
    condition = (User.role == Role.COORDINATOR) & (User.kampung_id == pair.kampung_id)
    if partner_ids:
        condition = condition | ((User.role == Role.PARTNER) & User.organisation_id.in_(partner_ids))
    return list(session.scalars(select(User).where(condition).order_by(User.id)))


def _link(pair: SisterPair) -> str:
    return f"/sister/pairs/{pair.id}"


# --- checking input ------------------------------------------------------------------------------

def _count(data: dict, name: str) -> int:
    raw = data.get(name)
    if raw in (None, ""):
        return 0
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise DomainError(_("Isi dengan angka bulat."), name) from None
    if not 0 <= value <= MAX_FIGURE:
        raise DomainError(_("Angka harus antara %(min)s dan %(max)s.", min=0, max=MAX_FIGURE), name)
    return value


def _text(data: dict, name: str) -> str:
    text = (data.get(name) or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise DomainError(_("Paling banyak %(n)d karakter.", n=MAX_TEXT), name)
    return text


def _themes(session, codes) -> str:
    from gandeng.reference.services import categories

    codes = [c for c in (codes or []) if c]
    unknown = sorted(set(codes) - {c.code for c in categories(session)})
    if unknown:
        raise DomainError(_("Tema tidak dikenal: %(bad)s", bad=", ".join(unknown)), "themes")
    return join_themes(codes)


# --- the year plan -------------------------------------------------------------------------------

PLAN_TARGETS = ("target_households", "target_participants", "target_students", "target_employees")


def plan_of(session, pair: SisterPair) -> SisterPlan | None:
    return session.scalar(select(SisterPlan).where(SisterPlan.pair_id == pair.id))


def save_plan(session, actor, pair: SisterPair, data: dict) -> SisterPlan:
    """Write or change the pair's plan (a draft): activities per quarter, themes, target figures."""
    plan = plan_of(session, pair)
    if not can_write_plan(actor, pair, plan):
        if plan is not None and plan.status != PlanStatus.DRAFT and is_party(actor, pair):
            raise DomainError(_("Rencana sudah diajukan atau disetujui dan tidak dapat diubah lagi."), "plan")
        raise NotAllowed(_("Hanya koordinator kampung dan mitra pasangan ini yang menulis rencananya."))
    values = {f"q{q}": _text(data, f"q{q}") for q in QUARTERS}
    values.update({name: _count(data, name) for name in PLAN_TARGETS})
    values["themes"] = _themes(session, data.get("themes"))
    if plan is None:
        plan = SisterPlan(pair_id=pair.id, status=PlanStatus.DRAFT)
        session.add(plan)
    for name, value in values.items():
        setattr(plan, name, value)
    plan.updated_by_id = actor.id
    session.flush()
    record(session, actor, "sister.plan_save", pair, after={"plan_id": plan.id, "themes": plan.themes})
    return plan


def submit_plan(session, actor, pair: SisterPair) -> SisterPlan:
    """The parties agree: the draft goes to city staff for approval (staff are told)."""
    from gandeng.notifications.services import city_staff, notify

    plan = plan_of(session, pair)
    if plan is None:
        raise DomainError(_("Tulis rencananya dahulu."), "plan")
    if not can_write_plan(actor, pair, plan):
        if is_party(actor, pair):
            raise DomainError(_("Rencana sudah diajukan atau disetujui."), "plan")
        raise NotAllowed(_("Hanya koordinator kampung dan mitra pasangan ini yang mengajukan rencananya."))
    if not any(getattr(plan, f"q{q}") for q in QUARTERS):
        raise DomainError(_("Isi kegiatan paling sedikit satu triwulan sebelum mengajukan."), "q1")
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = utcnow()
    plan.return_note = ""
    session.flush()
    record(session, actor, "sister.plan_submit", pair, before={"status": str(PlanStatus.DRAFT)},
           after={"status": str(PlanStatus.SUBMITTED)})
    notify(session, city_staff(session), "sister_plan_submitted",
           _l("Rencana tahunan sister %(year)d %(kampung)s menunggu persetujuan.", year=pair.round.year,
              kampung=pair.kampung.name), _link(pair))
    return plan


def decide_plan(session, actor, pair: SisterPair, approve: bool, note: str = "") -> SisterPlan:
    """Staff approve a submitted plan (frozen) or send it back with a note (a draft again); the parties
    are told either way."""
    from gandeng.notifications.services import notify

    plan = plan_of(session, pair)
    if not _is_staff(actor):
        raise NotAllowed(_("Hanya petugas kota yang menyetujui rencana."))
    if plan is None or plan.status != PlanStatus.SUBMITTED:
        raise DomainError(_("Tidak ada rencana yang menunggu persetujuan."), "plan")
    note = " ".join((note or "").split())[:500]
    if not approve and not note:
        raise DomainError(_("Tulis apa yang perlu diperbaiki."), "note")
    plan.status = PlanStatus.APPROVED if approve else PlanStatus.DRAFT
    plan.approved_by_id = actor.id if approve else None
    plan.approved_at = utcnow() if approve else None
    plan.return_note = "" if approve else note
    session.flush()
    record(session, actor, "sister.plan_approve" if approve else "sister.plan_return", pair,
           before={"status": str(PlanStatus.SUBMITTED)}, after={"status": str(plan.status)}, note=note)
    if approve:
        message = _l("Rencana tahunan sister %(year)d %(kampung)s disetujui.", year=pair.round.year,
                     kampung=pair.kampung.name)
    else:
        message = _l("Rencana tahunan sister %(year)d %(kampung)s dikembalikan: %(note)s", year=pair.round.year,
                     kampung=pair.kampung.name, note=note)
    notify(session, parties_of(session, pair), "sister_plan_decided", message, _link(pair))
    return plan


# --- quarterly reports ---------------------------------------------------------------------------

REPORT_FIGURES = ("households_reached", "participants", "students", "employees")


def reports_of(session, pair: SisterPair) -> dict[int, SisterReport]:
    """Quarter -> report of the pair."""
    return {r.quarter: r for r in session.scalars(select(SisterReport).where(SisterReport.pair_id == pair.id))}


def add_report(session, actor, pair: SisterPair, quarter, data: dict, photos=(), now: datetime | None = None
               ) -> SisterReport:
    """One party's report of a quarter: what was done, households reached, participants, students and
    employees involved, up to MAX_PHOTOS photos (JPEG/PNG, made smaller and cleaned as every upload).
    Refused for a quarter not yet begun, or one already reported."""
    from gandeng.notifications.services import notify
    from gandeng.uploads import PHOTOS, chosen_files, prepare_uploads, upload_folder, write_files

    if not can_report(actor, pair):
        raise NotAllowed(_("Hanya koordinator kampung dan mitra pasangan ini yang mengirim laporannya."))
    now = now or utcnow()
    year = pair.round.year
    try:
        quarter = int(quarter)
    except (TypeError, ValueError):
        quarter = 0
    if quarter not in QUARTERS:
        raise DomainError(_("Pilih triwulan 1 sampai 4."), "quarter")
    if quarter_start(year, quarter) > wib_date(now):
        raise DomainError(_("Triwulan %(q)d tahun %(year)d belum dimulai.", q=quarter, year=year), "quarter")
    if session.scalar(select(SisterReport.id).where(SisterReport.pair_id == pair.id,
                                                    SisterReport.quarter == quarter)) is not None:
        raise DomainError(_("Laporan triwulan %(q)d sudah dikirim.", q=quarter), "quarter")
    text = _text(data, "text")
    if not text:
        raise DomainError(_("Tulis apa yang sudah dikerjakan."), "text")
    figures = {name: _count(data, name) for name in REPORT_FIGURES}
    uploads = chosen_files(photos)
    if len(uploads) > MAX_PHOTOS:
        raise DomainError(_("Paling banyak %(n)d foto per laporan.", n=MAX_PHOTOS), PHOTO_FIELD)
    prepared = prepare_uploads(uploads, allowed=PHOTOS, field=PHOTO_FIELD) if uploads else []
    names = (write_files(session, upload_folder(PHOTO_FOLDER, PHOTO_FIELD), prepared, PHOTO_FIELD)
             if prepared else [])
    report = SisterReport(pair_id=pair.id, quarter=quarter, text=text, author_id=actor.id, created_at=now,
                          on_time=wib_date(now) <= report_due(year, quarter), **figures)
    report.photos = [SisterReportPhoto(stored_name=name, original_name=item.original_name,
                                       content_type=item.content_type, size=len(item.data))
                     for name, item in zip(names, prepared)]
    session.add(report)
    session.flush()
    record(session, actor, "sister.report", pair, after={"quarter": quarter, "on_time": report.on_time,
                                                         "photos": len(names), **figures})
    others = [u for u in parties_of(session, pair) if u.id != actor.id]
    notify(session, others, "sister_report", _l("Laporan triwulan %(q)d sister %(year)d %(kampung)s masuk.",
                                                q=quarter, year=year, kampung=pair.kampung.name), _link(pair))
    return report


def remind_late_reports(session, now: datetime) -> int:
    """Tell the parties of every published pair whose quarter report is overdue (once per pair and quarter,
    for due dates in the last REMIND_WITHIN); returns how many reminders were queued. Safe to run every
    minute (the worker's outbox loop does; so does `flask sister remind`)."""
    from gandeng.notifications.models import ReminderSent
    from gandeng.notifications.services import notify
    from gandeng.sister.models import SisterRound

    today = wib_date(now)
    rounds = session.scalars(select(SisterRound).where(
        SisterRound.status == RoundStatus.PUBLISHED, SisterRound.year >= today.year - 1,
        SisterRound.year <= today.year).order_by(SisterRound.year)).all()
    due: list[tuple[SisterPair, int]] = []
    for sister_round in rounds:
        late_quarters = [q for q in QUARTERS if report_due(sister_round.year, q) < today
                         and today - report_due(sister_round.year, q) <= REMIND_WITHIN]
        if not late_quarters:
            continue
        pairs = session.scalars(select(SisterPair).where(SisterPair.round_id == sister_round.id)
                                .order_by(SisterPair.id)).all()
        reported = set(session.execute(select(SisterReport.pair_id, SisterReport.quarter).join(
            SisterPair, SisterPair.id == SisterReport.pair_id).where(SisterPair.round_id == sister_round.id)).all())
        due += [(pair, q) for pair in pairs for q in quarters_due(pair, today)
                if q in late_quarters and (pair.id, q) not in reported]
    if not due:
        return 0
    # One query for the keys already sent (this runs every minute in the worker: no query per pair).
    keys = {f"sister-report:{pair.id}:{q}": (pair, q) for pair, q in due}
    sent_before = set()
    names = list(keys)
    for start in range(0, len(names), 500):
        sent_before.update(session.scalars(select(ReminderSent.key).where(
            ReminderSent.key.in_(names[start:start + 500]))))
    sent = 0
    for key, (pair, quarter) in keys.items():
        if key in sent_before:
            continue
        session.add(ReminderSent(key=key))
        session.flush()
        year = pair.round.year
        message = _l("Pengingat: laporan triwulan %(q)d sister %(year)d %(kampung)s belum dikirim "
                     "(batas %(due)s).", q=quarter, year=year, kampung=pair.kampung.name,
                     due=long_date(report_due(year, quarter)))
        notify(session, parties_of(session, pair), "sister_report_late", message, _link(pair),
               email_subject=_l("Pengingat: laporan triwulan kampung sister"))
        sent += 1
    return sent


@dataclass
class QuarterState:
    quarter: int
    due: date
    report: SisterReport | None
    state: str  # 'on_time', 'late', 'missing' (due and not sent), 'open' (not due yet)


def quarter_states(session, pair: SisterPair, today: date) -> list[QuarterState]:
    """Each quarter of the pair's year with its report and whether it came on time."""
    reports = reports_of(session, pair)
    due_now = set(quarters_due(pair, today))
    states = []
    for q in QUARTERS:
        report = reports.get(q)
        if report is not None:
            state = "on_time" if report.on_time else "late"
        else:
            state = "missing" if q in due_now else "open"
        states.append(QuarterState(q, report_due(pair.round.year, q), report, state))
    return states

"""A collaboration after approval: the partner confirms or declines, both parties report progress
(percent, text, photos, Rupiah realised), the partner reports completion and the coordinator
confirms it; staff may cancel. Each step writes one audit row and tells the other party.

Money: declining gives the whole amount back to the offer and takes it off the need; cancelling
gives back only the unrealised part (amount_rp stays as approved, realised_rp keeps counting as
spent — see queries.COUNTED_RP). Need and offer statuses follow (totals.sync_*).
"""
from flask_babel import gettext as _, lazy_gettext as _l

from gandeng.audit.services import record
from gandeng.collaborations import parties, policies, totals
from gandeng.collaborations.models import Commitment, CommitmentStatus, ProgressPhoto, ProgressReport
from gandeng.collaborations.rules import MAX_BENEFICIARIES, MAX_PERCENT, MAX_REASON, MAX_TEXT
from gandeng.db import utcnow
from gandeng.errors import Conflict, DomainError, NotAllowed
from gandeng.formatting import current_lang, rupiah, whole
from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.transactions import begin_write, locked
from gandeng.uploads import PHOTOS, chosen_files, prepare_uploads, upload_folder, write_files

MAX_PHOTOS_PER_REPORT = 10
PHOTO_FOLDER = "progress"
PHOTO_FIELD = "photos"


def _lock(session, commitment: Commitment) -> Commitment:
    """The collaboration, its offer and its need read afresh under the write lock (in that order,
    the same order as approvals: offer before need)."""
    begin_write(session)
    commitment = locked(session, Commitment, commitment.id)
    locked(session, Offer, commitment.offer_id)
    locked(session, Need, commitment.need_id)
    return commitment


def _check(role_ok: bool, allowed: bool, message: str) -> None:
    """NotAllowed when the actor's part in the collaboration never allows this step; Conflict
    when it would, but not in the collaboration's present state (someone acted first)."""
    if not role_ok:
        raise NotAllowed(_("Anda tidak berhak mengubah kerja sama ini."))
    if not allowed:
        raise Conflict(message)


def _state(commitment) -> dict:
    return {
        "status": str(commitment.status),
        "need_status": str(commitment.need.status),
        "offer_status": str(commitment.offer.status),
    }


def _text(value, field="text", required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Wajib diisi."), field)
    if len(value) > MAX_TEXT:
        raise DomainError(_("Maksimal %(max)d karakter.", max=MAX_TEXT), field)
    return value


def clean_reason(reason, field: str = "reason") -> str:
    """A required reason of at most 1000 characters."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Tulis alasannya."), field)
    if len(reason) > MAX_REASON:
        raise DomainError(_("Maksimal %(max)d karakter.", max=MAX_REASON), field)
    return reason


def _whole(value, field, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Harus berupa bilangan bulat."), field)
    if not low <= value <= high:
        raise DomainError(_("Angka harus antara %(min)s dan %(max)s.", min=whole(low, current_lang()),
                            max=whole(high, current_lang())), field)
    return value


def _realised(value, commitment) -> int:
    """Rupiah realised so far: a whole amount from Rp0 up to what was committed."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Harus berupa bilangan bulat."), "realised_rp")
    if not 0 <= value <= commitment.amount_rp:
        raise DomainError(_("Dana terealisasi paling banyak %(max)s (jumlah yang disanggupi), paling sedikit Rp0.",
                            max=rupiah(commitment.amount_rp)), "realised_rp")
    return value


def _follow(session, commitment) -> None:
    totals.sync_offer_status(commitment.offer)
    totals.sync_need_status(session, commitment.need)


def confirm_collaboration(session, actor, commitment: Commitment) -> None:
    """The partner (or staff for them) accepts: the work starts, the need is in progress."""
    commitment = _lock(session, commitment)
    _check(policies.is_partner_of(actor, commitment) or policies.is_staff(actor),
           policies.can_answer_collaboration(actor, commitment), _("Kerja sama ini sudah dijawab."))
    before = _state(commitment)
    commitment.status = CommitmentStatus.IN_PROGRESS
    commitment.confirmed_at = utcnow()
    _follow(session, commitment)
    record(session, actor, "collaboration.confirm", commitment, before=before, after=_state(commitment))
    parties.tell_coordinators(
        session, actor, "collaboration.confirmed", commitment,
        _l("%(org)s berkomitmen %(amount)s untuk kebutuhan “%(title)s” dan sudah mengonfirmasi kerja samanya.",
          org=commitment.offer.organisation.name, amount=rupiah(commitment.amount_rp),
          title=commitment.need.title),
        email_subject=_l("Kebutuhan kampung Anda mendapat komitmen mitra"))


def decline_collaboration(session, actor, commitment: Commitment, reason: str) -> None:
    """The partner (or staff for them) declines with a reason: the whole amount goes back."""
    commitment = _lock(session, commitment)
    _check(policies.is_partner_of(actor, commitment) or policies.is_staff(actor),
           policies.can_answer_collaboration(actor, commitment), _("Kerja sama ini sudah dijawab."))
    reason = clean_reason(reason)
    before = _state(commitment)
    totals.release(session, commitment.need, commitment.offer, commitment.amount_rp)  # nothing realised yet
    commitment.status = CommitmentStatus.DECLINED
    commitment.status_reason = reason
    commitment.closed_at = utcnow()
    _follow(session, commitment)
    record(session, actor, "collaboration.decline", commitment, before=before,
           after={**_state(commitment), "released_rp": commitment.amount_rp}, note=reason)
    message = _l("%(org)s menolak kerja sama untuk kebutuhan “%(title)s”; %(amount)s kembali tersedia.",
                org=commitment.offer.organisation.name, title=commitment.need.title,
                amount=rupiah(commitment.amount_rp))
    # Not the coordinators: they are told of a collaboration only once the partner confirms it.
    parties.tell_approver(session, actor, "collaboration.declined", commitment, message,
                          email_subject=_l("Mitra menolak kerja sama"))


def report_progress(session, actor, commitment: Commitment, percent, text, realised_rp=None,
                    photos=()) -> ProgressReport:
    """A progress report by either party: percent done, a text, photos (JPEG/PNG), and the total
    Rupiah realised so far (None keeps the last figure; it may be corrected down as well as up,
    never above the amount committed). A percentage below the last one needs a text saying why."""
    commitment = _lock(session, commitment)
    _check(policies.is_partner_of(actor, commitment) or policies.is_coordinator_of(actor, commitment),
           policies.can_report_progress(actor, commitment),
           _("Laporan kemajuan hanya untuk kerja sama yang sedang berjalan."))
    percent = _whole(percent, "percent", 0, MAX_PERCENT)
    text = _text(text)
    if realised_rp is not None:
        realised_rp = _realised(realised_rp, commitment)
    uploads = chosen_files(photos)
    if len(uploads) > MAX_PHOTOS_PER_REPORT:
        raise DomainError(_("Paling banyak %(n)d foto per laporan.", n=MAX_PHOTOS_PER_REPORT), PHOTO_FIELD)
    last = commitment.progress_percent or 0
    if percent < last and not text:
        # Going back is allowed (a correction, work undone by rain), never silently: a typed 6 for 60.
        raise DomainError(_("Kemajuan ini lebih rendah dari laporan sebelumnya (%(last)d%%). Tulis alasannya, "
                            "misalnya koreksi angka.", last=last), "text")
    if not text and not uploads:
        raise DomainError(_("Tulis kemajuannya atau lampirkan foto."), "text")
    prepared = prepare_uploads(uploads, allowed=PHOTOS, field=PHOTO_FIELD)
    names = (write_files(session, upload_folder(PHOTO_FOLDER, PHOTO_FIELD), prepared, PHOTO_FIELD)
             if prepared else [])
    before = {"progress_percent": commitment.progress_percent, "realised_rp": commitment.realised_rp}
    report = ProgressReport(
        commitment=commitment, author_id=getattr(actor, "id", None), percent=percent, text=text,
        realised_rp=commitment.realised_rp if realised_rp is None else realised_rp,
    )
    report.photos = [
        ProgressPhoto(stored_name=name, original_name=item.original_name,
                      content_type=item.content_type, size=len(item.data))
        for name, item in zip(names, prepared)
    ]
    session.add(report)
    commitment.progress_percent = percent
    commitment.realised_rp = report.realised_rp
    session.flush()
    record(session, actor, "collaboration.progress", commitment, before=before,
           after={"progress_percent": percent, "realised_rp": commitment.realised_rp,
                  "report_id": report.id, "photos": len(names)})
    message = _l("Laporan kemajuan baru (%(percent)d%%) untuk kebutuhan “%(title)s”.",
                percent=percent, title=commitment.need.title)
    if policies.is_partner_of(actor, commitment):
        parties.tell_coordinators(session, actor, "collaboration.progress", commitment, message)
    else:
        parties.tell_partner(session, actor, "collaboration.progress", commitment, message)
    return report


def report_completion(session, actor, commitment: Commitment, beneficiaries_reached, text) -> ProgressReport:
    """The partner reports the work done and how many people it reached; the coordinator confirms."""
    commitment = _lock(session, commitment)
    _check(policies.is_partner_of(actor, commitment), policies.can_report_completion(actor, commitment),
           _("Penyelesaian hanya dapat dilaporkan sekali, saat kerja sama berjalan."))
    reached = _whole(beneficiaries_reached, "beneficiaries_reached", 0, MAX_BENEFICIARIES)
    text = _text(text, required=True)
    before = {"progress_percent": commitment.progress_percent, "beneficiaries_reached": None}
    report = ProgressReport(commitment=commitment, author_id=getattr(actor, "id", None), percent=100,
                            text=text, realised_rp=commitment.realised_rp)
    session.add(report)
    commitment.beneficiaries_reached = reached
    commitment.completion_reported_at = utcnow()
    commitment.progress_percent = 100
    session.flush()
    record(session, actor, "collaboration.complete", commitment, before=before,
           after={"progress_percent": 100, "beneficiaries_reached": reached, "report_id": report.id})
    parties.tell_coordinators(
        session, actor, "collaboration.completion_reported", commitment,
        _l("%(org)s melaporkan kerja sama untuk kebutuhan “%(title)s” selesai. Mohon periksa dan konfirmasi.",
          org=commitment.offer.organisation.name, title=commitment.need.title),
        email_subject=_l("Mohon konfirmasi penyelesaian kerja sama"))
    return report


def confirm_completion(session, actor, commitment: Commitment) -> None:
    """The kampung's coordinator confirms the reported completion: the collaboration is completed
    (and the need too, once all its collaborations are)."""
    commitment = _lock(session, commitment)
    _check(policies.is_coordinator_of(actor, commitment), policies.can_confirm_completion(actor, commitment),
           _("Belum ada laporan penyelesaian untuk dikonfirmasi."))
    before = _state(commitment)
    commitment.status = CommitmentStatus.COMPLETED
    commitment.completed_at = utcnow()
    _follow(session, commitment)
    record(session, actor, "collaboration.confirm_completion", commitment, before=before,
           after=_state(commitment))
    message = _l("Koordinator kampung mengonfirmasi kerja sama untuk kebutuhan “%(title)s” selesai. Terima kasih!",
                title=commitment.need.title)
    parties.tell_partner(session, actor, "collaboration.completed", commitment, message)
    parties.tell_approver(session, actor, "collaboration.completed", commitment, message)


def cancel_collaboration(session, actor, commitment: Commitment, reason: str) -> None:
    """Staff cancel an unfinished collaboration with a reason; the unrealised part goes back."""
    commitment = _lock(session, commitment)
    _check(policies.is_staff(actor), policies.can_cancel_collaboration(actor, commitment),
           _("Kerja sama ini sudah selesai atau ditutup."))
    reason = clean_reason(reason)
    before = _state(commitment)
    released = commitment.amount_rp - commitment.realised_rp
    totals.release(session, commitment.need, commitment.offer, released)
    commitment.status = CommitmentStatus.CANCELLED
    commitment.status_reason = reason
    commitment.closed_at = utcnow()
    _follow(session, commitment)
    record(session, actor, "collaboration.cancel", commitment, before=before,
           after={**_state(commitment), "released_rp": released, "realised_rp": commitment.realised_rp},
           note=reason)
    message = _l("Petugas kota membatalkan kerja sama untuk kebutuhan “%(title)s”.", title=commitment.need.title)
    subject = _l("Kerja sama dibatalkan")
    parties.tell_partner(session, actor, "collaboration.cancelled", commitment, message, email_subject=subject)
    parties.tell_coordinators(session, actor, "collaboration.cancelled", commitment, message, email_subject=subject)

"""Web pages for collaborations (list, page, the parties' steps, progress photos) and the staff's
approval endpoint and manual matching under /review."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from gandeng import labels
from gandeng.audit.services import history
from gandeng.collaborations import policies, services
from gandeng.collaborations.briefing import briefing
from gandeng.collaborations.forms import CompletionForm, ManualMatchForm, ProgressForm, ReasonForm
from gandeng.collaborations.lifecycle import PHOTO_FOLDER
from gandeng.collaborations.models import Commitment, CommitmentStatus, ProgressPhoto
from gandeng.collaborations.queries import needs_with_room, offers_with_room, page_of_collaborations
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.formatting import rupiah, today_wib
from gandeng.forms_common import options
from gandeng.needs.models import Need
from gandeng.offers.models import Offer
from gandeng.proposals import decisions
from gandeng.proposals.models import Proposal
from gandeng.uploads import stored_file_response, stored_path
from gandeng.paging import Position
from gandeng.urls import safe_next
from gandeng.web import acting_user, load_or_404, require, search_text, show_domain_error

bp = Blueprint("collaborations", __name__)


# --- list and page ------------------------------------------------------------------------------

@bp.get("/collaborations")
@login_required
def index():
    status = request.args.get("status", "")
    status = status if status in set(CommitmentStatus) else ""
    q = search_text()
    page = page_of_collaborations(db.session, current_user, status, Position.from_args(request.args),
                                  current_app.config["PER_PAGE"], q=q)
    args = {name: value for name, value in (("status", status), ("q", q)) if value}
    return render_template("collaborations/index.html", page=page, status=status, q=q, args=args)


def _load(collaboration_id) -> Commitment:
    return load_or_404(Commitment, collaboration_id, policies.can_view_collaboration)


def _history_rows(commitment) -> list[dict]:
    staff = policies.is_staff(current_user)
    return [{
        "label": labels.action_label(event.action),
        "at": event.created_at,
        "actor": (event.actor.name if event.actor else _("Sistem")) if staff else None,
        "note": event.note if event.action in ("collaboration.decline", "collaboration.cancel") else "",
    } for event in history(db.session, commitment)]


def render_page(commitment, status=200, **forms):
    user = current_user
    return render_template(
        "collaborations/show.html",
        c=commitment,
        brief=briefing(db.session, commitment),
        reports=list(reversed(commitment.reports)),
        history=_history_rows(commitment),
        can=dict(
            answer=policies.can_answer_collaboration(user, commitment),
            progress=policies.can_report_progress(user, commitment),
            complete=policies.can_report_completion(user, commitment),
            confirm_completion=policies.can_confirm_completion(user, commitment),
            cancel=policies.can_cancel_collaboration(user, commitment),
        ),
        decline_form=forms.get("decline_form") or ReasonForm(formdata=None, prefix="decline"),
        cancel_form=forms.get("cancel_form") or ReasonForm(formdata=None, prefix="cancel"),
        progress_form=forms.get("progress_form") or ProgressForm(formdata=None,
                                                                 data={"percent": commitment.progress_percent}),
        completion_form=forms.get("completion_form") or CompletionForm(formdata=None, prefix="completion"),
    ), status


@bp.get("/collaborations/<int:collaboration_id>")
@login_required
def show(collaboration_id):
    return render_page(_load(collaboration_id))


# --- the parties' steps -------------------------------------------------------------------------

def _load_for(collaboration_id, allowed) -> Commitment:
    commitment = _load(collaboration_id)
    require(allowed(current_user, commitment))
    return commitment


def _done(commitment, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("collaborations.show", collaboration_id=commitment.id))


def _failed(commitment, error):
    db.session.rollback()
    flash(error.message, "danger")
    return redirect(url_for("collaborations.show", collaboration_id=commitment.id))


def _with_form(commitment, form, form_name, action, message):
    """Validate `form`, run `action()`; on a bad form or a DomainError re-show the page (422)."""
    if form.validate_on_submit():
        try:
            action()
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            return _done(commitment, message)
    return render_page(db.session.get(Commitment, commitment.id), 422, **{form_name: form})


@bp.post("/collaborations/<int:collaboration_id>/confirm")
@login_required
def confirm(collaboration_id):
    commitment = _load_for(collaboration_id, policies.can_answer_collaboration)
    try:
        services.confirm_collaboration(db.session, acting_user(), commitment)
    except DomainError as error:
        return _failed(commitment, error)
    return _done(commitment, _("Kerja sama dikonfirmasi. Selamat bekerja!"))


@bp.post("/collaborations/<int:collaboration_id>/decline")
@login_required
def decline(collaboration_id):
    commitment = _load_for(collaboration_id, policies.can_answer_collaboration)
    form = ReasonForm(prefix="decline")
    return _with_form(commitment, form, "decline_form",
                      lambda: services.decline_collaboration(db.session, acting_user(), commitment, form.reason.data),
                      _("Kerja sama ditolak; dananya kembali tersedia di penawaran."))


@bp.post("/collaborations/<int:collaboration_id>/progress")
@login_required
def progress(collaboration_id):
    commitment = _load_for(collaboration_id, policies.can_report_progress)
    form = ProgressForm()
    return _with_form(
        commitment, form, "progress_form",
        lambda: services.report_progress(db.session, acting_user(), commitment, form.percent.data, form.text.data,
                                         form.realised_rp.data, request.files.getlist("photos")),
        _("Laporan kemajuan tersimpan."))


@bp.post("/collaborations/<int:collaboration_id>/complete")
@login_required
def complete(collaboration_id):
    commitment = _load_for(collaboration_id, policies.can_report_completion)
    form = CompletionForm(prefix="completion")
    return _with_form(
        commitment, form, "completion_form",
        lambda: services.report_completion(db.session, acting_user(), commitment, form.beneficiaries_reached.data,
                                           form.text.data),
        _("Penyelesaian dilaporkan. Koordinator kampung akan mengonfirmasinya."))


@bp.post("/collaborations/<int:collaboration_id>/confirm-completion")
@login_required
def confirm_completion(collaboration_id):
    commitment = _load_for(collaboration_id, policies.can_confirm_completion)
    try:
        services.confirm_completion(db.session, acting_user(), commitment)
    except DomainError as error:
        return _failed(commitment, error)
    return _done(commitment, _("Kerja sama selesai. Terima kasih!"))


@bp.post("/collaborations/<int:collaboration_id>/cancel")
@login_required
def cancel(collaboration_id):
    commitment = _load_for(collaboration_id, policies.can_cancel_collaboration)
    form = ReasonForm(prefix="cancel")
    return _with_form(commitment, form, "cancel_form",
                      lambda: services.cancel_collaboration(db.session, acting_user(), commitment, form.reason.data),
                      _("Kerja sama dibatalkan; dana yang belum terealisasi kembali ke penawaran."))


@bp.get("/collaborations/<int:collaboration_id>/photos/<int:photo_id>")
@login_required
def photo(collaboration_id, photo_id):
    commitment = _load(collaboration_id)
    item = db.session.get(ProgressPhoto, photo_id)
    if (item is None or item.report.commitment_id != commitment.id
            or not policies.can_view_progress_photo(current_user, commitment)):
        abort(404)
    return stored_file_response(stored_path(PHOTO_FOLDER, item.stored_name), item.content_type,
                                "private, max-age=300")


# --- staff: approving a proposal, matching by hand ------------------------------------------------

def _back() -> str:
    """Where the approval came from (same site only), else the review queue."""
    return safe_next(request.referrer, host=request.host) or "/review"


def _refused(error: DomainError, proposal=None):
    if proposal is not None and request.headers.get("HX-Request") == "true":
        # htmx swaps the answer into the proposal's card (a 200, or htmx would not swap it).
        return render_template("review/_decided.html", proposal=proposal, commitment=None, error=error.message)
    flash(error.message, "warning" if isinstance(error, services.StaleProposal) else "danger")
    return redirect(_back())


@bp.post("/review/proposals/<int:proposal_id>/approve", endpoint="approve_proposal")
@login_required
def approve_view(proposal_id):
    """Approve one proposal: the card answered in place for htmx, otherwise a message and back to
    where the staff came from (programs approve through POST /api/v1/proposals/<id>/approve).
    A retried request may carry an Idempotency-Key header (or field): it commits once."""
    require(policies.can_approve_proposals(current_user))
    proposal = load_or_404(Proposal, proposal_id)
    key = request.headers.get("Idempotency-Key") or request.form.get("idempotency_key")
    try:
        commitment = decisions.approve(db.session, acting_user(), proposal, idempotency_key=key)
    except decisions.StaleProposal as error:
        db.session.commit()  # keeps the stale mark decisions.approve made
        return _refused(error, proposal)
    except DomainError as error:
        db.session.rollback()
        return _refused(error, db.session.get(Proposal, proposal_id))
    db.session.commit()
    if request.headers.get("HX-Request") == "true":  # the card collapses in place, no page jump
        from gandeng.proposals.views import queue_counts_of_page

        return render_template("review/_decided.html", proposal=proposal, commitment=commitment, error=None,
                               queue_count=queue_counts_of_page())
    flash(_("Usulan disetujui: %(amount)s untuk “%(title)s”. Mitra diminta mengonfirmasi.",
            amount=rupiah(commitment.amount_rp), title=commitment.need.title), "success")
    return redirect(_back())


def _manual_choices(form) -> None:
    form.need_id.choices = options(("", _("— pilih kebutuhan —")), *[
        (str(need.id), f"#{need.id} {need.title} · {need.kampung.name} · {_('sisa')} {rupiah(left)}")
        for need, left in needs_with_room(db.session)
    ])
    form.offer_id.choices = options(("", _("— pilih penawaran —")), *[
        (str(offer.id), f"#{offer.id} {offer.organisation.name}: {offer.title} · {_('sisa')} {rupiah(left)}")
        for offer, left in offers_with_room(db.session, today_wib())
    ])


@bp.route("/review/manual", methods=["GET", "POST"], endpoint="manual_match")
@login_required
def manual_match_view():
    """Staff pair a need and an offer by hand, under the same rules as an approval."""
    require(policies.can_approve_proposals(current_user))
    form = ManualMatchForm(data={"need_id": request.args.get("need", ""), "offer_id": request.args.get("offer", "")}
                           if request.method == "GET" else None)
    if form.validate_on_submit():
        need = db.session.get(Need, form.chosen_id("need_id") or 0)
        offer = db.session.get(Offer, form.chosen_id("offer_id") or 0)
        if need is None:
            form.need_id.errors = [_("Pilih kebutuhan yang ada.")]
        if offer is None:
            form.offer_id.errors = [_("Pilih penawaran yang ada.")]
        if need is not None and offer is not None:
            try:
                commitment = services.manual_match(db.session, acting_user(), need, offer, form.amount_rp.data,
                                                   idempotency_key=form.idempotency_key.data)
            except DomainError as error:
                db.session.rollback()
                show_domain_error(form, error)
            else:
                db.session.commit()
                flash(_("Kerja sama dibuat. Mitra diminta mengonfirmasi."), "success")
                return redirect(url_for("collaborations.show", collaboration_id=commitment.id))
    _manual_choices(form)
    status = 422 if request.method == "POST" else 200
    return render_template("collaborations/manual.html", form=form), status

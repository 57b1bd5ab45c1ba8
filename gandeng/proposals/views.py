"""Staff pages: matching runs (/matching), the review queue (/review); suggestions while writing a need."""
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from gandeng.accounts.forms import EmptyForm
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.formatting import rupiah
from gandeng.forms_common import parse_date
from gandeng.proposals import alternatives, decisions, jobs, policies, queries
from gandeng.proposals import runs as matching_runs  # the module; `runs` below is the page
from gandeng.proposals.forms import RejectForm
from gandeng.proposals.models import MatchingRun, Proposal, ProposalStatus, RunStatus
from gandeng.proposals.suggest import suggest_offers
from gandeng.reference.services import categories, kemantren_with_kelurahan
from gandeng.offers.models import Offer
from gandeng.paging import Position
from gandeng.web import acting_user, load_or_404, page_number, require, search_text

bp = Blueprint("proposals", __name__)
alternatives.register(bp)

# Most proposals one "approve selected" may carry (each is its own transaction).
MAX_SELECTED = 200


# --- matching runs --------------------------------------------------------------------------

@bp.get("/matching")
@login_required
def runs():
    require(policies.can_run_matching(current_user))
    jobs.reap(db.session)  # a run whose worker died shows as failed, not as busy
    page = queries.runs_page(db.session, page_number(), current_app.config["PER_PAGE"])
    return render_template("matching/index.html", page=page, busy=matching_runs.run_in_progress(db.session),
                           form=EmptyForm())


@bp.post("/matching/runs")
@login_required
def start_run():
    require(policies.can_run_matching(current_user))
    try:
        run = matching_runs.create_run(db.session, acting_user(), _run_parameters())
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
        return redirect(url_for("proposals.runs"))
    db.session.commit()  # the worker must find the row
    if jobs.start_run(db.session, run) == "queued":
        flash(_("Pencocokan masuk antrean. Halaman ini diperbarui sendiri."), "info")
    return redirect(url_for("proposals.run", run_id=run.id))


def _run_parameters() -> dict | None:
    """The fairness weight chosen on the runs page (empty: the default)."""
    raw = request.form.get("fairness", "").strip().replace(",", ".")
    return {"fairness": raw} if raw else None


def _load_run(run_id) -> MatchingRun:
    """The run, after failing any run whose worker died: its page then stops polling and says so."""
    require(policies.can_run_matching(current_user))
    jobs.reap(db.session)
    return load_or_404(MatchingRun, run_id)


def _run_context(run: MatchingRun) -> dict:
    finished = run.status == RunStatus.DONE
    return {"run": run, "unmatched": queries.unmatched_rows(db.session, run) if finished else [],
            "polling": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
            "fairness": queries.fairness_rows(db.session, run) if finished else None}


@bp.get("/matching/runs/<int:run_id>")
@login_required
def run(run_id):
    return render_template("matching/run.html", **_run_context(_load_run(run_id)))


@bp.get("/matching/runs/<int:run_id>/status")
@login_required
def run_status(run_id):
    """The progress/result part of the run page, polled with htmx while the run works."""
    return render_template("matching/_run_status.html", **_run_context(_load_run(run_id)))


# --- the review queue -----------------------------------------------------------------------

def approve_url(proposal_id: int) -> str:
    """The approve route lives in the collaborations blueprint."""
    return url_for("collaborations.approve_proposal", proposal_id=proposal_id)


def _manual_url() -> str:
    return url_for("collaborations.manual_match")


def _chosen(value: str, allowed) -> str:
    return value if value in allowed else ""


@bp.get("/review")
@login_required
def review():
    require(policies.can_review_proposals(current_user))
    cats = categories(db.session)
    areas = kemantren_with_kelurahan(db.session)
    category = _chosen(request.args.get("category", ""), {c.code for c in cats})
    kemantren = _chosen(request.args.get("kemantren", ""), {k.code for k in areas})
    q = search_text()
    position = Position.from_args(request.args)
    queue = queries.review_queue(db.session, position, current_app.config["PER_PAGE"], category, kemantren, q)
    args = {name: value for name, value in (("q", q), ("category", category), ("kemantren", kemantren)) if value}
    return render_template(
        "review/index.html", queue=queue, categories=cats, areas=areas, category=category,
        kemantren=kemantren, q=q, approve_url=approve_url, manual_url=_manual_url(),
        latest_run=queries.latest_done_run(db.session), args=args,
        here=url_for("proposals.review", **args, **position.as_args()),
    )


def queue_counts_of_page() -> tuple[int, int]:
    """The queue's counts under the filters of the page an htmx request came from (HX-Current-URL),
    so that the sentence at its top follows each decision without reloading."""
    from urllib.parse import parse_qs

    args = {k: v[0] for k, v in parse_qs(urlsplit(request.headers.get("HX-Current-URL", "")).query).items()}
    category = _chosen(args.get("category", ""), {c.code for c in categories(db.session)})
    kemantren = _chosen(args.get("kemantren", ""), {k.code for k in kemantren_with_kelurahan(db.session)})
    return queries.queue_counts(db.session, category, kemantren, " ".join(args.get("q", "").split())[:200])


def is_htmx() -> bool:
    """The request comes from htmx (it swaps the answer into the page; no full page, no redirect)."""
    return request.headers.get("HX-Request") == "true"


def back_to_queue(anchor: str = ""):
    """Where a decision returns to: the queue page it was made on (the `back` form field, kept only
    when it is an address of the queue itself), at `anchor`."""
    back = request.form.get("back", "")
    if not back and request.referrer:
        # A form without `back` (a card's reject form): the queue page it was sent from, same site only.
        referrer = urlsplit(request.referrer)
        if referrer.netloc == request.host:
            back = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    parts = urlsplit(back)
    if parts.scheme or parts.netloc or parts.path != url_for("proposals.review") or "\\" in back:
        back = url_for("proposals.review")
    return redirect(back.split("#")[0] + (f"#{anchor}" if anchor else ""))


@bp.get("/review/proposals/<int:proposal_id>/approve", endpoint="confirm_approve")
@login_required
def confirm_approve(proposal_id):
    """The step before approving: the amount, the partner and the kampung, then "Ya, setujui".
    With htmx it opens inside the proposal's card (no page jump); without JavaScript it is a page.
    A confirm step rather than an undo window: approving tells the partner at once (notification
    and e-mail), and an undo could not call that back."""
    require(policies.can_review_proposals(current_user))
    proposal = load_or_404(Proposal, proposal_id)
    if request.args.get("batal"):
        if is_htmx():
            return ""
        return redirect(url_for("proposals.review") + f"#usulan-{proposal_id}")
    if proposal.status != ProposalStatus.PROPOSED:
        if is_htmx():
            return render_template("review/_decided.html", proposal=proposal, commitment=None,
                                   error=_("Usulan ini sudah diputuskan."))
        flash(_("Usulan ini sudah diputuskan."), "info")
        return redirect(url_for("proposals.review"))
    context = {"proposal": proposal, "approve_url": approve_url(proposal_id),
               "remaining_rp": max(proposal.need.cost_rp - proposal.need.committed_rp, 0)}
    return render_template("review/_confirm_approve.html" if is_htmx() else "review/confirm_approve.html",
                           **context)


@bp.post("/review/proposals/<int:proposal_id>/reject")
@login_required
def reject(proposal_id):
    require(policies.can_review_proposals(current_user))
    proposal = load_or_404(Proposal, proposal_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            decisions.reject(db.session, acting_user(), proposal, form.reason.data.strip())
        except DomainError as error:
            db.session.rollback()
            form.reason.errors = list(form.reason.errors) + [error.message]
        else:
            db.session.commit()
            flash(_("Usulan ditolak. Pasangan ini tidak akan diusulkan lagi."), "success")
            return back_to_queue(f"kebutuhan-{proposal.need_id}")
    return render_template("review/reject.html", proposal=proposal, form=form), 422


def _selected_ids() -> list[int]:
    ids = []
    for raw in request.form.getlist("proposal_ids"):
        if raw.isdigit() and int(raw) not in ids:
            ids.append(int(raw))
    return ids[:MAX_SELECTED]


def _approve_one(proposal_id: int) -> tuple[str, str]:
    """Approve one proposal in its own transaction;
    ("approved"|"stale"|"busy"|"refused"|"missing", message)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        return "missing", ""
    try:
        decisions.approve(db.session, acting_user(), proposal)
        db.session.commit()
        return "approved", ""
    except decisions.StaleProposal as error:
        db.session.commit()  # keeps the stale mark; no rollback first, which would release the lock
        return "stale", error.message
    except decisions.ProposalBusy as error:
        db.session.rollback()
        return "busy", error.message
    except DomainError as error:
        db.session.rollback()
        return "refused", error.message


@bp.post("/review/approve-selected")
@login_required
def approve_selected():
    """Approve the ticked proposals one by one: a stale one does not undo the others."""
    require(policies.can_review_proposals(current_user))
    ids = _selected_ids()
    if not ids:
        flash(_("Centang dulu usulan yang hendak disetujui."), "warning")
        return back_to_queue()
    outcome: dict[str, list] = {"approved": [], "stale": [], "refused": [], "missing": []}
    busy = None
    for done, proposal_id in enumerate(ids):
        result, message = _approve_one(proposal_id)
        if result == "busy":  # a matching run is replacing the queue: the others would wait as long
            busy = (len(ids) - done, message)
            break
        outcome[result].append((proposal_id, message))
    if outcome["approved"]:
        n = len(outcome["approved"])
        flash(ngettext("%(num)d usulan disetujui.", "%(num)d usulan disetujui.", n), "success")
    for proposal_id, message in outcome["stale"]:
        flash(_("Usulan #%(id)d tidak lagi sesuai: %(why)s", id=proposal_id, why=message), "warning")
    for proposal_id, message in outcome["refused"]:
        flash(_("Usulan #%(id)d tidak dapat disetujui: %(why)s", id=proposal_id, why=message), "danger")
    if outcome["missing"]:
        flash(ngettext("%(num)d usulan tidak ditemukan.", "%(num)d usulan tidak ditemukan.", len(outcome["missing"])), "warning")
    if busy:
        flash(ngettext("%(num)d usulan belum disetujui: %(why)s", "%(num)d usulan belum disetujui: %(why)s",
                       busy[0], why=busy[1]), "warning")
    return back_to_queue("antrean")


@bp.get("/review/proposals/<int:proposal_id>/switch/<int:offer_id>", endpoint="confirm_switch")
@login_required
def confirm_switch(proposal_id, offer_id):
    """The step before switching to an alternative, as for a normal approval: the amount, the partner
    chosen instead, the need and the offer it replaces, then "Ya, setujui sebagai ganti"."""
    require(policies.can_review_proposals(current_user))
    proposal = load_or_404(Proposal, proposal_id)
    back = url_for("proposals.review") + f"#alternatif-{proposal.need_id}-{offer_id}"
    if request.args.get("batal"):
        return "" if is_htmx() else redirect(back)
    offer = db.session.get(Offer, offer_id)
    is_alternative = any(a.get("offer_id") == offer_id for a in proposal.alternatives or [])
    if proposal.status != ProposalStatus.PROPOSED or offer is None or not is_alternative:
        message = (_("Usulan ini sudah diputuskan.") if proposal.status != ProposalStatus.PROPOSED
                   else _("Penawaran ini bukan alternatif dari usulan tersebut."))
        if is_htmx():
            return render_template("review/_confirm_switch.html", proposal=proposal, offer=None, error=message)
        flash(message, "info")
        return redirect(url_for("proposals.review"))
    return render_template("review/_confirm_switch.html" if is_htmx() else "review/confirm_switch.html",
                           proposal=proposal, offer=offer, error=None,
                           remaining_rp=max(proposal.need.cost_rp - proposal.need.committed_rp, 0))


@bp.post("/review/proposals/<int:proposal_id>/switch/<int:offer_id>")
@login_required
def switch_alternative(proposal_id, offer_id):
    """Approve the engine's alternative offer instead of the proposed one (after confirm_switch)."""
    require(policies.can_review_proposals(current_user))
    proposal = load_or_404(Proposal, proposal_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("Formulir kedaluwarsa. Silakan coba lagi."), "warning")
        return redirect(url_for("proposals.review"))
    try:
        alternatives.switch_to_alternative(db.session, acting_user(), proposal, offer_id)
    except decisions.StaleProposal as error:
        db.session.rollback()
        flash(_("Alternatif ini tidak dapat disetujui: %(why)s", why=error.message), "warning")
    except DomainError as error:
        db.session.rollback()
        flash(_("Alternatif ini tidak dapat disetujui: %(why)s", why=error.message), "danger")
    else:
        db.session.commit()
        chosen = db.session.get(Offer, offer_id)
        flash(_("Alternatif disetujui untuk “%(need)s”: %(org)s (%(offer)s), %(amount)s. Usulan semula dari "
                "%(old_org)s (%(old_offer)s) digantikan.", org=chosen.organisation.name, offer=chosen.title,
                need=proposal.need.title, amount=rupiah(proposal.amount_rp),
                old_org=proposal.offer.organisation.name, old_offer=proposal.offer.title), "success")
    return back_to_queue(f"kebutuhan-{proposal.need_id}")


# --- suggestions while a need is written ----------------------------------------------------

def _int_arg(name: str) -> int:
    raw = request.args.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 9 else 0


def _date_arg(name: str):
    try:
        return parse_date(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/needs/suggest", endpoint="suggest_offers")
@login_required
def suggest():
    """An htmx partial: the offers that would fit the need being written (best five, with reasons)."""
    require(policies.can_see_suggestions(current_user))
    kelurahan = request.args.get("kelurahan", "").strip()
    if not kelurahan and getattr(current_user, "kampung", None) is not None:
        kelurahan = current_user.kampung.kelurahan_code
    title = request.args.get("title", "")[:160]
    description = request.args.get("description", "")[:4000]
    category = request.args.get("category", "").strip()[:32]
    ready = bool(category and kelurahan and (title.strip() or description.strip()))
    suggestions = suggest_offers(
        db.session, category=category, kelurahan_code=kelurahan, title=title, description=description,
        urgency=request.args.get("urgency", "sedang"), households=_int_arg("households"),
        kms_households=_int_arg("kms_households"), deadline=_date_arg("deadline"),
    ) if ready else []
    return render_template("matching/_suggestions.html", suggestions=suggestions, ready=ready)

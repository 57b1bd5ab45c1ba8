"""Staff pages: matching runs (/matching), the review queue (/review); suggestions while writing a need."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from gandeng.accounts.forms import EmptyForm
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.forms_common import parse_date
from gandeng.proposals import alternatives, jobs, policies, queries, services
from gandeng.proposals.forms import RejectForm
from gandeng.proposals.models import MatchingRun, Proposal, RunStatus
from gandeng.proposals.suggest import suggest_offers
from gandeng.reference.services import categories, kemantren_with_kelurahan
from gandeng.web import load_or_404, page_number, require

bp = Blueprint("proposals", __name__)
alternatives.register(bp)

# Most proposals one "approve selected" may carry (each is its own transaction).
MAX_SELECTED = 200


def _user():
    return current_user._get_current_object()


# --- matching runs --------------------------------------------------------------------------

@bp.get("/matching")
@login_required
def runs():
    require(policies.can_run_matching(current_user))
    page = queries.runs_page(db.session, page_number(), current_app.config["PER_PAGE"])
    return render_template("matching/index.html", page=page, busy=services.run_in_progress(db.session),
                           form=EmptyForm())


@bp.post("/matching/runs")
@login_required
def start_run():
    require(policies.can_run_matching(current_user))
    try:
        run = services.create_run(db.session, _user(), _run_parameters())
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
    require(policies.can_run_matching(current_user))
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
    try:
        return url_for("collaborations.approve_proposal", proposal_id=proposal_id)
    except BuildError:
        return f"/review/proposals/{proposal_id}/approve"


def _manual_url() -> str:
    try:
        return url_for("collaborations.manual_match")
    except BuildError:
        return "/review/manual"


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
    queue = queries.review_queue(db.session, page_number(), current_app.config["PER_PAGE"], category, kemantren)
    return render_template(
        "review/index.html", queue=queue, categories=cats, areas=areas, category=category,
        kemantren=kemantren, approve_url=approve_url, manual_url=_manual_url(),
        latest_run=queries.latest_done_run(db.session), args={"category": category, "kemantren": kemantren},
    )


def _collaboration_services():
    from gandeng.collaborations import services as collaboration_services

    return collaboration_services


@bp.post("/review/proposals/<int:proposal_id>/reject")
@login_required
def reject(proposal_id):
    require(policies.can_review_proposals(current_user))
    proposal = load_or_404(Proposal, proposal_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            _collaboration_services().reject_proposal(db.session, _user(), proposal, form.reason.data.strip())
        except DomainError as error:
            db.session.rollback()
            form.reason.errors = list(form.reason.errors) + [error.message]
        else:
            db.session.commit()
            flash(_("Usulan ditolak. Pasangan ini tidak akan diusulkan lagi."), "success")
            return redirect(url_for("proposals.review"))
    return render_template("review/reject.html", proposal=proposal, form=form), 422


def _selected_ids() -> list[int]:
    ids = []
    for raw in request.form.getlist("proposal_ids"):
        if raw.isdigit() and int(raw) not in ids:
            ids.append(int(raw))
    return ids[:MAX_SELECTED]


def _approve_one(collaboration, proposal_id: int) -> tuple[str, str]:
    """Approve one proposal in its own transaction; ("approved"|"stale"|"refused"|"missing", message)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        return "missing", ""
    try:
        collaboration.approve_proposal(db.session, _user(), proposal)
        db.session.commit()
        return "approved", ""
    except collaboration.StaleProposal as error:
        db.session.rollback()
        proposal = db.session.get(Proposal, proposal_id)
        collaboration.mark_stale(db.session, _user(), proposal, error.message)
        db.session.commit()
        return "stale", error.message
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
        return redirect(url_for("proposals.review"))
    collaboration = _collaboration_services()
    outcome: dict[str, list] = {"approved": [], "stale": [], "refused": [], "missing": []}
    for proposal_id in ids:
        result, message = _approve_one(collaboration, proposal_id)
        outcome[result].append((proposal_id, message))
    if outcome["approved"]:
        n = len(outcome["approved"])
        flash(ngettext("%(num)d usulan disetujui.", "%(num)d usulan disetujui.", n), "success")
    for proposal_id, message in outcome["stale"]:
        flash(_("Usulan #%(id)d tidak lagi sesuai: %(why)s", id=proposal_id, why=message), "warning")
    for proposal_id, message in outcome["refused"]:
        flash(_("Usulan #%(id)d tidak dapat disetujui: %(why)s", id=proposal_id, why=message), "danger")
    if outcome["missing"]:
        flash(_("%(n)d usulan tidak ditemukan.", n=len(outcome["missing"])), "warning")
    return redirect(url_for("proposals.review"))


@bp.post("/review/proposals/<int:proposal_id>/switch/<int:offer_id>")
@login_required
def switch_alternative(proposal_id, offer_id):
    """Approve the engine's alternative offer instead of the proposed one, in one step."""
    require(policies.can_review_proposals(current_user))
    proposal = load_or_404(Proposal, proposal_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("Formulir kedaluwarsa. Silakan coba lagi."), "warning")
        return redirect(url_for("proposals.review"))
    collaboration = _collaboration_services()
    try:
        alternatives.switch_to_alternative(db.session, _user(), proposal, offer_id)
    except collaboration.StaleProposal as error:
        db.session.rollback()
        flash(_("Alternatif ini tidak dapat disetujui: %(why)s", why=error.message), "warning")
    except DomainError as error:
        db.session.rollback()
        flash(_("Alternatif ini tidak dapat disetujui: %(why)s", why=error.message), "danger")
    else:
        db.session.commit()
        flash(_("Alternatif disetujui; usulan semula digantikan."), "success")
    return redirect(url_for("proposals.review"))


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

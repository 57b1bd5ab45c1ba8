"""Pages of a published pair's year (issue 17, point 4): /sister/pairs/<id> shows the plan and the quarterly
reports to staff and to the pair's parties only; the parties write the plan and the reports, staff approve
the plan. /sister/mine lists the pairs of a coordinator or partner. Routes live on the sister blueprint."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from gandeng.db import db
from gandeng.errors import DomainError, NotAllowed
from gandeng.formatting import today_wib
from gandeng.sister import services, work
from gandeng.sister.forms import PlanDecisionForm, PlanForm, ReportForm
from gandeng.sister.models import PlanStatus, SisterPair, SisterReportPhoto, split_themes
from gandeng.sister.views import bp
from gandeng.web import acting_user, load_or_404, show_domain_error


def _pair(pair_id) -> SisterPair:
    return load_or_404(SisterPair, pair_id, work.can_see_work)


def _theme_choices():
    from gandeng.offers.forms import category_choices

    return category_choices(db.session, str(get_locale() or "id"))


def _plan_form(pair, plan, formdata=None):
    """The plan form: the plan's values, or for a first plan the themes the pair shares."""
    data = {"themes": split_themes(pair.shared_themes)} if plan is None else None
    if plan is not None and formdata is None:
        data = {name: getattr(plan, name) for name in ("q1", "q2", "q3", "q4", *work.PLAN_TARGETS)}
        data["themes"] = plan.theme_codes
    form = PlanForm(formdata=formdata, data=data)
    form.themes.choices = _theme_choices()
    return form


def _page(pair, plan_form=None, report_form=None, decision_form=None, status=200):
    plan = work.plan_of(db.session, pair)
    user = acting_user()
    report_form = report_form or ReportForm(formdata=None)
    today = today_wib()
    if report_form.quarter.data is None:
        begun = [q for q in work.QUARTERS if work.quarter_start(pair.round.year, q) <= today]
        report_form.quarter.data = str(begun[-1]) if begun else "1"
    return render_template(
        "sister/pair.html", pair=pair, plan=plan, statuses=PlanStatus,
        plan_form=plan_form or _plan_form(pair, plan), report_form=report_form,
        decision_form=decision_form or PlanDecisionForm(formdata=None),
        can_write_plan=work.can_write_plan(user, pair, plan), can_decide=work.can_decide_plan(user, plan),
        can_report=work.can_report(user, pair) and work.quarter_start(pair.round.year, 1) <= today, quarters=work.quarter_states(db.session, pair, today),
        theme_names=services.theme_labels(db.session),
        reasons=services.explain(pair, pair.round.year, services.theme_labels(db.session)),
    ), status


def _carry_out(pair_id, form, form_slot, action, message, anchor):
    """Run a change of the pair's year, then commit and go back to the page at `anchor`; a refusal of the
    rules re-shows the page with the user's entries and the message on `form` (put in `form_slot`), 422."""
    try:
        action()
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return _page(db.session.get(SisterPair, pair_id), status=422, **{form_slot: form})
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("sister.pair", pair_id=pair_id) + anchor)


@bp.get("/sister/mine")
@login_required
def mine():
    """The published pairs of the signed-in coordinator or partner (staff go to the pairing page)."""
    if current_user.is_staff:
        return redirect(url_for("sister.index"))
    return render_template("sister/mine.html", pairs=work.pairs_of_user(db.session, acting_user()))


@bp.get("/sister/pairs/<int:pair_id>")
@login_required
def pair(pair_id):
    return _page(_pair(pair_id))


@bp.post("/sister/pairs/<int:pair_id>/plan")
@login_required
def save_plan(pair_id):
    pair = _pair(pair_id)
    plan = work.plan_of(db.session, pair)
    if not work.can_write_plan(acting_user(), pair, plan):
        abort(403)
    form = _plan_form(pair, plan, request.form)
    if not form.validate():
        return _page(pair, plan_form=form, status=422)
    submit = request.form.get("action") == "submit"

    def save():
        work.save_plan(db.session, acting_user(), pair, form.data)
        if submit:
            work.submit_plan(db.session, acting_user(), pair)

    return _carry_out(pair_id, form, "plan_form", save,
                      _("Rencana diajukan ke petugas kota.") if submit else _("Rencana tersimpan."), "#plan")


@bp.post("/sister/pairs/<int:pair_id>/plan/decision")
@login_required
def decide_plan(pair_id):
    pair = _pair(pair_id)
    if not current_user.is_staff:
        abort(403)
    form = PlanDecisionForm(request.form)
    approve = request.form.get("decision") == "approve"
    if not form.validate():
        return _page(pair, decision_form=form, status=422)
    return _carry_out(pair_id, form, "decision_form",
                      lambda: work.decide_plan(db.session, acting_user(), pair, approve, form.note.data or ""),
                      _("Rencana disetujui.") if approve else _("Rencana dikembalikan dengan catatan."), "#plan")


@bp.post("/sister/pairs/<int:pair_id>/reports")
@login_required
def add_report(pair_id):
    pair = _pair(pair_id)
    if not work.can_report(acting_user(), pair):
        abort(403)
    form = ReportForm()
    if not form.validate():
        return _page(pair, report_form=form, status=422)
    data = {name: form[name].data for name in ("text", *work.REPORT_FIGURES)}
    return _carry_out(pair_id, form, "report_form",
                      lambda: work.add_report(db.session, acting_user(), pair, form.quarter.data, data,
                                              photos=request.files.getlist("photos")),
                      _("Laporan triwulan %(q)s terkirim.", q=form.quarter.data), "#reports")


@bp.get("/sister/pairs/<int:pair_id>/photos/<int:photo_id>")
@login_required
def report_photo(pair_id, photo_id):
    from gandeng.uploads import stored_file_response, stored_path

    pair = _pair(pair_id)
    item = db.session.get(SisterReportPhoto, photo_id)
    if item is None or item.report.pair_id != pair.id:
        abort(404)
    return stored_file_response(stored_path(work.PHOTO_FOLDER, item.stored_name), item.content_type,
                                "private, max-age=300")

"""Web pages for needs: list, write and edit, the staff's decisions (attachments: attachment_views)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from wtforms import SelectChoice

from gandeng import labels, pending_uploads
from gandeng.audit.services import history
from gandeng.collaborations.models import Commitment, CommitmentStatus
from gandeng.collaborations.queries import collaborations_of
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.list_cache import cached_fragment, cached_list, cached_total
from gandeng.forms_common import options
from gandeng.needs import attachments, policies, services
from gandeng.needs.forms import (
    FIELD_LABELS, SERVICE_FIELD, AttachmentForm, FilterForm, NeedForm, ReasonForm, WithdrawForm, need_warnings,
)
from gandeng.needs.cards import need_cards
from gandeng.needs.models import Need
from gandeng.needs.queries import NeedFilters, count_needs, page_of_needs, statuses_visible_to
from gandeng.reference.services import categories
from gandeng.reference.snapshot import reference
from gandeng.paging import Position
from gandeng.uploads import stored_file_response
from gandeng.web import load_or_404, require, search_text, show_domain_error

bp = Blueprint("needs", __name__, url_prefix="/needs")

def _category_choices(blank=None):
    english = str(get_locale() or "id") == "en"
    pairs = [(c.code, c.label_en if english else c.label_id) for c in categories(db.session)]
    return options(*([("", blank)] if blank else []), *pairs)


def _need_form(**kwargs) -> NeedForm:
    from gandeng.privacy.records import BENEFICIARY_CONSENT, retention_months

    form = NeedForm(**kwargs)
    form.category.choices = _category_choices(_("— pilih kategori —"))
    # The error summary names the box by its short label, not by the 60-word statement (phone walk).
    form.beneficiaries_consent.summary_name = form.beneficiaries_consent.label.text
    form.beneficiaries_consent.label.text = str(BENEFICIARY_CONSENT) % {"months": retention_months(current_app.config)}
    return form


def _domain_error_on_form(form, error: DomainError) -> None:
    if error.field in SERVICE_FIELD:
        error = DomainError(error.message, SERVICE_FIELD[error.field])
    show_domain_error(form, error)


# --- the list -------------------------------------------------------------------------------

def _filter_form(user, places):
    """The list's filters, their choices from the reference snapshot `places` (no query)."""
    locale = str(get_locale() or "id")
    form = FilterForm(formdata=request.args)
    form.status.choices = options(("", _("Semua status")),
                                  *[(s, labels.NEED_STATUS[s]) for s in statuses_visible_to(user)])
    form.category.choices = options(("", _("Semua kategori")), *[(c.code, c.label(locale)) for c in places.categories])
    form.kemantren.choices = options(("", _("Semua kemantren")), *[(k.code, k.name) for k in places.kemantren])
    form.kelurahan.choices = [SelectChoice("", _("Semua kelurahan"))] + [
        SelectChoice(kel.code, kel.name, optgroup=k.name) for k in places.kemantren for kel in k.kelurahan
    ]
    return form


def _chosen(field) -> str:
    """The field's value when it is one of its choices; anything else means no filter."""
    allowed = {choice.value for choice in field.choices}
    value = field.data or ""
    return value if value in allowed else ""


@bp.get("")
def index():
    user = current_user
    is_coordinator = policies.can_create_need(user)
    name = "needs" if is_coordinator else "needs-read"  # who may write sees another heading

    def list_part():
        places = reference(db.session)
        form = _filter_form(user, places)
        filters = NeedFilters(
            status=_chosen(form.status),
            category=_chosen(form.category),
            kemantren=_chosen(form.kemantren),
            kelurahan=_chosen(form.kelurahan),
            mine=bool(form.mine.data) and is_coordinator,
            q=search_text(),
        )
        total = cached_total(name, user, db.session, lambda: count_needs(db.session, user, filters))
        page = page_of_needs(db.session, user, filters, Position.from_args(request.args),
                             current_app.config["PER_PAGE"], with_places=False, total=total)
        cards = need_cards(page, places, str(get_locale() or "id"))
        filters_html = cached_fragment(f"{name}-filters", user, db.session, lambda: render_template(
            "needs/_filters.html", form=form, filters=filters, is_coordinator=is_coordinator))
        return render_template("needs/_index_body.html", page=page, cards=cards, filters_html=filters_html,
                               args=filters.as_args(), is_coordinator=is_coordinator)

    body = cached_list(name, user, db.session, list_part)
    return render_template("needs/index.html", body=body)


# --- writing and editing --------------------------------------------------------------------
# One round shows every mistake: the form's own checks, the service's rules (need_field_errors)
# and each chosen file; files that passed are kept as pending so they are never chosen again.

def _check_in_one_round(form, need=None, submitting=False) -> bool:
    """Validate everything at once; True when the need may be saved. When it is also to be submitted,
    what submitting asks beyond a draft (deadline not past, households) is checked in the same round."""
    form.validate()
    data = form.need_data()
    if need is not None:
        data = {**{name: getattr(need, name) for name in services.FIELDS}, **data}
    # Submission's own checks first: a households count it refuses is not then compared with the KMS count.
    errors = services.submission_errors(form.deadline.data, form.households.data) if submitting else []
    errors += services.need_field_errors(db.session, data)
    for error in errors:
        name = SERVICE_FIELD.get(error.field, error.field)
        field = getattr(form, name, None)
        if field is not None and field.errors:
            continue  # the form already said what is wrong there
        if name == "kms_households" and form.households.errors:
            continue  # compared with a household count that is itself wrong
        _domain_error_on_form(form, error)
    # Issue 19: names need the households' consent confirmed: always from the kampung's coordinator; from
    # staff only when they write or change names (staff fixing a typo elsewhere cannot vouch for it).
    names = (form.beneficiaries.data or "").strip()
    vouches = need is None or names != (need.beneficiaries or "").strip() or policies.is_own_coordinator(
        current_user, need)
    if names and vouches and not form.beneficiaries_consent.data:
        form.beneficiaries_consent.errors = list(form.beneficiaries_consent.errors) + [
            _("Centang bila keluarga yang namanya ditulis sudah setuju; tanpa persetujuan, kosongkan nama penerima.")]
    return not form.errors


def _kept_files(form) -> list:
    """The accepted files of this round (and earlier ones); each refused file's message on the field."""
    if form.files is None or "csrf_token" in form.errors:
        return []
    kept, errors = pending_uploads.collect(request.form.getlist("pending"), form.files.data, current_user.id)
    if len(kept) > attachments.MAX_PER_NEED:
        errors.append(_("Paling banyak %(n)d lampiran per kebutuhan.", n=attachments.MAX_PER_NEED))
    if errors:
        form.files.errors = list(form.files.errors or []) + errors
    return kept


def _flash_saved(message: str, form) -> None:
    """What happened to the need, then what looked odd in it (a warning never blocks saving)."""
    flash(message, "success")
    for _anchor, warning in need_warnings(form):
        flash(warning, "warning")


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    require(policies.can_create_need(current_user))
    form = _need_form()
    kept = []
    if form.is_submitted():
        ok = _check_in_one_round(form, submitting=bool(form.save_submit.data))
        kept = _kept_files(form)
        if ok and not form.errors:
            try:
                need = services.create_need(db.session, current_user, current_user.kampung, form.need_data())
                if kept:
                    attachments.add_prepared(db.session, current_user, need,
                                             [pending_uploads.read(p) for p in kept])
                if form.save_submit.data:
                    services.submit_need(db.session, current_user, need)
            except DomainError as error:
                db.session.rollback()
                _domain_error_on_form(form, error)
            else:
                for pending in kept:
                    pending_uploads.discard_after_commit(db.session, pending)
                db.session.commit()
                _flash_saved(_("Kebutuhan tersimpan dan diajukan. Petugas kota akan memeriksanya.")
                             if form.save_submit.data else
                             _("Kebutuhan tersimpan sebagai draf. Ajukan bila sudah lengkap."), form)
                return redirect(url_for("needs.show", need_id=need.id))
    return render_template("needs/form.html", form=form, need=None, kept=kept, warnings=need_warnings(form),
                           can_submit=True)


@bp.get("/pending/<token>")
@login_required
def pending_file(token):
    """A photo kept from a form that came back with errors, for its own user only (a thumbnail)."""
    pending = pending_uploads.load(token, current_user.id)
    if pending is None:
        abort(404)
    return stored_file_response(pending_uploads.path_of(pending), pending.content_type, "private, no-store")


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id):
    need = load_or_404(Need, need_id, policies.can_view_need)
    require(policies.can_edit_need(current_user, need))
    current = {name: getattr(need, name) for name in services.FIELDS if name != "category_code"}
    form = _need_form(data={**current, "category": need.category_code,
                            "beneficiaries_consent": need.beneficiaries_consent_at is not None})
    del form.files  # attachments are managed on the need's page
    can_submit = policies.can_submit_need(current_user, need)
    if form.is_submitted() and _check_in_one_round(form, need, submitting=bool(form.save_submit.data) and can_submit):
        try:
            changed = services.update_need(db.session, current_user, need, form.need_data())
            submitted = bool(form.save_submit.data) and can_submit
            if submitted:
                services.submit_need(db.session, current_user, need)
        except DomainError as error:
            db.session.rollback()
            _domain_error_on_form(form, error)
        else:
            db.session.commit()
            if submitted:
                _flash_saved(_("Perubahan tersimpan dan kebutuhan diajukan. Petugas kota akan memeriksanya."), form)
            else:
                _flash_saved(_("Perubahan tersimpan.") if changed else _("Tidak ada yang berubah."), form)
            return redirect(url_for("needs.show", need_id=need.id))
    return render_template("needs/form.html", form=form, need=need, kept=[], warnings=need_warnings(form),
                           can_submit=can_submit)


# --- the need's page ------------------------------------------------------------------------

def _history_rows(need, privileged: bool) -> list[dict]:
    rows = []
    for event in history(db.session, need):
        label = labels.action_label(event.action)
        note = ""
        if privileged and event.action == "need.update" and event.note:
            note = ", ".join(str(FIELD_LABELS.get(n.strip(), n.strip())) for n in event.note.split(","))
        elif privileged:
            note = event.note
        rows.append({
            "label": label,
            "at": event.created_at,
            "actor": (event.actor.name if event.actor else _("Sistem")) if privileged else None,
            "note": note,
        })
    return rows


def render_need_page(need, status=200, review_form=None, withdraw_form=None, upload_form=None):
    user = current_user
    private = policies.can_view_private(user, need)
    committed = need.committed_rp
    # Approved by staff, not yet agreed by the partner: counted (the money is held) but said (walk).
    awaiting = db.session.scalar(
        select(func.coalesce(func.sum(Commitment.amount_rp), 0))
        .where(Commitment.need_id == need.id, Commitment.status == CommitmentStatus.AWAITING_PARTNER)) or 0
    files = [a for a in need.attachments if policies.can_view_attachment(user, need, a)]
    return render_template(
        "needs/show.html",
        need=need,
        private=private,
        committed=committed,
        awaiting=awaiting,
        remaining=max(need.cost_rp - committed, 0),
        files=files,
        history=_history_rows(need, private),
        collaborations=collaborations_of(db.session, user, need_id=need.id),
        can=dict(
            edit=policies.can_edit_need(user, need),
            submit=policies.can_submit_need(user, need),
            withdraw=policies.can_withdraw_need(user, need),
            review=policies.can_review_need(user, need),
            attach=policies.can_manage_attachments(user, need),
        ),
        review_form=review_form or ReasonForm(formdata=None),
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        upload_form=upload_form or AttachmentForm(formdata=None),
    ), status


@bp.get("/<int:need_id>")
def show(need_id):
    need = load_or_404(Need, need_id, policies.can_view_need)
    return render_need_page(need)


# --- transitions ----------------------------------------------------------------------------

def load_need_for(need_id, allowed):
    need = load_or_404(Need, need_id, policies.can_view_need)
    require(allowed(current_user, need))
    return need


def done(need, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("needs.show", need_id=need.id))


def failed(need, error):
    db.session.rollback()
    flash(error.message, "danger")
    return redirect(url_for("needs.show", need_id=need.id))


@bp.post("/<int:need_id>/submit")
@login_required
def submit(need_id):
    need = load_need_for(need_id, policies.can_submit_need)
    try:
        services.submit_need(db.session, current_user, need)
    except DomainError as error:
        return failed(need, error)
    return done(need, _("Kebutuhan diajukan. Petugas kota akan memeriksanya."))


@bp.post("/<int:need_id>/withdraw")
@login_required
def withdraw(need_id):
    need = load_need_for(need_id, policies.can_withdraw_need)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return render_need_page(need, 422, withdraw_form=form)
    try:
        services.withdraw_need(db.session, current_user, need, form.reason.data or "")
    except DomainError as error:
        return failed(need, error)
    return done(need, _("Kebutuhan ditarik."))


@bp.post("/<int:need_id>/verify")
@login_required
def verify(need_id):
    need = load_need_for(need_id, policies.can_review_need)
    try:
        services.verify_need(db.session, current_user, need)
    except DomainError as error:
        return failed(need, error)
    return done(need, _("Kebutuhan terverifikasi dan kini terlihat oleh publik dan mitra."))


def _decide(need_id, service, message):
    need = load_need_for(need_id, policies.can_review_need)
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            service(db.session, current_user, need, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            return done(need, message)
    return render_need_page(need, 422, review_form=form)


@bp.post("/<int:need_id>/return")
@login_required
def return_(need_id):
    return _decide(need_id, services.return_need, _("Kebutuhan dikembalikan ke koordinator beserta alasannya."))


@bp.post("/<int:need_id>/reject")
@login_required
def reject(need_id):
    return _decide(need_id, services.reject_need, _("Kebutuhan ditolak."))

"""Staff pages that manage users, organisations and kampung (staff and admin only)."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from gandeng import labels
from gandeng.accounts import policies, queries, services
from gandeng.accounts.forms import EmptyForm, KampungForm, OrganisationForm, ReasonForm, RoleForm
from gandeng.accounts.models import Kampung, Organisation, User
from gandeng.accounts.views import kelurahan_choices
from gandeng.audit.services import history
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.reference.services import kemantren_with_kelurahan
from gandeng.web import load_or_404, page_number, require, show_domain_error

bp = Blueprint("admin", __name__, url_prefix="/admin")

@bp.before_request
@login_required
def staff_only():
    """Every page here is for staff and admin; others signed in get 403."""
    require(policies.can_manage_accounts(current_user))


@bp.context_processor
def admin_helpers():
    return {"action_label": labels.action_label, "policies": policies}


def _paginate(query):
    return db.paginate(query, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)


def _filters(*names) -> dict:
    """The filter arguments of this request that are set, to keep them while paging."""
    return {name: request.args.get(name, "").strip() for name in names if request.args.get(name, "").strip()}


def _back(default: str) -> str:
    """A local page named in the form's `next` field, else `default`."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _run(action, success: str) -> bool:
    """Run a button's service call; commit and flash on success, roll back and flash the reason if refused."""
    try:
        action()
    except DomainError as error:
        if error.status == 403:
            raise
        db.session.rollback()
        flash(error.message, "danger")
        return False
    db.session.commit()
    flash(success, "success")
    return True


# --- users -------------------------------------------------------------------------------------


@bp.get("/users")
def users():
    filters = _filters("status", "role", "q")
    page = _paginate(queries.users_query(filters.get("status", ""), filters.get("role", ""), filters.get("q", "")))
    return render_template("admin/users.html", page=page, filters=filters)


def _role_form(user: User, formdata) -> RoleForm:
    form = RoleForm(formdata=formdata, role=user.role, kampung=user.kampung_id, organisation=user.organisation_id)
    form.kampung.choices = [SelectChoice("", _("— pilih kampung —"))] + [
        SelectChoice(k.id, k.name, optgroup=k.kelurahan.name) for k in queries.all_kampung(db.session)
    ]
    form.organisation.choices = [SelectChoice("", _("— pilih organisasi —"))] + [
        SelectChoice(o.id, o.name) for o in queries.all_organisations(db.session)
    ]
    return form


def _render_user(user: User, reason_form=None, role_form=None, status=200):
    return render_template(
        "admin/user.html",
        user=user,
        button_form=EmptyForm(),
        reason_form=reason_form or ReasonForm(formdata=None),
        role_form=role_form or (_role_form(user, formdata=None) if policies.can_change_roles(current_user) else None),
        events=history(db.session, user),
    ), status


@bp.get("/users/<int:user_id>")
def user(user_id):
    return _render_user(load_or_404(User, user_id))


@bp.post("/users/<int:user_id>/verify")
def verify_user(user_id):
    user = load_or_404(User, user_id)
    require(policies.can_manage_user(current_user, user))
    if EmptyForm().validate_on_submit():
        _run(lambda: services.verify_user(db.session, current_user, user),
             _("Akun %(name)s sudah aktif.", name=user.name))
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/suspend")
def suspend_user(user_id):
    user = load_or_404(User, user_id)
    require(policies.can_manage_user(current_user, user))
    form = ReasonForm()
    if not form.validate_on_submit():
        return _render_user(user, reason_form=form, status=422)
    try:
        services.suspend_user(db.session, current_user, user, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return _render_user(user, reason_form=form, status=422)
    db.session.commit()
    flash(_("Akun %(name)s dinonaktifkan.", name=user.name), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/role")
def change_role(user_id):
    require(policies.can_change_roles(current_user))
    user = load_or_404(User, user_id)
    form = _role_form(user, formdata=request.form)
    if not form.validate_on_submit():
        return _render_user(user, role_form=form, status=422)
    kampung = db.session.get(Kampung, form.kampung.data) if form.kampung.data else None
    organisation = db.session.get(Organisation, form.organisation.data) if form.organisation.data else None
    try:
        services.change_role(db.session, current_user, user, form.role.data, kampung, organisation)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return _render_user(user, role_form=form, status=422)
    db.session.commit()
    flash(_("Peran %(name)s sekarang %(role)s.", name=user.name, role=_role_label(user.role)), "success")
    return redirect(url_for("admin.user", user_id=user.id))


def _role_label(role: str) -> str:
    from gandeng.labels import ROLE

    return str(ROLE.get(role, role))


# --- organisations -----------------------------------------------------------------------------


@bp.get("/organisations")
def organisations():
    filters = _filters("verified", "type", "q")
    page = _paginate(queries.organisations_query(filters.get("verified", ""), filters.get("type", ""),
                                                 filters.get("q", "")))
    ids = [o.id for o in page.items]
    return render_template(
        "admin/organisations.html", page=page, filters=filters,
        members=queries.member_counts(db.session, ids), offers=queries.offer_counts(db.session, ids),
    )


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id):
    organisation = load_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            changed = services.update_organisation(db.session, current_user, organisation, form.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Data organisasi disimpan.") if changed else _("Tidak ada perubahan."),
                  "success" if changed else "info")
            return redirect(url_for("admin.organisation", organisation_id=organisation.id))
    return render_template(
        "admin/organisation.html", organisation=organisation, form=form, button_form=EmptyForm(),
        members=queries.members(db.session, organisation),
        offers=queries.offers_by_status(db.session, organisation),
        events=history(db.session, organisation),
    )


@bp.post("/organisations/<int:organisation_id>/verify")
def verify_organisation(organisation_id):
    organisation = load_or_404(Organisation, organisation_id)
    if EmptyForm().validate_on_submit():
        _run(lambda: services.verify_organisation(db.session, current_user, organisation),
             _("Organisasi %(name)s terverifikasi.", name=organisation.name))
    return redirect(_back(url_for("admin.organisation", organisation_id=organisation.id)))


# --- kampung -----------------------------------------------------------------------------------


@bp.get("/kampung")
def kampung_list():
    filters = _filters("kemantren", "kelurahan", "verified")
    page = _paginate(queries.kampung_query(filters.get("kemantren", ""), filters.get("kelurahan", ""),
                                           filters.get("verified", "")))
    ids = [k.id for k in page.items]
    return render_template(
        "admin/kampung_list.html", page=page, filters=filters,
        kemantren=kemantren_with_kelurahan(db.session),
        coordinators=queries.coordinator_counts(db.session, ids), needs=queries.need_counts(db.session, ids),
    )


@bp.route("/kampung/new", methods=["GET", "POST"])
def kampung_new():
    form = KampungForm(kelurahan=request.args.get("kelurahan"))
    form.kelurahan.choices = kelurahan_choices()
    if form.validate_on_submit():
        try:
            kampung = services.create_kampung(db.session, current_user, form.name.data, form.kelurahan.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Kampung %(name)s ditambahkan.", name=kampung.name), "success")
            return redirect(url_for("admin.kampung", kampung_id=kampung.id))
    return render_template("admin/kampung_new.html", form=form)


@bp.route("/kampung/<int:kampung_id>", methods=["GET", "POST"])
def kampung(kampung_id):
    kampung = load_or_404(Kampung, kampung_id)
    form = KampungForm(name=kampung.name, kelurahan=kampung.kelurahan_code)
    form.kelurahan.choices = kelurahan_choices()
    if form.validate_on_submit():
        try:
            changed = services.update_kampung(db.session, current_user, kampung, form.name.data, form.kelurahan.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Data kampung disimpan.") if changed else _("Tidak ada perubahan."),
                  "success" if changed else "info")
            return redirect(url_for("admin.kampung", kampung_id=kampung.id))
    return render_template(
        "admin/kampung.html", kampung=kampung, form=form, button_form=EmptyForm(),
        coordinators=queries.coordinators(db.session, kampung),
        need_count=queries.need_counts(db.session, [kampung.id])[kampung.id],
        events=history(db.session, kampung),
    )


@bp.post("/kampung/<int:kampung_id>/verify")
def verify_kampung(kampung_id):
    kampung = load_or_404(Kampung, kampung_id)
    if EmptyForm().validate_on_submit():
        _run(lambda: services.verify_kampung(db.session, current_user, kampung),
             _("Kampung terverifikasi: %(name)s.", name=kampung.name))
    return redirect(_back(url_for("admin.kampung", kampung_id=kampung.id)))

"""Log in, log out and self-registration."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from sqlalchemy.exc import IntegrityError

from gandeng.accounts import services
from gandeng.accounts.forms import LoginForm, RegisterForm
from gandeng.accounts.login_limits import login_limits, remember_device
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.extensions import limiter
from gandeng.privacy.records import NOTICE_VERSION
from gandeng.reference.services import kemantren_with_kelurahan
from gandeng.urls import safe_next
from gandeng.web import show_domain_error

bp = Blueprint("accounts", __name__)


@bp.route("/login", methods=["GET", "POST"])
@login_limits(lambda: request.form.get("email", ""), failed=lambda response: response.status_code != 302)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(db.session, form.email.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            lang = session.get("lang")
            session.clear()  # a fresh session at log-in: nothing planted before carries over
            if lang:
                session["lang"] = lang
            login_user(user)
            flash(_("Selamat datang, %(name)s.", name=user.name), "success")
            return remember_device(redirect(safe_next(request.args.get("next")) or url_for("main.home")),
                                   form.email.data)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    services.end_sessions(db.session, current_user._get_current_object())
    db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang  # the chosen language outlives the log-in
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("main.home"))


def kelurahan_choices():
    """Kelurahan choices grouped by kemantren, both in alphabetical order (people look for a name,
    not an administrative code), for select boxes."""
    choices = [SelectChoice("", _("— pilih kelurahan —"))]
    for kemantren in sorted(kemantren_with_kelurahan(db.session), key=lambda k: k.name):
        for kelurahan in sorted(kemantren.kelurahan, key=lambda k: k.name):
            choices.append(SelectChoice(kelurahan.code, kelurahan.name, optgroup=kemantren.name))
    return choices


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    form.kelurahan.choices = kelurahan_choices()
    if form.validate_on_submit():
        user = _register(form)
        if user is not None:
            return render_template("accounts/registered.html",
                                   joining=user.organisation_id is None and user.kampung_id is None)
    return render_template("accounts/register.html", form=form, notice_version=NOTICE_VERSION)


def _register(form):
    """Register from the form and commit; None (the form then shows why) when refused. Two people
    registering the same new organisation, kampung or e-mail at the same moment: the one whose insert
    loses gets an IntegrityError; after a rollback the lookups see the winner's row, and the second
    attempt gives the same clean answer as if the two had come one after the other."""
    for attempt in range(2):
        try:
            user = services.register(
                db.session,
                email=form.email.data,
                name=form.name.data,
                phone=form.phone.data,
                password=form.password.data,
                role=form.role.data,
                kelurahan_code=form.kelurahan.data,
                kampung_name=form.kampung.data,
                organisation_name=form.organisation.data,
                org_type=form.org_type.data,
                join_existing=form.join_existing.data,
                consent_version=NOTICE_VERSION if form.consent.data else "",
            )
            db.session.commit()
            return user
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            return None
        except IntegrityError:
            db.session.rollback()
    form.form_errors.append(_("Data yang sama baru saja dikirim oleh orang lain. Coba lagi."))
    return None

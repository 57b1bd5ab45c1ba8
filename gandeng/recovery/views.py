"""`/password/forgot`, `/password/reset/<token>` and the staff's hand-over link."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from gandeng.accounts.forms import EmptyForm
from gandeng.accounts.models import User
from gandeng.accounts.phones import phone_or_none
from gandeng.accounts.services import normalise_email
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.extensions import limiter
from gandeng.recovery import services
from gandeng.recovery.forms import ForgotForm, NewPasswordForm
from gandeng.web import load_or_404, require, show_domain_error

bp = Blueprint("recovery", __name__)


def _account_key() -> str:
    """Per account: an e-mail or a phone number counts as the same whatever way it is written."""
    raw = (request.form.get("identifier") or "").strip()
    return "reset-account:" + (normalise_email(raw) if "@" in raw else (phone_or_none(raw) or raw.lower()))[:254]


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key)
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        services.request_reset(db.session, form.identifier.data)
        db.session.commit()
        # The same answer whether or not the account exists.
        return render_template("recovery/sent.html")
    return render_template("recovery/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT_PER_IP"], methods=["POST"])
def reset(token):
    if services.valid_reset(db.session, token) is None:
        return render_template("recovery/invalid.html"), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(db.session, token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            flash(_("Kata sandi baru tersimpan. Semua sesi lama sudah diakhiri; silakan masuk."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("recovery/reset.html", form=form)


@bp.post("/admin/users/<int:user_id>/password-link")
@login_required
def staff_link(user_id):
    """Staff make a one-time link to give by hand; it is shown on this page once and never again."""
    require(current_user.is_staff)
    user = load_or_404(User, user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.user", user_id=user.id))
    try:
        token = services.staff_reset_link(db.session, current_user, user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
        return redirect(url_for("admin.user", user_id=user.id))
    db.session.commit()
    link = url_for("recovery.reset", token=token, _external=True)
    return render_template("recovery/staff_link.html", user=user, link=link,
                           minutes=int(services.VALID_FOR.total_seconds() // 60))

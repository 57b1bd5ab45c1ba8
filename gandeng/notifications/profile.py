"""`/profile`: the user's number, channels (WhatsApp with consent, e-mail), daily digest, and password."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo

from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.forms_common import Form, max_length, optional, required
from gandeng.notifications.channels import whatsapp_configured
from gandeng.notifications.preferences import preference_of, update_preferences
from gandeng.web import show_domain_error

bp = Blueprint("profile", __name__)


class PreferencesForm(Form):
    phone = StringField(_l("Nomor HP/WhatsApp"), validators=[optional(), max_length(32)])
    whatsapp_enabled = BooleanField(_l("Kirim pemberitahuan lewat WhatsApp ke nomor ini. Saya setuju nomor "
                                       "saya dipakai untuk pesan layanan Gandeng Gendong; balas BERHENTI "
                                       "untuk berhenti kapan saja."))
    email_enabled = BooleanField(_l("Kirim pemberitahuan lewat email"))
    daily_digest = BooleanField(_l("Kumpulkan menjadi satu ringkasan harian (pukul 07.00 WIB), bukan satu "
                                   "pesan per kejadian"))


class PasswordForm(Form):
    current_password = PasswordField(_l("Kata sandi sekarang"), validators=[required(), max_length(200)])
    password = PasswordField(_l("Kata sandi baru"), validators=[required(), max_length(200)])
    password_again = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        required(), EqualTo("password", message=_l("Kedua kata sandi tidak sama."))])


def _render(preferences_form=None, password_form=None, status=200):
    preference = preference_of(db.session, current_user)
    if preferences_form is None:
        preferences_form = PreferencesForm(formdata=None, data={
            "phone": current_user.phone, "whatsapp_enabled": preference.whatsapp_enabled,
            "email_enabled": preference.email_enabled, "daily_digest": preference.daily_digest})
    return render_template("notifications/profile.html", form=preferences_form,
                           password_form=password_form or PasswordForm(formdata=None), preference=preference,
                           whatsapp_on=whatsapp_configured()), status


@bp.get("/profile")
@login_required
def show():
    return _render()


@bp.post("/profile/notifications")
@login_required
def save_preferences():
    form = PreferencesForm()
    if not form.validate_on_submit():
        return _render(preferences_form=form, status=400)
    try:
        update_preferences(db.session, current_user, current_user, phone=form.phone.data,
                           email_enabled=form.email_enabled.data, whatsapp_enabled=form.whatsapp_enabled.data,
                           daily_digest=form.daily_digest.data)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return _render(preferences_form=form, status=400)
    db.session.commit()
    flash(_("Pilihan pemberitahuan tersimpan."), "success")
    return redirect(url_for("profile.show"))


@bp.post("/profile/password")
@login_required
def change_password():
    from gandeng.recovery.services import change_password as change

    form = PasswordForm()
    if not form.validate_on_submit():
        return _render(password_form=form, status=400)
    user = current_user._get_current_object()
    try:
        change(db.session, user, form.current_password.data, form.password.data)
    except DomainError as error:
        db.session.rollback()
        show_domain_error(form, error)
        return _render(password_form=form, status=400)
    db.session.commit()
    login_user(user)  # this session goes on with the new session version; every other one has ended
    flash(_("Kata sandi diubah. Sesi di perangkat lain sudah diakhiri."), "success")
    return redirect(url_for("profile.show"))

"""The forgotten-password and new-password forms."""
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo

from gandeng.forms_common import Form, max_length, required


class ForgotForm(Form):
    identifier = StringField(_l("Email atau nomor HP"), validators=[required(), max_length(254)])


class NewPasswordForm(Form):
    password = PasswordField(_l("Kata sandi baru"), validators=[required(), max_length(200)])
    password_again = PasswordField(
        _l("Ulangi kata sandi baru"),
        validators=[required(), EqualTo("password", message=_l("Kedua kata sandi tidak sama."))],
    )

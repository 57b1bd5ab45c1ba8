"""Log-in, registration and account-management forms."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from gandeng.accounts.models import OrgType, Role
from gandeng.forms_common import Form, max_length, optional, options, required


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=[required(), max_length(254)])
    password = PasswordField(_l("Kata sandi"), validators=[required(), max_length(200)])


class RegisterForm(Form):
    role = RadioField(
        _l("Saya mendaftar sebagai"),
        choices=options(("coordinator", _l("Koordinator kampung")), ("partner", _l("Mitra (korporat, kampus, komunitas)"))),
        validators=[required()],
    )
    name = StringField(_l("Nama lengkap"), validators=[required(), max_length(120)])
    email = EmailField(_l("Email"), validators=[required(), Email(message=_l("Alamat email tidak sah.")), max_length(254)])
    phone = StringField(_l("Nomor HP/WhatsApp"), validators=[optional(), max_length(32)])
    password = PasswordField(
        _l("Kata sandi"),
        validators=[required(), Length(min=8, max=200, message=_l("Kata sandi 8 sampai 200 karakter."))],
    )
    password_again = PasswordField(
        _l("Ulangi kata sandi"),
        validators=[required(), EqualTo("password", message=_l("Kedua kata sandi tidak sama."))],
    )
    kelurahan = SelectField(_l("Kelurahan"), validators=[optional()])
    kampung = StringField(_l("Nama kampung"), validators=[optional(), max_length(120)])
    organisation = StringField(_l("Nama organisasi"), validators=[optional(), max_length(160)])
    org_type = SelectField(
        _l("Jenis organisasi"),
        choices=options(("", "—"), ("korporat", _l("Korporat (CSR)")), ("kampus", _l("Kampus")), ("komunitas", _l("Komunitas"))),
        validators=[optional()],
    )
    join_existing = BooleanField(_l("Minta bergabung dengan organisasi atau kampung yang sudah terdaftar"))
    # Issue 19: consent to the terms and the privacy notice (gandeng/privacy/records.NOTICE_VERSION).
    consent = BooleanField(_l("Saya sudah membaca dan menyetujui syarat layanan dan pemberitahuan privasi Gandeng "
                              "Gendong"),
                           validators=[DataRequired(message=_l("Centang untuk menyetujui pemberitahuan privasi; "
                                                               "tanpa itu akun tidak dapat dibuat."))])

    def validate(self, extra_validators=None) -> bool:
        """The fields of the chosen role are required too, in the same answer as every other mistake
        (phone walk: an empty form listed five problems, and "Pilih kelurahan" came only on the second try).
        The service checks them again (gandeng/accounts/services.register)."""
        valid = super().validate(extra_validators)
        needed = []
        if self.role.data == Role.COORDINATOR:
            needed = [(self.kelurahan, _l("Pilih kelurahan.")), (self.kampung, _l("Nama kampung wajib diisi."))]
        elif self.role.data == Role.PARTNER:
            needed = [(self.organisation, _l("Nama organisasi wajib diisi."))]
            if self.org_type.data not in set(OrgType):
                needed.append((self.org_type, _l("Jenis organisasi harus korporat, kampus atau komunitas.")))
        for field, message in needed:
            if field is self.org_type or not " ".join(str(field.data or "").split()):
                field.errors = [*field.errors, message]
                valid = False
        return valid


class ReasonForm(Form):
    reason = TextAreaField(_l("Alasan"), validators=[required(), max_length(1000)])


def optional_id(value):
    """'' or None -> None, '12' -> 12 (for selects of database rows with an empty first option)."""
    if value in (None, ""):
        return None
    return int(value)


class RoleForm(Form):
    role = SelectField(
        _l("Peran"),
        choices=options(("admin", _l("Admin")), ("staff", _l("Petugas kota")),
                 ("coordinator", _l("Koordinator kampung")), ("partner", _l("Mitra"))),
        validators=[required()],
    )
    # Choices are filled by the view from the database.
    kampung = SelectField(_l("Kampung (untuk koordinator)"), coerce=optional_id, validators=[optional()])
    organisation = SelectField(_l("Organisasi (untuk mitra)"), coerce=optional_id, validators=[optional()])


class EmptyForm(Form):
    """A form with only its CSRF token, for buttons that change state."""


class OrganisationForm(Form):
    name = StringField(_l("Nama organisasi"), validators=[required(), max_length(160)])
    type = SelectField(
        _l("Jenis"),
        choices=options(("korporat", _l("Korporat (CSR)")), ("kampus", _l("Kampus")), ("komunitas", _l("Komunitas"))),
        validators=[required()],
    )
    phone = StringField(_l("Telepon"), validators=[optional(), max_length(32)])
    email = StringField(
        _l("Email"), validators=[optional(), Email(message=_l("Alamat email tidak sah.")), max_length(160)]
    )
    address = StringField(_l("Alamat"), validators=[optional(), max_length(300)])


class KampungForm(Form):
    name = StringField(_l("Nama kampung"), validators=[required(), max_length(120)])
    kelurahan = SelectField(_l("Kelurahan"), validators=[required()])

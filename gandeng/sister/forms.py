"""Forms of the sister profiles: a kampung's size and themes, a campus's or company's capacity and base."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from gandeng.forms_common import Form, max_length, optional
from gandeng.offers.forms import CheckboxesField


def _count(label, most):
    return IntegerField(label, validators=[
        InputRequired(message=_l("Wajib diisi.")),
        NumberRange(min=0, max=most, message=_l("Angka harus antara %(min)s dan %(max)s."))],
        render_kw={"inputmode": "numeric", "min": 0, "max": most})


class KampungProfileForm(Form):
    households = _count(_l("Jumlah KK"), 100_000)
    kms_households = _count(_l("Jumlah KK KMS"), 100_000)
    themes = CheckboxesField(_l("Tema kampung (potensi dan masalah)"), validators=[optional()])

    def validate_kms_households(self, field):
        if field.data is not None and self.households.data is not None and field.data > self.households.data:
            raise ValidationError(_l("Tidak boleh lebih dari jumlah KK."))


class PartnerProfileForm(Form):
    capacity = _count(_l("Kapasitas: berapa kampung yang dapat didampingi tahun ini"), 500)
    home_kelurahan = SelectField(_l("Domisili (kelurahan)"), validators=[
        InputRequired(message=_l("Pilih kelurahan domisili."))])
    themes = CheckboxesField(_l("Tema dan keahlian"), validators=[optional()])
    contact_name = StringField(_l("Narahubung"), validators=[optional(), max_length(120)])
    contact_phone = StringField(_l("Telepon narahubung"), validators=[optional(), max_length(32)],
                                render_kw={"inputmode": "tel", "autocomplete": "tel"})

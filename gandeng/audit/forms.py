"""The audit log's filter form (a GET form: no CSRF token, nothing changes)."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import NumberRange

from gandeng.forms_common import FlexibleDateField, Form, max_length, optional


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    action = SelectField(_l("Tindakan"), validators=[optional()])
    object_type = SelectField(_l("Jenis objek"), validators=[optional()])
    object_id = IntegerField(_l("ID objek"), validators=[optional(), NumberRange(min=1, max=2**31 - 1)])
    actor = StringField(_l("Pelaku (nama atau email)"), validators=[optional(), max_length(120)])
    date_from = FlexibleDateField(_l("Dari tanggal"), validators=[optional()])
    date_to = FlexibleDateField(_l("Sampai tanggal"), validators=[optional()])

"""Forms of the matching and review pages."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from gandeng.collaborations.rules import MAX_REASON
from gandeng.forms_common import Form, max_length


class RejectForm(Form):
    """Rejecting a proposal needs a reason: the pair is never proposed again."""

    reason = TextAreaField(
        _l("Alasan penolakan"),
        validators=[DataRequired(message=_l("Tulis alasan penolakan.")), max_length(MAX_REASON)],
    )

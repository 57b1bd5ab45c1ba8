"""Forms of the collaboration pages and of matching by hand."""
import secrets

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, MultipleFileField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from gandeng.collaborations.rules import MAX_BENEFICIARIES, MAX_PERCENT, MAX_REASON, MAX_TEXT
from gandeng.forms_common import Form, RupiahField, WholeRange, max_length, optional, required


class ReasonForm(Form):
    """Declining or cancelling: why (shown to both parties)."""

    reason = TextAreaField(_l("Alasan"), validators=[required(), max_length(MAX_REASON)], render_kw={"rows": 2})


class ProgressForm(Form):
    percent = IntegerField(
        _l("Kemajuan (%)"),
        validators=[InputRequired(message=_l("Wajib diisi.")),
                    NumberRange(min=0, max=MAX_PERCENT, message=_l("Angka harus antara %(min)s dan %(max)s."))],
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_PERCENT},
    )
    text = TextAreaField(_l("Apa yang sudah dikerjakan"), validators=[optional(), max_length(MAX_TEXT)],
                         render_kw={"rows": 3})
    realised_rp = RupiahField(_l("Total dana terealisasi sampai sekarang (Rp)"), validators=[optional()],
                              render_kw={"inputmode": "numeric"})
    photos = MultipleFileField(_l("Foto (JPEG atau PNG, maks. 5 MB per foto)"),
                               render_kw={"accept": "image/jpeg,image/png"})


class CompletionForm(Form):
    beneficiaries_reached = IntegerField(
        _l("Jumlah penerima manfaat yang sudah dibantu"),
        validators=[InputRequired(message=_l("Wajib diisi.")),
                    WholeRange(min=0, max=MAX_BENEFICIARIES)],
        render_kw={"inputmode": "numeric", "min": 0},
    )
    text = TextAreaField(_l("Ringkasan hasil"), validators=[required(), max_length(MAX_TEXT)], render_kw={"rows": 3})


class ManualMatchForm(Form):
    """Staff pair a need with an offer by hand. The choices are filled by the view; a value that
    is no longer among them is still sent to the service, whose message says why it no longer fits."""

    need_id = SelectField(_l("Kebutuhan"), validators=[required()], validate_choice=False)
    offer_id = SelectField(_l("Penawaran"), validators=[required()], validate_choice=False)
    amount_rp = RupiahField(_l("Jumlah (Rp)"), validators=[InputRequired(message=_l("Wajib diisi."))],
                            render_kw={"inputmode": "numeric", "placeholder": "1.500.000"})
    # A fresh key per form shown: submitting the same form twice commits once.
    idempotency_key = HiddenField(default=lambda: secrets.token_urlsafe(16))

    def chosen_id(self, name: str) -> int | None:
        raw = (getattr(self, name).data or "").strip()
        return int(raw) if raw.isdigit() and len(raw) < 12 else None

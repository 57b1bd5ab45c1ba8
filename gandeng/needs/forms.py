"""Forms of the needs pages: the need itself, attachments, reasons and the list filter."""
from datetime import date

from flask_babel import get_locale, gettext as _, lazy_gettext as _l, ngettext
from wtforms import (
    BooleanField, IntegerField, MultipleFileField, SelectField, StringField, SubmitField, TextAreaField,
)
from wtforms.validators import InputRequired

from gandeng import labels
from gandeng.formatting import long_date, today_wib
from gandeng.forms_common import (
    FlexibleDateField, Form, RupiahField, WholeRange, max_length, optional, options, required,
)
from gandeng.needs import rules


def _count_range():
    return WholeRange(min=0, max=rules.HOUSEHOLDS_MAX)


class NeedForm(Form):
    """What a coordinator writes about a need; the kampung comes from the account."""

    category = SelectField(_l("Kategori"), validators=[required()])
    title = StringField(_l("Judul singkat"), validators=[required(), max_length(rules.LENGTHS["title"])])
    description = TextAreaField(_l("Uraian kebutuhan"), validators=[required(), max_length(rules.LENGTHS["description"])],
                                render_kw={"rows": 5})
    rw = StringField(_l("RW"), validators=[optional(), max_length(rules.LENGTHS["rw"])])
    # A draft may leave it empty; submitting asks for at least one household (services.submission_errors).
    households = IntegerField(_l("Jumlah KK penerima"), validators=[optional(), _count_range()],
                              render_kw={"inputmode": "numeric", "min": 0})
    kms_households = IntegerField(_l("Jumlah KK pemegang KMS"), validators=[optional(), _count_range()],
                                  render_kw={"inputmode": "numeric", "min": 0})
    # InputRequired, not DataRequired: the latter would hide the "how to write Rupiah" message.
    cost_rp = RupiahField(_l("Perkiraan biaya (Rp)"), validators=[InputRequired(message=_l("Wajib diisi."))],
                          render_kw={"autocomplete": "off"})
    deadline = FlexibleDateField(_l("Tenggat"), validators=[optional()])
    urgency = SelectField(_l("Tingkat urgensi"), validators=[required()], default="sedang",
                          choices=options(*labels.URGENCY.items()))
    partial_ok = BooleanField(_l("Boleh didanai sebagian"))
    # Staff and the kampung's own coordinators see the names (the help text says who): never partners or the public.
    beneficiaries = TextAreaField(_l("Nama penerima (tidak tampil untuk mitra dan umum)"),
                                  validators=[optional(), max_length(rules.LENGTHS["beneficiaries"])], render_kw={"rows": 3})
    contact_phone = StringField(_l("Nomor HP/WhatsApp narahubung"), validators=[optional(), max_length(rules.LENGTHS["contact_phone"])],
                                render_kw={"inputmode": "tel", "autocomplete": "tel"})
    # Issue 19: required when names are written (the view checks it; the label is records.BENEFICIARY_CONSENT).
    beneficiaries_consent = BooleanField(_l("Keluarga yang namanya ditulis sudah setuju"))
    files = MultipleFileField(_l("Foto atau dokumen (PDF maks. 5 MB)"),
                              render_kw={"accept": "image/jpeg,image/png,application/pdf", "data-shrink-photos": ""})
    save_submit = SubmitField(_l("Simpan & ajukan"))
    save_draft = SubmitField(_l("Simpan draf"))

    def need_data(self) -> dict:
        """The fields as the needs services take them."""
        return {
            "category_code": self.category.data,
            "title": self.title.data,
            "description": self.description.data,
            "rw": self.rw.data,
            "households": self.households.data,
            "kms_households": self.kms_households.data,
            "cost_rp": self.cost_rp.data,
            "deadline": self.deadline.data,
            "urgency": self.urgency.data,
            "partial_ok": self.partial_ok.data,
            "beneficiaries": self.beneficiaries.data,
            "contact_phone": self.contact_phone.data,
            "beneficiaries_consent": bool(self.beneficiaries_consent.data),
        }


def need_warnings(form: NeedForm) -> list[tuple[str, str]]:
    """What looks odd but may be right, or may wait in a draft, as (field id, message): shown, never
    blocking a draft. The number of names listed differs from the number of households; the deadline
    has passed (submitting refuses it, a draft keeps it to be fixed)."""
    found = []
    names = [line for line in (form.beneficiaries.data or "").splitlines() if line.strip()]
    households = form.households.data
    if names and isinstance(households, int) and households >= 1 and len(names) != households:
        found.append((form.beneficiaries.id, names_differ_message(len(names), households)))
    deadline = form.deadline.data
    if isinstance(deadline, date) and deadline < today_wib() and not form.deadline.errors:
        found.append((form.deadline.id, _("Tenggat %(date)s sudah lewat: perbarui sebelum mengajukan.",
                                          date=long_date(deadline, str(get_locale() or "id")))))
    return found


def names_differ_message(names: int, households: int) -> str:
    """The writer listed a different number of names than households: said to them (the coordinator
    who wrote the need, or staff editing it) on the form and after saving; it never blocks."""
    return ngettext("Anda menulis %(num)d nama penerima untuk %(kk)d KK. Bila memang begitu, biarkan; bila "
                    "tidak, ubah nama penerima atau jumlah KK.",
                    "Anda menulis %(num)d nama penerima untuk %(kk)d KK. Bila memang begitu, biarkan; bila "
                    "tidak, ubah nama penerima atau jumlah KK.",
                    names, kk=households)


# Service field names -> form field names (for errors) and labels (for the history of changes).
SERVICE_FIELD = {"category_code": "category"}
FIELD_LABELS = {
    "category_code": _l("kategori"), "title": _l("judul"), "description": _l("uraian"), "rw": _l("RW"),
    "households": _l("jumlah KK"), "kms_households": _l("jumlah KK KMS"), "cost_rp": _l("biaya"),
    "deadline": _l("tenggat"), "urgency": _l("urgensi"), "partial_ok": _l("boleh sebagian"),
    "beneficiaries": _l("nama penerima"), "contact_phone": _l("nomor narahubung"), "ref": _l("kode"),
}


class AttachmentForm(Form):
    files = MultipleFileField(_l("Tambah foto atau dokumen (PDF maks. 5 MB)"),
                              render_kw={"accept": "image/jpeg,image/png,application/pdf", "data-shrink-photos": ""})


class ReasonForm(Form):
    """Returning or rejecting a need needs a reason the coordinator can act on."""

    reason = TextAreaField(_l("Alasan"), validators=[required(), max_length(rules.REASON_MAX)], render_kw={"rows": 3})


class WithdrawForm(Form):
    # Its own id: the withdraw and the review forms share the need's page.
    reason = TextAreaField(_l("Alasan (boleh dikosongkan)"), validators=[optional(), max_length(rules.REASON_MAX)],
                           render_kw={"rows": 2}, id="withdraw-reason")


class FilterForm(Form):
    """The list filter; read from the query string, no CSRF (it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[optional()])
    category = SelectField(_l("Kategori"), validators=[optional()])
    kemantren = SelectField(_l("Kemantren"), validators=[optional()])
    kelurahan = SelectField(_l("Kelurahan"), validators=[optional()])
    mine = BooleanField(_l("Kebutuhan kampung saya"))

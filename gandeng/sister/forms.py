"""Forms of the sister profiles: a kampung's size and themes, a campus's or company's capacity and base."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, MultipleFileField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from gandeng.forms_common import Form, WholeRange, max_length, optional, options
from gandeng.offers.forms import CheckboxesField


def _count(label, most):
    return IntegerField(label, validators=[
        InputRequired(message=_l("Wajib diisi.")),
        WholeRange(min=0, max=most)],
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


# --- the year's work of a published pair ---------------------------------------------------------

def _figure(label):
    return IntegerField(label, validators=[
        optional(), WholeRange(min=0, max=100_000)],
        render_kw={"inputmode": "numeric", "min": 0})


def _activities(label):
    return TextAreaField(label, validators=[optional(), max_length(5000)], render_kw={"rows": 2})


class PlanForm(Form):
    q1 = _activities(_l("Kegiatan triwulan 1 (Januari–Maret)"))
    q2 = _activities(_l("Kegiatan triwulan 2 (April–Juni)"))
    q3 = _activities(_l("Kegiatan triwulan 3 (Juli–September)"))
    q4 = _activities(_l("Kegiatan triwulan 4 (Oktober–Desember)"))
    themes = CheckboxesField(_l("Tema tahun ini"), validators=[optional()])
    target_households = _figure(_l("Target KK yang dijangkau"))
    target_participants = _figure(_l("Target peserta kegiatan"))
    target_students = _figure(_l("Target mahasiswa yang terlibat"))
    target_employees = _figure(_l("Target karyawan yang terlibat"))


class PlanDecisionForm(Form):
    note = TextAreaField(_l("Catatan (wajib bila dikembalikan)"), validators=[optional(), max_length(500)],
                         render_kw={"rows": 2})


class ReportForm(Form):
    quarter = SelectField(_l("Triwulan"), choices=options(("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")),
                          validators=[InputRequired(message=_l("Pilih triwulan."))])
    text = TextAreaField(_l("Apa yang sudah dikerjakan"), validators=[
        InputRequired(message=_l("Tulis apa yang sudah dikerjakan.")), max_length(5000)], render_kw={"rows": 3})
    households_reached = _figure(_l("KK yang dijangkau"))
    participants = _figure(_l("Peserta"))
    students = _figure(_l("Mahasiswa yang terlibat"))
    employees = _figure(_l("Karyawan yang terlibat"))
    photos = MultipleFileField(_l("Foto (JPEG atau PNG, maks. 5 foto)"), render_kw={"accept": "image/jpeg,image/png"})

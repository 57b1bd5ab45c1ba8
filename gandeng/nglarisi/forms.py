"""Forms of Nglarisi: the office's order, delivery and payment; the group's profile; staff budget and members."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FileField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from gandeng.forms_common import FlexibleDateField, Form, RupiahField, max_length, optional, options, required

NUMBER = {"inputmode": "numeric"}


def _whole(label, low, high, **kw):
    return IntegerField(label, validators=[InputRequired(message=_l("Wajib diisi.")), NumberRange(
        min=low, max=high, message=_l("Angka harus antara %(min)s dan %(max)s."))], render_kw={**NUMBER, **kw})


class OrderForm(Form):
    date = FlexibleDateField(_l("Tanggal antar"), validators=[InputRequired(message=_l("Wajib diisi."))])
    time = StringField(_l("Jam antar (WIB)"), validators=[required(), max_length(5)],
                       render_kw={"type": "time", "placeholder": "11.30"})
    kelurahan = SelectField(_l("Kelurahan tempat antar"), validators=[InputRequired(message=_l("Pilih kelurahan."))])
    portions = _whole(_l("Jumlah porsi"), 1, 5000)
    budget_rp = RupiahField(_l("Anggaran (Rp)"), validators=[InputRequired(message=_l("Wajib diisi."))],
                            render_kw={"inputmode": "numeric"})
    note = TextAreaField(_l("Catatan: tempat antar (gedung, ruang), penerima, menu, pantangan, alergi"), validators=[optional(), max_length(1000)],
                         render_kw={"rows": 3})


class PickForm(Form):
    group_id = SelectField(_l("Kelompok lain"), coerce=int)
    reason = StringField(_l("Alasan memilih kelompok ini"), validators=[required(), max_length(300)])


class DeliveredForm(Form):
    portions = _whole(_l("Porsi yang diterima"), 0, 5000)
    rating = SelectField(_l("Mutu (1-5)"), coerce=int,
                         choices=options((5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")))
    comment = TextAreaField(_l("Komentar"), validators=[optional(), max_length(1000)], render_kw={"rows": 2})


class PaidForm(Form):
    paid_on = FlexibleDateField(_l("Tanggal bayar"), validators=[InputRequired(message=_l("Wajib diisi."))])
    amount_rp = RupiahField(_l("Jumlah dibayar (Rp)"), validators=[InputRequired(message=_l("Wajib diisi."))],
                            render_kw={"inputmode": "numeric"})


class GroupProfileForm(Form):
    description = TextAreaField(_l("Tentang kelompok (tampil di katalog)"), validators=[optional(), max_length(1000)],
                                render_kw={"rows": 3})
    menu = TextAreaField(_l("Menu: satu per baris, nama lalu harga per porsi, misalnya \"Nasi kotak ayam; 25000\""),
                         validators=[required(), max_length(4000)], render_kw={"rows": 4})
    capacity_per_day = _whole(_l("Kapasitas per hari (porsi)"), 0, 5000)
    lead_time_hours = _whole(_l("Perlu dipesan berapa jam sebelumnya"), 0, 720)
    days_off = StringField(_l("Hari libur (tanggal, pisahkan dengan koma: 25/12/2026, 31/12/2026)"),
                           validators=[optional(), max_length(2000)])
    contact_phone = StringField(_l("Telepon/WhatsApp kelompok"), validators=[optional(), max_length(32)],
                                render_kw={"inputmode": "tel"})
    bank_name = StringField(_l("Bank"), validators=[optional(), max_length(80)])
    bank_account_number = StringField(_l("Nomor rekening"), validators=[optional(), max_length(40)],
                                      render_kw={"inputmode": "numeric"})
    bank_account_holder = StringField(_l("Nama pemilik rekening"), validators=[optional(), max_length(120)])


class BudgetForm(Form):
    office = StringField(_l("Kantor (OPD)"), validators=[required(), max_length(160)])
    year = _whole(_l("Tahun"), 2000, 2100)
    food_budget_rp = RupiahField(_l("Anggaran makan-minum setahun (Rp)"),
                                 validators=[InputRequired(message=_l("Wajib diisi."))])


class MemberForm(Form):
    name = StringField(_l("Nama anggota"), validators=[required(), max_length(120)])
    nik = StringField(_l("NIK"), validators=[required(), max_length(16)], render_kw=NUMBER)
    kms_pkh = BooleanField(_l("Pemegang KMS atau PKH"))


FILE_KINDS = {
    "photo": _l("Foto produk (tampil di katalog)"),
    "logo": _l("Logo (tampil di katalog)"),
    "npwp": _l("NPWP"),
    "bank": _l("Bukti rekening (sampul buku tabungan)"),
    "pirt": _l("Izin PIRT"),
    "halal": _l("Sertifikat halal"),
}


class GroupFileForm(Form):
    """One photo, the logo or a document of a group (JPEG/PNG; documents also PDF)."""

    kind = SelectField(_l("Jenis berkas"), choices=options(*FILE_KINDS.items()))
    caption = SelectField(_l("Foto ini menunjukkan menu (untuk teks pengganti gambar)"), validators=[optional()])
    file = FileField(_l("Berkas (foto JPEG/PNG; dokumen juga PDF)"),
                     render_kw={"accept": "image/jpeg,image/png,application/pdf"})

    def with_menu(self, group):
        self.caption.choices = options(("", _l("(tanpa keterangan)")), *[(i.name, i.name) for i in group.menu])
        return self

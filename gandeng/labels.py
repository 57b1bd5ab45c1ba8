"""Indonesian labels (translatable) for the codes of statuses, roles and kinds."""
from flask_babel import lazy_gettext as _l

ROLE = {
    "admin": _l("Admin"),
    "staff": _l("Petugas kota"),
    "coordinator": _l("Koordinator kampung"),
    "partner": _l("Mitra"),
}
USER_STATUS = {
    "pending": _l("Menunggu verifikasi"),
    "active": _l("Aktif"),
    "suspended": _l("Dinonaktifkan"),
}
ORG_TYPE = {"korporat": _l("Korporat (CSR)"), "kampus": _l("Kampus"), "komunitas": _l("Komunitas")}
NEED_STATUS = {
    "draft": _l("Draf"),
    "submitted": _l("Diajukan"),
    "returned": _l("Dikembalikan"),
    "verified": _l("Terverifikasi"),
    "matched": _l("Terpenuhi"),
    "in_progress": _l("Berjalan"),
    "completed": _l("Selesai"),
    "rejected": _l("Ditolak"),
    "withdrawn": _l("Ditarik"),
}
OFFER_STATUS = {
    "draft": _l("Draf"),
    "active": _l("Aktif"),
    "fully_committed": _l("Habis terpakai"),
    "expired": _l("Kedaluwarsa"),
    "withdrawn": _l("Ditarik"),
}
URGENCY = {
    "rendah": _l("Rendah"),
    "sedang": _l("Sedang"),
    "tinggi": _l("Tinggi"),
    "darurat": _l("Darurat"),
}
OFFER_KIND = {
    "dana": _l("Dana"),
    "barang": _l("Barang"),
    "jasa": _l("Jasa & relawan"),
    "pelatihan": _l("Pelatihan"),
    "pembelian": _l("Pembelian produk kampung"),
}
STATUS_COLOUR = {
    "draft": "secondary",
    "submitted": "info",
    "returned": "warning",
    "verified": "primary",
    "matched": "success",
    "in_progress": "success",
    "completed": "dark",
    "rejected": "danger",
    "withdrawn": "secondary",
    "active": "success",
    "fully_committed": "dark",
    "expired": "secondary",
    "pending": "warning",
    "suspended": "danger",
}

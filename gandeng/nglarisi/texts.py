"""Indonesian (translatable) words for the proposer's reason codes, order statuses and steps."""
from flask_babel import gettext as _, lazy_gettext as _l

from datetime import datetime

from gandeng.formatting import rupiah


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "id")


def _km(value) -> str:
    """A distance with one decimal, written the reader's way: 3,5 (Indonesian), 3.5 (English)."""
    from gandeng.formatting import decimal

    return decimal(value, _locale(), 1)


# Distances are between kelurahan points: below this the group and the place are in one kelurahan.
SAME_PLACE_KM = 0.05


def km_text(value) -> str:
    """'3,5 km' with a no-break space, so that a narrow phone never puts "km" alone on the next line."""
    return f"{_km(value)}\u00a0km"


def window() -> str:
    """The waking hours as Indonesians write them: 06.00–21.00."""
    from gandeng.nglarisi.orders import answer_hours

    first, last = answer_hours()
    return f"{first:%H.%M}–{last:%H.%M}"

STATUS = {
    "offered": _l("Menunggu jawaban kelompok"),
    "accepted": _l("Diterima kelompok"),
    "delivered": _l("Sudah diantar"),
    "paid": _l("Sudah dibayar"),
    "cancelled": _l("Dibatalkan"),
    "unplaced": _l("Tidak ada kelompok yang dapat"),
}
# One colour per order status, the same on the list and on the order page (phone walk: blue on one, grey on
# the other). Bootstrap's text-bg-* pairs each background with a readable text colour.
STATUS_BADGE = {"offered": "text-bg-warning", "accepted": "text-bg-primary", "delivered": "text-bg-info",
                "paid": "text-bg-success", "cancelled": "text-bg-secondary", "unplaced": "text-bg-danger"}
GROUP_STATUS = {"pending": _l("Menunggu kurasi"), "verified": _l("Terverifikasi"),
                "suspended": _l("Dihentikan sementara")}


def status_verb(current: str, target: str) -> str:
    """The button that moves a group from `current` to `target`: a verb, not the status it leads to."""
    if target == "suspended":
        return _("Hentikan sementara")
    if target == "verified":
        return _("Aktifkan lagi") if current == "suspended" else _("Verifikasi")
    return target
STEP = {
    "offered": _l("Ditawarkan"),
    "picked": _l("Dipilih kantor"),
    "declined": _l("Ditolak kelompok"),
    "expired": _l("Tidak dijawab tepat waktu"),
    "withdrawn": _l("Ditarik: kelompok dihentikan sementara"),
    "accepted": _l("Diterima"),
    "delivered": _l("Diantar"),
    "paid": _l("Dibayar"),
    "cancelled": _l("Dibatalkan"),
    "unplaced": _l("Tidak tertempatkan"),
}


def reason(code: str, params: dict) -> str:
    """One reason of the proposer as a sentence; the office's budget only when the reason still holds it
    (orders.steps_seen_by takes it out for a group: what the office could pay at most is not its business)."""
    p = params or {}
    if code == "capacity_left":
        return _("Masih bisa membuat %(left)d porsi pada hari itu (pesanan %(portions)d porsi).", **p)
    if code == "price_fits" and "budget" not in p:
        return _("Harga %(price)s per porsi, total %(total)s.", price=rupiah(p["price"]), total=rupiah(p["total"]))
    if code == "price_fits":
        return _("Harga %(price)s per porsi, total %(total)s, dalam anggaran %(budget)s.", price=rupiah(p["price"]),
                 total=rupiah(p["total"]), budget=rupiah(p["budget"]))
    if code == "distance":
        if p["km"] < SAME_PLACE_KM:  # both at the kelurahan's point: "0,0 km" read as a mistake
            return _("Satu kelurahan dengan tempat antar.")
        return _("Jarak ke tempat antar sekitar %(km)s.", km=km_text(p["km"]))
    if code == "rotation":
        return _("Giliran: pesanan bulan ini %(value)s; urutan ke-%(position)d dari %(of)d kelompok yang dapat.",
                 value=rupiah(p["month_value"]), position=p["position"], of=p["of"])
    if code == "answer_by":
        from gandeng.formatting import long_datetime

        until = long_datetime(datetime.fromisoformat(p["until"]), _locale())
        if p.get("shortened"):
            return _("Jawab sebelum %(until)s: dipersingkat, karena kelompok perlu %(hours)d jam sebelum waktu antar.",
                     until=until, hours=p["hours"])
        return _("Jawab sebelum %(until)s (waktu menjawab dihitung pada jam %(window)s WIB saja).", until=until,
                 window=window())
    if code == "answer_time":
        return _("Waktu menjawab terlalu sempit sebelum kelompok perlu mulai memasak (%(hours)d jam sebelum antar).",
                 **p)
    if code == "new_group":
        return _("Kelompok baru: mendapat giliran awal yang adil.")
    if code == "day_off":
        return _("Libur pada hari itu.")
    if code == "capacity":
        return _("Kapasitas tersisa hanya %(left)d porsi.", **p)
    if code == "lead_time":
        return _("Perlu dipesan %(hours)d jam sebelumnya.", **p)
    if code == "budget":
        return _("Menu termurah %(price)s per porsi (total %(total)s) melebihi anggaran.", price=rupiah(p["price"]),
                 total=rupiah(p["total"]))
    if code == "distance_far":
        return _("Terlalu jauh: %(km)s km, kelompok mengantar sampai %(max_km)s km.", km=_km(p["km"]),
                 max_km=_km(p["max_km"]))
    if code == "not_verified":
        return _("Belum terverifikasi.")
    if code == "no_menu":
        return _("Belum punya menu.")
    if code == "already_tried":
        return _("Sudah ditawari untuk pesanan ini.")
    return code


def refusal(code: str, params: dict, portions: int) -> str:
    """Why a whole order cannot be placed, and what the office can do."""
    if code == "too_many_portions":
        return _("Tidak ada satu kelompok pun yang dapat membuat %(portions)d porsi dalam sehari (kapasitas terbesar "
                 "%(max)d porsi). Pesanan tidak dipecah otomatis: buat beberapa pesanan yang lebih kecil, misalnya "
                 "per sesi rapat, dan setiap pesanan akan ditawarkan ke kelompok yang berbeda.",
                 portions=portions, max=params["max_capacity"])
    if code == "budget_below_menu":
        return _("Anggaran di bawah menu termurah: %(cheapest)s per porsi x %(portions)d porsi = %(total)s.",
                 cheapest=rupiah(params["cheapest"]), portions=portions, total=rupiah(params["total"]))
    if code == "no_group":
        return _("Belum ada kelompok terverifikasi yang dapat menerima pesanan.")
    if code == "answer_time":
        return _("Tidak ada kelompok yang sempat menjawab: pesanan dijawab pada jam %(window)s WIB saja, dan kelompok "
                 "perlu waktu memasak sebelum antar. Pilih jam antar yang lebih siang atau tanggal lain.",
                 window=window())
    return _("Tidak ada kelompok yang dapat membuat pesanan ini pada waktu itu. Coba tanggal lain, jumlah porsi "
             "lebih kecil atau anggaran lebih besar.")

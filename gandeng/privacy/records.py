"""The records of processing (UU 27/2022 Art. 31): every kind of personal data the platform holds, in
one table. `/privasi` shows it to everyone; the rights requests, the retention purge and the export of
a person's data read it; tests/unit/test_privacy_records.py fails when a personal column, a template
that shows one, or an export column appears without an entry here.

Legal bases are UU 27/2022 Pasal 20 ayat (2): a = consent, b = contract (the platform's terms),
c = legal obligation, e = a public-service task of the city (Perwal on the poverty programme).
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# The version of the terms and privacy notice shown at registration; raise it when either changes
# (accounts store the version they agreed to).
NOTICE_VERSION = "2026-12"

# The wording of the need form's consent checkbox; stored as agreed with time and user.
BENEFICIARY_CONSENT = _l("Saya menyatakan bahwa keluarga yang namanya saya tulis sudah diberi tahu dan setuju "
                         "nama, nomor HP dan foto/dokumen mereka dicatat di Gandeng Gendong untuk kebutuhan ini, "
                         "hanya dilihat petugas kota dan koordinator kampung, dan dihapus paling lambat "
                         "%(months)d bulan setelah kebutuhan selesai.")

PUBLIC = "public"


@dataclass(frozen=True)
class Record:
    """One kind of personal data: where it lives, why, on what basis, who sees it, how long."""

    key: str
    data: object          # what it is (lazy text)
    columns: tuple        # "table.column" of the database that hold it
    purpose: object
    legal_basis: object   # the article of UU 27/2022 and why
    who_sees: object
    retention: object
    shown_in: tuple = ()  # templates that display it (checked by the test)
    # "source:column" of files and API answers that carry it (checked by the test): staff = the staff
    # exports (reports.exports), open = the open data (reports.public), api = the JSON API's schemas.
    exports: tuple = ()
    placeholder: bool = False  # a kind of data not in the platform yet (filled at its merge)
    also_as: tuple = ()   # other attribute names templates read it under (e.g. `coordinator_name`)


RECORDS = (
    Record(
        "beneficiaries", _l("Nama keluarga penerima manfaat"), ("needs.beneficiaries",),
        _l("Petugas kota memeriksa bahwa kebutuhan nyata dan menyasar keluarga yang tepat; koordinator "
           "melacak siapa yang sudah dibantu."),
        _l("Pasal 20 ayat (2) huruf e (tugas pelayanan publik kota) dan huruf a (persetujuan keluarga, "
           "dikonfirmasi koordinator per kebutuhan)."),
        _l("Petugas kota dan koordinator kampung yang bersangkutan. Tidak pernah tampil untuk publik, mitra, "
           "data terbuka, ekspor atau log."),
        _l("Dianonimkan otomatis %(months)d bulan setelah kebutuhan selesai, ditolak atau ditarik, atau "
           "dalam 3 × 24 jam setelah permintaan penghapusan atau penarikan persetujuan."),
        shown_in=("needs/form.html", "needs/show.html"),
        exports=("api:beneficiaries",),
    ),
    Record(
        "kms", _l("Jumlah KK pemegang KMS (Kartu Menuju Sejahtera)"),
        ("needs.kms_households", "sister_kampung_profiles.kms_households"),
        _l("Mengutamakan kampung dan kebutuhan dengan keluarga miskin terdaftar (pemerataan)."),
        _l("Pasal 20 ayat (2) huruf e (tugas pelayanan publik kota). Status KMS satu keluarga mendekati data "
           "keuangan pribadi (Pasal 4 ayat (2)): hanya jumlah per kebutuhan yang dicatat, tidak pernah per nama."),
        _l("Petugas kota dan koordinator kampung yang bersangkutan; ekspor khusus petugas. Tidak pernah di "
           "halaman publik atau data terbuka, juga tidak sebagai jumlah."),
        _l("Disimpan sebagai angka selama program berjalan (tanpa nama tidak menunjuk keluarga mana pun)."),
        shown_in=("needs/form.html", "needs/show.html", "reports/equity.html", "sister/kampung_profile.html"),
        exports=("staff:kms_households", "api:kms_households"),
        also_as=("per_kms_rp",),
    ),
    Record(
        "contact_phone", _l("Nomor HP narahubung kebutuhan"),
        ("needs.contact_phone", "sister_partner_profiles.contact_phone", "sister_partner_profiles.contact_name"),
        _l("Petugas dan mitra yang bekerja sama menghubungi orang di lapangan."),
        _l("Pasal 20 ayat (2) huruf e (tugas pelayanan publik) dan huruf a (persetujuan narahubung)."),
        _l("Petugas kota dan koordinator kampung (kebutuhan); petugas kota (narahubung mitra kampung asuh)."),
        _l("Sama dengan nama penerima: dianonimkan %(months)d bulan setelah kebutuhan ditutup atau atas "
           "permintaan."),
        shown_in=("needs/form.html", "needs/show.html", "sister/partner_profile.html"),
        exports=("api:contact_phone",),
    ),
    Record(
        "attachments", _l("Foto rumah dan dokumen kebutuhan"),
        ("need_attachments.original_name", "progress_photos.original_name", "sister_report_photos.original_name"),
        _l("Bukti kondisi yang dibutuhkan dan kemajuan pekerjaan."),
        _l("Pasal 20 ayat (2) huruf e (tugas pelayanan publik) dan huruf a (persetujuan keluarga)."),
        _l("Foto: petugas, koordinator, dan mitra yang masuk setelah kebutuhan diverifikasi. Dokumen (PDF): "
           "petugas dan koordinator saja. Lokasi GPS dihapus dari foto saat diunggah."),
        _l("Berkas kebutuhan dihapus %(months)d bulan setelah kebutuhan ditutup atau atas permintaan."),
        shown_in=("needs/show.html", "_macros.html"),
    ),
    Record(
        "account", _l("Akun pengguna: nama, email, nomor HP"),
        ("users.name", "users.email", "users.phone", "outbox_messages.to_address", "outbox_emails.to_email",
         "notification_preferences.whatsapp_enabled", "notification_preferences.whatsapp_consent_at",
         "notification_preferences.whatsapp_opt_out_at", "notification_preferences.whatsapp_last_inbound_at"),
        _l("Masuk ke platform, memberi tahu pengguna, dan mencatat siapa memutuskan apa."),
        _l("Pasal 20 ayat (2) huruf b (perjanjian: syarat layanan yang disetujui saat mendaftar) dan huruf a "
           "(persetujuan WhatsApp di profil)."),
        _l("Pengguna sendiri, petugas kota dan admin; anggota kampung atau organisasi yang sama melihat nama; "
           "kelompok Nglarisi yang menerima pesanan melihat nama dan WhatsApp pemesannya."),
        _l("Selama akun ada; atas permintaan penghapusan, nama, email dan nomor HP dianonimkan (jejak audit "
           "tetap, tanpa nama)."),
        shown_in=("admin/user.html", "admin/users.html", "notifications/profile.html", "accounts/join_requests.html",
                  "accounts/login.html", "accounts/register.html", "notifications/outbox.html",
                  "collaborations/show.html", "privacy/handle.html", "nglarisi/order.html"),
        exports=("api:email",),
        also_as=("coordinator_name", "coordinator_whatsapp"),
    ),
    Record(
        "organisation_contact", _l("Kontak organisasi mitra: telepon, email, alamat"),
        ("organisations.phone", "organisations.email", "organisations.address"),
        _l("Petugas kota menghubungi mitra tentang kerja sama."),
        _l("Pasal 20 ayat (2) huruf b (perjanjian kerja sama)."),
        _l("Petugas kota dan admin."),
        _l("Selama organisasi terdaftar."),
        shown_in=("admin/organisation.html",),
    ),
    Record(
        "audit", _l("Jejak audit: siapa mengubah apa dan kapan"),
        ("audit_events.actor_id",),
        _l("Pertanggungjawaban keputusan dan penelusuran insiden (Pasal 46)."),
        _l("Pasal 20 ayat (2) huruf c (kewajiban hukum: akuntabilitas pelayanan publik)."),
        _l("Petugas kota dan admin. Tidak memuat nama penerima, nomor HP atau nama berkas."),
        _l("Disimpan selama platform berjalan; tidak ikut dianonimkan agar angka dan keputusan tetap dapat "
           "ditelusuri."),
    ),
    Record(
        "privacy_requests", _l("Permintaan hak subjek data"),
        ("privacy_requests.requester_name", "privacy_requests.requester_contact", "privacy_requests.details"),
        _l("Menjawab permintaan akses, perbaikan, penghapusan atau penarikan persetujuan."),
        _l("Pasal 20 ayat (2) huruf c (kewajiban hukum: Pasal 32–42)."),
        _l("Pejabat pelindungan data (DPO) dan admin."),
        _l("Dua tahun setelah dijawab, sebagai bukti kepatuhan."),
        shown_in=("privacy/queue.html", "privacy/handle.html", "privacy/request.html"),
        also_as=("contact",),
    ),
    Record(
        "incidents", _l("Insiden data pribadi dan daftar orang terdampak"),
        ("privacy_incidents.what",),
        _l("Memberi tahu orang terdampak dan lembaga pengawas dalam 3 × 24 jam setelah kebocoran (Pasal 46)."),
        _l("Pasal 20 ayat (2) huruf c (kewajiban hukum: Pasal 46)."),
        _l("Petugas kota mencatat; daftar orang terdampak hanya untuk pejabat pelindungan data (DPO) dan admin."),
        _l("Catatan insiden disimpan sebagai bukti; daftar orang terdampak disusun saat dibuka, tidak disimpan."),
        shown_in=("privacy/incident.html", "privacy/incidents.html"),
        also_as=("contact",),
    ),
    # Nglarisi (issue 18): the members of the kampung business groups, and the groups' contact and bank account.
    Record(
        "group_members", _l("Anggota kelompok usaha (Nglarisi): nama, NIK, status KMS/PKH"),
        ("nglarisi_group_members.name", "nglarisi_group_members.nik", "nglarisi_group_members.kms_pkh",
         "nglarisi_groups.members_count", "nglarisi_groups.kms_members_count"),
        _l("Kurasi kelompok: petugas kota memeriksa bahwa kelompok beranggotakan 5–20 warga satu kelurahan dan "
           "sedikitnya 2 pemegang KMS/PKH, syarat program Nglarisi."),
        _l("Pasal 20 ayat (2) huruf e (tugas pelayanan publik kota) dan huruf a (persetujuan anggota saat "
           "kelompok didaftarkan)."),
        _l("Petugas kota dan admin saja. Tidak pernah untuk kantor pemesan, publik, katalog kelompok, API bagi "
           "selain petugas, ekspor atau log; NIK tidak ditulis di jejak audit."),
        _l("Selama kelompok terdaftar; anggota yang keluar dihapus; atas permintaan penghapusan dalam 3 × 24 jam."),
        shown_in=("nglarisi/group.html",),
        also_as=("members", "add_member"),
    ),
    Record(
        "group_contact", _l("Kontak dan rekening kelompok usaha (Nglarisi): nomor HP, bank, nomor dan nama "
                            "pemilik rekening"),
        ("nglarisi_groups.contact_phone", "nglarisi_groups.bank_name", "nglarisi_groups.bank_account_number",
         "nglarisi_groups.bank_account_holder"),
        _l("Mengirim pesanan ke kelompok dan membayar pesanan yang sudah diantar."),
        _l("Pasal 20 ayat (2) huruf b (perjanjian pesanan antara kantor dan kelompok)."),
        _l("Akun kelompok itu sendiri, petugas kota dan admin; kantor pemesan melihat nomor HP kelompok yang "
           "menerima pesanannya. Perubahan rekening diverifikasi ulang petugas dan tercatat di jejak audit."),
        _l("Selama kelompok terdaftar."),
        shown_in=("nglarisi/group.html", "nglarisi/groups.html", "nglarisi/my_group.html", "nglarisi/order.html"),
    ),
    Record(
        "group_whatsapp_stop", _l("Penolakan WhatsApp dari nomor kontak kelompok usaha (Nglarisi)"),
        ("nglarisi_groups.contact_whatsapp_stopped_at",),
        _l("Tidak lagi mengirim pesan WhatsApp ke nomor kontak kelompok yang membalas BERHENTI."),
        _l("Pasal 20 ayat (2) huruf b (perjanjian pesanan) dan hak menolak pemrosesan (Pasal 8)."),
        _l("Petugas kota dan admin."),
        _l("Sampai nomor kontak kelompok diganti."),
    ),
    Record(
        "group_documents", _l("Dokumen kelompok usaha (Nglarisi): NPWP, bukti rekening, izin PIRT, sertifikat halal"),
        ("nglarisi_group_files.original_name",),
        _l("Kurasi kelompok: petugas kota memeriksa NPWP koordinator, rekening tujuan pembayaran dan izin pangan "
           "sebelum kelompok menerima pesanan, dan setiap tahun saat kurasi ulang."),
        _l("Pasal 20 ayat (2) huruf b (perjanjian pesanan: pembayaran ke rekening kelompok) dan huruf e (tugas "
           "pelayanan publik kota: kurasi program Nglarisi)."),
        _l("Akun kelompok itu sendiri, petugas kota dan admin. Tidak pernah di katalog publik, untuk kantor "
           "pemesan, di API bagi selain petugas, di ekspor atau di log; jejak audit hanya mencatat jenis dokumen. "
           "Foto produk dan logo bukan data pribadi dan tampil di katalog kelompok yang terverifikasi."),
        _l("Selama kelompok terdaftar; dokumen yang diganti dihapus saat itu juga; kelompok atau petugas dapat "
           "menghapusnya kapan saja; atas permintaan penghapusan dalam 3 × 24 jam."),
    ),
)

BY_KEY = {record.key: record for record in RECORDS}

# Columns whose names look personal (the test's pattern) but hold no personal data, with why.
NOT_PERSONAL = {
    "kemantren.name": "name of an administrative area",
    "kelurahan.name": "name of an administrative area",
    "kampung.name": "name of a neighbourhood",
    "organisations.name": "name of a company, campus or community group (a legal body, not a person)",
    "public_versions.name": "name of a cached dataset",
    "api_tokens.name": "the label a user gives a token",
    "need_attachments.stored_name": "random file name given by the platform",
    "progress_photos.stored_name": "random file name given by the platform",
    "sister_report_photos.stored_name": "random file name given by the platform",
    "nglarisi_group_files.stored_name": "random file name given by the platform",
    "nglarisi_offices.name": "name of a city office (a public body)",
    "nglarisi_groups.name": "trade name of a business group (shown in its public catalogue)",
    "nglarisi_menu_items.name": "name of a dish on a group's menu",
    "notification_preferences.email_enabled": "a yes/no choice",
    "outbox_messages.template_name": "name of a WhatsApp message template",
    "commitments.beneficiaries_reached": "a count of people reached, reported by the partner",
    "needs.beneficiaries_consent_at": "when the households' consent was confirmed (a time)",
    "needs.beneficiaries_consent_by_id": "which user confirmed the households' consent (a user number)",
}

# Attributes templates read whose names look personal but hold no personal data, with why.
NOT_PERSONAL_TEMPLATE = {
    "target_name": "the name of the organisation or kampung a join request is for",
    "beneficiaries_consent": "the need form's yes/no consent checkbox",
}

# Export columns whose names look personal but are not, with why.
NOT_PERSONAL_EXPORT = {
    "open:beneficiaries_reached": "a count of people reached, summed over a collaboration",
    "staff:beneficiaries_reached": "a count of people reached, summed over a collaboration",
    "api:name": "names of kelurahan, kemantren, kampung and organisations (areas and legal bodies)",
}


def personal_columns() -> dict[str, Record]:
    """Every "table.column" holding personal data, with its record."""
    return {column: record for record in RECORDS for column in record.columns}


def retention_months(config) -> int:
    return int(config.get("PRIVACY_RETENTION_MONTHS", 24))

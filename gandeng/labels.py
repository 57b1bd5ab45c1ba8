"""Indonesian labels (translatable) for the codes of statuses, roles and kinds."""
from flask_babel import lazy_gettext as _l

ROLE = {
    "admin": _l("Admin"),
    "staff": _l("Petugas kota"),
    "coordinator": _l("Koordinator kampung"),
    "partner": _l("Mitra"),
    "office": _l("Kantor OPD"),
    "group": _l("Kelompok"),
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

# Audit-trail actions (gandeng.audit.services.record): the one table of their labels, for the audit
# log, the histories on the need, collaboration and admin pages (through action_label).
ACTION = {
    "need.create": _l("Buat kebutuhan"),
    "need.update": _l("Ubah kebutuhan"),
    "need.submit": _l("Ajukan kebutuhan"),
    "need.verify": _l("Verifikasi kebutuhan"),
    "need.return": _l("Kembalikan kebutuhan"),
    "need.reject": _l("Tolak kebutuhan"),
    "need.withdraw": _l("Tarik kebutuhan"),
    "need.attachment_add": _l("Tambah lampiran kebutuhan"),
    "need.attachment_delete": _l("Hapus lampiran kebutuhan"),
    "offer.create": _l("Buat penawaran"),
    "offer.update": _l("Ubah penawaran"),
    "offer.activate": _l("Aktifkan penawaran"),
    "offer.withdraw": _l("Tarik penawaran"),
    "user.create": _l("Buat akun"),
    "user.verify": _l("Verifikasi akun"),
    "user.suspend": _l("Nonaktifkan akun"),
    "user.role_change": _l("Ubah peran"),
    "organisation.verify": _l("Verifikasi organisasi"),
    "organisation.update": _l("Ubah data organisasi"),
    "kampung.create": _l("Tambah kampung"),
    "kampung.verify": _l("Verifikasi kampung"),
    "kampung.update": _l("Ubah data kampung"),
    "matching_run.start": _l("Jalankan pencocokan"),
    "matching_run.finish": _l("Pencocokan selesai"),
    "proposal.approve": _l("Setujui usulan"),
    "proposal.reject": _l("Tolak usulan"),
    "proposal.stale": _l("Usulan tidak lagi sesuai"),
    "manual_match": _l("Pasangkan manual"),
    "collaboration.manual_match": _l("Pasangkan manual"),
    "collaboration.confirm": _l("Konfirmasi kerja sama"),
    "collaboration.decline": _l("Tolak kerja sama"),
    "collaboration.progress": _l("Laporan kemajuan"),
    "collaboration.complete": _l("Laporan selesai"),
    "collaboration.confirm_completion": _l("Konfirmasi selesai"),
    "collaboration.cancel": _l("Batalkan kerja sama"),
    "join_request.create": _l("Minta bergabung"),
    "join_request.approve": _l("Setujui permintaan bergabung"),
    "join_request.refuse": _l("Tolak permintaan bergabung"),
    # issue 14: notifications and account recovery
    "notification_preferences.update": _l("Ubah pilihan pemberitahuan"),
    "notification_preferences.whatsapp_stop": _l("WhatsApp dihentikan (BERHENTI)"),
    "outbox.retry": _l("Kirim ulang pesan"),
    "password.reset_issued": _l("Tautan atur ulang kata sandi dibuat"),
    "password.reset": _l("Kata sandi diatur ulang"),
    "password.change": _l("Kata sandi diganti"),
    "api_token.revoke_all": _l("Semua token API dicabut"),
}


def action_label(code: str) -> str:
    """The label of an audit action in the interface language; an action missing here shows as its code."""
    return str(ACTION.get(code, code))


# Tables named in the audit trail (AuditEvent.object_type).
OBJECT_TYPE = {
    "needs": _l("Kebutuhan"),
    "offers": _l("Penawaran"),
    "users": _l("Pengguna"),
    "organisations": _l("Organisasi"),
    "kampung": _l("Kampung"),
    "join_requests": _l("Permintaan bergabung"),
    "commitments": _l("Kerja sama"),
    "proposals": _l("Usulan"),
    "matching_runs": _l("Pencocokan"),
    "need_attachments": _l("Lampiran"),
    "outbox_messages": _l("Pesan keluar"),
}

# --- matching runs and proposals (gandeng/proposals) ---
RUN_STATUS = {
    "queued": _l("Dalam antrean"),
    "running": _l("Sedang berjalan"),
    "done": _l("Selesai"),
    "failed": _l("Gagal"),
}
RUN_STAGE = {
    "queued": _l("Menunggu giliran"),
    "loading": _l("Memuat kebutuhan dan penawaran"),
    "matching": _l("Mencocokkan"),
    "storing": _l("Menyimpan usulan"),
    "done": _l("Selesai"),
    "failed": _l("Gagal"),
    "stopped": _l("Pekerja berhenti"),
    "lost": _l("Hilang dari antrean"),
}
PROPOSAL_STATUS = {
    "proposed": _l("Diusulkan"),
    "approved": _l("Disetujui"),
    "rejected": _l("Ditolak"),
    "stale": _l("Tidak lagi sesuai"),
    "superseded": _l("Digantikan"),
}
SCORE_PART = {
    "text": _l("Kecocokan teks"),
    "category": _l("Kategori"),
    "geography": _l("Wilayah"),
    "urgency": _l("Urgensi"),
    "poverty": _l("Kemiskinan"),
    "severity": _l("Keparahan kondisi"),
    "kind": _l("Jenis bantuan"),
}
STATUS_COLOUR.update({
    "queued": "secondary",
    "running": "info",
    "done": "success",
    "failed": "danger",
    "proposed": "primary",
    "approved": "success",
    "stale": "warning",
    "superseded": "secondary",
})

# --- collaborations (gandeng/collaborations) ---
COLLABORATION_STATUS = {
    "awaiting_partner": _l("Menunggu mitra menyanggupi"),
    "in_progress": _l("Berjalan"),
    "completed": _l("Selesai"),
    "declined": _l("Ditolak mitra"),
    "cancelled": _l("Dibatalkan"),
}
STATUS_COLOUR.update({
    "awaiting_partner": "warning",
    "declined": "secondary",
    "cancelled": "secondary",
})

# Sister pairing (issue 17)
ACTION.update({
    "sister.run": _l("Jalankan pemasangan sister"),
    "sister.publish": _l("Terbitkan pemasangan sister"),
    "sister.lock": _l("Kunci pasangan sister"),
    "sister.unlock": _l("Buka kunci pasangan sister"),
    "sister.set_partner": _l("Ganti mitra sister"),
    "sister.remove_partner": _l("Keluarkan mitra sister"),
    "sister.kampung_profile": _l("Ubah profil kampung sister"),
    "sister.partner_profile": _l("Ubah profil sister mitra"),
    "sister.plan_save": _l("Simpan rencana tahunan sister"),
    "sister.plan_submit": _l("Ajukan rencana tahunan sister"),
    "sister.plan_approve": _l("Setujui rencana tahunan sister"),
    "sister.plan_return": _l("Kembalikan rencana tahunan sister"),
    "sister.report": _l("Kirim laporan triwulan sister"),
})

# Audit actions of the features merged after the one table (issues 13, 18, 19) and of API tokens.
ACTION.update({
    "api_token.create": _l("Buat token API"),
    "api_token.revoke": _l("Cabut token API"),
    "proposal.switch": _l("Ganti usulan ke penawaran lain"),
    "need.consent": _l("Konfirmasi persetujuan keluarga penerima"),
    "need.anonymise": _l("Anonimkan data pribadi kebutuhan"),
    "user.anonymise": _l("Anonimkan akun"),
    "user.dpo": _l("Ubah wewenang pejabat pelindungan data"),
    "privacy.handle": _l("Tangani permintaan data pribadi"),
    "privacy.incident": _l("Catat insiden data pribadi"),
    "privacy.incident_notified": _l("Catat pemberitahuan insiden"),
    "nglarisi.group_create": _l("Daftarkan kelompok Nglarisi"),
    "nglarisi.group_rename": _l("Ganti nama kelompok Nglarisi"),
    "nglarisi.group_status": _l("Ubah status kelompok Nglarisi"),
    "nglarisi.member_add": _l("Tambah anggota kelompok Nglarisi"),
    "nglarisi.bank_change": _l("Ubah rekening kelompok Nglarisi"),
    "nglarisi.bank_verify": _l("Verifikasi rekening kelompok Nglarisi"),
    "nglarisi.budget": _l("Catat anggaran makan-minum kantor"),
    "nglarisi.order_place": _l("Tawarkan pesanan ke kelompok"),
    "nglarisi.order_accept": _l("Terima pesanan"),
    "nglarisi.order_delivered": _l("Konfirmasi pesanan diantar"),
    "nglarisi.order_paid": _l("Catat pembayaran pesanan"),
})

# --- audit log: field names and object types (review walk: raw English keys were shown to staff) ---
# Every key written into an audit row's before/after (gandeng.audit.services.record), as staff read it.
AUDIT_FIELD = {
    # needs (needs.services.FIELDS) and offers (offers.services._snapshot)
    "ref": _l("Kode"), "rw": _l("RW"), "category_code": _l("Kategori"), "title": _l("Judul"),
    "description": _l("Uraian"), "households": _l("Jumlah KK"), "kms_households": _l("Jumlah KK KMS"),
    "cost_rp": _l("Biaya"), "deadline": _l("Tenggat"), "urgency": _l("Urgensi"), "partial_ok": _l("Boleh sebagian"),
    "beneficiaries": _l("Nama penerima"), "contact_phone": _l("Nomor narahubung"),
    "kind": _l("Jenis"), "capacity_rp": _l("Nilai penawaran"), "valid_until": _l("Berlaku sampai"),
    "categories": _l("Kategori"), "areas": _l("Wilayah"), "status": _l("Status"),
    "attachments": _l("Lampiran"), "attachment_id": _l("Lampiran"), "content_type": _l("Jenis berkas"),
    "content_types": _l("Jenis berkas"), "confirmed": _l("Dikonfirmasi"),
    # collaborations, proposals, matching runs
    "need_id": _l("Kebutuhan"), "offer_id": _l("Penawaran"), "proposal_id": _l("Usulan"),
    "commitment_id": _l("Kerja sama"), "report_id": _l("Laporan"), "amount_rp": _l("Jumlah"),
    "need_status": _l("Status kebutuhan"), "offer_status": _l("Status penawaran"),
    "proposal_status": _l("Status usulan"), "progress_percent": _l("Kemajuan"),
    "realised_rp": _l("Dana terealisasi"), "released_rp": _l("Dana dilepas"), "photos": _l("Foto"),
    "beneficiaries_reached": _l("Penerima manfaat"), "counts": _l("Hitungan"), "parameters": _l("Bobot"),
    "proposed_rp": _l("Rupiah diusulkan"), "error": _l("Galat"),
    # accounts, organisations, kampung, join requests, tokens, notifications
    "role": _l("Peran"), "kampung_id": _l("Kampung"), "organisation_id": _l("Organisasi"), "user_id": _l("Pengguna"),
    "name": _l("Nama"), "type": _l("Jenis organisasi"), "phone": _l("Nomor HP"), "email": _l("Email"),
    "address": _l("Alamat"), "verified": _l("Terverifikasi"), "kelurahan_code": _l("Kelurahan"),
    "kampung": _l("Kampung"), "account": _l("Akun"), "fields": _l("Isian"), "revoked": _l("Dicabut"),
    "api_tokens_revoked": _l("Token API dicabut"), "sessions_ended": _l("Sesi diakhiri"),
    "expires_at": _l("Berlaku sampai"), "whatsapp": _l("WhatsApp"), "digest": _l("Ringkasan harian"),
    "phone_changed": _l("Nomor HP diganti"), "dpo": _l("Pejabat pelindungan data"),
    # privacy
    "by_staff": _l("Oleh petugas"), "names": _l("Nama"), "data_kinds": _l("Jenis data"), "needs": _l("Kebutuhan"),
    "affected": _l("Orang terdampak"), "whom": _l("Diberi tahu"), "late": _l("Terlambat"), "on_time": _l("Tepat waktu"),
    "complete": _l("Lengkap"),
    # sister pairing
    "campus_id": _l("Kampus sister"), "company_id": _l("Perusahaan sister"), "side": _l("Pihak"),
    "locked": _l("Dikunci"), "themes": _l("Tema"), "capacity": _l("Kapasitas"), "home_kelurahan": _l("Kelurahan asal"),
    "year": _l("Tahun"), "quarter": _l("Triwulan"), "plan_id": _l("Rencana"), "re_paired": _l("Dipasangkan ulang"),
}
OBJECT_TYPE.update({
    "progress_reports": _l("Laporan kemajuan"),
    "api_tokens": _l("Token API"),
    "notification_preferences": _l("Pilihan pemberitahuan"),
    "password_resets": _l("Atur ulang kata sandi"),
    "privacy_requests": _l("Permintaan data pribadi"),
    "privacy_incidents": _l("Insiden data pribadi"),
    "sister_kampung_profiles": _l("Profil kampung sister"),
    "sister_partner_profiles": _l("Profil mitra sister"),
    "sister_rounds": _l("Pemasangan sister"),
    "sister_pairs": _l("Pasangan sister"),
    "sister_plans": _l("Rencana tahunan sister"),
    "sister_reports": _l("Laporan triwulan sister"),
})

# --- Nglarisi's audit entries (module: gandeng/nglarisi; its labels live in this shared table) ---
ACTION.update({
    "nglarisi.group_visited": _l("Kunjungan ke kelompok Nglarisi"),
    "nglarisi.file_add": _l("Unggah foto atau dokumen kelompok"),
    "nglarisi.file_delete": _l("Hapus foto atau dokumen kelompok"),
    "nglarisi.document_checked": _l("Dokumen kelompok diperiksa"),
    "nglarisi.recurated": _l("Kurasi ulang tahunan kelompok"),
})
AUDIT_FIELD.update({
    "food_budget_rp": _l("Anggaran makan-minum"), "office_id": _l("Kantor"), "group_id": _l("Kelompok"),
    "member_id": _l("Anggota"), "budget_rp": _l("Anggaran"), "portions": _l("Porsi"), "rating": _l("Nilai"),
    "paid_rp": _l("Dibayar"), "paid_on": _l("Tanggal bayar"), "bank_account_number": _l("Nomor rekening"),
    "file_id": _l("Berkas"), "last_curated_on": _l("Kurasi terakhir"),
})
OBJECT_TYPE.update({
    "nglarisi_offices": _l("Kantor OPD"),
    "nglarisi_office_budgets": _l("Anggaran kantor"),
    "nglarisi_groups": _l("Kelompok Nglarisi"),
    "nglarisi_orders": _l("Pesanan Nglarisi"),
})

# Privacy requests (issue 19) were recorded without a label.
ACTION.update({
    "privacy.request": _l("Permintaan data pribadi"),
})

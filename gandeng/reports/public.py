"""Figures for the public transparency page (/public) and its open data: public needs only, completed
collaborations with partner credit, and never any personal data.

What never leaves this module: beneficiaries' names, contact phones, KMS figures (of a need or summed),
users' names or contacts, organisations' phones, e-mails and addresses, needs outside PUBLIC_STATUSES,
need descriptions. Every query selects the columns it shows (never whole rows), so a template cannot
reach a personal field by accident. Totals reuse gandeng.api.stats (the same figures as GET /api/v1/stats)."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import distinct, func, select

from gandeng.accounts.models import Organisation
from gandeng.api.stats import city_stats, kelurahan_totals
from gandeng.collaborations.models import Commitment, CommitmentStatus, ProgressPhoto, ProgressReport
from gandeng.collaborations.queries import CollaborationPage
from gandeng.formatting import to_wib
from gandeng.needs.models import PUBLIC_STATUSES, Need
from gandeng.offers.models import Offer
from gandeng.reference.models import Category, Kelurahan, Kemantren
from gandeng.reports.joins import join_need_place, join_organisation
from gandeng.reports.reach import reach

# A partner is "involved" and a kampung "reached" once work started on a collaboration.
STARTED_STATUSES = (CommitmentStatus.IN_PROGRESS, CommitmentStatus.COMPLETED)
PHOTOS_PER_COLLABORATION = 4


def _completed():
    """Condition of a completed collaboration on a public need (the only ones shown by name)."""
    return (Commitment.status == CommitmentStatus.COMPLETED) & Need.status.in_(PUBLIC_STATUSES)


def _completed_count_by(session, key) -> dict:
    """{group: number of completed collaborations}, grouped by `key` (a kelurahan/kemantren/category column)."""
    rows = session.execute(
        select(key, func.count(Commitment.id)).select_from(Commitment)
        .join(Need, Need.id == Commitment.need_id).join(Kelurahan, Kelurahan.code == Need.kelurahan_code)
        .where(_completed()).group_by(key))
    return {group: int(n) for group, n in rows}


# --- the page's figures -------------------------------------------------------------------------

def city_figures(session) -> dict:
    """City totals (needs, Rp needed, committed, realised, completed collaborations, partners involved,
    kampung reached) and the rows by kemantren and by category (every kemantren and category listed)."""
    stats = city_stats(session)
    by_kemantren = _completed_count_by(session, Kelurahan.kemantren_code)
    by_category = _completed_count_by(session, Need.category_code)
    partners = session.scalar(
        select(func.count(distinct(Offer.organisation_id)))
        .select_from(Commitment).join(Need, Need.id == Commitment.need_id)
        .join(Offer, Offer.id == Commitment.offer_id)
        .where(Commitment.status.in_(STARTED_STATUSES), Need.status.in_(PUBLIC_STATUSES))
    )
    labels_en = dict(session.execute(select(Category.code, Category.label_en)).all())
    return {
        "needs": stats["needs"],
        "needed_rp": stats["needed_rp"],
        "committed_rp": stats["committed_rp"],
        "realised_rp": stats["realised_rp"],
        "completed": sum(by_kemantren.values()),
        "partners": int(partners),
        "kampung": reach(session).kampung,
        "by_kemantren": [_money_row(row, completed=by_kemantren.get(row["code"], 0))
                         for row in stats["by_kemantren"]],
        "by_category": [_money_row(row, completed=by_category.get(row["code"], 0),
                                   name_en=labels_en.get(row["code"], row["name"]))
                        for row in stats["by_category"]],
    }


def _money_row(row: dict, **extra) -> dict:
    keep = ("code", "name", "needs", "needed_rp", "committed_rp", "realised_rp")
    return {**{key: row[key] for key in keep}, **extra}


def kelurahan_figures(session) -> list[dict]:
    """All 45 kelurahan with their kemantren and public figures, by kemantren then kelurahan name."""
    money = kelurahan_totals(session)
    completed = _completed_count_by(session, Kelurahan.code)
    places = session.execute(
        select(Kelurahan.code, Kelurahan.name, Kemantren.code, Kemantren.name)
        .join(Kemantren, Kemantren.code == Kelurahan.kemantren_code)
        .order_by(Kemantren.name, Kelurahan.name))
    found = []
    for code, name, kemantren_code, kemantren in places:
        totals = money.get(code, {})
        found.append({
            "code": code, "name": name, "kemantren_code": kemantren_code, "kemantren": kemantren,
            "needs": totals.get("needs", 0), "needed_rp": totals.get("needed_rp", 0),
            "committed_rp": totals.get("committed_rp", 0), "realised_rp": totals.get("realised_rp", 0),
            "completed": completed.get(code, 0),
        })
    return found


MAP_FIGURES = (
    ("needs", _l("Kebutuhan"), "number"),
    ("needed_rp", _l("Dana dibutuhkan"), "rupiah"),
    ("committed_rp", _l("Dana disanggupi"), "rupiah"),
    ("realised_rp", _l("Dana terealisasi"), "rupiah"),
    ("completed", _l("Kerja sama selesai"), "number"),
)


def map_data(session) -> dict:
    """The JSON the kelurahan map draws (templates/reports/_map.html): public figures only."""
    return {
        "figures": [{"key": key, "label": str(label), "kind": kind} for key, label, kind in MAP_FIGURES],
        "kelurahan": {
            row["code"]: {"name": row["name"], "kemantren": row["kemantren"],
                          "values": {key: row[key] for key, _label, _kind in MAP_FIGURES}}
            for row in kelurahan_figures(session)
        },
    }


# --- completed collaborations and partners ------------------------------------------------------

@dataclass(frozen=True)
class CompletedCollaboration:
    """A completed collaboration as the public sees it: no description, no names but the partner's."""

    id: int
    title: str
    category_code: str
    category_id: str
    category_en: str
    kelurahan: str
    kemantren: str
    organisation: str
    organisation_type: str
    amount_rp: int
    realised_rp: int
    completed_at: object
    beneficiaries_reached: int | None
    photo_ids: tuple = ()

    @property
    def completed_on(self):
        """The completion date in Yogyakarta (None if unknown)."""
        return to_wib(self.completed_at).date() if self.completed_at else None


def _completed_select():
    return join_organisation(join_need_place((
        select(Commitment.id, Need.title, Category.code, Category.label_id, Category.label_en,
               Kelurahan.name, Kemantren.name, Organisation.name, Organisation.type,
               Commitment.amount_rp, Commitment.realised_rp, Commitment.completed_at,
               Commitment.beneficiaries_reached)
        .select_from(Commitment)
        .where(_completed())
        .order_by(Commitment.completed_at.desc(), Commitment.id.desc())
    ), kampung=False))


def _photos_of(session, commitment_ids) -> dict[int, list[int]]:
    """{collaboration id: ids of its image progress photos, oldest first}, in one query."""
    found: dict[int, list[int]] = {}
    if not commitment_ids:
        return found
    rows = session.execute(
        select(ProgressReport.commitment_id, ProgressPhoto.id)
        .join(ProgressReport, ProgressReport.id == ProgressPhoto.report_id)
        .where(ProgressReport.commitment_id.in_(commitment_ids), ProgressPhoto.content_type.startswith("image/"))
        .order_by(ProgressPhoto.id))
    for commitment_id, photo_id in rows:
        found.setdefault(commitment_id, []).append(photo_id)
    return found


def completed_collaborations(session, limit: int | None = None, offset: int = 0,
                             photos: bool = True) -> list[CompletedCollaboration]:
    """Completed collaborations on public needs, newest completion first, with their photo ids."""
    query = _completed_select().offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    photo_ids = _photos_of(session, [row[0] for row in rows]) if photos else {}
    return [CompletedCollaboration(*row, photo_ids=tuple(photo_ids.get(row[0], ())[:PHOTOS_PER_COLLABORATION]))
            for row in rows]


def completed_page(session, page: int = 1, per_page: int = 20) -> CollaborationPage:
    """One page of completed_collaborations (for the pager macro)."""
    total = session.scalar(
        select(func.count(Commitment.id)).select_from(Commitment)
        .join(Need, Need.id == Commitment.need_id).where(_completed())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = completed_collaborations(session, per_page, (page - 1) * per_page)
    return CollaborationPage(items=items, page=page, per_page=per_page, total=total)


def partner_ranking(session, limit: int | None = None) -> list[dict]:
    """Organisations ranked by Rp realised in completed collaborations (then by count, then name)."""
    realised = func.coalesce(func.sum(Commitment.realised_rp), 0)
    query = (
        select(Organisation.name, Organisation.type, func.count(Commitment.id),
               func.coalesce(func.sum(Commitment.amount_rp), 0), realised)
        .select_from(Commitment)
        .join(Need, Need.id == Commitment.need_id)
        .join(Offer, Offer.id == Commitment.offer_id)
        .join(Organisation, Organisation.id == Offer.organisation_id)
        .where(_completed())
        .group_by(Organisation.id, Organisation.name, Organisation.type)
        .order_by(realised.desc(), func.count(Commitment.id).desc(), Organisation.name)
    )
    if limit is not None:
        query = query.limit(limit)
    return [{"name": name, "type": org_type, "completed": int(n), "committed_rp": int(amount),
             "realised_rp": int(total)} for name, org_type, n, amount, total in session.execute(query)]


def public_photo(session, photo_id: int) -> ProgressPhoto | None:
    """The progress photo, only if it is an image of a completed collaboration on a public need."""
    return session.scalars(
        select(ProgressPhoto)
        .join(ProgressReport, ProgressReport.id == ProgressPhoto.report_id)
        .join(Commitment, Commitment.id == ProgressReport.commitment_id)
        .join(Need, Need.id == Commitment.need_id)
        .where(ProgressPhoto.id == photo_id, ProgressPhoto.content_type.startswith("image/"), _completed())
    ).first()


# --- open data ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    name: str
    meaning: object  # a lazy string
    unit: object


@dataclass(frozen=True)
class Dataset:
    name: str  # /public/data/<name>.csv
    title: object
    description: object
    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


RUPIAH, COUNT, TEXT, CODE = _l("Rupiah"), _l("jumlah"), _l("teks"), _l("kode")
_MONEY_COLUMNS = (
    Column("needs", _l("Kebutuhan publik (terverifikasi, terpasangkan, berjalan atau selesai)"), COUNT),
    Column("needed_rp", _l("Biaya seluruh kebutuhan publik"), RUPIAH),
    Column("committed_rp", _l("Dana yang dikomitmenkan mitra untuk kebutuhan itu (termasuk bagian terealisasi "
                              "dari kerja sama yang dibatalkan)"), RUPIAH),
    Column("realised_rp", _l("Dana yang sudah terealisasi menurut laporan kemajuan"), RUPIAH),
    Column("completed_collaborations", _l("Kerja sama yang sudah selesai"), COUNT),
)

OPEN_DATA = (
    Dataset("kemantren", _l("Per kemantren"), _l("Satu baris per kemantren (14)."), (
        Column("kemantren_code", _l("Kode kemantren (Kepmendagri)"), CODE),
        Column("kemantren", _l("Nama kemantren"), TEXT),
        *_MONEY_COLUMNS)),
    Dataset("kelurahan", _l("Per kelurahan"), _l("Satu baris per kelurahan (45)."), (
        Column("kelurahan_code", _l("Kode kelurahan (Kepmendagri)"), CODE),
        Column("kelurahan", _l("Nama kelurahan"), TEXT),
        Column("kemantren_code", _l("Kode kemantren (Kepmendagri)"), CODE),
        Column("kemantren", _l("Nama kemantren"), TEXT),
        *_MONEY_COLUMNS)),
    Dataset("categories", _l("Per kategori"), _l("Satu baris per kategori kebutuhan."), (
        Column("category_code", _l("Kode kategori"), CODE),
        Column("category", _l("Nama kategori"), TEXT),
        *_MONEY_COLUMNS)),
    Dataset("collaborations", _l("Kerja sama selesai"),
            _l("Satu baris per kerja sama yang selesai, terbaru dulu; tanpa data pribadi."), (
        Column("collaboration_id", _l("Nomor kerja sama"), CODE),
        Column("completed_on", _l("Tanggal selesai (WIB)"), _l("tanggal (YYYY-MM-DD)")),
        Column("need_title", _l("Judul kebutuhan"), TEXT),
        Column("category_code", _l("Kode kategori"), CODE),
        Column("category", _l("Nama kategori"), TEXT),
        Column("kelurahan", _l("Nama kelurahan"), TEXT),
        Column("kemantren", _l("Nama kemantren"), TEXT),
        Column("organisation", _l("Nama organisasi mitra"), TEXT),
        Column("organisation_type", _l("Jenis mitra: korporat, kampus atau komunitas"), CODE),
        Column("committed_rp", _l("Dana yang disanggupi"), RUPIAH),
        Column("realised_rp", _l("Dana yang terealisasi"), RUPIAH),
        Column("beneficiaries_reached", _l("Penerima manfaat yang dijangkau, menurut laporan mitra"),
               _l("jumlah orang atau keluarga")))),
    Dataset("partners", _l("Mitra"), _l("Satu baris per organisasi dengan kerja sama selesai, urut menurut dana "
                                        "terealisasi."), (
        Column("organisation", _l("Nama organisasi mitra"), TEXT),
        Column("organisation_type", _l("Jenis mitra: korporat, kampus atau komunitas"), CODE),
        Column("completed_collaborations", _l("Kerja sama yang sudah selesai"), COUNT),
        Column("committed_rp", _l("Dana yang dikomitmenkan dalam kerja sama selesai itu"), RUPIAH),
        Column("realised_rp", _l("Dana yang terealisasi dalam kerja sama selesai itu"), RUPIAH))),
)
DATASETS = {dataset.name: dataset for dataset in OPEN_DATA}


def _money(row: dict) -> list:
    return [row["needs"], row["needed_rp"], row["committed_rp"], row["realised_rp"], row["completed"]]


def dataset_rows(session, name: str) -> list[list]:
    """The rows of the open-data CSV `name` (KeyError for an unknown name), in its columns' order."""
    if name == "kemantren":
        return [[row["code"], row["name"], *_money(row)] for row in city_figures(session)["by_kemantren"]]
    if name == "kelurahan":
        return [[row["code"], row["name"], row["kemantren_code"], row["kemantren"], *_money(row)]
                for row in kelurahan_figures(session)]
    if name == "categories":
        return [[row["code"], row["name"], *_money(row)] for row in city_figures(session)["by_category"]]
    if name == "collaborations":
        return [[c.id, c.completed_on, c.title, c.category_code, c.category_id, c.kelurahan, c.kemantren,
                 c.organisation, c.organisation_type, c.amount_rp, c.realised_rp, c.beneficiaries_reached]
                for c in completed_collaborations(session, photos=False)]
    if name == "partners":
        return [[p["name"], p["type"], p["completed"], p["committed_rp"], p["realised_rp"]]
                for p in partner_ranking(session)]
    raise KeyError(name)

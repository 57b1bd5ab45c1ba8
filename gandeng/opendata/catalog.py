"""The metadata of every open dataset, in one place, following the elements Satu Data Indonesia asks for
(Perpres 39/2019: metadata and reference codes; variables as in Peraturan BPS 4/2020 and 5/2020):
title, description, producer (produsen data), contact point (walidata), licence, period (cakupan waktu),
update frequency, area (cakupan wilayah), keywords, and per variable its name, definition, unit, type and
reference code list (kode referensi). docs/open-data.md maps each element to DCAT-AP and to CKAN.

The datasets themselves, their column names and the Indonesian definitions stay in
gandeng.reports.public (OPEN_DATA, what the CSVs and the page /public/data show); this module adds
what a catalogue needs on top: English (the catalogue's own translation of those texts), types, units,
code lists, keywords, coverage. A column without an entry in KINDS is an error at once (`variables`).

The producer and the contact point are settings (OPEN_DATA_PUBLISHER, OPEN_DATA_PUBLISHER_URL,
OPEN_DATA_CONTACT_NAME, OPEN_DATA_CONTACT_EMAIL; defaults in gandeng.settings): the city decides who
answers for the data."""
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from flask import current_app, request
from flask_babel import force_locale
from sqlalchemy import func, select

from gandeng.collaborations.models import Commitment, CommitmentStatus
from gandeng.formatting import to_wib
from gandeng.needs.models import PUBLIC_STATUSES, Need
from gandeng.reports import public
from gandeng.reports.public_version import current_stamp


@dataclass(frozen=True)
class Text:
    """A text in Indonesian (`id`) and English (`en`): the catalogue is bilingual whatever the page's language."""

    id: str
    en: str

    @classmethod
    def of(cls, lazy) -> "Text":
        """A lazy gettext string of the interface in both languages (the English from the message catalogue)."""
        with force_locale("id"):
            indonesian = str(lazy)
        with force_locale("en"):
            english = str(lazy)
        return cls(indonesian, english)


@dataclass(frozen=True)
class CodeList:
    """A reference code list (kode referensi) that a variable's values come from."""

    key: str
    title: Text
    authority: str  # who sets the codes
    path: str  # where this site serves the codes and their names (an API of the contract)


KEMANTREN_CODES = CodeList(
    "kemantren", Text("Kode wilayah kemantren (kecamatan), Kepmendagri No. 300.2.2-2138 Tahun 2025",
                      "Kemantren (district) codes, Minister of Home Affairs Decree No. 300.2.2-2138 of 2025"),
    "Kementerian Dalam Negeri", "/api/v1/wilayah")
KELURAHAN_CODES = CodeList(
    "kelurahan", Text("Kode wilayah kelurahan, Kepmendagri No. 300.2.2-2138 Tahun 2025",
                      "Kelurahan (urban village) codes, Minister of Home Affairs Decree No. 300.2.2-2138 of 2025"),
    "Kementerian Dalam Negeri", "/api/v1/wilayah")
CATEGORY_CODES = CodeList(
    "categories", Text("Kode kategori kebutuhan program Gandeng Gendong",
                       "Need category codes of the Gandeng Gendong programme"),
    "Pemerintah Kota Yogyakarta", "/api/v1/categories")
ORGANISATION_TYPES = CodeList(
    "organisation-types", Text("Jenis mitra: korporat, kampus, komunitas",
                               "Partner types: korporat (company), kampus (university), komunitas (community)"),
    "Pemerintah Kota Yogyakarta", "/public/data")


@dataclass(frozen=True)
class Kind:
    """What a column holds beyond its definition: CSVW/XSD datatype, unit code, code list, may be empty."""

    datatype: str  # integer, string or date (XSD names, as CSVW uses them)
    unit_code: str | None = None  # ISO 4217 for money
    codes: CodeList | None = None
    required: bool = True


_COUNT, _MONEY, _TEXT = Kind("integer"), Kind("integer", unit_code="IDR"), Kind("string")
KINDS = {
    "kemantren_code": Kind("string", codes=KEMANTREN_CODES), "kemantren": _TEXT,
    "kelurahan_code": Kind("string", codes=KELURAHAN_CODES), "kelurahan": _TEXT,
    "category_code": Kind("string", codes=CATEGORY_CODES), "category": _TEXT,
    "needs": _COUNT, "needed_rp": _MONEY, "committed_rp": _MONEY, "realised_rp": _MONEY,
    "completed_collaborations": _COUNT,
    "collaboration_id": Kind("integer"), "completed_on": Kind("date"), "need_title": _TEXT,
    "organisation": _TEXT, "organisation_type": Kind("string", codes=ORGANISATION_TYPES),
    "beneficiaries_reached": Kind("integer", required=False),
}


@dataclass(frozen=True)
class Variable:
    """One column of a dataset, as a catalogue describes it."""

    name: str
    definition: Text
    unit: Text
    kind: Kind


# What each dataset is about, before its row description (page texts stay short; a catalogue needs more).
_PROGRAMME = Text(
    "Program Gandeng Gendong Pemerintah Kota Yogyakarta mempertemukan kebutuhan kampung (usulan koordinator, "
    "diverifikasi petugas kota) dengan mitra korporat, kampus dan komunitas.",
    "The Gandeng Gendong programme of the City of Yogyakarta matches kampung needs (proposed by coordinators, "
    "verified by city staff) with corporate, university and community partners.")
_FIGURES = Text(
    "Angka kumulatif sejak awal program, hanya kebutuhan publik (terverifikasi, terpasangkan, berjalan atau "
    "selesai).",
    "Cumulative figures since the programme began, public needs only (verified, matched, in progress or "
    "completed).")
_NO_PERSONAL = Text("Tanpa data pribadi (UU 27/2022).", "No personal data (Law 27/2022).")
ABOUT = {
    "kemantren": _FIGURES, "kelurahan": _FIGURES, "categories": _FIGURES,
    "collaborations": Text("Kerja sama mitra yang sudah selesai dan dikonfirmasi koordinator kampung.",
                           "Partner collaborations completed and confirmed by the kampung's coordinator."),
    "partners": Text("Pengakuan mitra: organisasi dengan kerja sama selesai dan dana yang mereka salurkan.",
                     "Partner recognition: organisations with completed collaborations and the money they gave."),
}
_COMMON_KEYWORDS = (Text("kemiskinan", "poverty"), Text("Kota Yogyakarta", "Yogyakarta City"),
                    Text("Gandeng Gendong", "Gandeng Gendong"), Text("kemitraan", "partnership"))
KEYWORDS = {
    "kemantren": (Text("kemantren", "district"), Text("dana", "funding")),
    "kelurahan": (Text("kelurahan", "urban village"), Text("dana", "funding")),
    "categories": (Text("kategori kebutuhan", "need category"), Text("dana", "funding")),
    "collaborations": (Text("kerja sama", "collaboration"), Text("CSR", "CSR")),
    "partners": (Text("mitra", "partner"), Text("CSR", "CSR")),
}
# Which data give a dataset's period: the public needs' figures, or the completions it lists.
COVERAGE = {"kemantren": "figures", "kelurahan": "figures", "categories": "figures",
            "collaborations": "completions", "partners": "completions"}

# Update frequency: the files are built from the live figures, so they change with every write that
# changes a public figure (EU frequency vocabulary "continuous", as DCAT-AP recommends).
FREQUENCY_URI = "http://publications.europa.eu/resource/authority/frequency/CONT"
FREQUENCY = Text("diperbarui terus-menerus: setiap perubahan angka publik langsung tampak",
                 "updated continuously: every change of a public figure shows at once")
SPATIAL = Text("Kota Yogyakarta (14 kemantren, 45 kelurahan)", "City of Yogyakarta (14 kemantren, 45 kelurahan)")
SPATIAL_CODE = "34.71"  # Kota Yogyakarta in the Kepmendagri codes of wilayah.csv
LICENCE = {"ckan_id": "cc-by", "title": "Creative Commons Attribution 4.0 (CC BY 4.0)",
           "url": "https://creativecommons.org/licenses/by/4.0/"}
CATALOGUE_TITLE = Text("Data terbuka Gandeng Gendong", "Gandeng Gendong open data")
CATALOGUE_DESCRIPTION = Text(
    "Data terbuka program penanggulangan kemiskinan Gandeng Gendong Kota Yogyakarta, tanpa data pribadi, "
    "dengan lisensi CC BY 4.0.",
    "Open data of the City of Yogyakarta's Gandeng Gendong poverty programme, without personal data, "
    "under CC BY 4.0.")



@dataclass(frozen=True)
class OpenDataset:
    """One open dataset as the catalogue describes it."""

    name: str  # /public/data/<name>.csv and .json
    title: Text
    description: Text
    keywords: tuple[Text, ...]
    variables: tuple[Variable, ...]

    @property
    def header(self) -> list[str]:
        return [variable.name for variable in self.variables]

    @property
    def package_name(self) -> str:
        """Its name in a CKAN portal (unique among the city's datasets)."""
        return f"gandeng-gendong-{self.name}"


def variables(dataset: public.Dataset) -> tuple[Variable, ...]:
    """The variables of an open dataset; KeyError when a column has no entry in KINDS."""
    return tuple(Variable(column.name, Text.of(column.meaning), Text.of(column.unit), KINDS[column.name])
                 for column in dataset.columns)


def _describe(dataset: public.Dataset) -> OpenDataset:
    rows = Text.of(dataset.description)
    about = ABOUT[dataset.name]
    description = Text(f"{_PROGRAMME.id} {about.id} {rows.id} {_NO_PERSONAL.id}",
                       f"{_PROGRAMME.en} {about.en} {rows.en} {_NO_PERSONAL.en}")
    title = Text.of(dataset.title)
    title = Text(f"Gandeng Gendong: {title.id}", f"Gandeng Gendong: {title.en}")
    return OpenDataset(dataset.name, title, description, _COMMON_KEYWORDS + KEYWORDS[dataset.name],
                       variables(dataset))


def datasets() -> list[OpenDataset]:
    """Every open dataset of /public/data with its metadata, in the page's order (needs an app context)."""
    return [_describe(dataset) for dataset in public.OPEN_DATA]


def find(name: str) -> OpenDataset | None:
    """The dataset `name` (as in /public/data/<name>.csv) or its CKAN package name; None if unknown."""
    for dataset in datasets():
        if name in (dataset.name, dataset.package_name):
            return dataset
    return None


# --- what depends on the data or the settings ----------------------------------------------------

@dataclass(frozen=True)
class Agent:
    name: str
    url: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    url: str  # where to write without an e-mail address: the open-data page


def publisher() -> Agent:
    config = current_app.config
    return Agent(config["OPEN_DATA_PUBLISHER"], config["OPEN_DATA_PUBLISHER_URL"])


def contact() -> Contact:
    config = current_app.config
    return Contact(config["OPEN_DATA_CONTACT_NAME"], config["OPEN_DATA_CONTACT_EMAIL"], absolute("/public/data"))


def absolute(path: str) -> str:
    """`path` on this site as a full URL: PUBLIC_BASE_URL when set, else the address the request came to."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    return base + path


@dataclass(frozen=True)
class Period:
    start: date
    end: date


def _wib_date(value: datetime | None) -> date | None:
    return to_wib(value).date() if value is not None else None


def last_modified(session) -> datetime | None:
    """When the public figures last changed (naive UTC), None if they never did."""
    return current_stamp(session).changed_at


def coverage(session) -> dict[str, Period | None]:
    """{dataset name: the period its rows cover (WIB dates)}, None for a dataset without data yet.
    The figures run from the first public need's creation to the figures' last change; the completions
    from the first to the last completion of a collaboration on a public need."""
    first_need = session.scalar(select(func.min(Need.created_at)).where(Need.status.in_(PUBLIC_STATUSES)))
    completions = session.execute(
        select(func.min(Commitment.completed_at), func.max(Commitment.completed_at))
        .join(Need, Need.id == Commitment.need_id)
        .where(Commitment.status == CommitmentStatus.COMPLETED, Need.status.in_(PUBLIC_STATUSES))).one()
    figures = None
    if first_need is not None:
        start = _wib_date(first_need)
        end = max(start, _wib_date(last_modified(session) or first_need))
        figures = Period(start, end)
    done = Period(_wib_date(completions[0]), _wib_date(completions[1])) if completions[0] else None
    return {name: figures if kind == "figures" else done for name, kind in COVERAGE.items()}


@lru_cache(maxsize=4)
def _bbox(path: str) -> tuple[float, float, float, float] | None:
    try:
        shapes = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    points = [point for feature in shapes.get("features", [])
              for ring in feature["geometry"]["coordinates"] for point in ring]
    if not points:
        return None
    return (min(p[0] for p in points), min(p[1] for p in points),
            max(p[0] for p in points), max(p[1] for p in points))


def bounding_box() -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the city's kelurahan boundaries (static/data/kelurahan.geojson)."""
    return _bbox(str(Path(current_app.static_folder) / "data" / "kelurahan.geojson"))

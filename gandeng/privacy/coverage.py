"""Does the records table (records.py) cover what the platform really holds and shows? Three scans,
each returning the findings (empty = covered); tests/unit/test_privacy_records.py runs them, and
`flask --app app privacy check` prints them for the DPO.

1. Database: every column whose name looks personal is in a record or in NOT_PERSONAL (with a reason).
2. Templates: every `.attribute` a template reads that names a personal column is shown by a template
   that the column's record lists in `shown_in`; an attribute that looks personal and is no known column
   is a finding too (data shown from somewhere the table does not know).
3. Exports: every column of the staff exports, the open data and the JSON API whose name looks personal
   or names a personal column is listed in a record's `exports` or in NOT_PERSONAL_EXPORT.
Each record's own claims are checked back (its columns exist, its templates really show it, its exports
exist), so the table cannot drift the other way either.

What the scans cannot see: a personal value under a harmless name (e.g. a `title` holding a name). The
need form refuses NIKs in public text for that reason; the pattern below is the line we hold.
"""
import re
from pathlib import Path

from gandeng.privacy.records import NOT_PERSONAL, NOT_PERSONAL_EXPORT, NOT_PERSONAL_TEMPLATE, RECORDS, personal_columns

LOOKS_PERSONAL = re.compile(
    r"beneficiar|phone|e_?mail|(^|_)nik(_|$)|kms|address|alamat|contact|member|anggota|birth|lahir|ktp"
    r"|(^|_)name$|requester|to_address|whatsapp"
)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ATTRIBUTE = re.compile(r"\.([a-z_][a-z0-9_]*)")


def all_columns() -> list[str]:
    from gandeng.db import db
    import gandeng.models  # noqa: F401  (every table)

    return [f"{table.name}.{column.name}" for table in db.metadata.sorted_tables for column in table.columns]


def database_findings(columns=None) -> list[str]:
    columns = all_columns() if columns is None else columns
    personal = personal_columns()
    findings = [f"column {c} looks personal but has no record" for c in columns
                if LOOKS_PERSONAL.search(c.split(".", 1)[1]) and c not in personal and c not in NOT_PERSONAL]
    known = set(columns)
    findings += [f"record column {c} does not exist" for c in personal if c not in known]
    findings += [f"NOT_PERSONAL {c} does not exist" for c in NOT_PERSONAL if c not in known]
    findings += [f"record {r.key} names no column" for r in RECORDS if not r.columns and not r.placeholder]
    return findings


def _distinctive_names(columns) -> dict[str, set[str]]:
    """Personal column name -> the records holding a column of that name, for names that no
    non-personal column shares (`name` is also a kampung's and a kelurahan's: not distinctive)."""
    personal = personal_columns()
    shared = {c.split(".", 1)[1] for c in columns if c not in personal}
    found: dict[str, set[str]] = {}
    for column, record in personal.items():
        name = column.split(".", 1)[1]
        if name not in shared:
            found.setdefault(name, set()).add(record.key)
    for record in RECORDS:
        for name in record.also_as:
            found.setdefault(name, set()).add(record.key)
    return found


def template_texts() -> dict[str, str]:
    return {str(p.relative_to(TEMPLATES)): p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.rglob("*.html"))}


def template_findings(texts=None, columns=None) -> list[str]:
    texts = template_texts() if texts is None else texts
    columns = all_columns() if columns is None else columns
    names = _distinctive_names(columns)
    column_names = {c.split(".", 1)[1] for c in columns}
    shown_by = {r.key: set(r.shown_in) for r in RECORDS}
    findings = []
    for path, text in texts.items():
        used = set(ATTRIBUTE.findall(text))
        for attribute in sorted(used):
            if attribute in names:
                if not any(path in shown_by[key] for key in names[attribute]):
                    findings.append(f"{path} shows {attribute} but no record of it lists the template")
            elif (LOOKS_PERSONAL.search(attribute) and attribute not in column_names
                  and attribute not in NOT_PERSONAL_TEMPLATE):
                findings.append(f"{path} shows {attribute}, which looks personal and is no known column")
    for record in RECORDS:
        own = {c.split(".", 1)[1] for c in record.columns} | set(record.also_as)
        for path in record.shown_in:
            if path not in texts:
                findings.append(f"record {record.key}: template {path} does not exist")
            elif not own & set(ATTRIBUTE.findall(texts[path])):
                findings.append(f"record {record.key}: template {path} does not show it")
    return findings


def export_columns() -> dict[str, set[str]]:
    """"staff", "open" and "api" -> the column (field) names each carries."""
    from marshmallow import Schema

    from gandeng.api import schemas
    from gandeng.reports.exports import HEADERS
    from gandeng.reports.public import DATASETS

    api = set()
    for value in vars(schemas).values():
        if isinstance(value, type) and issubclass(value, Schema) and value is not Schema:
            api |= set(value._declared_fields)
    return {
        "staff": {h for headers in HEADERS.values() for h in headers},
        "open": {column.name for dataset in DATASETS.values() for column in dataset.columns},
        "api": api,
    }


def export_findings(exports=None, columns=None) -> list[str]:
    exports = export_columns() if exports is None else exports
    columns = all_columns() if columns is None else columns
    names = _distinctive_names(columns)
    declared = {e for r in RECORDS for e in r.exports}
    findings = []
    for source, carried in exports.items():
        for name in sorted(carried):
            key = f"{source}:{name}"
            if (name in names or LOOKS_PERSONAL.search(name)) and key not in declared and key not in NOT_PERSONAL_EXPORT:
                findings.append(f"export {key} looks personal but no record lists it")
    for key in sorted(declared | set(NOT_PERSONAL_EXPORT)):
        source, _, name = key.partition(":")
        if name not in exports.get(source, set()):
            findings.append(f"{key} is listed but no such export column exists")
    return findings


def all_findings() -> list[str]:
    columns = all_columns()
    return database_findings(columns) + template_findings(columns=columns) + export_findings(columns=columns)

"""What both imports share: per-row errors, cell values, duplicate refs and the all-or-nothing run."""
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import insert, select

from gandeng.errors import DomainError
from gandeng.field_rules import normalise_ref, refs_in_use
from gandeng.forms_common import parse_date
from gandeng.rupiah import parse_rupiah


@dataclass(frozen=True)
class RowError:
    """One problem in one cell, printed as a spreadsheet user finds it: `row 7: cost_rp: reason`."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.message}"


@dataclass
class ImportResult:
    """What an import did: rows created, or every bad row (and then nothing was written)."""

    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    new: dict = field(default_factory=dict)  # kind of object -> how many the file brought in

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({error.row for error in self.errors})


class RowProblems:
    """Collects the errors of one row, so one row can report several bad cells."""

    def __init__(self, number: int, column_of: dict | None = None):
        self.number = number
        self.errors: list[RowError] = []
        self._column_of = column_of or {}

    def add(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def add_domain_error(self, error: DomainError) -> None:
        """A service's refusal, under the file's name for the field the service names."""
        column = self._column_of.get(error.field, error.field) or "-"
        self.add(column, error.message)

    def errors_in(self, column: str) -> bool:
        """Whether `column` of this row already has a problem."""
        return any(error.column == column for error in self.errors)

    def value(self, column: str, parse, raw):
        """`parse(raw)`, or None with the error recorded when the cell cannot be read."""
        try:
            return parse(raw)
        except ValueError as exc:
            self.add(column, str(exc))
            return None


def text(value) -> str:
    """A cell as text: numbers without '.0', dates as YYYY-MM-DD, nothing as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def money(value) -> int:
    """Rupiah as people write it ('Rp 1.500.000', '1500000') or an Excel number."""
    if isinstance(value, str):
        value = value.strip()
    if value in (None, ""):
        raise ValueError(_("Wajib diisi."))
    try:
        return parse_rupiah(value)
    except ValueError:
        raise ValueError(_("Tulis jumlah Rupiah, misalnya 1.500.000.")) from None


def optional_date(value) -> date | None:
    """A date (YYYY-MM-DD, DD/MM/YYYY or an Excel date), or None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise ValueError(_("Tanggal tidak sah. Tulis misalnya 2026-12-31 atau 31/12/2026.")) from None


def whole(value) -> int | None:
    """A whole number ('12', 12 or 12.0), or None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(_("Harus berupa bilangan bulat."))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    cleaned = str(value).strip()
    if cleaned.lstrip("-").isdigit():
        return int(cleaned)
    raise ValueError(_("Harus berupa bilangan bulat."))


def yes_no(value) -> bool:
    """'ya' / 'tidak' (an empty cell means 'tidak'); an Excel TRUE/FALSE too."""
    if isinstance(value, bool):
        return value
    word = text(value).lower()
    if word in ("", "tidak", "t", "no", "n"):
        return False
    if word in ("ya", "y", "yes"):
        return True
    raise ValueError(_("Tulis ya atau tidak."))


def split_list(value) -> list[str]:
    """'housing; sanitation' -> ['housing', 'sanitation']; an empty cell -> []."""
    return [part.strip() for part in text(value).split(";") if part.strip()]


def check_refs(session, model, rows, problems: dict) -> dict[int, str]:
    """The `ref` of each row, normalised; a missing ref, a ref used twice in the file or one already in
    the database is a bad row (an import never overwrites: the file must be fixed, not the data)."""
    refs = {row.number: normalise_ref(text(row["ref"])) for row in rows}
    existing = refs_in_use(session, model, refs.values())  # the services' rule, a file at a time
    first_row = {}
    for number, ref in refs.items():
        if not ref:
            problems[number].add("ref", _("Wajib diisi."))
        elif ref in existing:
            problems[number].add("ref", _("%(ref)s sudah ada di basis data; impor tidak menimpa data, "
                                          "jadi pakai ref baru atau hapus baris ini.", ref=ref))
        elif ref in first_row:
            problems[number].add("ref", _("%(ref)s sudah dipakai di baris %(row)d; setiap ref harus unik.",
                                          ref=ref, row=first_row[ref]))
        else:
            first_row[ref] = number
    return refs


def validate_all(session, rows, prepare_row, column_of: dict, ref_model) -> tuple[ImportResult, list]:
    """Check every row in memory, before anything is written: `prepare_row(row, ref, problems)`
    returns what the row will write, or None (its problems recorded; a DomainError raised by a
    service's check counts as the row's problem). Returns the result (every bad row in its errors)
    and the prepared rows in file order."""
    result = ImportResult()
    problems = {row.number: RowProblems(row.number, column_of) for row in rows}
    refs = ({row.number: None for row in rows} if ref_model is None
            else check_refs(session, ref_model, rows, problems))
    prepared = []
    for row in rows:
        row_problems = problems[row.number]
        try:
            ready = prepare_row(row, refs[row.number], row_problems)
        except DomainError as error:
            row_problems.add_domain_error(error)
            ready = None
        if row_problems.errors:
            result.errors.extend(row_problems.errors)
        elif ready is not None:
            prepared.append(ready)
    return result, prepared


def write_all_or_nothing(session, result: ImportResult, prepared: list, write) -> ImportResult:
    """If no row was bad, `write(prepared)` in one SAVEPOINT (it returns the counts of new objects
    for `result.new`); any error undoes all of it. With a bad row nothing is written at all."""
    if result.errors:
        return result
    savepoint = session.begin_nested()
    try:
        result.new = write(prepared)
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    result.created = len(prepared)
    return result


def run_all_or_nothing(session, rows, import_row, column_of: dict, ref_model) -> ImportResult:
    """For small files written row by row through the services (the sister profiles): call `import_row(row, ref, problems)` for every row inside a SAVEPOINT; if any row is bad,
    undo every row and report them all, else keep them (the caller commits). Without `ref_model` the
    file has no `ref` column (imports that create or update by name) and `ref` is None."""
    result = ImportResult()
    problems = {row.number: RowProblems(row.number, column_of) for row in rows}
    if ref_model is None:
        refs = {row.number: None for row in rows}
    else:
        refs = check_refs(session, ref_model, rows, problems)
    savepoint = session.begin_nested()
    try:
        for row in rows:
            row_problems = problems[row.number]
            try:
                if import_row(row, refs[row.number], row_problems):
                    result.created += 1
            except DomainError as error:
                row_problems.add_domain_error(error)
            result.errors.extend(row_problems.errors)
    except BaseException:
        savepoint.rollback()
        raise
    if result.errors:
        savepoint.rollback()
        result.created = 0
        result.new = {}
    else:
        savepoint.commit()
    return result



def insert_returning_ids(session, model, rows: list[dict]) -> list[int]:
    """Insert `rows` into `model`'s table in a few multi-row statements; their new ids, in order."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def insert_by_ref(session, model, rows: list[dict]) -> list[int]:
    """Insert `rows` (each with its unique `ref`) with one executemany, then read their ids back by
    ref: on SQLite an INSERT … RETURNING runs row by row, this is several times faster."""
    insert_many(session, model, rows)
    refs = [row["ref"] for row in rows]
    ids = {}
    for start in range(0, len(refs), 900):
        found = session.execute(select(model.ref, model.id).where(model.ref.in_(refs[start:start + 900])))
        ids.update((ref, object_id) for ref, object_id in found)
    return [ids[ref] for ref in refs]


def insert_many(session, model_or_table, rows: list[dict]) -> None:
    """Insert `rows` with one executemany, through Core (the ORM's bulk path costs more in Python
    than the database spends writing); nothing when there are none."""
    if rows:
        session.execute(insert(getattr(model_or_table, "__table__", model_or_table)), rows)


def record_created(session, action: str, object_type: str, ids: list[int], changes: list) -> None:
    """One audit row `action` per new object, `changes` its (before, after) pairs (as
    audit.services.record writes them, without an actor)."""
    from gandeng.audit.models import AuditEvent

    insert_many(session, AuditEvent, [
        {"actor_id": None, "action": action, "object_type": object_type, "object_id": object_id,
         "before": before, "after": after, "note": ""}
        for object_id, (before, after) in zip(ids, changes)
    ])

"""Text search for the lists: the words a user types, matched as parts of words.

What is searched: a need's or an offer's own text (ref, title, description) and the names of what it
belongs to (a need's kampung and kelurahan, an offer's organisation). Every word typed must be found
(AND), each one anywhere inside a word: Indonesian builds words with prefixes and suffixes
(bangun → *pem*bangun*an*, *mem*bangun, bangun*an*), so "bangun" must find "Pembangunan talud", and a
partly typed word ("renov") must find "renovasi". Matching is case-insensitive.

How: a *trigram* index on both databases, so the same search finds the same rows on both:
- SQLite: an FTS5 table per searched table with `tokenize='trigram'` (external content, kept in step
  by triggers on insert, update and delete; see `SQLITE_DDL`), queried with a quoted phrase MATCH.
- PostgreSQL: a pg_trgm GIN index on `coalesce(ref, '') || ' ' || title || ' ' || description`,
  queried with ILIKE '%word%' (PostgreSQL keeps the index on every write itself).
A word of two letters has no trigram: it is matched with a plain LIKE (slower, still correct). Names
of kampung, kelurahan and organisations (small tables) are matched with LIKE on those tables.

Stemming (PostgreSQL's `indonesian` snowball config) was not used: SQLite has no Indonesian stemmer, a
stem index finds no partly typed words, and the same search would find different rows on the two
databases. See docs/search.md.
"""
from sqlalchemy import Boolean, and_, bindparam, event, func, literal_column, or_, select, text, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from gandeng.db import db

MAX_TERMS = 6
MAX_TERM_CHARS = 60
MIN_TERM_CHARS = 2  # a single letter would find nearly everything
TRIGRAM = 3  # shorter words have no trigram to look up

# Tables with a text index, and the columns of each that are indexed (the row's own text).
SEARCHED = {"needs": ("ref", "title", "description"), "offers": ("ref", "title", "description")}


def terms(q: str | None) -> list[str]:
    """The distinct words of a search box, lower case, at most MAX_TERMS of at most MAX_TERM_CHARS."""
    found: list[str] = []
    for word in (q or "").lower().split():
        word = word.strip(".,;:!?()[]{}\"'")[:MAX_TERM_CHARS]
        if len(word) >= MIN_TERM_CHARS and word not in found and "\x00" not in word:
            found.append(word)
    return found[:MAX_TERMS]


def like_pattern(term: str) -> str:
    """'%term%' with LIKE's wildcards in the term escaped (backslash is the escape character)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(term: str) -> str:
    """The term as an FTS5 phrase: quoted, so that none of its characters is FTS5 syntax."""
    return '"' + term.replace('"', '""') + '"'


class OwnTextContains(ColumnElement):
    """True for rows of a searched table whose own text contains `term`; compiled per database
    (FTS5 MATCH on SQLite, ILIKE over the trigram-indexed expression on PostgreSQL)."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("table_name", InternalTraversal.dp_string),
        ("short", InternalTraversal.dp_boolean),
        ("id_column", InternalTraversal.dp_clauseelement),
        ("like", InternalTraversal.dp_clauseelement),
        ("match", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, table, term: str, table_name: str | None = None):
        """`table`: a searched table or an alias of it (then `table_name` names the table)."""
        self.table_name = table_name or table.name
        self.short = len(term) < TRIGRAM
        self.id_column = table.c.id
        self.like = bindparam("search_like", like_pattern(term), unique=True)
        self.match = bindparam("search_match", fts_phrase(term), unique=True)

    def columns(self):
        table = self.id_column.table
        return [table.c[name] for name in SEARCHED[self.table_name]]


def document(table, table_name: str):
    """The expression the PostgreSQL trigram index covers (must stay as in `postgres_ddl`)."""
    ref, title, description = (table.c[name] for name in SEARCHED[table_name])
    space = literal_column("' '")
    return func.coalesce(ref, literal_column("''")).op("||")(space).op("||")(title).op("||")(space).op("||")(description)


@compiles(OwnTextContains)
def _compile_default(element, compiler, **kw):
    expression = document(element.id_column.table, element.table_name).ilike(element.like, escape="\\")
    return compiler.process(expression, **kw)


@compiles(OwnTextContains, "sqlite")
def _compile_sqlite(element, compiler, **kw):
    if element.short:
        # No trigram in two letters: LIKE (case-insensitive for ASCII in SQLite) over the columns.
        expression = or_(*[column.like(element.like, escape="\\") for column in element.columns()])
    else:
        fts = f"{element.table_name}_fts"
        hits = select(literal_column("rowid")).select_from(text(fts)).where(
            literal_column(fts).op("MATCH")(element.match))
        expression = element.id_column.in_(hits)
    return compiler.process(expression, **kw)


# --- what each list searches ---------------------------------------------------------------------
# Each word becomes one `id IN (… UNION …)`: the ids whose own text holds it (from the text index)
# and the ids of the rows whose kampung, kelurahan or organisation is named so. Databases look such a
# list of ids up by primary key, where an OR of conditions would make them scan the table.

def need_ids_with(term: str):
    """Ids of needs with `term` in their text, their kampung's or their kelurahan's name."""
    from gandeng.accounts.models import Kampung
    from gandeng.needs.models import Need
    from gandeng.reference.models import Kelurahan

    needs = Need.__table__.alias("needs_found")
    pattern = like_pattern(term)
    return union(
        select(needs.c.id).where(OwnTextContains(needs, term, "needs")),
        select(needs.c.id).where(needs.c.kampung_id.in_(
            select(Kampung.id).where(Kampung.name.ilike(pattern, escape="\\")))),
        select(needs.c.id).where(needs.c.kelurahan_code.in_(
            select(Kelurahan.code).where(Kelurahan.name.ilike(pattern, escape="\\")))),
    )


def offer_ids_with(term: str):
    """Ids of offers with `term` in their text or their organisation's name."""
    from gandeng.accounts.models import Organisation
    from gandeng.offers.models import Offer

    offers = Offer.__table__.alias("offers_found")
    return union(
        select(offers.c.id).where(OwnTextContains(offers, term, "offers")),
        select(offers.c.id).where(offers.c.organisation_id.in_(
            select(Organisation.id).where(Organisation.name.ilike(like_pattern(term), escape="\\")))),
    )


def needs_matching(q: str):
    """A condition on needs: every word of `q` in the need's text, kampung or kelurahan (None: no search)."""
    from gandeng.needs.models import Need

    words = terms(q)
    return None if not words else and_(*[Need.id.in_(need_ids_with(t)) for t in words])


def offers_matching(q: str):
    """A condition on offers: every word of `q` in the offer's text or its organisation's name."""
    from gandeng.offers.models import Offer

    words = terms(q)
    return None if not words else and_(*[Offer.id.in_(offer_ids_with(t)) for t in words])


def pairs_matching(q: str, need_id_column, offer_id_column):
    """A condition on rows linking a need and an offer (collaborations, proposals): each word of `q`
    found on the need's side or on the offer's side."""
    words = terms(q)
    if not words:
        return None
    return and_(*[or_(need_id_column.in_(need_ids_with(t)), offer_id_column.in_(offer_ids_with(t)))
                  for t in words])


# --- the indexes -----------------------------------------------------------------------------------

def sqlite_ddl(table: str) -> list[str]:
    """The FTS5 table and the three triggers that keep it in step with `table`."""
    cols = SEARCHED[table]
    names = ", ".join(cols)
    new = ", ".join(f"new.{c}" for c in cols)
    old = ", ".join(f"old.{c}" for c in cols)
    fts = f"{table}_fts"
    remove = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    add = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {remove} {add} END",
    ]


def postgres_ddl(table: str) -> str:
    """The pg_trgm GIN index over `document(table)`."""
    return (f"CREATE INDEX IF NOT EXISTS ix_{table}_search_trgm ON {table} USING gin "
            f"((coalesce(ref, '') || ' ' || title || ' ' || description) gin_trgm_ops)")


def is_search_table(name: str) -> bool:
    """An FTS5 table or one of its shadow tables (not in the models; Alembic leaves them alone)."""
    return any(name == f"{t}_fts" or name.startswith(f"{t}_fts_") for t in SEARCHED)


def is_search_index(name: str) -> bool:
    """A PostgreSQL trigram index of `postgres_ddl` (an expression index the models do not declare)."""
    return any(name == f"ix_{t}_search_trgm" for t in SEARCHED)


def alembic_include_name(name, type_, _parent_names) -> bool:
    """Alembic's `include_name` hook: compare everything but the text-search tables and indexes."""
    if type_ == "table":
        return not is_search_table(name)
    if type_ == "index":
        return not is_search_index(name or "")
    return True


def install_sqlite_search(connection) -> None:
    """Create the FTS5 tables and triggers when missing and (re)fill them from the tables."""
    for table in SEARCHED:
        for statement in sqlite_ddl(table):
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def sqlite_search_complete(connection) -> bool:
    """Every FTS5 table and trigger is there (a table rebuilt by a batch migration loses its triggers)."""
    wanted = {f"{t}_fts" for t in SEARCHED} | {f"{t}_fts_{w}" for t in SEARCHED for w in ("insert", "delete", "update")}
    present = {row[0] for row in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    return wanted <= present


def install_postgres_search(connection) -> bool:
    """pg_trgm and the trigram indexes; False (search works, unindexed) when the extension cannot be
    created by this database role."""
    try:
        with connection.begin_nested():
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except Exception:  # noqa: BLE001 - missing package or privilege: say so, keep the database usable
        return False
    for table in SEARCHED:
        connection.exec_driver_sql(postgres_ddl(table))
    return True


def ensure_search(connection) -> None:
    """After create_all or migrations: the search index exists and is filled (idempotent)."""
    if connection.dialect.name == "sqlite":
        if not sqlite_search_complete(connection):
            install_sqlite_search(connection)
    elif connection.dialect.name == "postgresql":
        install_postgres_search(connection)


@event.listens_for(db.metadata, "after_create")
def _after_create_all(_metadata, connection, **_kw):
    """create_all (tests, first run) builds the search index too; a fresh index is filled from rows."""
    if connection.dialect.name == "sqlite":
        install_sqlite_search(connection)
    elif connection.dialect.name == "postgresql":
        install_postgres_search(connection)


@event.listens_for(db.metadata, "before_drop")
def _before_drop_all(_metadata, connection, **_kw):
    if connection.dialect.name == "sqlite":
        for table in SEARCHED:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {table}_fts")

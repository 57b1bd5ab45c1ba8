"""Keyset (seek) paging shared by every long list: one page of rows, the total, and opaque cursors.

A list is ordered by a *keyset*: columns whose values are unique together (e.g. `created_at, id`).
The next page is "the rows after the last one shown" (`WHERE (created_at, id) < (:c, :i)`), which an
index answers directly at any depth and which never skips or repeats a row when rows are added or
removed between two page loads (OFFSET would). A cursor carries those values and the number of the
page it leads to, base64url-encoded so that it survives in a URL.

Old links with `?page=N` keep working: without a cursor, page N is read with OFFSET once, and its
links onward are cursors again.
"""
import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, tuple_

MAX_PAGE = 100_000
MAX_CURSOR_CHARS = 400


class BadCursor(ValueError):
    """A cursor that was not made by `Keyset.encode` (cut, changed by hand, or for another list)."""


@dataclass(frozen=True)
class Key:
    """One column of a keyset, its direction, and the Python type its values decode to."""

    column: Any
    kind: type = int
    descending: bool = True


class Keyset:
    """The order of a list and how to seek in it: `after(values)` / `before(values)` conditions,
    cursors from and to those values. `value_of(item)` reads an item's values (default: the
    columns' attribute names on an ORM object)."""

    def __init__(self, *keys: Key, value_of: Callable[[Any], Sequence] | None = None):
        self.keys = keys
        self._value_of = value_of

    def order_by(self, reverse: bool = False) -> list:
        return [k.column.asc() if k.descending == reverse else k.column.desc() for k in self.keys]

    def values(self, item) -> tuple:
        if self._value_of is not None:
            return tuple(self._value_of(item))
        return tuple(getattr(item, k.column.key) for k in self.keys)

    def _beyond(self, values: Sequence, forward: bool):
        """Rows strictly past `values` in the list's order (forward) or strictly before it."""
        directions = {k.descending for k in self.keys}
        if len(directions) == 1:
            # One direction: a row-value comparison, which PostgreSQL and SQLite answer from an index.
            columns = tuple_(*[k.column for k in self.keys])
            bound = tuple_(*values)
            return columns < bound if directions.pop() == forward else columns > bound
        alternatives = []
        for i, key in enumerate(self.keys):
            past = key.column < values[i] if key.descending == forward else key.column > values[i]
            alternatives.append(and_(*[k.column == v for k, v in zip(self.keys[:i], values[:i])], past))
        return or_(*alternatives)

    def after(self, values: Sequence):
        return self._beyond(values, forward=True)

    def before(self, values: Sequence):
        return self._beyond(values, forward=False)

    def encode(self, page: int, values: Sequence) -> str:
        plain = [page] + [v.isoformat() if isinstance(v, date) else v for v in values]  # datetime is a date
        raw = json.dumps(plain, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[int, tuple]:
        """(page number, values) of a cursor; BadCursor when it is not one of this keyset's."""
        if not cursor or len(cursor) > MAX_CURSOR_CHARS:
            raise BadCursor(cursor)
        try:
            plain = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise BadCursor(cursor) from None
        if not isinstance(plain, list) or len(plain) != len(self.keys) + 1:
            raise BadCursor(cursor)
        page, *raw = plain
        if type(page) is not int or not 1 <= page <= MAX_PAGE:
            raise BadCursor(cursor)
        return page, tuple(_typed(key.kind, value, cursor) for key, value in zip(self.keys, raw))


def _typed(kind: type, value, cursor: str):
    if kind in (datetime, date):
        if not isinstance(value, str):
            raise BadCursor(cursor)
        try:
            return kind.fromisoformat(value)
        except ValueError:
            raise BadCursor(cursor) from None
    if kind is float and type(value) in (int, float):
        return float(value)
    if kind is int and type(value) is int and abs(value) < 2**63:
        return value
    if kind is str and isinstance(value, str):
        return value
    raise BadCursor(cursor)


@dataclass(frozen=True)
class Position:
    """Where in a list the reader asked to be: a page number (old links) or a cursor."""

    page: int = 1
    after: str = ""
    before: str = ""

    @classmethod
    def from_args(cls, args: Mapping) -> "Position":
        """From query arguments `page`, `after`, `before` (bad values mean the first page)."""
        raw = str(args.get("page", "1") or "1")
        page = int(raw) if raw.isdigit() and 0 < int(raw) <= MAX_PAGE else 1
        after = str(args.get("after", "") or "")[:MAX_CURSOR_CHARS]
        before = "" if after else str(args.get("before", "") or "")[:MAX_CURSOR_CHARS]
        return cls(page, after, before)

    def as_args(self) -> dict:
        """The position as query arguments (to come back to the same place after an action)."""
        if self.after:
            return {"after": self.after}
        if self.before:
            return {"before": self.before}
        return {"page": self.page} if self.page > 1 else {}


@dataclass
class Page:
    """One page of a list: its items, its number, the total and the cursors to its neighbours.
    Also what the pager macro reads (pages, has_prev/has_next, prev_args()/next_args())."""

    items: list
    page: int
    per_page: int
    total: int
    next_cursor: str | None = None
    prev_cursor: str | None = None
    extra: dict = field(default_factory=dict)
    keyed: bool = False  # made by `keyset_page`: "is there a next page" comes from the rows

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page), self.page + (1 if self.next_cursor else 0))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None if self.keyed else self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def next_args(self) -> dict:
        return {"after": self.next_cursor} if self.next_cursor else {"page": self.page + 1}

    def prev_args(self) -> dict:
        if self.page <= 2:
            return {}  # the first page: always the newest rows, without a cursor
        return {"before": self.prev_cursor} if self.prev_cursor else {"page": self.page - 1}


def count_rows(session, query) -> int:
    """The number of rows a select returns (its ORDER BY dropped)."""
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def keyset_page(session, query, keyset: Keyset, per_page: int, position: Position = Position(), *,
                total: int | None = None, options: Sequence = (), scalars: bool = True,
                page_class: type[Page] = Page, deferred_by=None) -> Page:
    """One page of `query` (a select without ORDER BY) in `keyset` order, at `position`.

    Queries: one COUNT (unless `total` is given) and one SELECT of at most per_page + 1 rows (the
    extra row only tells whether a next page exists), plus whatever `options` load. A bad cursor
    reads as the first page. `deferred_by` (the rows' primary key column): a page read by OFFSET
    first finds its keys alone — an index-only scan where an index holds the order and the filters,
    instead of reading and sorting every row before it — then reads only those rows."""
    if total is None:
        total = count_rows(session, query)
    page, offset, reverse, bound = 1, 0, False, None
    try:
        if position.after:
            page, values = keyset.decode(position.after)
            bound = keyset.after(values)
        elif position.before:
            page, values = keyset.decode(position.before)
            bound, reverse = keyset.before(values), True
    except BadCursor:
        page, bound, reverse = 1, None, False
    if bound is None and not position.after and not position.before:
        last = max(1, -(-total // per_page))
        page = min(max(position.page, 1), last)
        offset = (page - 1) * per_page
    statement = query.order_by(None).order_by(*keyset.order_by(reverse)).limit(per_page + 1)
    if bound is not None:
        statement = statement.where(bound)
    if offset and deferred_by is not None:
        keys = statement.with_only_columns(deferred_by).offset(offset).subquery()
        statement = (query.order_by(None).where(deferred_by.in_(select(keys.c[0])))
                     .order_by(*keyset.order_by(reverse)))
    elif offset:
        statement = statement.offset(offset)
    if options:
        statement = statement.options(*options)
    rows = list(session.scalars(statement) if scalars else session.execute(statement).all())
    more = len(rows) > per_page
    rows = rows[:per_page]
    has_next = more
    if reverse:
        rows.reverse()
        # Read backwards from a cursor: the page it came from follows; rows before these exist
        # only when the extra row was found (else this is the first page, whatever the cursor said).
        page = max(page, 2) if more else 1
        has_next = bool(rows)
    result = page_class(items=rows, page=page, per_page=per_page, total=total, keyed=True)
    if rows and has_next:
        result.next_cursor = keyset.encode(page + 1, keyset.values(rows[-1]))
    if rows and page > 1:
        result.prev_cursor = keyset.encode(page - 1, keyset.values(rows[0]))
    return result

"""Cursors and positions of the shared keyset paging (gandeng.paging)."""
from datetime import datetime

import pytest
from sqlalchemy import Column, DateTime, Float, Integer, MetaData, Table

from gandeng.paging import BadCursor, Key, Keyset, Page, Position

rows = Table("rows", MetaData(), Column("id", Integer), Column("created_at", DateTime), Column("score", Float))
NEWEST = Keyset(Key(rows.c.created_at, datetime), Key(rows.c.id, int))
BEST = Keyset(Key(rows.c.score, float), Key(rows.c.id, int, descending=False))


def test_a_cursor_gives_back_its_page_and_values():
    when = datetime(2026, 12, 6, 3, 4, 5, 123456)
    assert NEWEST.decode(NEWEST.encode(7, (when, 42))) == (7, (when, 42))
    assert BEST.decode(BEST.encode(2, (0.1 + 0.2, 9))) == (2, (0.1 + 0.2, 9))


def test_a_cursor_is_safe_in_an_address():
    cursor = NEWEST.encode(3, (datetime(2026, 1, 2, 3, 4, 5), 1))
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize("cursor", [
    "", "!!!", "bm90IGpzb24", NEWEST.encode(1, (datetime(2026, 1, 1), 1))[:-3],
    BEST.encode(1, (0.5, 1)),  # a cursor of another list: values of the wrong kind
    Keyset(Key(rows.c.id, int)).encode(1, (5,)),  # too few values
    NEWEST.encode(0, (datetime(2026, 1, 1), 1)),  # page 0
    "x" * 500,
])
def test_a_cursor_not_made_by_the_list_is_refused(cursor):
    with pytest.raises(BadCursor):
        NEWEST.decode(cursor)


def test_one_direction_seeks_with_a_row_value_comparison():
    condition = str(NEWEST.after((datetime(2026, 1, 1), 5)))
    assert condition.startswith("(rows.created_at, rows.id) <")


def test_mixed_directions_seek_with_an_or_of_ties():
    condition = str(BEST.after((0.5, 5)))
    assert "rows.score < :score_1 OR rows.score = :score_2 AND rows.id > :id_1" in condition


def test_position_reads_old_page_numbers_and_cursors_and_ignores_bad_input():
    assert Position.from_args({"page": "4"}) == Position(page=4)
    assert Position.from_args({"page": "-1"}) == Position(page=1)
    assert Position.from_args({"page": "abc"}) == Position(page=1)
    assert Position.from_args({"after": "abc", "before": "def"}) == Position(after="abc")
    assert Position.from_args({"before": "def"}).as_args() == {"before": "def"}
    assert Position().as_args() == {}


def test_page_links_by_cursor_and_back_to_the_first_page_without_one():
    page = Page(items=[1], page=2, per_page=1, total=5, next_cursor="N", prev_cursor="P", keyed=True)
    assert page.next_args() == {"after": "N"} and page.prev_args() == {}
    third = Page(items=[1], page=3, per_page=1, total=5, next_cursor=None, prev_cursor="P", keyed=True)
    assert third.prev_args() == {"before": "P"} and not third.has_next


def test_a_page_without_cursors_links_by_number():
    page = Page(items=[1, 2], page=1, per_page=2, total=5)
    assert page.pages == 3 and page.has_next and page.next_args() == {"page": 2}

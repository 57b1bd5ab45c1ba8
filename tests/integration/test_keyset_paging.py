"""Lists stay fast at any depth: keyset pages return every row exactly once while rows are added
between page loads, and a page runs the same small number of queries for 5 rows or 50, on the first
page or deep in the list (issue 15, point 2)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from gandeng.audit.queries import AuditFilters, page_of_events
from gandeng.collaborations.queries import page_of_collaborations
from gandeng.db import db, utcnow
from gandeng.needs.queries import NeedFilters, page_of_needs
from gandeng.paging import Position
from tests import factories as f
from tests.api.helpers import as_user
from tests.conftest import login


class QueryCounter:
    """Counts the statements the database receives inside a `with` block."""

    def __enter__(self):
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *_args):
        self.count += 1

    def __exit__(self, *_exc):
        event.remove(db.engine, "before_cursor_execute", self._count)


def _walk(read_page, between=lambda: None):
    """Ids of every page, following `next` cursors; `between` runs after each page load."""
    seen, position = [], Position()
    for _ in range(100):
        page = read_page(position)
        seen += [item.id for item in page.items]
        between()
        if not page.next_cursor:
            return seen
        position = Position(after=page.next_cursor)
    raise AssertionError("paging did not end")


def test_need_pages_return_every_need_exactly_once_while_needs_are_added(session):
    kampung = f.make_kampung(session, "Kampung Jetis")
    start = [f.make_need(session, kampung=kampung, title=f"Kebutuhan {n}").id for n in range(23)]
    session.commit()
    added = []

    def add_rows():
        # One newer need (lands on a page already read) and one backdated need (lands ahead).
        added.append(f.make_need(session, kampung=kampung, title="Baru").id)
        old = f.make_need(session, kampung=kampung, title="Lama")
        old.created_at = utcnow() - timedelta(days=30)
        added.append(old.id)
        session.commit()

    seen = _walk(lambda pos: page_of_needs(session, None, NeedFilters(), pos, 5), add_rows)
    assert len(seen) == len(set(seen)), "a need was shown twice"
    assert set(start) <= set(seen), "a need was skipped"
    assert set(seen) - set(start) <= set(added)


def test_offset_links_of_yesterday_still_open_their_page(session):
    kampung = f.make_kampung(session)
    ids = [f.make_need(session, kampung=kampung, title=f"Kebutuhan {n}").id for n in range(7)]
    session.commit()
    newest_first = list(reversed(ids))
    third = page_of_needs(session, None, NeedFilters(), Position(page=3), 3)
    assert [n.id for n in third.items] == newest_first[6:] and third.page == 3 and not third.has_next
    second = page_of_needs(session, None, NeedFilters(), Position(page=2), 3)
    assert [n.id for n in second.items] == newest_first[3:6] and second.next_cursor
    assert [n.id for n in page_of_needs(session, None, NeedFilters(), Position(after=second.next_cursor), 3).items] \
        == newest_first[6:]


def test_previous_cursor_reads_the_same_rows_back(session):
    kampung = f.make_kampung(session)
    for n in range(10):
        f.make_need(session, kampung=kampung, title=f"Kebutuhan {n}")
    session.commit()
    first = page_of_needs(session, None, NeedFilters(), Position(), 3)
    second = page_of_needs(session, None, NeedFilters(), Position(after=first.next_cursor), 3)
    third = page_of_needs(session, None, NeedFilters(), Position(after=second.next_cursor), 3)
    back = page_of_needs(session, None, NeedFilters(), Position(before=third.prev_cursor), 3)
    assert [n.id for n in back.items] == [n.id for n in second.items] and back.page == 2
    assert third.page == 3 and third.prev_args() == {"before": third.prev_cursor}
    assert second.prev_args() == {}  # page 1 is the plain list: the newest rows


def test_a_tampered_cursor_shows_the_first_page(session):
    f.make_need(session)
    session.commit()
    page = page_of_needs(session, None, NeedFilters(), Position(after="bm9wZQ"), 5)
    assert page.page == 1 and len(page.items) == 1


def test_collaboration_and_audit_pages_return_every_row_exactly_once(session):
    staff = f.make_staff(session)
    made = [f.make_collaboration(session, staff=staff).id for _ in range(7)]
    session.commit()
    extra = []

    def add():
        extra.append(f.make_collaboration(session, staff=staff).id)
        session.commit()

    seen = _walk(lambda pos: page_of_collaborations(session, staff, "", pos, 3), add)
    assert sorted(seen) == sorted(set(seen)) and set(made) <= set(seen)
    events = _walk(lambda pos: page_of_events(session, AuditFilters(), pos, 4), add)
    assert len(events) == len(set(events)) and len(events) >= 7


def test_api_pages_follow_next_to_the_end_while_needs_are_added(client, session):
    kampung = f.make_kampung(session)
    start = {f.make_need(session, kampung=kampung, title=f"Kebutuhan {n}").id for n in range(9)}
    headers = as_user(session, f.make_staff(session))
    seen, url = [], "/api/v1/needs?per_page=4"
    while url:
        body = client.get(url, headers=headers).get_json()
        assert set(body) == {"items", "total", "page", "per_page", "next"}
        seen += [item["id"] for item in body["items"]]
        f.make_need(session, kampung=kampung, title="Ditambah")
        session.commit()
        url = f"/api/v1/needs?per_page=4&after={body['next']}" if body["next"] else None
    assert len(seen) == len(set(seen)) and start <= set(seen)
    assert body["page"] == 3


def test_api_refuses_a_cursor_it_did_not_make(client, session):
    headers = as_user(session, f.make_staff(session))
    answer = client.get("/api/v1/needs?after=bm9wZQ", headers=headers)
    assert answer.status_code == 422 and "after" in answer.get_json()["error"]["fields"]


# --- a fixed number of queries per page ---------------------------------------------------------

def _fill(session, n, staff):
    """n needs, offers, collaborations (with audit rows) and needs with open proposals."""
    for i in range(n):
        need = f.make_need(session, title=f"Talud longsor {i}", kampung=f.make_kampung(session))
        offer = f.make_offer(session, title=f"Dana CSR {i}")
        f.make_collaboration(session, need=need, offer=offer, amount_rp=1_000_000, staff=staff)
        waiting = f.make_need(session, title=f"Jamban {i}", kampung=need.kampung)
        f.proposal_for(session, waiting, offer, amount_rp=500_000, score=0.5 + i / 1000)
    session.commit()


# Most statements one page may run (login, menus and filters included); the same for any row count.
# /needs: the user (with the unread count and the lists' version), the reference snapshot's two
# reads and the count (both kept while the version holds: counted here as if just moved), the needs.
PAGES = {"/needs": 5, "/offers": 11, "/collaborations": 9, "/audit": 9, "/review": 19}


def _queries(client, session, url):
    session.expire_all()
    for kept in ("reference_snapshot", "list_totals"):  # every page pays the full price
        client.application.extensions.pop(kept, None)
    with QueryCounter() as counter:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return counter.count, answer.text


@pytest.mark.parametrize("path", sorted(PAGES))
def test_a_page_runs_the_same_few_queries_for_5_rows_or_50_and_at_any_depth(client, session, path):
    staff = f.make_staff(session)
    _fill(session, 5, staff)
    login(client, staff)
    few, _ = _queries(client, session, path)
    _fill(session, 45, staff)
    many, first_page = _queries(client, session, path)
    link = re.search(r'rel="next" href="([^"]+)"', first_page).group(1).replace("&amp;", "&")
    second, second_page = _queries(client, session, link)
    link = re.search(r'rel="next" href="([^"]+)"', second_page).group(1).replace("&amp;", "&")
    third, _ = _queries(client, session, link)
    assert few == many == second == third, (few, many, second, third)
    assert many <= PAGES[path]


def test_the_reference_data_and_the_count_are_read_once_while_the_lists_version_holds(client, session):
    staff = f.make_staff(session)
    _fill(session, 25, staff)
    login(client, staff)
    first, page = _queries(client, session, "/needs")
    link = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    session.expire_all()
    with QueryCounter() as counter:
        assert client.get(link).status_code == 200
    assert counter.count == first - 3  # no categories, kemantren or kelurahan read again, no COUNT
    f.make_need(session, title="Saluran RT 09")  # moves the lists' version
    session.commit()
    with QueryCounter() as counter:
        assert client.get("/needs?category=housing").status_code == 200
    assert counter.count == first

"""The public figures are cached, yet every write that changes them shows at once on /public, in
/api/v1/stats, the map JSON and the open data; browsers and proxies revalidate with ETags (304)."""
import gzip
import re

import pytest
from sqlalchemy import update

from gandeng.collaborations import services as collaborations
from gandeng.formatting import rupiah
from gandeng.needs import services as needs
from gandeng.needs.models import Need, NeedStatus
from gandeng.reports.public_cache import PublicCache
from gandeng.reports.public_version import current_stamp
from tests import factories as f
from tests.conftest import _serve, login

PUBLIC_URLS = ("/public", "/api/v1/stats", "/public/map.json", "/public/data/kelurahan.csv",
               "/public/data/partners.csv")


def card(client, index: int) -> str:
    """The text of the index-th figure card of /public (1 needs, 2 completed, 5 needed Rp,
    6 committed Rp, 7 realised Rp), as an anonymous visitor sees it."""
    page = client.get("/public").text
    return re.search(rf'data-figure="[a-z]+-{index}">([^<]*)<', page).group(1)


def stats(client) -> dict:
    return client.get("/api/v1/stats").get_json()


@pytest.fixture
def city(session):
    """One verified need of Rp10 jt with an offer ready for it, and the people who act on it."""
    need = f.make_need(session, cost_rp=10_000_000)
    offer = f.make_offer(session, capacity_rp=50_000_000)
    staff = f.make_staff(session)
    session.commit()
    return {"need": need, "offer": offer, "staff": staff}


def warm(client):
    """Every public URL fetched once, so a stale copy would be served if invalidation failed."""
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200


def test_a_verified_need_counts_at_once(client, session, city):
    submitted = f.make_need(session, status=NeedStatus.SUBMITTED, cost_rp=3_000_000)
    session.commit()
    warm(client)
    assert stats(client)["needs"] == 1
    needs.verify_need(session, city["staff"], submitted)
    session.commit()
    assert stats(client)["needs"] == 2
    assert card(client, 5) == rupiah(13_000_000)


def test_an_approved_collaboration_counts_at_once(client, session, city):
    warm(client)
    assert card(client, 6) == rupiah(0)
    f.make_collaboration(session, city["need"], city["offer"], 4_000_000, staff=city["staff"])
    session.commit()
    assert card(client, 6) == rupiah(4_000_000)
    assert stats(client)["committed_rp"] == 4_000_000
    kelurahan = client.get("/public/map.json").get_json()["kelurahan"][city["need"].kelurahan_code]
    assert kelurahan["values"]["committed_rp"] == 4_000_000


def test_reported_progress_counts_at_once(client, session, city):
    commitment = f.make_collaboration(session, city["need"], city["offer"], 4_000_000, status="in_progress")
    partner = f.make_partner(session, organisation=city["offer"].organisation)
    session.commit()
    warm(client)
    assert card(client, 7) == rupiah(0)
    collaborations.report_progress(session, partner, commitment, 40, "Galian selesai.", 1_500_000)
    session.commit()
    assert card(client, 7) == rupiah(1_500_000)
    assert stats(client)["realised_rp"] == 1_500_000


def test_a_confirmed_completion_counts_at_once(client, session, city):
    commitment = f.make_collaboration(session, city["need"], city["offer"], 10_000_000, status="reported")
    coordinator = f.make_coordinator(session, kampung=city["need"].kampung)
    session.commit()
    warm(client)
    assert card(client, 2) == "0"
    collaborations.confirm_completion(session, coordinator, commitment)
    session.commit()
    assert card(client, 2) == "1"
    partners = client.get("/public/data/partners.csv").data.decode("utf-8-sig")
    assert city["offer"].organisation.name in partners


def test_a_cancelled_collaboration_counts_at_once(client, session, city):
    commitment = f.make_collaboration(session, city["need"], city["offer"], 4_000_000, status="in_progress")
    session.commit()
    warm(client)
    assert stats(client)["collaborations_by_status"] == {"in_progress": 1}
    collaborations.cancel_collaboration(session, city["staff"], commitment, "Mitra mundur dari program.")
    session.commit()
    assert stats(client)["collaborations_by_status"] == {"cancelled": 1}
    assert card(client, 6) == rupiah(0)


def test_a_bulk_statement_on_needs_counts_at_once(client, session, city):
    warm(client)
    session.execute(update(Need).where(Need.id == city["need"].id).values(cost_rp=12_000_000))
    session.commit()
    assert card(client, 5) == rupiah(12_000_000)


def test_a_rolled_back_write_leaves_the_version(client, session, city):
    before = current_stamp(session)
    f.make_collaboration(session, city["need"], city["offer"], 4_000_000)
    session.rollback()
    session.commit()
    assert current_stamp(session) == before


def test_writes_that_change_no_public_figure_keep_the_cache(session, city):
    before = current_stamp(session)
    f.make_need(session, status=NeedStatus.DRAFT)  # drafts are never public
    f.make_offer(session)
    session.commit()
    assert current_stamp(session) == before


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_urls_are_cacheable_and_answer_304_when_unchanged(client, city, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.cache_control.public and first.cache_control.max_age == 60
    assert first.headers.get("ETag") and "Set-Cookie" not in first.headers
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_etag_changes_with_the_figures(client, session, city):
    etag = client.get("/public").headers["ETag"]
    f.make_collaboration(session, city["need"], city["offer"], 4_000_000, staff=city["staff"])
    session.commit()
    fresh = client.get("/public", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert fresh.last_modified is not None


def test_a_signed_in_users_page_is_never_public(client, session, city):
    login(client, city["staff"])
    response = client.get("/public")
    assert response.status_code == 200 and city["staff"].name in response.text
    assert not response.cache_control.public and "ETag" not in response.headers
    assert "no-store" in response.headers["Cache-Control"]


def test_each_language_has_its_own_copy(client, city):
    indonesian = client.get("/public")
    client.get("/bahasa/en")
    english = client.get("/public")
    assert '<html lang="en">' in english.text and '<html lang="id">' in indonesian.text
    assert english.headers["ETag"] != indonesian.headers["ETag"]
    assert "Cookie" in english.headers["Vary"]


def test_an_unreachable_redis_only_costs_a_rebuild(app, client, session):
    # Nothing listens on port 9: every Redis call fails, and the pages are built here instead.
    app.extensions["public_cache"] = PublicCache(60, "redis://127.0.0.1:9/0")
    for url in PUBLIC_URLS:
        assert client.get(url).status_code == 200
    built = []
    value = app.extensions["public_cache"].get_or_build(
        "other", current_stamp(session), lambda: built.append(1) or b"body", shared=True)
    assert value == b"body" and built == [1]


@pytest.fixture
def redis_app(request, backend, tmp_path, template_db, redis_url):
    yield from _serve(request, backend, tmp_path, template_db, REDIS_URL=redis_url)


def test_bodies_are_shared_through_redis(redis_app, session):
    client = redis_app.test_client()
    f.make_need(session)
    session.commit()  # a version of its own: no copy from an earlier test in Redis
    first = client.get("/api/v1/stats")
    other_worker = PublicCache(60, redis_app.config["REDIS_URL"])
    built = []
    shared = other_worker.get_or_build("api:stats", current_stamp(session), lambda: built.append(1), shared=True)
    assert built == [] and shared.endswith(first.data)



def _write_elsewhere(session, need_id, cost_rp):
    """A write committed by another worker: its own session and connection, seen by no event here."""
    from sqlalchemy.orm import Session

    from gandeng.reports.public_version import bump_public_version

    with Session(bind=session.get_bind()) as other:
        other.execute(update(Need.__table__).where(Need.__table__.c.id == need_id).values(cost_rp=cost_rp))
        bump_public_version(other)
        other.commit()


def test_public_bodies_see_another_workers_write_within_the_check_interval(client, session, city):
    from gandeng.reports.public_cache import public_cache

    first = client.get("/api/v1/stats").headers["ETag"]
    public_cache().check_seconds = 3600
    _write_elsewhere(session, city["need"].id, 11_000_000)
    assert client.get("/api/v1/stats").headers["ETag"] == first  # within the interval: the copy it holds
    public_cache().check_seconds = 0
    assert client.get("/api/v1/stats").get_json()["needed_rp"] == 11_000_000  # past it: the new figures


def test_a_signed_in_page_sees_another_workers_write_at_once(client, session, city):
    from gandeng.reports.public_cache import public_cache

    login(client, city["staff"])
    assert rupiah(10_000_000) in client.get("/public").text
    public_cache().check_seconds = 3600
    _write_elsewhere(session, city["need"].id, 11_000_000)
    assert rupiah(11_000_000) in client.get("/public").text


def test_a_bump_inside_a_savepoint_counts_when_the_outer_transaction_commits(session, city):
    from gandeng.reports import public_version

    before = public_version.local_bumps()
    with session.begin_nested():
        f.make_collaboration(session, city["need"], city["offer"], 4_000_000, staff=city["staff"])
    assert public_version.local_bumps() == before  # not visible to other connections yet
    session.commit()
    assert public_version.local_bumps() == before + 1


def test_a_response_that_refreshes_the_session_cookie_is_never_public(client, city):
    login(client, city["staff"])
    with client.session_transaction() as cookie_session:
        cookie_session.permanent = True  # the cookie is then sent again with every response
    response = client.get("/public/data/kelurahan.csv")
    assert response.status_code == 200 and "Set-Cookie" in response.headers
    assert not response.cache_control.public and response.cache_control.private


def test_public_bodies_are_gzipped_for_clients_that_accept_it(client, session, city):
    plain = client.get("/public")
    zipped = client.get("/public", headers={"Accept-Encoding": "gzip, deflate"})
    assert plain.headers.get("Content-Encoding") is None
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 3
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get("/public", headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304


def test_signed_in_pages_are_never_compressed(client, session, city):
    # Their bodies hold CSRF tokens next to what the user typed (BREACH): only shared public bodies are.
    login(client, city["staff"])
    page = client.get("/public", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers.get("Content-Encoding") is None
    assert client.get("/needs", headers={"Accept-Encoding": "gzip"}).headers.get("Content-Encoding") is None

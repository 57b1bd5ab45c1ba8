"""Suggestions while a coordinator writes a need: the offers that would fit, with reasons."""
import pytest

from gandeng import matching
from gandeng.proposals import suggest
from tests import factories as f
from tests.conftest import login

QUERY = {"category": "sanitation", "title": "Kakus dan septictank",
         "description": "Empat keluarga di RT 03 belum punya kakus dan septictank."}


@pytest.fixture(autouse=True)
def fresh_cache():
    suggest.clear_cache()
    yield
    suggest.clear_cache()


def _coordinator(session):
    kampung = f.make_kampung(session, "Kampung Jetisharjo", "34.71.01.1001")  # Kricak, Tegalrejo
    return f.make_coordinator(session, kampung=kampung)


def test_suggest_finds_the_offer_written_in_other_words(client, session):
    coordinator = _coordinator(session)
    f.make_offer(session, title="CSR sanitasi layak", capacity_rp=60_000_000,
                 description="Pembangunan jamban sehat dan tangki septik untuk keluarga pemegang KMS.")
    f.make_offer(session, title="Beasiswa anak sekolah", categories=["education"],
                 description="Beasiswa dan bimbingan belajar untuk siswa SD.")
    session.commit()
    login(client, coordinator)
    response = client.get("/needs/suggest", query_string=QUERY)
    assert response.status_code == 200
    assert "CSR sanitasi layak" in response.text and "Beasiswa anak sekolah" not in response.text
    assert "jamban" in response.text  # the reasons name the shared words
    assert "<html" not in response.text  # a partial for htmx


def test_suggest_uses_the_coordinators_kelurahan_and_respects_offer_areas(client, session):
    coordinator = _coordinator(session)
    f.make_offer(session, title="Jamban sehat Gondomanan", areas=["Gondomanan"],
                 description="Jamban sehat dan tangki septik khusus warga Gondomanan.")
    f.make_offer(session, title="Jamban sehat Tegalrejo", areas=["Tegalrejo"],
                 description="Jamban sehat dan tangki septik khusus warga Tegalrejo.")
    session.commit()
    login(client, coordinator)
    page = client.get("/needs/suggest", query_string=QUERY).text
    assert "Jamban sehat Tegalrejo" in page and "Jamban sehat Gondomanan" not in page
    # Staff editing a need in Ngupasan (Gondomanan) pass the kelurahan explicitly.
    staff = f.make_staff(session)
    session.commit()
    client.post("/logout")
    login(client, staff)
    page = client.get("/needs/suggest", query_string={**QUERY, "kelurahan": "34.71.10.1001"}).text
    assert "Jamban sehat Gondomanan" in page and "Jamban sehat Tegalrejo" not in page


def test_suggest_waits_for_category_and_description(client, session):
    coordinator = _coordinator(session)
    f.make_offer(session, description="Jamban sehat dan tangki septik.")
    session.commit()
    login(client, coordinator)
    page = client.get("/needs/suggest", query_string={"title": "Kakus"}).text
    assert "Isi kategori dan uraian" in page


def test_suggest_says_so_when_nothing_fits(client, session):
    coordinator = _coordinator(session)
    f.make_offer(session, title="Beasiswa anak sekolah", categories=["education"], description="Beasiswa SD.")
    session.commit()
    login(client, coordinator)
    page = client.get("/needs/suggest", query_string=QUERY).text
    assert "Belum ada penawaran aktif yang cocok" in page


def test_suggest_index_is_cached_and_rebuilt_when_offers_change(client, session, monkeypatch):
    coordinator = _coordinator(session)
    f.make_offer(session, title="CSR sanitasi layak", description="Jamban sehat dan tangki septik.")
    session.commit()
    builds = []
    real = matching.build_offer_index
    monkeypatch.setattr(matching, "build_offer_index", lambda *a, **k: builds.append(1) or real(*a, **k))
    login(client, coordinator)
    client.get("/needs/suggest", query_string=QUERY)
    client.get("/needs/suggest", query_string={**QUERY, "title": "Kakus rusak"})
    assert len(builds) == 1
    f.make_offer(session, title="Program septictank komunal", description="Tangki septik komunal dan jamban.")
    session.commit()
    page = client.get("/needs/suggest", query_string=QUERY).text
    assert len(builds) == 2 and "Program septictank komunal" in page


def test_partner_gets_no_suggestions(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    assert client.get("/needs/suggest", query_string=QUERY).status_code == 403


def test_need_form_asks_for_suggestions_while_typing(client, session):
    coordinator = _coordinator(session)
    session.commit()
    login(client, coordinator)
    page = client.get("/needs/new").text
    assert 'hx-get="/needs/suggest"' in page
    assert "input changed delay:700ms from:#description" in page and "change from:#category" in page
    assert "vendor/htmx-2.0.11/htmx.min.js" in page

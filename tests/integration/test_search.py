"""Text search on the lists (issue 12, point 5): parts of Indonesian words, names of kampung,
kelurahan and organisations, refs; the index follows every write; nobody finds what they may not
see. Runs on SQLite (FTS5 trigram) and PostgreSQL (pg_trgm)."""
import pytest
from sqlalchemy import select, text

from gandeng.collaborations.queries import page_of_collaborations
from gandeng.needs.models import Need, NeedStatus
from gandeng.needs.queries import NeedFilters, page_of_needs
from gandeng.offers import queries as offer_queries
from gandeng.offers.models import OfferStatus
from gandeng.paging import Position
from gandeng.proposals.queries import review_queue
from gandeng.search import OwnTextContains, terms
from tests import factories as f
from tests.api.helpers import as_user
from tests.conftest import login


def found(session, q, user=None, **filters):
    return {n.title for n in page_of_needs(session, user, NeedFilters(q=q, **filters), Position(), 50).items}


@pytest.fixture
def needs(session):
    jetis = f.make_kampung(session, "Kampung Jetisharjo", "34.71.01.1001")  # kelurahan Kricak
    code = f.make_kampung(session, "Kampung Code Utara", "34.71.13.1004")  # kelurahan Warungboto
    made = {
        "talud": f.make_need(session, kampung=jetis, title="Pembangunan talud sungai Winongo",
                             description="Talud longsor sepanjang 20 meter.", ref="YK-2026-0042"),
        "rumah": f.make_need(session, kampung=code, title="Bedah rumah Bu Sumi",
                             description="Renovasi atap dan dinding yang lapuk."),
        "jamban": f.make_need(session, kampung=code, title="Jamban sehat RT 03",
                              description="Lima KK belum punya jamban; 100% buang air di sungai."),
    }
    session.commit()
    return made


def test_a_word_is_found_inside_longer_indonesian_words(session, needs):
    assert found(session, "bangun") == {"Pembangunan talud sungai Winongo"}
    assert found(session, "renov") == {"Bedah rumah Bu Sumi"}  # a partly typed word, in the description
    assert found(session, "TALUD") == {"Pembangunan talud sungai Winongo"}  # any case


def test_every_word_must_be_found_somewhere_in_the_need_its_kampung_or_kelurahan(session, needs):
    assert found(session, "jetisharjo") == {"Pembangunan talud sungai Winongo"}  # kampung
    assert found(session, "warungboto") == {"Bedah rumah Bu Sumi", "Jamban sehat RT 03"}  # kelurahan
    assert found(session, "sungai code") == {"Jamban sehat RT 03"}  # text + kampung
    assert found(session, "sungai rumah") == set()
    assert found(session, "yk-2026-0042") == {"Pembangunan talud sungai Winongo"}  # ref


def test_short_words_and_wildcards_are_plain_text(session, needs):
    assert found(session, "03") == {"Jamban sehat RT 03"}
    assert found(session, "100%") == {"Jamban sehat RT 03"}
    assert found(session, "%") == {n.title for n in needs.values()}  # one character: not searched
    assert found(session, 'talud" NEAR(rumah *') == set()  # FTS5 syntax is text too
    assert found(session, "_amban") == set()


def test_search_combines_with_filters(session, needs):
    assert found(session, "sungai", kelurahan="34.71.13.1004") == {"Jamban sehat RT 03"}


def test_the_index_follows_changes_and_deletions(session, needs):
    needs["rumah"].title = "Perbaikan rumah Bu Sumi"
    session.commit()
    assert found(session, "bedah") == set()
    assert found(session, "perbaikan") == {"Perbaikan rumah Bu Sumi"}
    session.delete(needs["jamban"])
    session.commit()
    assert found(session, "jamban") == set()


def test_a_coordinator_never_finds_another_kampungs_draft(session, needs):
    other = f.make_need(session, title="Draf sumur kampung lain", status=NeedStatus.DRAFT)
    own_kampung = needs["talud"].kampung
    f.make_need(session, kampung=own_kampung, title="Draf sumur sendiri", status=NeedStatus.DRAFT)
    f.make_need(session, title="Sumur diajukan", status=NeedStatus.SUBMITTED)
    coordinator = f.make_coordinator(session, kampung=own_kampung)
    session.commit()
    assert found(session, "sumur", coordinator) == {"Draf sumur sendiri"}
    assert found(session, "sumur", f.make_staff(session)) == {"Draf sumur sendiri", "Sumur diajukan"} - {
        "Draf sumur sendiri"}
    assert found(session, "sumur") == set()
    assert other.id  # exists all along


def test_offers_are_found_by_organisation_and_partners_see_only_what_they_may(session):
    mine = f.make_organisation(session, "PT Telkom Jogja")
    f.make_offer(session, organisation=mine, title="CSR air bersih", status=OfferStatus.DRAFT)
    f.make_offer(session, organisation=mine, title="Pelatihan UMKM")
    f.make_offer(session, organisation=f.make_organisation(session, "Bank Sleman"), title="CSR air minum",
                 status=OfferStatus.DRAFT)
    partner = f.make_partner(session, organisation=mine)
    session.commit()

    def offers(q, user):
        query = offer_queries.filter_offers(offer_queries.visible_offers(user), q=q)
        return {o.title for o in offer_queries.page_of_offers(session, query, Position(), 20).items}

    assert offers("telkom", None) == {"Pelatihan UMKM"}
    assert offers("telkom", partner) == {"Pelatihan UMKM", "CSR air bersih"}
    assert offers("CSR air", partner) == {"CSR air bersih"}  # not the other organisation's draft
    assert offers("CSR air", f.make_staff(session)) == {"CSR air bersih", "CSR air minum"}


def test_collaborations_and_the_review_queue_find_either_side(session, needs):
    staff = f.make_staff(session)
    bank = f.make_organisation(session, "Bank Pasar Kota")
    collaboration = f.make_collaboration(session, need=needs["talud"], offer=f.make_offer(session, organisation=bank),
                                         amount_rp=1_000_000, staff=staff)
    f.proposal_for(session, needs["rumah"], f.make_offer(session, organisation=bank), amount_rp=1_000_000)
    f.proposal_for(session, needs["jamban"], f.make_offer(session), amount_rp=1_000_000)
    coordinator = f.make_coordinator(session, kampung=needs["jamban"].kampung)
    session.commit()
    assert [c.id for c in page_of_collaborations(session, staff, q="bank pasar").items] == [collaboration.id]
    assert [c.id for c in page_of_collaborations(session, staff, q="winongo").items] == [collaboration.id]
    assert page_of_collaborations(session, coordinator, q="bank").items == []  # not their kampung's
    assert [g.need.id for g in review_queue(session, q="bank pasar").groups] == [needs["rumah"].id]
    assert [g.need.id for g in review_queue(session, q="lima").groups] == [needs["jamban"].id]


def test_terms_are_words_without_punctuation_and_never_too_many():
    assert terms("  Talud,  talud  RW 03! ") == ["talud", "rw", "03"]
    assert len(terms(" ".join(f"kata{n}" for n in range(20)))) == 6


# --- pages and API ---------------------------------------------------------------------------------

def test_lists_show_a_search_box_and_fold_filters_behind_saring(client, session, needs):
    login(client, f.make_staff(session))
    for path in ("/needs", "/offers", "/collaborations", "/review"):
        page = client.get(path).text
        assert 'type="search" name="q"' in page, path
    needs_page = client.get("/needs?q=bangun").text
    assert "Pembangunan talud" in needs_page and "Bedah rumah" not in needs_page
    assert '<details class="list-filters mt-2">' in needs_page  # folded: no filter chosen
    assert '<details class="list-filters mt-2" open>' in client.get("/needs?q=a&category=housing").text
    assert 'value="bangun"' in needs_page


def test_search_words_stay_in_the_paging_links(app, client, session, needs):
    app.config["PER_PAGE"] = 1
    page = client.get("/needs?q=sungai").text
    assert 'rel="next" href="/needs?q=sungai&amp;after=' in page


def test_api_lists_take_q(client, session, needs):
    body = client.get("/api/v1/needs?q=bangun").get_json()
    assert [n["title"] for n in body["items"]] == ["Pembangunan talud sungai Winongo"]
    assert body["total"] == 1 and body["next"] is None
    headers = as_user(session, f.make_staff(session))
    f.make_collaboration(session, need=needs["rumah"], amount_rp=1_000_000)
    session.commit()
    assert client.get("/api/v1/collaborations?q=sumi", headers=headers).get_json()["total"] == 1
    assert client.get("/api/v1/offers?q=sanitasi", headers=headers).get_json()["total"] == 1


def test_the_search_answers_from_its_index(session, backend):
    """PostgreSQL: the pg_trgm GIN index; SQLite: the FTS5 trigram table (no scan of every need)."""
    sql = str(select(Need.id).where(OwnTextContains(Need.__table__, "talud")).compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    if backend == "postgresql":
        session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table would be scanned anyway
        plan = "\n".join(row[0] for row in session.execute(text("EXPLAIN " + sql)))
        assert "ix_needs_search_trgm" in plan, plan
    else:
        plan = " ".join(str(row[-1]) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert "VIRTUAL TABLE INDEX" in plan and "needs_fts" in plan, plan

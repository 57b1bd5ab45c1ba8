"""The public transparency page (/public), the list of completed collaborations, progress photos, the
map data and the open-data CSVs, against a small city whose figures were worked out by hand."""
import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

from gandeng.needs.models import NeedStatus
from gandeng.reports import public
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
KRICAK, PRINGGOKUSUMAN = "34.71.01.1001", "34.71.05.1002"  # Tegalrejo, Gedongtengen


def build_city(session):
    """Four public needs and two that are not:
    n1 Kricak, sanitation, Rp10 jt: completed by PT Sinar Jaya (Rp10 jt, realised Rp8 jt, 12 reached, photo)
    n2 Pringgokusuman, housing, Rp4 jt: in progress with the campus (Rp3 jt, realised Rp1 jt, photo)
    n3 Kricak, sanitation, Rp2 jt: verified, nothing committed
    n6 Pringgokusuman, housing, Rp5 jt: completed by the campus (Rp5 jt, realised Rp5 jt, 3 reached)
    plus a draft (Rp99 jt) and a rejected need (Rp77 jt) that count nowhere."""
    sinar = f.make_organisation(session, "PT Sinar Jaya", "korporat")
    campus = f.make_organisation(session, "Universitas Gadjah Contoh", "kampus")
    offer_a = f.make_offer(session, organisation=sinar, categories=["sanitation", "housing"])
    offer_b = f.make_offer(session, organisation=campus, categories=["sanitation", "housing"])
    kampung_a = f.make_kampung(session, "Kampung Anggrek", KRICAK)
    kampung_b = f.make_kampung(session, "Kampung Melati", PRINGGOKUSUMAN)
    n1 = f.make_need(session, kampung=kampung_a, title="Jamban komunal RT 03", cost_rp=10_000_000)
    n2 = f.make_need(session, kampung=kampung_b, category_code="housing", title="Bedah rumah RT 01",
                     cost_rp=4_000_000)
    n3 = f.make_need(session, kampung=kampung_a, title="Saluran air RT 04", cost_rp=2_000_000)
    n6 = f.make_need(session, kampung=kampung_b, category_code="housing", title="Atap rumah RT 02",
                     cost_rp=5_000_000)
    f.make_need(session, kampung=kampung_b, status=NeedStatus.DRAFT, title="Draf rahasia", cost_rp=99_000_000)
    f.make_need(session, kampung=kampung_b, status=NeedStatus.REJECTED, title="Usulan ditolak", cost_rp=77_000_000)
    done_a = f.make_completed_collaboration(session, n1, offer_a, 10_000_000, realised_rp=8_000_000,
                                            beneficiaries=12, completed_at=datetime(2026, 3, 10, 3, 0), photos=1)
    running = f.make_completed_collaboration(session, n2, offer_b, 3_000_000, realised_rp=1_000_000, photos=1,
                                             status="in_progress")
    done_b = f.make_completed_collaboration(session, n6, offer_b, 5_000_000, realised_rp=5_000_000,
                                            beneficiaries=3, completed_at=datetime(2026, 4, 1, 3, 0))
    session.commit()
    return {"n1": n1, "n3": n3, "done_a": done_a, "done_b": done_b, "running": running}


def csv_rows(client, name):
    response = client.get(f"/public/data/{name}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_city_figures_count_public_needs_and_started_collaborations_only(session):
    build_city(session)
    figures = public.city_figures(session)
    assert {key: figures[key] for key in ("needs", "needed_rp", "committed_rp", "realised_rp",
                                          "completed", "partners", "kampung")} == {
        "needs": 4, "needed_rp": 21_000_000, "committed_rp": 18_000_000, "realised_rp": 14_000_000,
        "completed": 2, "partners": 2, "kampung": 2}


def test_public_page_shows_the_city_totals_without_login(client, session):
    build_city(session)
    html = client.get("/public").get_data(as_text=True)
    for shown in ("Rp21.000.000", "Rp18.000.000", "Rp14.000.000"):
        assert shown in html
    assert 'data-figure="number-2">2<' in html  # completed collaborations
    assert "Draf rahasia" not in html and "Usulan ditolak" not in html


def test_kemantren_csv_holds_the_figures_of_each_kemantren(client, session):
    build_city(session)
    rows = csv_rows(client, "kemantren")
    assert rows[0] == public.DATASETS["kemantren"].header
    by_name = {row[1]: row[2:] for row in rows[1:]}
    assert len(by_name) == 14
    assert by_name["Tegalrejo"] == ["2", "12000000", "10000000", "8000000", "1"]
    assert by_name["Gedongtengen"] == ["2", "9000000", "8000000", "6000000", "1"]
    assert by_name["Jetis"] == ["0", "0", "0", "0", "0"]


def test_category_csv_holds_the_figures_of_each_category(client, session):
    build_city(session)
    by_code = {row[0]: row[2:] for row in csv_rows(client, "categories")[1:]}
    assert by_code["sanitation"] == ["2", "12000000", "10000000", "8000000", "1"]
    assert by_code["housing"] == ["2", "9000000", "8000000", "6000000", "1"]
    assert by_code["health"] == ["0", "0", "0", "0", "0"]


def test_kelurahan_csv_has_all_45_kelurahan(client, session):
    build_city(session)
    rows = csv_rows(client, "kelurahan")[1:]
    assert len(rows) == 45
    kricak = next(row for row in rows if row[0] == KRICAK)
    assert kricak == [KRICAK, "Kricak", "34.71.01", "Tegalrejo", "2", "12000000", "10000000", "8000000", "1"]


def test_charts_on_the_page_show_rupiah_by_kemantren_and_category(client, session):
    build_city(session)
    html = client.get("/public").get_data(as_text=True)
    assert 'id="public-kemantren"' in html and 'id="public-category"' in html
    assert 'data-value="12000000"' in html  # Tegalrejo and sanitation needed
    assert "/public/data/kemantren.csv" in html and "/public/data/categories.csv" in html
    assert 'data-map-data="/public/map.json"' in html


def test_map_data_has_every_kelurahan_with_public_figures_only(client, session):
    build_city(session)
    data = client.get("/public/map.json").get_json()
    assert {figure["key"] for figure in data["figures"]} == {
        "needs", "needed_rp", "committed_rp", "realised_rp", "completed"}
    assert len(data["kelurahan"]) == 45
    assert data["kelurahan"][KRICAK] == {"name": "Kricak", "kemantren": "Tegalrejo", "values": {
        "needs": 2, "needed_rp": 12_000_000, "committed_rp": 10_000_000, "realised_rp": 8_000_000, "completed": 1}}


def test_completed_collaborations_are_listed_newest_first_with_partner_credit(client, session):
    world = build_city(session)
    html = client.get("/public").get_data(as_text=True)
    assert html.index("Atap rumah RT 02") < html.index("Jamban komunal RT 03")  # 1 April before 10 March
    assert "PT Sinar Jaya" in html and "Korporat (CSR)" in html
    # One pair of brackets only (review walk: "PT Energi Progo Nusantara (Korporat (CSR))").
    assert "(Korporat (CSR))" not in html and "(CSR))" not in client.get("/public/collaborations").text
    assert "10 Maret 2026" in html and "Rp8.000.000" in html
    assert "Bedah rumah RT 01" not in html  # in progress: not listed by name
    assert "Saluran air RT 04" not in html  # nothing done yet
    rows = csv_rows(client, "collaborations")
    assert rows[1] == [str(world["done_b"].id), "2026-04-01", "Atap rumah RT 02", "housing",
                       "Perumahan layak huni", "Pringgokusuman", "Gedongtengen", "Universitas Gadjah Contoh",
                       "kampus", "5000000", "5000000", "3"]
    assert rows[2][:3] == [str(world["done_a"].id), "2026-03-10", "Jamban komunal RT 03"]
    assert len(rows) == 3


def test_photo_of_a_completed_collaboration_is_served_to_anyone(client, session):
    world = build_city(session)
    photo = world["done_a"].reports[0].photos[0]
    url = f"/public/photos/{photo.id}"
    html = client.get("/public").get_data(as_text=True)
    assert f'src="{url}"' in html
    assert 'alt="Foto hasil: Jamban komunal RT 03"' in html
    assert 'width="96" height="72"' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG")


def test_photo_of_a_collaboration_not_completed_is_not_found(client, session):
    world = build_city(session)
    photo = world["running"].reports[0].photos[0]
    assert client.get(f"/public/photos/{photo.id}").status_code == 404
    assert f"/public/photos/{photo.id}" not in client.get("/public").get_data(as_text=True)


def test_partners_are_ranked_by_rupiah_realised_in_completed_work(client, session):
    build_city(session)
    rows = csv_rows(client, "partners")
    assert rows[1:] == [["PT Sinar Jaya", "korporat", "1", "10000000", "8000000"],
                        ["Universitas Gadjah Contoh", "kampus", "1", "5000000", "5000000"]]
    html = client.get("/public").get_data(as_text=True)
    table = html[html.index('class="table-stack table table-sm table-striped align-middle mb-0 public-partners"'):]
    assert table.index("PT Sinar Jaya") < table.index("Universitas Gadjah Contoh")


@pytest.mark.parametrize("dataset", public.OPEN_DATA, ids=lambda d: d.name)
def test_every_csv_has_exactly_the_documented_columns(client, session, dataset):
    build_city(session)
    assert csv_rows(client, dataset.name)[0] == dataset.header
    page = client.get("/public/data").get_data(as_text=True)
    assert f"/public/data/{dataset.name}.csv" in page
    for column in dataset.columns:
        assert f"<code>{column.name}</code>" in page


def test_open_data_document_describes_every_column():
    doc = (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
    for dataset in public.OPEN_DATA:
        assert f"/public/data/{dataset.name}.csv" in doc
        section = doc[doc.index(f"/public/data/{dataset.name}.csv"):]
        for column in dataset.columns:
            assert f"`{column.name}`" in section, f"{dataset.name}: {column.name}"


def test_unknown_data_set_is_not_found(client):
    assert client.get("/public/data/users.csv").status_code == 404


def test_completed_collaborations_page_by_page(app, client, session):
    build_city(session)
    offer = f.make_offer(session, organisation=f.make_organisation(session, "Komunitas Peduli", "komunitas"))
    need = f.make_need(session, title="Sumur RT 09", cost_rp=1_000_000)
    f.make_completed_collaboration(session, need, offer, 1_000_000, completed_at=datetime(2026, 5, 1, 3, 0))
    session.commit()
    app.config["PER_PAGE"] = 2
    first = client.get("/public/collaborations").get_data(as_text=True)
    second = client.get("/public/collaborations?page=2").get_data(as_text=True)
    assert "Sumur RT 09" in first and "Atap rumah RT 02" in first and "Jamban komunal RT 03" not in first
    assert "Jamban komunal RT 03" in second and "Sumur RT 09" not in second
    assert "Halaman 1 dari 2" in first and "?page=2" in first


def test_public_page_links_to_all_completed_work_when_there_is_more(client, session):
    build_city(session)
    assert "/public/collaborations" not in client.get("/public").get_data(as_text=True)  # 2 fit on the page
    for n in range(5):
        offer = f.make_offer(session)
        f.make_completed_collaboration(session, f.make_need(session, cost_rp=1_000_000), offer, 1_000_000)
    session.commit()
    html = client.get("/public").get_data(as_text=True)
    assert "/public/collaborations" in html and "(7)" in html


def test_home_page_links_to_the_transparency_page(client):
    assert 'href="/public"' in client.get("/").get_data(as_text=True)

"""Staff pages for kampung: list with area filters, adding, editing, verifying."""
import re

import pytest
from sqlalchemy import select

from gandeng.accounts.models import Kampung
from gandeng.audit.services import history
from tests import factories as f
from tests.conftest import login

KRICAK, KARANGWARU, MUJA_MUJU = "34.71.01.1001", "34.71.01.1002", "34.71.13.1002"


@pytest.fixture
def staff_client(client, session):
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    return client


def test_list_filters_by_kemantren_kelurahan_and_verified_state(session, staff_client):
    f.make_kampung(session, "Kampung Kricak Kidul", KRICAK)
    f.make_kampung(session, "Kampung Karangwaru Lor", KARANGWARU, verified=False)
    f.make_kampung(session, "Kampung Muja Muju", MUJA_MUJU)
    session.commit()
    text = staff_client.get("/admin/kampung?kemantren=34.71.01").text
    assert "Kampung Kricak Kidul" in text and "Kampung Karangwaru Lor" in text
    assert "Kampung Muja Muju" not in text
    text = staff_client.get(f"/admin/kampung?kelurahan={KARANGWARU}").text
    assert "Kampung Karangwaru Lor" in text and "Kampung Kricak Kidul" not in text
    text = staff_client.get("/admin/kampung?verified=ya").text
    assert "Kampung Kricak Kidul" in text and "Kampung Karangwaru Lor" not in text


def test_list_shows_kelurahan_kemantren_and_counts(session, staff_client):
    kampung = f.make_kampung(session, "Kampung Ngampilan", KRICAK)
    f.make_coordinator(session, kampung=kampung)
    f.make_need(session, kampung=kampung)
    session.commit()
    text = staff_client.get("/admin/kampung").text
    assert "Kricak" in text and "Tegalrejo" in text
    assert "1 koordinator" in text and "1 kebutuhan" in text


def test_staff_add_a_kampung_that_is_verified_at_once(session, staff_client):
    page = staff_client.get(f"/admin/kampung/new?kelurahan={KRICAK}").text
    assert re.search(rf'<option selected value="{KRICAK}">|<option value="{KRICAK}" selected>', page)
    response = staff_client.post("/admin/kampung/new", data={"name": "Kampung Kenanga", "kelurahan": KRICAK})
    kampung = session.scalar(select(Kampung).where(Kampung.name == "Kampung Kenanga"))
    assert response.headers["Location"] == f"/admin/kampung/{kampung.id}"
    assert kampung.kelurahan_code == KRICAK and kampung.is_verified
    assert [e.action for e in history(session, kampung)] == ["kampung.create"]


def test_adding_an_existing_kampung_is_refused_and_keeps_the_typed_name(session, staff_client):
    f.make_kampung(session, "Kampung Kenanga", KRICAK)
    session.commit()
    response = staff_client.post("/admin/kampung/new", data={"name": "kampung  kenanga", "kelurahan": KRICAK})
    assert response.status_code == 200
    assert "Kampung ini sudah ada di kelurahan tersebut." in response.text
    assert 'value="kampung  kenanga"' in response.text
    assert len(session.scalars(select(Kampung)).all()) == 1


def test_adding_without_name_or_kelurahan_is_explained(staff_client):
    response = staff_client.post("/admin/kampung/new", data={"name": "", "kelurahan": ""})
    assert response.text.count("Wajib diisi.") == 4  # next to both fields and in the summary at the top


def test_staff_rename_and_move_a_kampung_with_its_needs(session, staff_client):
    kampung = f.make_kampung(session, "Kampung Lama", KRICAK)
    need = f.make_need(session, kampung=kampung)
    session.commit()
    response = staff_client.post(f"/admin/kampung/{kampung.id}", data={"name": "Kampung Baru", "kelurahan": MUJA_MUJU},
                                 follow_redirects=True)
    assert "Data kampung disimpan." in response.text
    assert "Muja Muju" in response.text
    session.refresh(kampung)
    session.refresh(need)
    assert (kampung.name, kampung.kelurahan_code, need.kelurahan_code) == ("Kampung Baru", MUJA_MUJU, MUJA_MUJU)
    assert [e.action for e in history(session, kampung)] == ["kampung.update"]


def test_kampung_page_lists_its_coordinators(session, staff_client):
    kampung = f.make_kampung(session, "Kampung Sidokabul", KRICAK)
    f.make_coordinator(session, kampung=kampung, name="Pak Darmo")
    session.commit()
    text = staff_client.get(f"/admin/kampung/{kampung.id}").text
    assert "Pak Darmo" in text
    assert "Jumlah kebutuhan: 0" in text


def test_staff_verify_a_kampung_registered_by_a_coordinator(session, staff_client):
    kampung = f.make_kampung(session, "Kampung Baru Daftar", KRICAK, verified=False)
    session.commit()
    assert "/admin/kampung/%d/verify" % kampung.id in staff_client.get(f"/admin/kampung/{kampung.id}").text
    response = staff_client.post(f"/admin/kampung/{kampung.id}/verify", follow_redirects=True)
    assert "Kampung terverifikasi: Kampung Baru Daftar." in response.text
    session.refresh(kampung)
    assert kampung.is_verified
    assert [e.action for e in history(session, kampung)] == ["kampung.verify"]


def test_unknown_kampung_is_404(staff_client):
    assert staff_client.get("/admin/kampung/424242").status_code == 404

"""The list of needs takes the filters' choices and the cards' place and category names from a
copy of the reference data kept while the lists' version holds (gandeng/reference/snapshot.py):
a renamed kelurahan or category shows at once, in both languages."""
from markupsafe import escape

from gandeng.db import db
from gandeng.reference.models import Category, Kelurahan
from gandeng.reference.snapshot import load_reference
from tests import factories as f


def test_a_renamed_kelurahan_and_category_show_at_once_on_cards_and_filters(client, session):
    need = f.make_need(session, title="Sumur resapan RW 03")
    session.commit()
    kelurahan = session.get(Kelurahan, need.kelurahan_code)
    category = session.get(Category, need.category_code)
    page = client.get("/needs").text
    assert f"Kel. {kelurahan.name} · Kemantren {kelurahan.kemantren.name}" in page
    assert str(escape(category.label_id)) in page
    kelurahan.name = "Kelurahan Baru Sekali"
    category.label_id, category.label_en = "Kategori Diganti", "Renamed category"
    session.commit()
    page = client.get("/needs").text
    assert "Kel. Kelurahan Baru Sekali ·" in page
    assert '<option value="%s">Kelurahan Baru Sekali</option>' % kelurahan.code in page
    assert page.count("Kategori Diganti") == 2  # the card and the filter
    client.get("/bahasa/en")
    assert client.get("/needs").text.count("Renamed category") == 2


def test_the_snapshot_holds_every_kemantren_with_its_kelurahan_and_the_categories(app, session):
    places = load_reference(db.session)
    assert len(places.kemantren) == 14 and len(places.kelurahan) == 45
    assert sum(len(k.kelurahan) for k in places.kemantren) == 45
    assert [k.name for k in places.kemantren] == sorted(k.name for k in places.kemantren)
    assert all(places.kelurahan[kel.code].kemantren_name == k.name for k in places.kemantren for kel in k.kelurahan)
    ordered = session.scalars(db.select(Category.code).order_by(Category.position)).all()
    assert [c.code for c in places.categories] == ordered


def test_the_count_of_a_list_is_shared_by_its_pages_and_follows_every_write(client, session):
    from tests.conftest import login

    staff = f.make_staff(session)
    for n in range(25):
        f.make_need(session, title=f"Talud {n}")
    session.commit()
    login(client, staff)
    assert "25 kebutuhan ditemukan." in client.get("/needs?page=2").text
    assert "25 kebutuhan ditemukan." in client.get("/needs").text
    f.make_need(session, title="Talud baru")
    session.commit()
    assert "26 kebutuhan ditemukan." in client.get("/needs?page=2").text
    assert "1 kebutuhan ditemukan." in client.get("/needs?q=baru&page=1").text


def test_the_filters_are_shared_by_the_pages_of_a_list_but_not_between_lists(client, session):
    for n in range(25):
        f.make_need(session, title=f"Atap {n}", category="housing")
    session.commit()
    first = client.get("/needs?category=housing").text
    second = client.get("/needs?category=housing&page=2").text
    other = client.get("/needs?category=sanitation&page=2").text
    plain = client.get("/needs?page=2").text
    assert '<option selected value="housing">' in first and '<option selected value="housing">' in second
    assert '<option selected value="sanitation">' in other and 'selected value="housing"' not in other
    assert "selected value=" not in plain.split('id="category"')[1].split("</select>")[0]

"""The navigation bar is rendered once per kind of visitor and language (gandeng/site_nav.py);
what belongs to one person and one request — their name, their unread count, their CSRF token,
the way back after switching language — is still theirs on every page."""
import re

from gandeng import site_nav
from gandeng.notifications.services import notify
from tests import factories as f
from tests.conftest import login


def _nav(page: str) -> str:
    return page[page.index("<nav"):page.index("</nav>")]


def _without_token(nav: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", nav)


def test_two_people_of_the_same_role_each_see_their_own_name_and_unread_count(app, session):
    first = f.make_staff(session, name="Sri Lestari")
    second = f.make_staff(session, name="Bambang <Admin>")
    notify(session, [second], "test", "Usulan baru menunggu", "")
    notify(session, [second], "test", "Usulan lain menunggu", "")
    session.commit()
    pages = {}
    for user in (first, second, first):
        client = app.test_client()
        login(client, user)
        pages.setdefault(user.name, []).append(_nav(client.get("/needs").text))
    assert "Sri Lestari · " in pages["Sri Lestari"][0] and "Bambang" not in pages["Sri Lestari"][0]
    assert "nav-unread" not in pages["Sri Lestari"][0]
    # The kept nav is not left changed by the second person's values.
    assert _without_token(pages["Sri Lestari"][0]) == _without_token(pages["Sri Lestari"][1])
    bambang = pages["Bambang <Admin>"][0]
    assert "Bambang &lt;Admin&gt; · " in bambang  # escaped like any other text
    assert 'nav-unread">2<' in bambang and re.search(r'nav-unread-phone" href="/notifications"><svg[^>]*aria-hidden="true".*?nav-unread-count">2<', bambang)
    assert "\x00" not in bambang


def test_the_menu_follows_the_role_and_the_language(app, session):
    staff, coordinator = f.make_staff(session), f.make_coordinator(session)
    session.commit()
    visitor = app.test_client()
    anon = _nav(visitor.get("/needs").text)
    assert "/login" in anon and "/notifications" not in anon and "/review" not in anon
    staff_client, coordinator_client = app.test_client(), app.test_client()
    login(staff_client, staff)
    login(coordinator_client, coordinator)
    assert "/review" in _nav(staff_client.get("/needs").text)
    coordinator_nav = _nav(coordinator_client.get("/needs").text)
    assert "/review" not in coordinator_nav and "/notifications" in coordinator_nav
    assert ">Kampung sister<" in coordinator_nav and ">English<" in coordinator_nav
    coordinator_client.get("/bahasa/en?next=/needs")
    english = _nav(coordinator_client.get("/offers?q=air").text)
    assert ">Bahasa Indonesia<" in english and ">Needs<" in english
    # The language link leads back to the page it was on, query string included.
    assert 'href="/bahasa/id?next=/offers?q%3Dair"' in english


def test_the_sign_out_form_carries_this_sessions_csrf_token(app, session):
    staff = f.make_staff(session)
    session.commit()
    tokens = []
    for _ in range(2):
        client = app.test_client()
        login(client, staff)
        nav = _nav(client.get("/needs").text)
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', nav).group(1))
        with client.session_transaction() as flask_session:
            assert flask_session.get("csrf_token")  # the token's secret lives in this session
    assert tokens[0] != tokens[1]  # two sessions, two tokens: nothing of one session is cached


def test_nothing_is_kept_while_templates_reload(app, session):
    site_nav._rendered.clear()
    app.jinja_env.auto_reload = True
    try:
        assert app.test_client().get("/needs").status_code == 200
        assert site_nav._rendered == {}
    finally:
        app.jinja_env.auto_reload = False
    assert app.test_client().get("/needs").status_code == 200
    assert site_nav._rendered


def test_an_office_and_a_group_find_their_orders_first_and_no_empty_collaborations(app, session):
    """Phone walk: "Kebutuhan", "Penawaran" and an always empty "Kerja sama" came before "Pesanan makanan"."""
    office = f.make_office_user(session)
    cook = f.make_group_user(session, group=f.make_group(session, name="Dapur Uji"))
    session.commit()
    for user in (office, cook):
        client = app.test_client()
        login(client, user)
        nav = _nav(client.get("/needs").text)
        links = re.findall(r'class="nav-link" href="([^"]+)"', nav)
        assert links[0] == "/nglarisi/orders" and "/collaborations" not in links, links

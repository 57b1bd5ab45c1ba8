"""The navigation bar leads each role to its reports; the public page is one click from anywhere."""
from tests import factories as f
from tests.conftest import login


def _nav(html: str) -> str:
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


def test_everybody_finds_the_transparency_page_in_the_navigation(client, session):
    assert 'href="/public"' in _nav(client.get("/").text)


def test_staff_find_every_report_in_the_report_menu(client, session):
    staff = f.make_staff(session)
    session.commit()
    login(client, staff)
    nav = _nav(client.get("/").text)
    for path in ("/dashboard", "/dashboard/equity", "/network", "/partner", "/reports/monthly", "/exports"):
        assert f'href="{path}"' in nav, path
        assert client.get(path).status_code == 200, path


def test_partners_find_their_contribution_page_and_no_staff_report(client, session):
    partner = f.make_partner(session)
    session.commit()
    login(client, partner)
    nav = _nav(client.get("/").text)
    assert 'href="/partner"' in nav
    assert 'href="/dashboard"' not in nav and 'href="/exports"' not in nav

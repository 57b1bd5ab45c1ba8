"""Every staff page renders for staff, in Indonesian, phone-friendly and within the CSP."""
import re

import pytest

from gandeng.accounts.models import UserStatus
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def pages(client, session):
    org = f.make_organisation(session, verified=False)
    partner = f.make_partner(session, organisation=org, status=UserStatus.PENDING)
    kampung = f.make_kampung(session, verified=False)
    admin = f.make_admin(session)
    session.commit()
    login(client, admin)
    return [
        "/admin/users", f"/admin/users/{partner.id}", "/admin/organisations", f"/admin/organisations/{org.id}",
        "/admin/kampung", "/admin/kampung/new", f"/admin/kampung/{kampung.id}",
    ]


def test_admin_pages_have_no_inline_styles_or_scripts(client, pages):
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert " style=" not in response.text, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), path


def test_admin_pages_are_indonesian_and_lay_lists_out_as_cards(client, pages):
    for path in pages:
        text = client.get(path).text
        assert 'lang="id"' in text
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in text
    for path in ("/admin/users", "/admin/organisations", "/admin/kampung"):
        text = client.get(path).text
        assert 'class="list-group mb-3"' in text
        assert "<table" not in text  # wide tables would scroll sideways on a 360 px phone
        assert "Saring" in text


def test_admin_menu_appears_for_staff_only(client, session):
    coordinator = f.make_coordinator(session)
    session.commit()
    login(client, coordinator)
    assert "/admin/users" not in client.get("/").text

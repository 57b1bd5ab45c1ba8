"""NUL and other control characters (audit finding 7): every web form refuses them, with a message
next to the field, and stores nothing."""
import pytest
from sqlalchemy import func, select
from wtforms import StringField, TextAreaField

from gandeng.accounts.models import User
from gandeng.forms_common import Form, has_control_characters
from gandeng.needs.models import Need
from tests import factories as f
from tests.conftest import login
from tests.web.test_accounts_register import partner_form
from tests.web.test_needs_form import FORM as NEED_FORM

MESSAGE = "Isian memuat karakter kendali yang tidak diizinkan."
CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x1b[31m", "\x7f", "\x85"]


@pytest.mark.parametrize("char", CONTROL)
def test_any_form_refuses_control_characters_in_any_text_field(app, char):
    class Sample(Form):
        title = StringField()
        note = TextAreaField()

    with app.test_request_context(method="POST", data={"title": "Jamban", "note": f"baris{char}dua"}):
        form = Sample()
        assert not form.validate()
        assert form.note.errors == [MESSAGE] and form.title.errors == []


def test_tabs_and_line_breaks_are_ordinary_text():
    assert not has_control_characters("RT 02\tRW 05\r\nbaris kedua\n")
    assert has_control_characters("nama\x00")


def test_need_with_a_nul_in_its_description_is_refused_and_not_stored(client, session):
    coordinator = f.make_coordinator(session)
    session.commit()
    login(client, coordinator)
    response = client.post("/needs/new", data={**NEED_FORM, "description": "Untuk 8 KK\x00; DROP"})
    assert response.status_code == 200
    assert MESSAGE in response.text
    assert 'value="Septic tank komunal"' in response.text  # the rest of what was typed is kept
    assert session.scalar(select(func.count()).select_from(Need)) == 0
    ok = client.post("/needs/new", data={**NEED_FORM, "description": "Untuk 8 KK\r\n\tdi RT 02"})
    assert ok.status_code == 302


def test_registration_with_an_escape_sequence_in_the_name_is_refused(client, session):
    response = client.post("/register", data=partner_form(name="Pak Hendra\x1b[2J"))
    assert response.status_code == 200
    assert MESSAGE in response.text
    assert session.scalar(select(func.count()).select_from(User)) == 0


def test_login_with_a_nul_in_the_email_is_refused_without_an_error(client):
    response = client.post("/login", data={"email": "a\x00@contoh.id", "password": "rahasia-123"})
    assert response.status_code == 200
    assert MESSAGE in response.text

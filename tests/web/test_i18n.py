"""The interface language: Indonesian by default, English through the switch, and a complete catalogue."""
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests import factories as f
from tests.conftest import login, sqlite_only

SQLITE_ONLY = sqlite_only("the language of pages, forms and messages: templates and the catalogue, no SQL")

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "gandeng" / "translations"
PO_FILE = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO_FILE = PO_FILE.with_suffix(".mo")
POT_FILE = TRANSLATIONS / "messages.pot"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """The .mo is a build product (`make install`, git-ignored): build it here when it is missing or
    older than the .po, so a bare `pytest` run tests the catalogue as it is written."""
    if not MO_FILE.exists() or MO_FILE.stat().st_mtime < PO_FILE.stat().st_mtime:
        with PO_FILE.open("rb") as source:
            catalogue = read_po(source, locale="en")
        # Written aside then renamed, so a parallel test worker never reads half a file.
        handle, temporary = tempfile.mkstemp(dir=MO_FILE.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalogue)
        os.replace(temporary, MO_FILE)


def _catalogue():
    with PO_FILE.open("rb") as source:
        return read_po(source, locale="en")


def _messages(catalogue):
    return [message for message in catalogue if message.id]


def _nav(html: str) -> str:
    return html.split("<nav", 1)[1].split("</nav>", 1)[0]


# --- the switch ------------------------------------------------------------------------------


@SQLITE_ONLY
def test_interface_is_indonesian_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="id">' in response.text
    assert ">Kebutuhan</a>" in _nav(response.text)
    assert ">English</a>" in _nav(response.text)


@SQLITE_ONLY
def test_english_link_switches_home_and_needs_pages_to_english(client):
    response = client.get("/bahasa/en")
    assert response.status_code == 302

    home = client.get("/")
    assert '<html lang="en">' in home.text
    nav = _nav(home.text)
    assert ">Needs</a>" in nav and ">Offers</a>" in nav and ">Log in</a>" in nav
    assert ">Kebutuhan</a>" not in nav
    assert ">Bahasa Indonesia</a>" in nav
    assert "Verified needs" in home.text

    needs = client.get("/needs")
    assert needs.status_code == 200
    assert '<html lang="en">' in needs.text
    assert "Kampung needs" in needs.text
    assert "Kebutuhan kampung" not in needs.text


@SQLITE_ONLY
def test_indonesian_link_switches_back(client):
    client.get("/bahasa/en")
    assert '<html lang="en">' in client.get("/").text
    client.get("/bahasa/id")
    home = client.get("/")
    assert '<html lang="id">' in home.text
    assert ">Kebutuhan</a>" in _nav(home.text)
    assert ">Needs</a>" not in _nav(home.text)


@SQLITE_ONLY
def test_switch_returns_to_the_local_page_it_came_from(client):
    response = client.get("/bahasa/en?next=/needs?page=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/needs?page=1"


@SQLITE_ONLY
def test_unknown_language_code_is_ignored(client):
    client.get("/bahasa/fr")
    assert '<html lang="id">' in client.get("/").text
    client.get("/bahasa/en")
    response = client.get("/bahasa/xx")
    assert response.status_code == 302
    with client.session_transaction() as cookie_session:
        assert cookie_session["lang"] == "en"
    assert '<html lang="en">' in client.get("/").text


@pytest.mark.parametrize(
    "target", ["//evil.example", "//evil.example/needs", "https://evil.example/", "/\\evil.example", "evil.example"]
)
@SQLITE_ONLY
def test_switch_never_redirects_to_another_site(client, target):
    response = client.get("/bahasa/en", query_string={"next": target})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost")
    assert location.path == "/"


# --- English pages, messages and form errors ----------------------------------------------------


@SQLITE_ONLY
def test_needs_list_shows_statuses_labels_and_categories_in_english(client, session):
    f.make_need(session, title="Jamban sehat untuk 5 KK", urgency="tinggi", cost_rp=15_000_000)
    session.commit()
    client.get("/bahasa/en")
    response = client.get("/needs")
    assert "Jamban sehat untuk 5 KK" in response.text  # what people wrote stays as written
    assert ">Verified<" in response.text
    assert "Urgency: High" in response.text
    assert "Remaining" in response.text
    assert "Rp15.000.000" in response.text
    assert "Terverifikasi" not in response.text
    assert "Tinggi" not in response.text


@SQLITE_ONLY
def test_form_field_errors_are_in_english_after_switching(client):
    client.get("/bahasa/en")
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 200
    assert response.text.count("This field is required.") == 4  # next to each field and in the summary
    assert "Wajib diisi." not in response.text


@SQLITE_ONLY
def test_form_field_errors_are_in_indonesian_by_default(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.text.count("Wajib diisi.") == 4  # next to each field and in the summary
    assert "This field is required." not in response.text


@SQLITE_ONLY
def test_domain_errors_and_flash_messages_are_in_english_after_switching(client, session):
    staff = f.make_staff(session, name="Rina Wulandari")
    session.commit()
    client.get("/bahasa/en")
    refused = login(client, staff, password="bukan-sandinya")
    assert "Incorrect email or password." in refused.text
    assert "Email atau kata sandi salah." not in refused.text

    login(client, staff)
    home = client.get("/")
    assert "Welcome, Rina Wulandari." in home.text  # the language survives the fresh session at log-in
    assert '<html lang="en">' in home.text


# --- the catalogue ------------------------------------------------------------------------------


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    messages = _messages(_catalogue())
    assert len(messages) > 300
    untranslated = [m.id for m in messages if not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_every_placeholder_of_the_original():
    broken = []
    for message in _messages(_catalogue()):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = sorted(set(PLACEHOLDER.findall(" ".join(ids))))
        for string in strings:
            if sorted(set(PLACEHOLDER.findall(string))) != expected:
                broken.append((message.id, string))
    assert broken == []


def test_catalogue_passes_babels_format_checks():
    problems = [(message.id, [str(error) for error in errors]) for message, errors in _catalogue().check()]
    assert problems == []


def test_catalogue_holds_every_message_of_the_extracted_template():
    with POT_FILE.open("rb") as source:
        template = read_po(source)
    translated = {message.id for message in _messages(_catalogue())}
    missing = [message.id for message in _messages(template) if message.id not in translated]
    assert missing == [], "run `make extract-messages` and translate the new entries"


def test_every_translatable_text_of_the_source_has_an_english_translation():
    """What `make extract-messages` would find today (babel.cfg, keywords _ and _l) is all translated."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(ROOT, method_map, options_map, keywords):
        found.setdefault(message if isinstance(message, str) else message[0], f"{filename}:{lineno}")
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in _messages(_catalogue())
        if message.string and not message.fuzzy
    }
    missing = sorted(f"{where}: {text}" for text, where in found.items() if text not in translated)
    assert missing == [], "run `make extract-messages` and translate the new entries in messages.po"

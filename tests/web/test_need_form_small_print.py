"""Small print of the coordinator's pages seen on a 360-px phone: the need form names the kampung
without "kampung Kampung …", the deadline field says the chosen date back in words (whatever order
the phone's date picker shows), and the home page's link to every need reads as a normal link."""
from html.parser import HTMLParser

import pytest

from tests import factories as f
from tests.conftest import login


@pytest.fixture
def coordinator_of(client, session):
    def log_in(kampung_name):
        user = f.make_coordinator(session, kampung=f.make_kampung(session, kampung_name))
        session.commit()
        login(client, user)
        return user
    return log_in


def test_a_kampung_named_kampung_is_not_named_twice(client, coordinator_of):
    coordinator_of("Kampung Kricak Kidul")
    page = client.get("/needs/new").text
    assert "Untuk Kampung Kricak Kidul. Tekan" in page
    assert "kampung Kampung" not in page
    client.get("/bahasa/en")
    english = client.get("/needs/new").text
    assert "For Kampung Kricak Kidul. Tap" in english
    assert "kampung Kampung" not in english


def test_a_kampung_named_without_the_word_still_reads_untuk_kampung(client, coordinator_of):
    coordinator_of("Jetisharjo")
    assert "Untuk kampung Jetisharjo. Tekan" in client.get("/needs/new").text
    client.get("/bahasa/en")
    assert "For kampung Jetisharjo. Tap" in client.get("/needs/new").text


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.by_id = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.by_id[attrs["id"]] = (tag, attrs)


def _element(page, element_id):
    parser = _Inputs()
    parser.feed(page)
    return parser.by_id[element_id]


def test_the_deadline_field_is_a_date_picker_in_the_pages_language_that_says_the_date_in_words(
        client, coordinator_of):
    coordinator_of("Kampung Anggrek")
    tag, attrs = _element(client.get("/needs/new").text, "deadline")
    assert tag == "input" and attrs["type"] == "date" and attrs["lang"] == "id"
    assert attrs["data-date"] == "deadline-understood"
    assert "deadline-understood" in attrs["aria-describedby"].split()
    # A re-shown form (another field wrong) says the date typed in the Indonesian order back in words.
    page = client.post("/needs/new", data={"category": "sanitation", "title": "Septic tank komunal",
                                           "description": "Untuk 8 KK.", "cost_rp": "abc",
                                           "deadline": "28/11/2026"}).text
    understood = page.split('id="deadline-understood"', 1)[1].split("</div>", 1)[0]
    assert "Terbaca: 28 November 2026" in understood
    client.get("/bahasa/en")
    tag, attrs = _element(client.get("/needs/new").text, "deadline")
    assert attrs["lang"] == "en"


def test_the_link_to_every_need_of_the_kampung_is_styled_as_a_link(client, session, coordinator_of):
    user = coordinator_of("Kampung Anggrek")
    f.make_need(session, kampung=user.kampung, title="Sumur bor RT 02")
    session.commit()
    page = client.get("/").text
    link = next(line for line in page.splitlines() if "home-all" in line)
    assert "Semua 1 kebutuhan kampung" in link
    classes = link.split('class="', 1)[1].split('"', 1)[0].split()
    assert "btn-link" in classes and "btn-outline-secondary" not in classes

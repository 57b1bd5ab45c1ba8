"""safe_next(): a redirect target stays on this site however a browser would read it."""
import pytest

from gandeng.urls import safe_next

# Each of these, sent as Location, takes a browser to another site (or runs script).
FOREIGN = [
    "//evil.example", "///evil.example", "/\t/evil.example", "/\\evil.example", "\\\\evil.example",
    "/\r\n/evil.example", "\t//evil.example", " //evil.example", "\x00//evil.example", "/\x00/evil.example",
    "https:evil.example", "https://evil.example/x", "http://evil.example", "javascript:alert(1)",
    "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>", "evil.example", "needs/5",
    "//localhost.evil.example/", "http://localhost.evil.example/", "/\\/evil.example", "/\t\\evil.example",
    "http://[::1", "",
]


@pytest.mark.parametrize("target", FOREIGN)
def test_a_target_a_browser_reads_as_another_site_is_refused(target):
    assert safe_next(target) is None
    assert safe_next(target, host="localhost") is None


@pytest.mark.parametrize("target, path", [
    ("/", "/"),
    ("/needs?page=2", "/needs?page=2"),
    ("/needs/5#photos", "/needs/5#photos"),
    ("/review?category=sanitation&kemantren=Jetis", "/review?category=sanitation&kemantren=Jetis"),
    ("/ne\teds", "/needs"),  # the browser would drop the tab too: what is checked is what is sent
])
def test_a_local_path_is_kept(target, path):
    assert safe_next(target) == path


def test_an_absolute_url_counts_only_on_our_host_and_is_cut_to_its_path():
    assert safe_next("http://localhost/review?x=1", host="localhost") == "/review?x=1"
    assert safe_next("https://gandeng.example/needs/5", host="gandeng.example") == "/needs/5"
    assert safe_next("http://localhost/review", host=None) is None  # no host to compare with
    assert safe_next("http://localhost//evil.example/", host="localhost") is None
    assert safe_next("http://localhost/\\evil.example", host="localhost") is None
    assert safe_next("ftp://localhost/x", host="localhost") is None
    assert safe_next("http://localhost:8000/x", host="localhost") is None

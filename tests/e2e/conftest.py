"""Fixtures of the browser tests: Chromium, and the demo data served by gunicorn.

The demo database (`flask init-db`, `flask seed-demo`, the demo photos) is made once per xdist
worker and copied for each server that needs it; the pages that only read it share one server
(`demo_server`). Their modules carry live_server.DEMO_GROUP so that, with `--dist loadgroup`
(make test), they all run in one worker and the database and server are made once per run."""
from pathlib import Path

import pytest

from tests.e2e import browser
from tests.e2e.live_server import copy_demo_data, run_commands, serve


@pytest.fixture
def chromium():
    """Debian's Chromium, headless (skipped when missing, except under CI)."""
    executable = browser.chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=browser.LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> Path:
    """A folder with demo.sqlite made by `flask init-db` and `flask seed-demo`, and its uploads."""
    folder = tmp_path_factory.mktemp("demo-data")
    run_commands(folder, (["init-db"], ["seed-demo"]))
    return folder


@pytest.fixture(scope="session")
def demo_server(demo_data, tmp_path_factory):
    """gunicorn on a copy of the demo data, shared by the tests that only read pages (lists,
    notification pages, report pages): none of them changes what another one sees."""
    folder = tmp_path_factory.mktemp("demo-server")
    yield from serve(copy_demo_data(demo_data, folder), folder)

"""Fixtures of the browser tests."""
import pytest

from tests.e2e import browser


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

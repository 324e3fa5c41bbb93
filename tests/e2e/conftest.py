"""Browser tests: Playwright drives Debian's chromium (never a downloaded browser) against the
app served by pytest-django's live server, embedded in the Bitrix24 sandbox's deal card."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "e2e-artifacts"
# Chromium as root in a closed network: no sandbox, no background calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium is missing: run scripts/install-system-deps.sh")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django refuses ORM calls from "async" contexts.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
    context.close()


@pytest.fixture
def screenshot(page, request):
    """Save a named screenshot into e2e-artifacts/ (kept by CI for a person to look at)."""

    def take(name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)

    return take


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


class DemoStack:
    """The app (live server), a Bitrix24 portal sandbox with the app installed through its
    installer, and a 1C sandbox connected and synced — as `make demo` sets them up."""

    def __init__(self, *, app_url, b24, onec, portal):
        self.app_url, self.b24, self.onec, self.portal = app_url, b24, onec, portal

    def deal_card_url(self, deal_id, user_id=2) -> str:
        return f"{self.b24.url}/crm/deal/details/{deal_id}/?user={user_id}"

    def app_page_url(self, user_id=1) -> str:
        return f"{self.b24.url}/marketplace/app/?user={user_id}"


@pytest.fixture
def demo_stack(live_server, settings, b24_sandbox_factory, onec_sandbox):
    from sandbox.demo_setup import setup_demo

    b24 = b24_sandbox_factory(app_url=live_server.url)
    settings.PUBLIC_BASE_URL = live_server.url
    settings.B24_OAUTH_URL = b24.url
    settings.B24_JS_URL = f"{b24.url}/bx24-shim.js"
    settings.B24_JS_ORIGIN = b24.url
    portal, _counts = setup_demo(portal_url=b24.url, onec_url=onec_sandbox.url)
    return DemoStack(app_url=live_server.url, b24=b24, onec=onec_sandbox, portal=portal)

"""Browser tests against the app served by pytest-django's live server, embedded in the
Bitrix24 sandbox's deal card (browser fixtures: tests/fixtures/browser.py)."""

import pytest


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
def installed_stack(live_server, settings, b24_sandbox_factory, onec_sandbox):
    """Installed and connected to 1C, nothing configured yet (what an admin starts from)."""
    from sandbox.demo_setup import connect_onec, install_app

    b24 = b24_sandbox_factory(app_url=live_server.url)
    settings.PUBLIC_BASE_URL = live_server.url
    settings.B24_OAUTH_URL = b24.url
    settings.B24_JS_URL = f"{b24.url}/bx24-shim.js"
    settings.B24_JS_ORIGIN = b24.url
    portal = install_app(b24.url)
    connect_onec(portal, onec_url=onec_sandbox.url)
    return DemoStack(app_url=live_server.url, b24=b24, onec=onec_sandbox, portal=portal)


@pytest.fixture
def demo_stack(installed_stack):
    """As `make demo` leaves it: regions, signatories, stamps and templates configured."""
    from sandbox.demo_setup import configure

    configure(installed_stack.portal)
    return installed_stack

"""The BX24 shim and the portal pages in a real browser: the installer reports installFinish,
the deal tab receives its placement and auth, fitWindow resizes the frame."""

import pytest

from sandbox.server import SandboxServer
from sandbox.wsgi import Request

pytestmark = pytest.mark.e2e

APP_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="{shim}"></script></head><body><div id="out" style="height:{height}px">…</div>
<script>
BX24.init(function () {{
  var info = BX24.placement.info();
  document.getElementById("out").textContent =
    info.placement + " " + JSON.stringify(info.options) + " " + BX24.getAuth().domain
    + " admin=" + BX24.isAdmin() + " token=" + BX24.getAuth().access_token;
  {action}
}});
</script></body></html>"""


@pytest.fixture
def fake_app(b24_sandbox):
    """A stand-in for the Django app: answers the placement POSTs with a page using the shim."""
    posts = []

    def app(environ, start_response):
        request = Request.from_environ(environ)
        posts.append((request.path, request.query, dict(request.form_pairs())))
        action = "BX24.installFinish();" if request.path == "/b24/install/" else "BX24.fitWindow();"
        html = APP_PAGE.format(shim=f"{b24_sandbox.url}/bx24-shim.js", height=900, action=action)
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [html.encode()]

    server = SandboxServer(app).start(poll_interval=0.02)
    b24_sandbox.app_url = server.url
    yield posts
    server.stop()


@pytest.fixture
def browser_page(page):
    return page


def test_it_runs_the_installer_until_install_finish(b24_sandbox, fake_app, browser_page):
    browser_page.goto(f"{b24_sandbox.url}/marketplace/install/?user=1")
    assert fake_app == []  # nothing is posted before the admin presses the button
    browser_page.click("#install-button")
    browser_page.wait_for_selector("body[data-installed='1']")
    assert "Приложение установлено" in browser_page.inner_text("#install-status")
    assert b24_sandbox.state.install_finished is True
    path, query, form = fake_app[0]
    assert (path, form["PLACEMENT"]) == ("/b24/install/", "DEFAULT")
    assert query["DOMAIN"] == b24_sandbox.domain


def test_it_opens_the_deal_tab_with_placement_and_auth(b24_sandbox, fake_app, browser_page):
    browser_page.goto(f"{b24_sandbox.url}/crm/deal/details/3/?user=2")
    # A locator retries across the frame's navigation from about:blank to the POSTed page.
    out = browser_page.frame_locator("#app-frame").locator("#out")
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(out).to_contain_text("token=")
    text = out.inner_text()
    assert 'CRM_DEAL_DETAIL_TAB {"ID":"3"}' in text and "admin=false" in text
    assert f"token={fake_app[0][2]['AUTH_ID']}" in text
    browser_page.wait_for_function("document.getElementById('app-frame').offsetHeight > 800")

"""The sandbox portal's protocol: tokens, OAuth rotation, errors, domain moves, form encoding."""

import json

import requests


def rest(sb, method, token=None, **params):
    if token is not None:
        params["auth"] = token
    return requests.post(f"{sb.url}/rest/{method}.json", json=params, timeout=10)


def refresh(sb, refresh_token, **overrides):
    params = {
        "grant_type": "refresh_token",
        "client_id": "local.test",
        "client_secret": "test-secret",
        "refresh_token": refresh_token,
    } | overrides
    return requests.get(f"{sb.oauth_url}/oauth/token/", params=params, timeout=10)


def test_it_answers_user_current_for_the_token_owner(b24_sandbox):
    token = b24_sandbox.issue_tokens(2)["access_token"]
    r = rest(b24_sandbox, "user.current", token)
    assert r.status_code == 200
    body = r.json()
    assert body["result"]["ID"] == "2"
    assert body["result"]["EMAIL"] == "smirnova@romashka.test"
    assert body["result"]["UF_DEPARTMENT"] == [2]
    assert "duration" in body["time"]


def test_it_rejects_expired_unknown_and_missing_tokens(b24_sandbox):
    token = b24_sandbox.issue_tokens(1)["access_token"]
    b24_sandbox.expire_access_tokens()
    expired = rest(b24_sandbox, "user.current", token)
    assert expired.status_code == 401
    assert expired.json()["error"] == "expired_token"
    unknown = rest(b24_sandbox, "user.current", "not-a-token")
    assert (unknown.status_code, unknown.json()["error"]) == (401, "invalid_token")
    missing = rest(b24_sandbox, "user.current")
    assert (missing.status_code, missing.json()["error"]) == (401, "NO_AUTH_FOUND")


def test_it_rotates_refresh_tokens_and_kills_the_old_one(b24_sandbox):
    first = b24_sandbox.issue_tokens(3)
    r = refresh(b24_sandbox, first["refresh_token"])
    assert r.status_code == 200
    pair = r.json()
    assert pair["refresh_token"] != first["refresh_token"]
    assert pair["member_id"] == b24_sandbox.member_id
    assert pair["client_endpoint"] == f"{b24_sandbox.url}/rest/"
    assert pair["user_id"] == 3
    assert rest(b24_sandbox, "user.current", pair["access_token"]).json()["result"]["ID"] == "3"

    reused = refresh(b24_sandbox, first["refresh_token"])
    assert reused.status_code == 400
    assert reused.json()["error"] == "invalid_grant"
    assert b24_sandbox.stats.refresh_calls == 2


def test_it_rejects_a_refresh_from_the_wrong_client(b24_sandbox):
    tokens = b24_sandbox.issue_tokens(1)
    r = refresh(b24_sandbox, tokens["refresh_token"], client_secret="wrong")
    assert r.json()["error"] == "invalid_client"
    # The refresh token survives a rejected request.
    assert refresh(b24_sandbox, tokens["refresh_token"]).status_code == 200


def test_it_exchanges_an_authorization_code_once(b24_sandbox):
    code = b24_sandbox.issue_auth_code(1)
    params = {"grant_type": "authorization_code", "code": code}
    first = refresh(b24_sandbox, "", **params)
    assert first.status_code == 200 and first.json()["access_token"]
    assert refresh(b24_sandbox, "", **params).json()["error"] == "invalid_grant"


def test_it_reads_php_style_form_and_query_parameters(b24_sandbox):
    token = b24_sandbox.issue_tokens(2)["access_token"]
    form = {"auth": token, "filter[>OPPORTUNITY]": "20000", "select[]": ["ID", "TITLE"]}
    r = requests.post(f"{b24_sandbox.url}/rest/crm.deal.list", data=form, timeout=10)
    rows = r.json()["result"]
    assert rows and all(set(row) == {"ID", "TITLE"} for row in rows)
    assert {row["ID"] for row in rows} == {
        d["ID"] for d in b24_sandbox.state.deals.values() if float(d["OPPORTUNITY"]) > 20000
    }
    by_query = requests.get(f"{b24_sandbox.url}/rest/crm.deal.get?id=2&auth={token}", timeout=10)
    assert by_query.json()["result"]["TITLE"] == b24_sandbox.state.deals["2"]["TITLE"]


def test_it_answers_unknown_methods_with_404(b24_sandbox):
    token = b24_sandbox.issue_tokens(1)["access_token"]
    r = rest(b24_sandbox, "crm.deal.fly", token)
    assert (r.status_code, r.json()["error"]) == (404, "ERROR_METHOD_NOT_FOUND")


def test_it_denies_rest_on_a_free_plan_and_blocked_users(b24_sandbox):
    token = b24_sandbox.issue_tokens(2)["access_token"]
    b24_sandbox.set_user_active(2, False)
    blocked = rest(b24_sandbox, "user.current", token)
    assert (blocked.status_code, blocked.json()["error"]) == (403, "user_access_error")
    b24_sandbox.set_rest_enabled(False)
    denied = rest(b24_sandbox, "user.current", b24_sandbox.issue_tokens(1)["access_token"])
    assert (denied.status_code, denied.json()["error"]) == (403, "ACCESS_DENIED")


def test_it_redirects_the_old_domain_after_a_move(b24_moved_sandbox):
    sb = b24_moved_sandbox
    old_path = f"{sb.old_url}/rest/user.current.json?x=1"
    old = requests.get(old_path, allow_redirects=False, timeout=10)
    assert old.status_code == 302
    assert old.headers["Location"] == f"{sb.url}/rest/user.current.json?x=1"
    # requests turns the redirected POST into a GET and drops the body: the token is lost.
    token = sb.issue_tokens(1)["access_token"]
    followed = requests.post(f"{sb.old_url}/rest/user.current", json={"auth": token}, timeout=10)
    assert followed.json()["error"] == "NO_AUTH_FOUND"
    assert rest(sb, "user.current", token).json()["result"]["ID"] == "1"
    pair = refresh(sb, sb.issue_tokens(1)["refresh_token"]).json()
    assert pair["client_endpoint"] == f"{sb.url}/rest/"
    query, form = sb.placement_post(1)
    assert query["DOMAIN"] == sb.domain
    assert form["member_id"] == sb.member_id


def test_it_builds_the_placement_post_like_bitrix24(b24_sandbox):
    query, form = b24_sandbox.placement_post(2, options={"ID": "5"}, lang="en")
    assert query["DOMAIN"] == b24_sandbox.domain
    assert (query["PROTOCOL"], query["LANG"]) == ("0", "en")
    assert json.loads(form["PLACEMENT_OPTIONS"]) == {"ID": "5"}
    assert form["PLACEMENT"] == "CRM_DEAL_DETAIL_TAB"
    assert form["SERVER_ENDPOINT"] == f"{b24_sandbox.oauth_url}/rest/"
    r = rest(b24_sandbox, "user.current", form["AUTH_ID"])
    assert r.json()["result"]["ID"] == "2"
    _, install = b24_sandbox.install_post()
    assert install["PLACEMENT"] == "DEFAULT" and "PLACEMENT_OPTIONS" not in install


def test_it_encodes_event_payloads_with_brackets(b24_sandbox):
    pairs = dict(b24_sandbox.event_form("ONCRMDEALUPDATE", {"FIELDS": {"ID": "3"}}))
    assert pairs["event"] == "ONCRMDEALUPDATE"
    assert pairs["data[FIELDS][ID]"] == "3"
    assert pairs["auth[application_token]"] == b24_sandbox.application_token
    assert pairs["auth[member_id]"] == b24_sandbox.member_id
    assert rest(b24_sandbox, "user.current", pairs["auth[access_token]"]).status_code == 200
    uninstall = dict(b24_sandbox.event_form("ONAPPUNINSTALL", application_token="other"))
    assert uninstall["auth[application_token]"] == "other"
    assert not any(k.startswith("auth[access_token") for k in uninstall)

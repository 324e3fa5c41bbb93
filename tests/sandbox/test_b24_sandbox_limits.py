"""The sandbox portal's limits and batch: leaky bucket, operating-time limit, batch rules."""

import requests


class FrozenClock:
    """The bucket's clock, moved by hand so the test does not depend on timing."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def call(sb, method, token, **params):
    return requests.post(f"{sb.url}/rest/{method}", json={"auth": token, **params}, timeout=10)


def test_it_rejects_a_burst_over_the_bucket_with_503(b24_sandbox):
    clock = FrozenClock()
    b24_sandbox.bucket.clock = clock
    token = b24_sandbox.issue_tokens(1)["access_token"]
    statuses = [call(b24_sandbox, "user.current", token).status_code for _ in range(52)]
    assert statuses[:50] == [200] * 50
    assert statuses[50:] == [503, 503]
    rejected = call(b24_sandbox, "user.current", token)
    assert rejected.json()["error"] == "QUERY_LIMIT_EXCEEDED"
    clock.now += 1  # two drops drain per second on a basic plan
    assert [call(b24_sandbox, "user.current", token).status_code for _ in range(3)] == [
        200,
        200,
        503,
    ]
    stats = requests.get(f"{b24_sandbox.url}/sandbox/stats", timeout=10).json()
    assert stats["rejected_503"] == 4
    assert stats["max_bucket_level"] == 50
    assert stats["per_method"]["user.current"] == 52


def test_it_gives_enterprise_portals_a_bigger_bucket(b24_sandbox_factory):
    sb = b24_sandbox_factory(license_family="ent")
    sb.bucket.clock = FrozenClock()
    assert (sb.bucket.capacity, sb.bucket.drain) == (250, 5.0)
    token = sb.issue_tokens(1)["access_token"]
    assert call(sb, "app.info", token).json()["result"]["LICENSE_FAMILY"] == "ent"


def test_it_blocks_a_method_over_its_operating_time(b24_sandbox):
    token = b24_sandbox.issue_tokens(1)["access_token"]
    b24_sandbox.set_operation_time_limit("crm.deal.list", 120)
    r = call(b24_sandbox, "crm.deal.list", token)
    assert r.status_code == 429
    assert r.json()["error"] == "OPERATION_TIME_LIMIT"
    assert r.json()["time"]["operating_reset_at"] > r.json()["time"]["start"]
    assert call(b24_sandbox, "crm.deal.get", token, id=1).status_code == 200
    b24_sandbox.set_operation_time_limit("crm.deal.list", 0)
    assert call(b24_sandbox, "crm.deal.list", token).status_code == 200
    assert b24_sandbox.stats.rejected_429 == 1


def test_it_runs_a_batch_with_references_as_one_drop(b24_sandbox):
    b24_sandbox.bucket.clock = FrozenClock()
    token = b24_sandbox.issue_tokens(2)["access_token"]
    cmd = {
        "deal": "crm.deal.get?id=2",
        "link": "crm.requisite.link.get?entityTypeId=2&entityId=$result[deal][ID]",
        "req": "crm.requisite.list?filter[ID]=$result[link][REQUISITE_ID]",
        "bank": "crm.requisite.bankdetail.list?filter[ENTITY_ID]=$result[req][0][ID]",
        "missing": "crm.deal.get?id=999",
    }
    r = call(b24_sandbox, "batch", token, cmd=cmd)
    assert r.status_code == 200
    body = r.json()["result"]
    assert body["result"]["req"][0]["RQ_INN"] == "784323194819"
    assert body["result"]["bank"][0]["RQ_BIK"] == "044030653"
    assert body["result_total"]["req"] == 1
    assert body["result_error"]["missing"]["error_description"] == "Not found"
    assert "missing" not in body["result"]
    assert b24_sandbox.bucket.level("127.0.0.1") == 1
    assert b24_sandbox.stats.batch_commands["crm.deal.get"] == 2
    assert b24_sandbox.stats.per_method["batch"] == 1


def test_it_halts_a_batch_at_the_first_error(b24_sandbox):
    token = b24_sandbox.issue_tokens(1)["access_token"]
    cmd = {"a": "crm.deal.get?id=999", "b": "crm.deal.get?id=1"}
    body = call(b24_sandbox, "batch", token, cmd=cmd, halt=1).json()["result"]
    assert list(body["result_error"]) == ["a"]
    assert body["result"] == []


def test_it_runs_only_fifty_batch_commands(b24_sandbox):
    token = b24_sandbox.issue_tokens(1)["access_token"]
    commands = {f"c{i}": "user.current" for i in range(52)}
    r = call(b24_sandbox, "batch", token, cmd=commands)
    assert r.status_code == 200
    body = r.json()["result"]
    assert len(body["result"]) == 50
    assert {k: v["error"] for k, v in body["result_error"].items()} == {
        "c50": "ERROR_BATCH_LENGTH_EXCEEDED",
        "c51": "ERROR_BATCH_LENGTH_EXCEEDED",
    }


def test_it_resolves_references_like_the_portal(b24_sandbox):
    token = b24_sandbox.issue_tokens(2)["access_token"]
    cmd = {
        "deal": "crm.deal.get?id=1",
        # The deal has no contact: the walk stops at the deal itself, which is no id.
        "contact": "crm.contact.get?id=$result[deal][CONTACT_ID]",
        # A whole-value reference to a string field.
        "titled": "crm.deal.list?filter[%TITLE]=$result[deal][TITLE]&select[]=ID",
        "rows": "crm.deal.productrows.get?id=$result[deal][ID]",
        "product": "catalog.product.get?id=$result[rows][1][PRODUCT_ID]",
    }
    body = call(b24_sandbox, "batch", token, cmd=cmd).json()["result"]
    assert "contact" in body["result_error"]
    assert body["result"]["titled"] == [{"ID": "1"}]
    assert body["result"]["product"]["product"]["name"] == "Кресло рабочее"


def test_it_refuses_nested_batches_and_uploads_inside_batch(b24_sandbox):
    token = b24_sandbox.issue_tokens(1)["access_token"]
    cmd = {"x": "batch?cmd[a]=user.current", "u": "crm.documentgenerator.document.upload"}
    errors = call(b24_sandbox, "batch", token, cmd=cmd).json()["result"]["result_error"]
    assert {k: v["error"] for k, v in errors.items()} == {
        "x": "ERROR_BATCH_METHOD_NOT_ALLOWED",
        "u": "ERROR_BATCH_METHOD_NOT_ALLOWED",
    }

import pytest

pytest_plugins = [
    "tests.fixtures.b24",
    "tests.fixtures.b24app",
    "tests.fixtures.onec",
    "tests.fixtures.onec_connector",
    "tests.fixtures.wizard",
    "tests.fixtures.documents",
    "tests.fixtures.browser",
]


@pytest.fixture
def portal(db):
    from b24app.models import Portal

    return Portal.objects.create(
        member_id="member-a",
        domain="a.example.test",
        client_endpoint="https://a.example.test/rest/",
        application_token="app-token-a",
    )


@pytest.fixture
def other_portal(db):
    from b24app.models import Portal

    return Portal.objects.create(
        member_id="member-b",
        domain="b.example.test",
        client_endpoint="https://b.example.test/rest/",
        application_token="app-token-b",
    )

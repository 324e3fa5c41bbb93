"""The tab's signed session token: what later iframe requests carry instead of cookies."""

import pytest
from django.core import signing

from b24app import tab_session
from b24app.tab_session import TabSession, TabSessionInvalid


def _session():
    return TabSession(portal_id=7, user_id=12, deal_id="8061", lang="en", placement="TAB")


def test_it_round_trips_the_payload():
    assert tab_session.read(tab_session.issue(_session())) == _session()


def test_it_refuses_a_tampered_token():
    token = tab_session.issue(_session())
    forged = signing.TimestampSigner(salt="another").sign_object({"portal_id": 1, "user_id": 1})
    with pytest.raises(TabSessionInvalid):
        tab_session.read(token[:-2] + "xx")
    with pytest.raises(TabSessionInvalid):
        tab_session.read(forged)
    with pytest.raises(TabSessionInvalid):
        tab_session.read("")


def test_it_expires():
    token = tab_session.issue(_session())
    with pytest.raises(TabSessionInvalid):
        tab_session.read(token, max_age=-1)

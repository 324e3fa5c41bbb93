"""The iframe's identity after the first POST: a short-lived signed token in a header.

Third-party cookies are unreliable inside the portal's iframe (Safari drops them), so the first
page puts this token into `hx-headers` (`X-Tab-Token`) and every later request carries it.
Signed with SECRET_KEY (django.core.signing); nothing secret is inside, only ids.
"""

from dataclasses import asdict, dataclass

from django.core import signing

SALT = "b24app.tab-session.v1"
MAX_AGE = 2 * 60 * 60  # a manager keeps a deal card open for a while, not for a day
HEADER = "X-Tab-Token"


class TabSessionInvalid(Exception):
    pass


@dataclass(frozen=True)
class TabSession:
    portal_id: int
    user_id: int  # the Bitrix24 user id (PortalUser.user_id)
    deal_id: str
    lang: str
    placement: str


def issue(session: TabSession) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object(asdict(session), compress=True)


def read(token: str, *, max_age: int = MAX_AGE) -> TabSession:
    if not token or len(token) > 2000:
        raise TabSessionInvalid("missing")
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age)
        return TabSession(
            portal_id=int(data["portal_id"]),
            user_id=int(data["user_id"]),
            deal_id=str(data.get("deal_id") or ""),
            lang=str(data.get("lang") or "ru"),
            placement=str(data.get("placement") or ""),
        )
    except signing.SignatureExpired as exc:
        raise TabSessionInvalid("expired") from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise TabSessionInvalid("bad signature") from exc

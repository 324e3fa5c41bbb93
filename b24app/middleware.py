"""Framing policy.

Bitrix24 shows our pages in an iframe on the portal's origin; Django's default
`X-Frame-Options: DENY` would blank the tab. Views that are meant to be framed set
`response.frame_ancestors` (see `b24app.framing.allow_portal_framing`); every other response may
be framed by nobody.
"""

from django.conf import settings


def _csp(frame_ancestors: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {settings.B24_JS_ORIGIN}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "object-src 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class FramingPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        ancestors = getattr(response, "frame_ancestors", None)
        if ancestors:
            response["Content-Security-Policy"] = _csp(ancestors)
        else:
            response["Content-Security-Policy"] = _csp("'none'")
            response.setdefault("X-Frame-Options", "DENY")
        return response

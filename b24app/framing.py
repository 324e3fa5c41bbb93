"""Let a response be framed by its portal only (read by b24app.middleware)."""


def allow_portal_framing(response, portal):
    if portal is not None and portal.client_endpoint:
        response.frame_ancestors = portal.origin
    return response

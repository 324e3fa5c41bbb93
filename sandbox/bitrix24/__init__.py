"""A Bitrix24 portal and its OAuth server in one WSGI app, for demo, development and tests.

    from sandbox.bitrix24 import create_app
    from sandbox.server import SandboxServer
    sb = create_app(client_id="local.test", client_secret="test-secret")
    server = SandboxServer(sb).start(); sb.bind(server.url)

Never imported by production code; imports no Django settings.
"""

from sandbox.bitrix24.app import Bitrix24Sandbox


def create_app(
    *,
    client_id: str,
    client_secret: str,
    app_url: str = "http://127.0.0.1:8000",
    license_family: str = "basic",
    access_ttl: int = 3600,
    seed: bool = True,
    **options,
) -> Bitrix24Sandbox:
    return Bitrix24Sandbox(
        client_id=client_id,
        client_secret=client_secret,
        app_url=app_url,
        license_family=license_family,
        access_ttl=access_ttl,
        seed=seed,
        **options,
    )


__all__ = ["Bitrix24Sandbox", "create_app"]

"""Serve the Bitrix24 portal sandbox until interrupted."""

import os

from django.core.management.base import BaseCommand

from sandbox.bitrix24 import create_app
from sandbox.server import SandboxServer


class Command(BaseCommand):
    help = "Run the Bitrix24 portal + OAuth sandbox (dev/demo/e2e only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8024)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--app-url", default="http://127.0.0.1:8000")
        parser.add_argument("--license", choices=["basic", "ent"], default="basic")
        parser.add_argument("--access-ttl", type=int, default=3600)

    def handle(self, *args, **options):
        sb = create_app(
            client_id=os.environ.get("B24_CLIENT_ID") or "local.demo",
            client_secret=os.environ.get("B24_CLIENT_SECRET") or "demo-secret",
            app_url=options["app_url"],
            license_family=options["license"],
            access_ttl=options["access_ttl"],
        )
        server = SandboxServer(sb, host=options["host"], port=options["port"])
        sb.bind(server.url)
        self.stdout.write(f"Bitrix24 sandbox: {server.url}/  (OAuth: {sb.oauth_url}/oauth/token/)")
        self.stdout.write(f"App URL: {sb.app_url}  member_id: {sb.member_id}", ending="\n")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()

"""`python manage.py sandbox_onec --port N --profile bp30|ut11`: serve the emulated 1C base."""

from django.core.management.base import BaseCommand

from sandbox.onec import create_app
from sandbox.server import SandboxServer


class Command(BaseCommand):
    help = "Serve the 1C sandbox (OData + docs1c print service) with the demo base at /demo/."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8010)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--profile", choices=["bp30", "ut11"], default="bp30")

    def handle(self, *args, port, host, profile, **options):
        sb = create_app(profile=profile, seed=True)
        server = SandboxServer(sb, host=host, port=port)
        sb.url = f"{server.url}/demo/"
        self.stdout.write(f"1C sandbox ({profile}): {sb.url}")
        self.stdout.write(f"  OData: {sb.url}odata/standard.odata/   print: {sb.url}hs/docs1c/v1/")
        self.stdout.write("  login: Администратор / demo   knobs: POST /sandbox/knobs")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            server.stop()

from django.core.management.base import BaseCommand, CommandError

from sandbox.demo_setup import SetupError, setup_demo


class Command(BaseCommand):
    help = "Install the app into a running Bitrix24 sandbox and connect a running 1C sandbox."

    def add_arguments(self, parser):
        parser.add_argument("--portal", required=True, help="Bitrix24 sandbox URL")
        parser.add_argument("--onec", required=True, help="1C publication URL (…/demo/)")
        parser.add_argument("--onec-profile", default="bp30", choices=["bp30", "ut11"])

    def handle(self, *args, portal, onec, onec_profile, **options):
        try:
            installed, counts = setup_demo(
                portal_url=portal.rstrip("/"), onec_url=onec, onec_profile=onec_profile
            )
        except SetupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Installed into {installed.domain}; 1C reference data: {counts}")

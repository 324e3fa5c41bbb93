from django.apps import AppConfig


class SandboxConfig(AppConfig):
    # Only its management commands are used through Django; the emulators themselves are
    # plain WSGI apps reached over HTTP, never imported by production code.
    name = "sandbox"
    verbose_name = "Sandboxes (dev/test only)"

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def b24_js_url() -> str:
    """The BX24 script: Bitrix24's CDN in production, the sandbox's shim in development."""
    return settings.B24_JS_URL

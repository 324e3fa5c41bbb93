"""Celery tasks: load by id, call a service."""

import contextlib

from celery import shared_task

from .models import Portal


@shared_task(ignore_result=True)
def portal_purge_tenant_data_task(portal_id: int) -> None:
    from .services import portal_purge_tenant_data

    portal = Portal.objects.filter(pk=portal_id, status=Portal.Status.UNINSTALLED).first()
    if portal is not None:
        portal_purge_tenant_data(portal=portal)


@shared_task(ignore_result=True)
def portal_notify_reauth_task(portal_id: int, failed_user_id: int = 0) -> None:
    from .services import portal_notify_reauth

    portal = Portal.objects.filter(pk=portal_id).first()
    if portal is not None:
        portal_notify_reauth(portal=portal, failed_user_id=failed_user_id)


@shared_task(ignore_result=True)
def refresh_product_articles(portal_id: int, user_id: int) -> None:
    """After install: learn the catalog's product articles, so deal tabs open in one request."""
    from .client import B24Error, client_for
    from .models import PortalUser
    from .product_articles import NoArticleProperty, read_all

    user = PortalUser.objects.filter(portal_id=portal_id, user_id=user_id).first()
    if user is None:
        return
    # On failure the deal tab asks about unseen products itself.
    with contextlib.suppress(B24Error, NoArticleProperty):
        read_all(client_for(user.portal, user))

"""Celery tasks: load by id, call a service."""

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

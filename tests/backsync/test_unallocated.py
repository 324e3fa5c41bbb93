import uuid

from documents.models import Region


def test_it_notifies_the_region_managers_once_across_polls(backsync, make_invoice, poll):
    from b24app.models import PortalUser

    b24, onec, portal, _entity = backsync
    PortalUser.objects.create(portal=portal, user_id=2, department_ids=[2])
    Region.objects.create(portal=portal, name="Москва", department_ids=[2], notify_user_ids=[2, 3])
    Region.objects.create(portal=portal, name="Питер", department_ids=[3], notify_user_ids=[4])
    make_invoice("1000.00")  # makes «Вектор» known to the app
    onec.add_unallocated_payment(onec.ref("Catalog_Контрагенты", "vector"), "777.50")

    poll()
    poll()
    poll()

    notes = [n for n in b24.state.notifications if "без привязки" in n["message"]]
    assert sorted(n["user_id"] for n in notes) == ["2", "3"]
    assert "777,50" in notes[0]["message"] and "Вектор" in notes[0]["message"]
    assert b24.stats.batch_commands["im.notify.system.add"] == 2


def test_it_ignores_money_from_a_counterparty_the_app_does_not_know(backsync, poll):
    b24, onec, portal, _entity = backsync
    Region.objects.create(portal=portal, name="Москва", notify_user_ids=[2])
    onec.add_unallocated_payment(str(uuid.uuid4()), "100.00")

    poll()

    assert b24.state.notifications == []

"""Contract numbers: consecutive per legal entity and scheme, never duplicated."""

import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from documents.numbering import next_contract_number


def take(template, entity, on):
    with transaction.atomic():
        return next_contract_number(template=template, legal_entity=entity, on=on)


def test_it_numbers_with_prefix_and_padding(portal, make_legal_entity, make_template):
    entity = make_legal_entity(portal)
    template = make_template(portal, number_prefix="Д-{year}/", number_padding=4)
    on = date(2026, 3, 1)
    assert [take(template, entity, on) for _ in range(3)] == [
        "Д-2026/0001",
        "Д-2026/0002",
        "Д-2026/0003",
    ]


def test_it_restarts_every_year_when_the_scheme_says_so(portal, make_legal_entity, make_template):
    entity = make_legal_entity(portal)
    yearly = make_template(portal, number_prefix="", number_yearly_reset=True)
    take(yearly, entity, date(2026, 12, 31))
    assert take(yearly, entity, date(2027, 1, 1)) == "1"
    running = make_template(portal, name="Сквозной", number_prefix="С-", number_yearly_reset=False)
    take(running, entity, date(2026, 12, 31))
    assert take(running, entity, date(2027, 1, 1)) == "С-2"


def test_it_keeps_separate_counters_per_legal_entity(portal, make_legal_entity, make_template):
    first, second = make_legal_entity(portal), make_legal_entity(portal, name="Север")
    template = make_template(portal)
    on = date(2026, 5, 5)
    assert (take(template, first, on), take(template, second, on)) == ("1", "1")


def test_it_gives_a_rolled_back_number_to_the_next_job(portal, make_legal_entity, make_template):
    entity = make_legal_entity(portal)
    template = make_template(portal)
    on = date(2026, 5, 5)
    with pytest.raises(RuntimeError), transaction.atomic():
        next_contract_number(template=template, legal_entity=entity, on=on)
        raise RuntimeError("the job failed after taking a number")
    assert take(template, entity, on) == "1"


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_number_outside_a_transaction(portal, make_legal_entity, make_template):
    with pytest.raises(RuntimeError):
        next_contract_number(
            template=make_template(portal), legal_entity=make_legal_entity(portal), on=date.today()
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)
def test_it_hands_out_50_consecutive_numbers_to_50_parallel_jobs(
    portal, make_legal_entity, make_template
):
    entity = make_legal_entity(portal)
    template = make_template(portal)
    on = date(2026, 6, 1)
    numbers, errors = [], []
    start = threading.Barrier(50)

    def job():
        try:
            start.wait()
            numbers.append(take(template, entity, on))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=job) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(int(n) for n in numbers) == list(range(1, 51))

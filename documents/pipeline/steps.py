"""The steps of a generation job, in order (the names are `GenerationJob.Step` values)."""

from .runner import Step
from .steps_b24 import step_attach, step_notify
from .steps_files import step_contract_render, step_print_forms
from .steps_onec import step_contract, step_counterparty, step_invoice

STEPS = [
    (Step.COUNTERPARTY, step_counterparty),
    (Step.CONTRACT, step_contract),
    (Step.INVOICE, step_invoice),
    (Step.PRINT_FORMS, step_print_forms),
    (Step.CONTRACT_RENDER, step_contract_render),
    (Step.ATTACH, step_attach),
    (Step.NOTIFY, step_notify),
]

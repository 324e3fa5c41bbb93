"""What went wrong in a step, in the terms the pipeline decides by: can a later attempt help,
which outside system is to blame (the job waits «for 1C» or «for Bitrix24»), and what the
manager may read. Raw texts of outside systems stay in the log, never in the tab."""

import logging
import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from b24app.client import B24Error
from onec.errors import OneCError
from onec.services import ConnectionMissing

from ..converter import ConversionError
from ..rendering.contract import TemplateError

log = logging.getLogger("documents.pipeline")

ONEC, B24, CONVERTER, APP = "1c", "b24", "converter", "app"


@dataclass(frozen=True)
class Failure:
    retryable: bool
    message: str  # for the manager
    system: str  # ONEC / B24 / CONVERTER / APP


class StepFailed(Exception):
    """Raised by a step that knows exactly what to tell the manager."""

    def __init__(self, message: str, *, retryable: bool = False, system: str = APP):
        super().__init__(message)
        self.failure = Failure(retryable, message, system)


class LeaseLost(Exception):
    """Another worker took the job over (our lease expired): stop without touching it."""


def _b24_message(exc: B24Error) -> str:
    if exc.retryable:
        return _("Битрикс24 временно не отвечает или ограничил частоту запросов.")
    code = exc.code or type(exc).__name__
    return _("Битрикс24 отказал: %(code)s. Проверьте права приложения и сделку.") % {"code": code}


def classify(exc: Exception, *, job_id: int, step: str) -> Failure:
    """Map any exception of a step to a Failure; unexpected ones are bugs: logged with an id
    the manager can quote, never retried (a retry cannot fix a bug; «Повторить» still can
    after a fix)."""
    if isinstance(exc, StepFailed):
        return exc.failure
    if isinstance(exc, OneCError):
        log.warning("job %s step %s: %s", job_id, step, exc.log_text())
        return Failure(exc.retryable, exc.message_for_user, ONEC)
    if isinstance(exc, B24Error):
        log.warning("job %s step %s: bitrix24 %s %s", job_id, step, type(exc).__name__, exc.code)
        return Failure(exc.retryable, _b24_message(exc), B24)
    if isinstance(exc, ConversionError):
        log.warning("job %s step %s: conversion failed: %s", job_id, step, exc.message)
        return Failure(exc.retryable, exc.message, CONVERTER)
    if isinstance(exc, TemplateError):
        return Failure(False, _("Шаблон договора не подходит: %(e)s") % {"e": exc}, APP)
    if isinstance(exc, ConnectionMissing):
        return Failure(False, _("Подключение к 1С не настроено администратором портала."), ONEC)
    incident = uuid.uuid4().hex[:8]
    log.exception("job %s step %s: unexpected error, incident %s", job_id, step, incident)
    return Failure(
        False,
        _("Внутренняя ошибка приложения (код %(id)s). Сообщите в поддержку.") % {"id": incident},
        APP,
    )

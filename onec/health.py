"""The connection health check a portal admin runs: each finding is one readable Russian line."""

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from .errors import OneCAuthError, OneCError, OneCNotFound, OneCUnavailable
from .odata import ODataClient
from .print_client import PrintClient
from .profiles import ProfileSpec

SUPPORTED_PRINT_MAJOR = "1"


@dataclass(frozen=True)
class HealthLine:
    ok: bool
    title: str
    detail: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "HealthLine":
        return cls(
            ok=bool(data.get("ok")), title=data.get("title", ""), detail=data.get("detail", "")
        )


def run_health_check(
    odata: ODataClient, printer: PrintClient, spec: ProfileSpec
) -> list[HealthLine]:
    """Reachable → login accepted → objects published → print service → configuration.

    Stops early where later checks cannot mean anything (no server, wrong password).
    """
    lines: list[HealthLine] = []
    title_reach = _("Публикация 1С доступна")
    title_auth = _("Логин и пароль приняты")
    try:
        published = odata.service_sets()
    except OneCAuthError as exc:
        lines.append(HealthLine(True, title_reach, _("Веб-сервер 1С отвечает")))
        lines.append(HealthLine(False, title_auth, exc.message_for_user))
        return lines
    except OneCUnavailable as exc:
        return [HealthLine(False, title_reach, exc.message_for_user)]
    except OneCNotFound:
        return [
            HealthLine(
                False,
                title_reach,
                _(
                    "По адресу нет OData-интерфейса 1С (…/odata/standard.odata/). Проверьте адрес "
                    "публикации и что в ней включён стандартный интерфейс OData."
                ),
            )
        ]
    except OneCError as exc:
        return [HealthLine(False, title_reach, exc.message_for_user)]
    lines.append(HealthLine(True, title_reach, odata.base_url))
    lines.append(HealthLine(True, title_auth, ""))
    lines.append(_objects_line(published, spec))
    lines.extend(_print_lines(printer, spec))
    return lines


def _objects_line(published: set[str], spec: ProfileSpec) -> HealthLine:
    title = _("Нужные объекты опубликованы в OData")
    missing = [name for name in spec.required_sets if name not in published]
    if not missing:
        return HealthLine(
            True, title, _("Все %(n)s объектов на месте") % {"n": len(spec.required_sets)}
        )
    return HealthLine(
        False,
        title,
        _(
            "Не опубликованы: %(names)s. Добавьте их в состав стандартного интерфейса OData "
            "(обработка «Настройка автоматического REST-сервиса» в 1С)."
        )
        % {"names": ", ".join(missing)},
    )


def _print_lines(printer: PrintClient, spec: ProfileSpec) -> list[HealthLine]:
    title_print = _("Сервис печати установлен")
    title_conf = _("Конфигурация 1С")
    try:
        info = printer.ping()
    except OneCNotFound as exc:
        return [
            HealthLine(
                False,
                title_print,
                _("%(error)s. Установите расширение «docs1c» и опубликуйте его HTTP-сервис.")
                % {"error": exc.message_for_user.rstrip(".")},
            ),
            HealthLine(False, title_conf, _("Не определена: сервис печати не ответил")),
        ]
    except OneCError as exc:
        return [
            HealthLine(False, title_print, exc.message_for_user),
            HealthLine(False, title_conf, _("Не определена: сервис печати не ответил")),
        ]
    lines = []
    if info.version.split(".")[0] != SUPPORTED_PRINT_MAJOR:
        lines.append(
            HealthLine(
                False,
                title_print,
                _("Версия %(version)s не поддерживается, нужна %(major)s.x")
                % {"version": info.version, "major": SUPPORTED_PRINT_MAJOR},
            )
        )
    else:
        lines.append(HealthLine(True, title_print, _("Версия %(v)s") % {"v": info.version}))
    described = _("%(name)s, версия %(version)s, платформа %(platform)s") % {
        "name": info.configuration_name or "?",
        "version": info.configuration_version or "?",
        "platform": info.platform or "?",
    }
    if spec.matches_configuration(info.configuration_name):
        lines.append(HealthLine(True, title_conf, described))
    else:
        lines.append(
            HealthLine(
                False,
                title_conf,
                _("%(described)s — не подходит к выбранному профилю «%(profile)s»")
                % {"described": described, "profile": spec.title},
            )
        )
    return lines

"""Users, departments, the app itself, placements and event handlers."""

from sandbox.bitrix24.params import as_dict
from sandbox.bitrix24.rest import Listed, RestError, list_rows, matches, method, paginate
from sandbox.bitrix24.state import now_iso

KNOWN_EVENTS = {
    "ONAPPINSTALL",
    "ONAPPUNINSTALL",
    "ONAPPUPDATE",
    "ONAPPPAYMENT",
    "ONCRMDEALADD",
    "ONCRMDEALUPDATE",
    "ONCRMDEALDELETE",
    "ONCRMCOMPANYUPDATE",
    "ONCRMCONTACTUPDATE",
    "ONCRMREQUISITEUPDATE",
    "ONCRMPRODUCTUPDATE",
    "ONCRMDOCUMENTGENERATORDOCUMENTADD",
    "ONUSERADD",
}
PLACEMENTS = [
    "DEFAULT",
    "CRM_DEAL_DETAIL_TAB",
    "CRM_DEAL_DETAIL_ACTIVITY",
    "CRM_DEAL_DETAIL_TOOLBAR",
    "CRM_DEAL_LIST_MENU",
    "CRM_DEAL_DOCUMENTGENERATOR_BUTTON",
    "CRM_COMPANY_DETAIL_TAB",
    "LEFT_MENU",
]
LICENSES = {"basic": ("basic", "ru_basic"), "ent": ("ent250", "ru_ent250")}


def _require_admin(call):
    if not call.is_admin:
        raise RestError("ACCESS_DENIED", "Access denied! Administrator permissions required", 403)


@method("user.current")
def user_current(call):
    return dict(call.state.users[call.user_id])


@method("user.admin")
def user_admin(call):
    return call.is_admin


@method("profile")
def profile(call):
    user = call.state.users[call.user_id]
    return {
        "ID": user["ID"],
        "ADMIN": call.is_admin,
        "NAME": user["NAME"],
        "LAST_NAME": user["LAST_NAME"],
        "PERSONAL_GENDER": user["PERSONAL_GENDER"],
        "TIME_ZONE": user["TIME_ZONE"],
        "TIME_ZONE_OFFSET": 10800,
    }


@method("user.get", "user.search")
def user_get(call):
    filter_ = as_dict(call.param("FILTER", {}))
    # Top-level ID, EMAIL, ACTIVE... are filters too (user.get?ID=2).
    for key, value in call.params.items():
        if key.lower() not in {"filter", "sort", "order", "start", "admin_mode", "auth"}:
            filter_.setdefault(key, value)
    users = [u for u in call.state.users.values() if matches(u, filter_)]
    return paginate(call, users)


@method("department.get")
def department_get(call):
    filter_ = {
        k: v
        for k, v in call.params.items()
        if k.upper() in {"ID", "NAME", "PARENT", "UF_HEAD", "SORT"}
    }
    rows = [d for d in call.state.departments.values() if matches(d, filter_)]
    return Listed(rows, len(rows))


@method("app.info")
def app_info(call):
    sb = call.sandbox
    license_type, license_name = LICENSES[sb.license_family]
    return {
        "ID": 7,
        "CODE": sb.client_id,
        "VERSION": 1,
        "STATUS": sb.app_status,
        "INSTALLED": call.state.install_finished,
        "PAYMENT_EXPIRED": "N",
        "DAYS": None,
        "LANGUAGE_ID": "ru",
        "LICENSE": license_name,
        "LICENSE_TYPE": license_type,
        "LICENSE_FAMILY": sb.license_family,
    }


@method("scope")
def scope(call):
    return call.sandbox.scope.split(",")


@method("placement.list")
def placement_list(call):
    return list(PLACEMENTS)


@method("placement.bind")
def placement_bind(call):
    _require_admin(call)
    placement = str(call.param("PLACEMENT", "") or "").upper()
    handler = str(call.param("HANDLER", "") or "")
    if not placement:
        raise RestError(
            "ERROR_ARGUMENT", "Argument 'PLACEMENT' is null or empty", argument="PLACEMENT"
        )
    if not handler:
        raise RestError("ERROR_ARGUMENT", "Argument 'HANDLER' is null or empty", argument="HANDLER")
    if placement not in PLACEMENTS:
        raise RestError("ERROR_PLACEMENT_NOT_FOUND", "Placement not found")
    binding = {
        "placement": placement,
        "handler": handler,
        "title": call.param("TITLE", "") or "",
        "description": call.param("DESCRIPTION", "") or "",
        "groupName": call.param("GROUP_NAME", "") or "",
        "options": as_dict(call.param("OPTIONS", {})),
        "langAll": as_dict(call.param("LANG_ALL", {})),
        "userId": 0,
    }
    with call.state.lock:
        # One binding per PLACEMENT+HANDLER: re-binding (every installer run) updates it.
        call.state.placements[:] = [
            p
            for p in call.state.placements
            if (p["placement"], p["handler"]) != (placement, handler)
        ]
        call.state.placements.append(binding)
    return True


@method("placement.unbind")
def placement_unbind(call):
    _require_admin(call)
    placement = str(call.param("PLACEMENT", "") or "").upper()
    handler = call.param("HANDLER")
    if not placement:
        raise RestError(
            "ERROR_ARGUMENT", "Argument 'PLACEMENT' is null or empty", argument="PLACEMENT"
        )
    with call.state.lock:
        keep = [
            p
            for p in call.state.placements
            if p["placement"] != placement or (handler and p["handler"] != handler)
        ]
        count = len(call.state.placements) - len(keep)
        call.state.placements[:] = keep
    return {"count": count}


@method("placement.get")
def placement_get(call):
    return [dict(p) for p in call.state.placements]


@method("event.bind")
def event_bind(call):
    _require_admin(call)
    event = str(call.param("event", "") or "").upper()
    handler = str(call.param("handler", "") or "")
    if event not in KNOWN_EVENTS:
        raise RestError("ERROR_EVENT_NOT_FOUND", "Event not found")
    if not handler:
        raise RestError("ERROR_ARGUMENT", "Argument 'handler' is null or empty", argument="handler")
    auth_type = str(call.param("auth_type", "0") or "0")
    offline = str(call.param("event_type", "online")).lower() == "offline"
    with call.state.lock:
        for e in call.state.events:
            if (e["event"], e["handler"], e["auth_type"]) == (event, handler, auth_type):
                raise RestError("ERROR_HANDLER_ALREADY_EXIST", "Handler already exists!")
        call.state.events.append(
            {
                "event": event,
                "handler": handler,
                "auth_type": auth_type,
                "offline": 1 if offline else 0,
                "bound_by": call.user_id,
                "id": str(call.state.next_id()),
                "date": now_iso(),
            }
        )
    return True


@method("event.unbind")
def event_unbind(call):
    _require_admin(call)
    event = str(call.param("event", "") or "").upper()
    handler = call.param("handler")
    auth_type = call.param("auth_type")
    with call.state.lock:
        keep = [
            e
            for e in call.state.events
            if e["event"] != event
            or (handler and e["handler"] != handler)
            or (auth_type is not None and e["auth_type"] != str(auth_type))
        ]
        count = len(call.state.events) - len(keep)
        call.state.events[:] = keep
    return {"count": count}


@method("event.get")
def event_get(call):
    return [
        {k: e[k] for k in ("event", "handler", "auth_type", "offline")} for e in call.state.events
    ]


@method("crm.requisite.preset.list")
def requisite_preset_list(call):
    return list_rows(call, call.state.requisite_presets.values())

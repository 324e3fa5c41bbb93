"""The portal's pages a person (or a browser test) uses: an index, a deal card that embeds the
app exactly as Bitrix24 does (a hidden form POSTed into the iframe), the installer and the app
page; plus the sandbox's own endpoints (stats, state, document downloads, the BX24 shim)."""

import json
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from sandbox.wsgi import Response, Router, json_response

ROUTER = Router()
STATIC = Path(__file__).parent / "static"
CSS = """
body{margin:0;font:14px/1.45 "Open Sans","Helvetica Neue",Arial,sans-serif;color:#333;
background:#eef2f4}
header{background:#2fc6f6;color:#fff;padding:10px 24px;font-size:18px;font-weight:600}
header a{color:#fff;text-decoration:none}
main{padding:18px 24px;max-width:1200px}
.card{background:#fff;border-radius:12px;padding:14px 18px;margin-bottom:16px}
h1{font-size:22px;font-weight:400;margin:4px 0 14px}h2{font-size:16px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:5px 8px;
border-bottom:1px solid #edf0f2}th{color:#80868e;font-weight:400}
a{color:#2067b0}.muted{color:#80868e}.ok{color:#4c9b00;font-weight:600}
.warn{background:#fff4d6;padding:8px 12px;border-radius:8px}
.tabs span{display:inline-block;padding:6px 14px;border-bottom:2px solid transparent}
.tabs .active{border-color:#2fc6f6;font-weight:600}
button.ui{background:#bbed21;border:0;border-radius:18px;padding:9px 22px;font-weight:600;
cursor:pointer;font-size:14px}
iframe.app{width:100%;height:640px;border:0;background:#fff;border-radius:12px}
"""


def page(sb, title: str, body: str) -> Response:
    html = (
        "<!doctype html><html lang='ru'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header><a href='/'>Битрикс24 · песочница</a> <span class='muted' "
        f"style='color:#e6fbff;font-size:13px'>{escape(sb.domain)}</span></header>"
        f"<main>{body}</main></body></html>"
    )
    return Response(html)


def _user_id(sb, request, default="1") -> str:
    user = request.query.get("user", default)
    return user if user in sb.state.users else default


def _user_name(sb, user_id) -> str:
    u = sb.state.users.get(str(user_id))
    return f"{u['NAME']} {u['LAST_NAME']}" if u else f"#{user_id}"


def _documents_table(sb, docs) -> str:
    if not docs:
        return "<p class='muted'>Документов пока нет.</p>"
    rows = "".join(
        f"<tr><td>{escape(d.title)}</td><td>{escape(d.number)}</td>"
        f"<td>{escape(d.create_time)}</td><td><a href='/sandbox/documents/{d.id}/docx'>DOCX</a>"
        + (f" · <a href='/sandbox/documents/{d.id}/pdf'>PDF</a>" if d.pdf else "")
        + (f"</td><td><a href='/crm/deal/details/{d.entity_id}/'>сделка {d.entity_id}</a>")
        + "</td></tr>"
        for d in docs
    )
    head = "<tr><th>Документ</th><th>Номер</th><th>Создан</th><th>Файлы</th><th></th></tr>"
    return f"<table class='documents'>{head}{rows}</table>"


def _timeline(sb, entries) -> str:
    if not entries:
        return "<p class='muted'>Записей нет.</p>"
    items = []
    for e in entries:
        title = escape(e.get("title", "Комментарий"))
        files = "".join(f" 📎 {escape(name)}" for name, _ in e.get("files", []))
        items.append(
            f"<li><b>{title}</b> <span class='muted'>{escape(e['created'])}</span><br>"
            f"{escape(e['text'])}{files}</li>"
        )
    return f"<ul class='timeline'>{''.join(items)}</ul>"


def _notifications(sb, notes) -> str:
    if not notes:
        return "<p class='muted'>Уведомлений нет.</p>"
    items = "".join(
        f"<li>→ {escape(_user_name(sb, n['user_id']))}: {escape(n['message'])} "
        f"<span class='muted'>{escape(n['created'])}</span></li>"
        for n in notes
    )
    return f"<ul class='notifications'>{items}</ul>"


def _frame(sb, action: str, query: dict, form: dict, *, user_id: str, autosubmit=True) -> str:
    """The hidden form + iframe pair Bitrix24 uses to open an app placement."""
    tokens = {"access_token": form["AUTH_ID"], "refresh_token": form["REFRESH_ID"]}
    context = {
        "autosubmit": autosubmit,
        "frame": {
            "auth": tokens | {"expires_in": int(form["AUTH_EXPIRES"])},
            "domain": sb.domain,
            "member_id": sb.member_id,
            "lang": query["LANG"],
            "placement": form["PLACEMENT"],
            "options": json.loads(form.get("PLACEMENT_OPTIONS") or "{}"),
            "is_admin": user_id in sb.state.admins,
        },
    }
    inputs = "".join(
        f"<input type='hidden' name='{escape(k)}' value='{escape(v)}'>" for k, v in form.items()
    )
    action_url = f"{action}?{urlencode(query, safe=':')}"
    hidden = "" if autosubmit else " style='display:none'"
    # `<` escaped so a value can never close the script element.
    payload = json.dumps(context, ensure_ascii=False).replace("<", "\\u003c")
    return (
        f"<form id='b24-post' method='post' target='app-frame' action='{escape(action_url)}'>"
        f"{inputs}</form>"
        f"<iframe class='app' id='app-frame' name='app-frame'{hidden}></iframe>"
        f"<script type='application/json' id='b24-context'>{payload}</script>"
        "<script src='/sandbox/parent.js'></script>"
    )


def _handler_for(sb, placement: str, fallback: str) -> tuple[str, str, bool]:
    for binding in sb.state.placements:
        if binding["placement"] == placement:
            lang = binding.get("langAll", {}).get("ru", {})
            title = lang.get("TITLE") if isinstance(lang, dict) else None
            return binding["handler"], title or binding["title"] or "Приложение", True
    return fallback, "Приложение", False


@ROUTER.route("/")
def index(sb, request):
    deals = "".join(
        f"<tr><td>{d['ID']}</td><td>{escape(d['TITLE'])}</td><td>{d['OPPORTUNITY']} ₽</td>"
        f"<td>{escape(d['STAGE_ID'])}</td><td>"
        + " · ".join(
            f"<a href='/crm/deal/details/{d['ID']}/?user={u}'>{escape(_user_name(sb, u))}</a>"
            for u in sb.state.users
        )
        + "</td></tr>"
        for d in sb.state.deals.values()
    )
    installed = (
        "<span class='ok'>установлено</span>"
        if sb.state.install_finished
        else "<span class='muted'>не установлено</span>"
    )
    body = (
        "<h1>Портал-песочница</h1>"
        f"<div class='card'><h2>Приложение: {installed}</h2>"
        "<a href='/marketplace/install/?user=1'>Установка</a> · "
        "<a href='/marketplace/app/?user=1'>Страница приложения (админ)</a> · "
        "<a href='/sandbox/stats'>Статистика REST</a></div>"
        "<div class='card'><h2>Сделки</h2><table><tr><th>ID</th><th>Название</th><th>Сумма</th>"
        f"<th>Стадия</th><th>Открыть как</th></tr>{deals}</table></div>"
        f"<div class='card'><h2>Документы</h2>"
        f"{_documents_table(sb, list(sb.state.documents.values()))}</div>"
        "<div class='card'><h2>Лента</h2>"
        f"{_timeline(sb, sb.state.timeline_logs + sb.state.timeline_comments)}</div>"
        f"<div class='card'><h2>Уведомления</h2>{_notifications(sb, sb.state.notifications)}"
        "</div>"
    )
    return page(sb, "Битрикс24 — песочница", body)


@ROUTER.route(r"/crm/deal/details/(?P<deal_id>\d+)/")
def deal_card(sb, request):
    deal = sb.state.deals.get(request.params["deal_id"])
    if deal is None:
        return Response("Сделка не найдена", 404)
    user_id = _user_id(sb, request, default=deal["ASSIGNED_BY_ID"])
    lang = request.query.get("lang", "ru")
    handler, tab_title, bound = _handler_for(
        sb, "CRM_DEAL_DETAIL_TAB", f"{sb.app_url}/b24/deal-tab/"
    )
    query, form = sb.placement_post(
        user_id, placement="CRM_DEAL_DETAIL_TAB", options={"ID": deal["ID"]}, lang=lang
    )
    warning = (
        ""
        if bound
        else "<p class='warn'>Вкладка не привязана (placement.bind не вызывался): на настоящем "
        "портале её не было бы. Открываем обработчик по умолчанию.</p>"
    )
    rows = "".join(
        f"<tr><td>{escape(r['PRODUCT_NAME'])}</td><td>{r['QUANTITY']}</td>"
        f"<td>{r['PRICE']}</td></tr>"
        for r in sb.state.product_rows.get(deal["ID"], [])
    )
    notes = [n for n in sb.state.notifications if n["user_id"] == user_id]
    body = (
        f"<h1>{escape(deal['TITLE'])}</h1>"
        f"<p class='muted'>Сделка {deal['ID']} · стадия {escape(deal['STAGE_ID'])} · "
        f"{deal['OPPORTUNITY']} ₽ · вы: {escape(_user_name(sb, user_id))}</p>"
        f"<div class='tabs'><span>Общее</span><span class='active'>{escape(tab_title)}</span>"
        "</div>"
        f"<div class='card'>{warning}"
        f"{_frame(sb, handler, query, form, user_id=user_id)}</div>"
        f"<div class='card'><h2>Товары</h2><table>{rows}</table></div>"
        f"<div class='card'><h2>Документы сделки</h2>"
        f"{_documents_table(sb, sb.state.deal_documents(deal['ID']))}</div>"
        f"<div class='card'><h2>Лента</h2>{_timeline(sb, sb.state.deal_timeline(deal['ID']))}"
        f"</div><div class='card'><h2>Уведомления</h2>{_notifications(sb, notes)}</div>"
    )
    return page(sb, deal["TITLE"], body)


@ROUTER.route("/marketplace/install/")
def install_page(sb, request):
    user_id = _user_id(sb, request)
    query, form = sb.install_post(user_id, lang=request.query.get("lang", "ru"))
    frame = _frame(sb, f"{sb.app_url}/b24/install/", query, form, user_id=user_id, autosubmit=False)
    status = (
        "<p id='install-status' class='ok'>Приложение установлено</p>"
        if sb.state.install_finished
        else "<p id='install-status' class='muted'>Приложение не установлено</p>"
    )
    body = (
        "<h1>Установка приложения «Документы из 1С»</h1>"
        f"<div class='card'>{status}"
        "<button class='ui' id='install-button' type='button'>Установить</button></div>"
        f"<div class='card'>{frame}</div>"
    )
    return page(sb, "Установка приложения", body)


@ROUTER.route("/marketplace/app/")
def app_page(sb, request):
    user_id = _user_id(sb, request)
    query, form = sb.placement_post(
        user_id, placement="DEFAULT", options={}, lang=request.query.get("lang", "ru")
    )
    frame = _frame(sb, f"{sb.app_url}/b24/app/", query, form, user_id=user_id)
    body = f"<h1>Документы из 1С</h1><div class='card'>{frame}</div>"
    return page(sb, "Документы из 1С", body)


@ROUTER.route(r"/sandbox/documents/(?P<doc_id>\d+)/(?P<kind>docx|pdf)")
def document_download(sb, request):
    doc = sb.state.documents.get(request.params["doc_id"])
    kind = request.params["kind"]
    content = None if doc is None else (doc.docx if kind == "docx" else doc.pdf)
    if content is None:
        return Response("Файл не найден", 404)
    mime = {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
    }[kind]
    filename = f"document-{doc.id}.{kind}"
    return Response(
        content, 200, [("Content-Disposition", f'attachment; filename="{filename}"')], mime
    )


@ROUTER.route("/sandbox/stats")
def stats(sb, request):
    return json_response(sb.stats.as_dict())


@ROUTER.route("/sandbox/state")
def state_summary(sb, request):
    s = sb.state
    return json_response(
        {
            "install_finished": s.install_finished,
            "placements": s.placements,
            "events": s.events,
            "documents": [
                {
                    "id": d.id,
                    "title": d.title,
                    "number": d.number,
                    "entity_type_id": d.entity_type_id,
                    "entity_id": d.entity_id,
                    "has_pdf": d.pdf is not None,
                }
                for d in s.documents.values()
            ],
            "timeline": s.timeline_logs
            + [{k: v for k, v in c.items() if k != "files"} for c in s.timeline_comments],
            "notifications": [
                {k: v for k, v in n.items() if k != "attach"} for n in s.notifications
            ],
            "deals": {i: {"STAGE_ID": d["STAGE_ID"]} for i, d in s.deals.items()},
        }
    )


@ROUTER.route("/sandbox/install-finished", methods=("POST",))
def install_finished(sb, request):
    first = not sb.state.install_finished
    sb.state.install_finished = True
    if first:  # Bitrix24 sends ONAPPINSTALL once the installer reports it has finished
        sb.deliver_events("ONAPPINSTALL")
    return json_response({"result": True})


def _static(name: str, mime: str):
    def view(sb, request):
        return Response((STATIC / name).read_bytes(), 200, [], mime)

    return view


ROUTER.route("/bx24-shim.js")(_static("bx24-shim.js", "application/javascript; charset=utf-8"))
ROUTER.route("/sandbox/parent.js")(_static("parent.js", "application/javascript; charset=utf-8"))

"""HTTP layer of the fake Workfinity: pages, AJAX endpoints, login/session, faults.

Pages are server-rendered (Jinja2) with a little vanilla JS, like the real Grails/jQuery app.
Every route lives under ``/osmanager-tenant``; the control API is at the root. Latency and
timing come from ``SiteMiddleware`` (applied by the server): AJAX endpoints are ordinary
application paths, static files live under ``/static/`` so they get no latency.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import xstatic.pkg.jquery
import xstatic.pkg.jquery_ui
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from fakesite.core import World, control_routes
from fakesite.variants import variant_knobs
from fakesite.workfinity import store
from fakesite.workfinity.forms import OrderForm, option_label, option_value

PREFIX = "/osmanager-tenant"
COOKIE = "JSESSIONID"
SITE: Final = "workfinity"
HERE = Path(__file__).parent

MSG_EXPIRED = "Sua sessão expirou. Entre novamente."
MSG_BAD_LOGIN = "Usuário ou senha inválidos"
# What the customer lookup answers (the form fills these in).
CUSTOMER_KEYS = ("document", "razao_social", "nome_fantasia", "contato", "email", "telefone", "address")

_templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


def create_app(world: World) -> Starlette:
    """The fake Workfinity as one Starlette app (control API included)."""

    sessions = world.sessions[SITE]

    # -- helpers ---------------------------------------------------------------------------

    def render(request: Request, template: str, status: int = 200, session: dict | None = None,
               modal: bool = True, **context: Any) -> HTMLResponse:
        show_modal = bool(session) and modal and world.roll("modal_rate")
        if show_modal and session:
            world.record(SITE, session["user"], "page", request.url.path, "modal_shown", {})
        messages = session["data"].pop("flash", []) if session else []
        html = _templates.get_template(template).render(
            prefix=PREFIX, user=session["user"] if session else None, messages=messages,
            show_modal=show_modal, v=variant_knobs(world.faults.variant), br_date=store.br_date,
            client_delay=world.faults.client_delay_ms,
            br_datetime=store.br_datetime, **context)
        return HTMLResponse(html, status_code=status)

    def current(request: Request) -> dict | None:
        return sessions.get(request.cookies.get(COOKIE))

    def to_login(target: str) -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/login/auth?targetUri={quote(target, safe='')}", status_code=302)

    def page_target(request: Request) -> str:
        return request.url.path + (f"?{request.url.query}" if request.url.query else "")

    def ajax_expired() -> JSONResponse:
        return JSONResponse({"error": MSG_EXPIRED, "login": f"{PREFIX}/login/auth"}, status_code=401)

    def safe_target(target: str) -> str:
        if target.startswith(PREFIX + "/") and not target.startswith("//") and "/login/" not in target:
            return target
        return f"{PREFIX}/serviceOrder/index"

    # -- login -----------------------------------------------------------------------------

    async def login(request: Request) -> Response:
        if request.method == "GET":
            target = request.query_params.get("targetUri", "")
            alert = MSG_EXPIRED if target else ""
            return render(request, "login.html", target=target, alert=alert, username="")
        form = await request.form()
        username = str(form.get("username") or "").strip()
        password = str(form.get("password") or "")
        target = str(form.get("targetUri") or "")
        with world.lock:
            users = world.workfinity.get("users", [])
            ok = any(u["username"] == username and u["password"] == password and password for u in users)
        if not ok:
            world.record(SITE, username or "-", "session", "-", "login_failed", {})
            return render(request, "login.html", target=target, alert=MSG_BAD_LOGIN, username=username)
        token = sessions.create(username)
        world.record(SITE, username, "session", token[:6], "login", {})
        response = RedirectResponse(safe_target(target), status_code=302)
        response.set_cookie(COOKIE, token, path=PREFIX, httponly=True, samesite="lax")
        return response

    async def logout(request: Request) -> Response:
        session = current(request)
        if session:
            world.record(SITE, session["user"], "session", "-", "logout", {})
        sessions.drop(request.cookies.get(COOKIE))
        response = RedirectResponse(f"{PREFIX}/login/auth", status_code=302)
        response.delete_cookie(COOKIE, path=PREFIX)
        return response

    async def home(request: Request) -> Response:
        return RedirectResponse(f"{PREFIX}/serviceOrder/index", status_code=302)

    # -- pages -------------------------------------------------------------------------------

    async def order_index(request: Request) -> Response:
        session = current(request)
        if not session:
            return to_login(page_target(request))
        q = request.query_params
        filters = {"number": q.get("number", ""), "pedidoDeVenda": q.get("pedidoDeVenda", ""),
                   "serial": q.get("serial", ""), "cnpj": q.get("cnpj", "")}
        orders = store.search_orders(world, filters["number"], filters["pedidoDeVenda"], filters["serial"],
                                     filters["cnpj"])
        names = {}
        for order in orders:
            customer = store.find_customer(world, order.get("customer_document", ""))
            names[order["id"]] = customer["razao_social"] if customer else ""
        return render(request, "order_list.html", session=session, title="Ordens de Serviço",
                      filters=filters, orders=orders, names=names)

    async def order_create(request: Request) -> Response:
        session = current(request)
        if not session:
            return to_login(f"{PREFIX}/serviceOrder/create")
        form = OrderForm()
        return render(request, "order_form.html", session=session, title="Nova Ordem de Serviço",
                      mode="create", **form.view(world))

    async def order_save(request: Request) -> Response:
        session = current(request)
        if not session:
            return to_login(f"{PREFIX}/serviceOrder/create")
        actor = session["user"]
        if world.roll("fail_rate"):
            world.record(SITE, actor, "service_order", "-", "injected_failure", {"path": [None, request.url.path]})
            return render(request, "error500.html", status=500, modal=False, title="Erro interno do servidor")
        form = OrderForm.from_post(await request.form(), world)
        if form.validate(world):
            return render(request, "order_form.html", session=session, title="Nova Ordem de Serviço",
                          mode="create", **form.view(world))
        order = store.create_order(world, actor, form.order_fields(world), form.new_address(),
                                   form.provider, form.technician)
        session["data"].setdefault("flash", []).append(f"Ordem de Serviço {order['number']} criada com sucesso")
        return RedirectResponse(f"{PREFIX}/serviceOrder/edit/{order['id']}", status_code=302)

    async def order_edit(request: Request) -> Response:
        session = current(request)
        if not session:
            return to_login(page_target(request))
        order = store.find_order(world, request.path_params["id"])
        if order is None:
            return render(request, "not_found.html", status=404, session=session, modal=False,
                          title="Registro não encontrado")
        form = OrderForm.from_order(world, order)
        customer = store.find_customer(world, order.get("customer_document", "")) or {}
        return render(request, "order_form.html", session=session, title=f"Ordem de Serviço {order['number']}",
                      mode="edit", order=order, history=list(customer.get("address_history", [])),
                      **form.view(world))

    # -- AJAX (application requests: they get the latency) -----------------------------------

    async def customer_autocomplete(request: Request) -> Response:
        if not current(request):
            return ajax_expired()
        found = store.suggest_customers(world, request.query_params.get("term", ""))
        pad = variant_knobs(world.faults.variant).get("label_padding", "")
        return JSONResponse([{"document": c["document"], "razao_social": c["razao_social"],
                              "label": f"{pad}{c['document']} – {c['razao_social']}{pad}"} for c in found])

    def lookup(request: Request, param: str, find: Callable[[World, str], dict[str, Any] | None], missing: str,
               answer: Callable[[str, dict[str, Any]], dict[str, Any]]) -> Response:
        """A lookup by one query parameter: 401 without a session, 404 with ``missing`` when
        ``find`` has nothing, else ``answer(key, found)`` as JSON."""
        if not current(request):
            return ajax_expired()
        key = request.query_params.get(param, "")
        found = find(world, key)
        if found is None:
            return JSONResponse({"error": missing}, status_code=404)
        return JSONResponse(answer(key, found))

    async def customer_show(request: Request) -> Response:
        return lookup(request, "document", store.find_customer, "Cliente não encontrado",
                      lambda _, customer: {k: customer[k] for k in CUSTOMER_KEYS})

    async def cep_lookup(request: Request) -> Response:
        return lookup(request, "cep", store.lookup_cep, "CEP não encontrado",
                      lambda cep, address: {"cep": store.mask_cep(cep), **address})

    async def equipment_show(request: Request) -> Response:
        return lookup(request, "serial", store.find_equipment, "Equipamento não encontrado",
                      lambda _, item: {"serial": item["serial"], "model": item["model"],
                                       "warranty_end": store.br_date(item.get("warranty_end"))})

    async def services_by_group(request: Request) -> Response:
        if not current(request):
            return ajax_expired()
        groups = store.catalog(world)
        services = groups.get(option_label(world, list(groups), request.query_params.get("group", "")), [])
        if variant_knobs(world.faults.variant).get("option_ids"):
            return JSONResponse([{"id": option_value(world, services, s), "label": s} for s in services])
        return JSONResponse(services)

    async def provider_technicians(request: Request) -> Response:
        if not current(request):
            return ajax_expired()
        return JSONResponse(store.technicians_of(world, request.query_params.get("provider", "")))

    routes = [
        Route(PREFIX, home), Route(PREFIX + "/", home),
        Route(PREFIX + "/login/auth", login, methods=["GET", "POST"]),
        Route(PREFIX + "/logout", logout),
        Route(PREFIX + "/serviceOrder/index", order_index),
        Route(PREFIX + "/serviceOrder/create", order_create),
        Route(PREFIX + "/serviceOrder/save", order_save, methods=["POST"]),
        Route(PREFIX + "/serviceOrder/edit/{id:int}", order_edit),
        Route(PREFIX + "/customer/autocomplete", customer_autocomplete),
        Route(PREFIX + "/customer/show", customer_show),
        Route(PREFIX + "/address/cep", cep_lookup),
        Route(PREFIX + "/equipment/show", equipment_show),
        Route(PREFIX + "/service/byGroup", services_by_group),
        Route(PREFIX + "/serviceProvider/technicians", provider_technicians),
        # The real widget libraries (jQuery 3.7, jQuery UI 1.13) from their PyPI packages.
        Mount(PREFIX + "/static/jquery", StaticFiles(directory=xstatic.pkg.jquery.BASE_DIR), name="jquery"),
        Mount(PREFIX + "/static/jquery-ui", StaticFiles(directory=xstatic.pkg.jquery_ui.BASE_DIR), name="jquery-ui"),
        Mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="static"),
        *control_routes(world),
    ]
    return Starlette(routes=routes)

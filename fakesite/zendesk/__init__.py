"""Fake Zendesk Agent Workspace: login, a vanilla-JS single-page workspace, a JSON API.

Pages (``/access/login``, ``/agent/...``) are server-rendered shells; the workspace in
``static/agent.js`` talks to the JSON API under ``/api/v2`` (all "application" requests,
so they get the injected latency). Faults: ``fail_rate`` and rate limiting on submits,
``modal_rate`` on page loads and after submits, ``session_ttl`` through the session store.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from fakesite.core import World, control_routes
from fakesite.variants import variant_knobs
from fakesite.zendesk import tickets as tk

HERE = Path(__file__).parent
COOKIE = "_zendesk_session"
LOGIN_PATH = "/access/login"
BAD_LOGIN = "E-mail ou senha inválidos."


def _safe_return_to(value: str | None) -> str:
    """Only local paths: never an open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and not value.startswith(LOGIN_PATH):
        return value
    return "/agent"


def _requested(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def create_app(world: World) -> Starlette:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    sessions = world.sessions["zendesk"]

    def current_agent(request: Request) -> str | None:
        session = sessions.get(request.cookies.get(COOKIE))
        return session["user"] if session else None

    def login_redirect(request: Request) -> RedirectResponse:
        return RedirectResponse(f"{LOGIN_PATH}?return_to={quote(_requested(request), safe='')}", status_code=302)

    def unauthorized(request: Request) -> JSONResponse:
        referer_path = request.headers.get("x-return-to") or "/agent"
        return JSONResponse({"error": "Sua sessão expirou. Entre novamente.",
                             "login_url": f"{LOGIN_PATH}?return_to={quote(_safe_return_to(referer_path), safe='')}"},
                            status_code=401)

    # -- pages ---------------------------------------------------------------------------

    async def root(_: Request) -> Response:
        return RedirectResponse("/agent", status_code=302)

    async def login_page(request: Request) -> Response:
        return_to = _safe_return_to(request.query_params.get("return_to"))
        if request.method == "GET":
            return templates.TemplateResponse(request, "login.html", {
                "return_to": return_to, "error": None, "email": "",
                "expired": request.query_params.get("expired") == "1"})
        form = await request.form()
        email = str(form.get("user[email]") or "").strip()
        password = str(form.get("user[password]") or "")
        return_to = _safe_return_to(str(form.get("return_to") or return_to))
        agent = tk.find_agent(world, email)
        if agent is None or not password or password != agent["password"]:
            world.record("zendesk", email or "-", "session", email or "-", "login_failed", {})
            return templates.TemplateResponse(request, "login.html", {
                "return_to": return_to, "error": BAD_LOGIN, "email": email, "expired": False})
        token = sessions.create(agent["email"])
        world.record("zendesk", agent["email"], "session", agent["email"], "login", {})
        response = RedirectResponse(return_to, status_code=302)
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax", path="/")
        return response

    async def logout(request: Request) -> Response:
        sessions.drop(request.cookies.get(COOKIE))
        response = RedirectResponse(LOGIN_PATH, status_code=302)
        response.delete_cookie(COOKIE, path="/")
        return response

    async def agent_page(request: Request) -> Response:
        agent = current_agent(request)
        if agent is None:
            return login_redirect(request)
        modal = world.roll("modal_rate")
        with world.lock:
            z = world.zendesk
            if modal:
                world.record("zendesk", agent, "page", request.url.path, "modal_shown", {})
            boot = {
                "agent": {"email": agent, "name": tk.display_name(world, agent)},
                "agents": [{"email": a["email"], "name": a["name"]} for a in z.get("agents", [])],
                "brands": list(z.get("brands", [])),
                "forms": list(z.get("forms", [])),
                "fields": z.get("fields", {}),
                "custom_fields_form": tk.CUSTOM_FIELDS_FORM,
                "types": list(tk.TYPES),
                "priorities": list(tk.PRIORITIES),
                "status_labels": tk.STATUS_LABELS,
                "submit_statuses": list(tk.SUBMIT_STATUSES),
                "session_ttl": sessions.ttl(),
                "modal": modal,
                "variant": variant_knobs(world.faults.variant),
                "client_delay_ms": world.faults.client_delay_ms,
            }
        return templates.TemplateResponse(request, "agent.html", {"boot": boot})

    # -- JSON API --------------------------------------------------------------------------

    def api(handler):
        """Session check for the JSON API: 401 with the login URL when expired."""

        async def wrapped(request: Request) -> Response:
            agent = current_agent(request)
            if agent is None:
                return unauthorized(request)
            return await handler(request, agent)

        return wrapped

    async def session_info(_: Request, agent: str) -> Response:
        return JSONResponse({"agent": agent, "session_ttl": sessions.ttl()})

    async def get_ticket(request: Request, _: str) -> Response:
        with world.lock:
            ticket = tk.find_ticket(world, int(request.path_params["id"]))
            if ticket is None:
                return JSONResponse({"error": f"Ticket #{request.path_params['id']} não encontrado."}, status_code=404)
            return JSONResponse({"ticket": tk.public_ticket(world, ticket)})

    async def submit(request: Request, agent: str) -> Response:
        ticket_id = int(request.path_params["id"]) if "id" in request.path_params else None
        audit_id = ticket_id if ticket_id is not None else "new"
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            return JSONResponse({"error": "Requisição inválida."}, status_code=400)
        wait = world.check_rate_limit()
        if wait is not None:
            world.record("zendesk", agent, "ticket", audit_id, "rate_limited", {"retry_after": [None, wait]})
            return JSONResponse({"error": tk.RATE_LIMITED.format(n=wait), "retry_after": wait},
                                status_code=429, headers={"Retry-After": str(wait)})
        if world.roll("fail_rate"):
            world.record("zendesk", agent, "ticket", audit_id, "injected_failure",
                         {"fail_rate": [None, tk.SAVE_FAILED]})
            return JSONResponse({"error": tk.SAVE_FAILED}, status_code=500)
        with world.lock:
            try:
                ticket = tk.save(world, agent, ticket_id, body)
            except tk.TicketError as exc:
                world.record("zendesk", agent, "ticket", audit_id, "rejected", {"error": [None, str(exc)]})
                return JSONResponse({"error": str(exc)}, status_code=exc.status)
            result = tk.public_ticket(world, ticket)
        modal = world.roll("modal_rate")
        if modal:
            world.record("zendesk", agent, "page", f"ticket/{result['id']}", "modal_shown", {})
        return JSONResponse({"ticket": result, "modal": modal}, status_code=201 if ticket_id is None else 200)

    async def users_autocomplete(request: Request, _: str) -> Response:
        with world.lock:
            return JSONResponse({"users": tk.search_users(world, request.query_params.get("name", ""))})

    async def create_user(request: Request, agent: str) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = {}
        with world.lock:
            try:
                user = tk.add_user(world, agent, str(body.get("name") or ""), str(body.get("email") or ""))
            except tk.TicketError as exc:
                return JSONResponse({"error": str(exc)}, status_code=exc.status)
        return JSONResponse({"user": user}, status_code=201)

    async def search(request: Request, _: str) -> Response:
        with world.lock:
            return JSONResponse({"results": tk.search_tickets(world, request.query_params.get("query", ""))})

    async def favicon(_: Request) -> Response:
        return Response(status_code=204)

    routes = [
        *control_routes(world),
        Route("/", root),
        Route("/favicon.ico", favicon),
        Route(LOGIN_PATH, login_page, methods=["GET", "POST"]),
        Route("/access/logout", logout),
        Route("/agent", agent_page),
        Route("/agent/{rest:path}", agent_page),
        Route("/api/v2/session", api(session_info)),
        Route("/api/v2/tickets", api(submit), methods=["POST"]),
        Route("/api/v2/tickets/{id:int}", api(get_ticket), methods=["GET"]),
        Route("/api/v2/tickets/{id:int}", api(submit), methods=["PUT"]),
        Route("/api/v2/users/autocomplete", api(users_autocomplete)),
        Route("/api/v2/users", api(create_user), methods=["POST"]),
        Route("/api/v2/search", api(search)),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Starlette(routes=routes)

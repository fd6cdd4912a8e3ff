"""Datasette plugin for the staff dashboard.

* A visitor who is not logged in is sent to the login page instead of a bare 403.
* The front page (``bot/dashboard_templates/index.html``) lists the saved queries and the tables
  by their Korean titles from the metadata, instead of Datasette's list of table names.
"""

from datasette import hookimpl
from datasette.utils.asgi import Response


@hookimpl
def forbidden(datasette, request, message):
    if request.actor is None and request.method == "GET":
        return Response.redirect(datasette.urls.path("/-/login"))
    return None


@hookimpl
def extra_template_vars(template, datasette, request):
    if template != "index.html":
        return {}

    async def home():
        actor = request.actor if request else None
        databases = []
        for name in datasette.databases:
            if name == "_internal":
                continue
            meta = datasette.metadata(database=name) or {}
            queries = await datasette.get_canned_queries(name, actor)
            databases.append({
                "name": name,
                "title": meta.get("title") or name,
                "description": meta.get("description") or "",
                "queries": [(q, spec.get("title") or q, spec.get("description") or "")
                            for q, spec in queries.items()],
                "tables": [(t, spec.get("title") or t, spec.get("description") or "")
                           for t, spec in (meta.get("tables") or {}).items()],
            })
        return {"staff_databases": databases}

    return home

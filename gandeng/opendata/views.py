"""The catalogue's addresses: /public/data/catalog.jsonld (DCAT-AP) and CKAN's action API
(/api/3/action/package_list, package_show, package_search, organization_list, status_show, help_show),
read-only and GET only (with ckanapi: `RemoteCKAN(url, get_only=True)`).

Everything here is the same for every visitor and free of personal data: served like the CSVs
(reports.public_cache: ETag, 304, `Cache-Control: public, max-age=60`, rebuilt when the public
figures change), with `Access-Control-Allow-Origin: *` so that a portal's browser code may read it."""
import json

from flask import Blueprint, jsonify, request

from gandeng.db import db
from gandeng.opendata import catalog, ckan, dcat
from gandeng.reports.public_cache import public_response

bp = Blueprint("opendata", __name__)

OPEN = {"Access-Control-Allow-Origin": "*"}
SEARCH_ROWS, SEARCH_MAX_ROWS = 10, 1000  # CKAN's defaults for package_search


def _serve(key: str, build, mimetype: str = "application/json"):
    """A public, cached JSON body; `key` names what it depends on besides the figures (the site's address)."""
    def body() -> str:
        return json.dumps(build(), ensure_ascii=False) + "\n"

    return public_response(f"opendata:{key}@{catalog.absolute('')}", body, mimetype, db.session, headers=OPEN)


def _ckan_error(action: str, status: int, kind: str, message: str, **fields):
    response = jsonify(ckan.error(action, kind, message, **fields))
    response.headers.update(OPEN)
    return response, status


@bp.get("/public/data/catalog.jsonld")
def catalogue():
    return _serve("catalog.jsonld", lambda: dcat.catalogue(db.session), "application/ld+json")


@bp.get("/api/3/action/package_list")
def package_list():
    return _serve("package_list", lambda: ckan.envelope(
        "package_list", [dataset.package_name for dataset in catalog.datasets()]))


@bp.get("/api/3/action/package_show")
def package_show():
    name = request.args.get("id", "").strip()
    if not name:
        return _ckan_error("package_show", 409, "Validation Error", "Missing value", id=["Missing value"])
    dataset = catalog.find(name)
    if dataset is None:
        return _ckan_error("package_show", 404, "Not Found Error", "Not found")
    return _serve(f"package_show:{dataset.name}",
                  lambda: ckan.envelope("package_show", ckan.package_dict(db.session, dataset)))


def _whole_number(name: str, default: int, largest: int) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    return min(int(raw), largest) if raw.isdigit() else None


@bp.get("/api/3/action/package_search")
def package_search():
    """All open datasets, paged with CKAN's `rows` and `start` (q and fq are not interpreted: the
    catalogue is small, a harvester compares metadata_modified itself)."""
    rows = _whole_number("rows", SEARCH_ROWS, SEARCH_MAX_ROWS)
    start = _whole_number("start", 0, 10**6)
    if rows is None or start is None:
        bad = "rows" if rows is None else "start"
        return _ckan_error("package_search", 409, "Validation Error", "Invalid integer",
                           **{bad: ["Invalid integer"]})

    def build() -> dict:
        found = ckan.packages(db.session)
        return ckan.envelope("package_search", {
            "count": len(found), "results": found[start:start + rows], "sort": "score desc, metadata_modified desc",
            "facets": {}, "search_facets": {}})

    return _serve(f"package_search:{rows}:{start}", build)


@bp.get("/api/3/action/organization_list")
def organization_list():
    return _serve("organization_list", lambda: ckan.envelope("organization_list", [ckan.ORGANISATION_NAME]))


@bp.get("/api/3/action/status_show")
def status_show():
    return _serve("status_show", lambda: ckan.envelope("status_show", {
        "site_title": catalog.CATALOGUE_TITLE.id, "site_description": catalog.CATALOGUE_DESCRIPTION.id,
        "site_url": catalog.absolute(""), "locale_default": "id", "extensions": [],
        "ckan_version": ckan.API_LEVEL}))


HELP = {
    "package_list": "Nama semua dataset terbuka. / The names of all open datasets.",
    "package_show": "Satu dataset (parameter id: nama dataset). / One dataset (parameter id: its name).",
    "package_search": "Semua dataset, per halaman (rows, start). / All datasets, paged (rows, start).",
    "organization_list": "Organisasi penerbit. / The publishing organisation.",
    "status_show": "Tentang situs ini. / About this site.",
    "help_show": "Bantuan sebuah action (parameter name). / Help on an action (parameter name).",
}


@bp.get("/api/3/action/help_show")
def help_show():
    name = request.args.get("name", "")
    if name not in HELP:
        return _ckan_error("help_show", 404, "Not Found Error", "Action name not known")
    return _serve(f"help_show:{name}", lambda: ckan.envelope("help_show", HELP[name]))


@bp.get("/api/3/action/<action>")
def unknown_action(action):
    return _ckan_error(action, 400, "Bad request", f"Action name not known: {action}")

"""GET /api/v1/wilayah, /categories and /stats: for anyone."""
from flask import current_app

from gandeng.api.common import blueprint, documented, listing
from gandeng.api.schemas import CategorySchema, KemantrenSchema, StatsSchema, list_schema
from gandeng.api.stats import city_stats
from gandeng.db import db
from gandeng.paging import Page
from gandeng.reference.services import categories, kemantren_with_kelurahan
from gandeng.reports.public_cache import public_response

bp = blueprint("reference", "", "Reference data (kemantren, kelurahan, categories) and city totals.")


@bp.get("/wilayah")
@bp.response(200, list_schema(KemantrenSchema, "WilayahList"))
@documented(bp, 401)
def wilayah():
    """The kemantren of Kota Yogyakarta, each with its kelurahan (codes, names, centre)."""
    items = [
        {"code": k.code, "name": k.name,
         "kelurahan": [{"code": x.code, "name": x.name, "lat": x.lat, "lon": x.lon} for x in k.kelurahan]}
        for k in kemantren_with_kelurahan(db.session)
    ]
    return listing(items, Page(items, 1, max(len(items), 1), len(items)))


@bp.get("/categories")
@bp.response(200, list_schema(CategorySchema, "CategoryList"))
@documented(bp, 401)
def category_list():
    """The need categories: codes (used in needs and offers) and labels."""
    items = [{"code": c.code, "label": c.label_id, "label_en": c.label_en} for c in categories(db.session)]
    return listing(items, Page(items, 1, max(len(items), 1), len(items)))


@bp.get("/stats")
@bp.response(200, StatsSchema)
@documented(bp, 401)
def stats():
    """City totals over public needs: count, Rp needed, committed and realised, by kemantren and
    category; collaborations by status. Cached until a write changes them; `ETag` and
    `Cache-Control: public, max-age=60` (answers 304 to `If-None-Match`)."""
    def body() -> str:
        return current_app.json.dumps(StatsSchema().dump(city_stats(db.session))) + "\n"

    return public_response("api:stats", body, "application/json", db.session)

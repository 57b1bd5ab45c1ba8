"""Staff pages for the audit log: browse and filter every recorded transition, export it as CSV."""
import csv
import io

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from gandeng import labels
from gandeng.accounts.policies import is_staff
from gandeng.audit import queries
from gandeng.audit.display import change_rows
from gandeng.audit.forms import AuditFilterForm
from gandeng.db import db
from gandeng.formatting import to_wib
from gandeng.forms_common import options
from gandeng.paging import Position
from gandeng.web import require

bp = Blueprint("audit", __name__)

# Pages an audit row's object links to (object type -> path with its id).
OBJECT_PAGES = {
    "needs": "/needs/{id}",
    "offers": "/offers/{id}",
    "users": "/admin/users/{id}",
    "organisations": "/admin/organisations/{id}",
    "kampung": "/admin/kampung/{id}",
    "commitments": "/collaborations/{id}",
    "matching_runs": "/matching/runs/{id}",
}
FILTER_NAMES = ("action", "object_type", "object_id", "actor", "date_from", "date_to")
EXPORT_LIMIT = 100_000
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@bp.before_request
@login_required
def staff_only():
    """The log names people and what they did: staff and admin only."""
    require(is_staff(current_user))


def object_label(code: str) -> str:
    return str(labels.OBJECT_TYPE.get(code, code))


def object_link(object_type: str, object_id: int) -> str | None:
    """The local page of an audited object, when it has one."""
    pattern = OBJECT_PAGES.get(object_type)
    return pattern.format(id=object_id) if pattern else None


def _filter_form() -> tuple[AuditFilterForm, queries.AuditFilters]:
    """The filter form read from the query string, and the filters of its valid fields
    (a bad field shows its error and is left out, the others still apply)."""
    form = AuditFilterForm(formdata=request.args)
    form.action.choices = options(("", _("Semua tindakan")),
                                  *[(code, labels.action_label(code)) for code in queries.actions_present(db.session)])
    form.object_type.choices = options(("", _("Semua jenis")), *[
        (code, object_label(code)) for code in queries.object_types_present(db.session)
    ])
    form.validate()
    valid = {name: getattr(form, name).data for name in FILTER_NAMES if not getattr(form, name).errors}
    filters = queries.AuditFilters(
        action=valid.get("action") or "",
        object_type=valid.get("object_type") or "",
        object_id=valid.get("object_id"),
        actor=(valid.get("actor") or "").strip(),
        date_from=valid.get("date_from"),
        date_to=valid.get("date_to"),
    )
    return form, filters


def _kept_args() -> dict:
    """The filter arguments of this request that are set, to keep them while paging and exporting."""
    return {name: request.args[name].strip() for name in FILTER_NAMES if request.args.get(name, "").strip()}


@bp.get("/audit")
def index():
    form, filters = _filter_form()
    page = queries.page_of_events(db.session, filters, Position.from_args(request.args),
                                  current_app.config["PER_PAGE"])
    events = list(page.items)
    rows = [{
        "event": event,
        "action": labels.action_label(event.action),
        "object": object_label(event.object_type),
        "link": object_link(event.object_type, event.object_id),
        "changes": changes,
    } for event, changes in zip(events, change_rows(db.session, events))]
    return render_template("audit/index.html", form=form, page=page, rows=rows, args=_kept_args())


def spreadsheet_safe(value) -> str:
    """The cell's text, with an apostrophe in front when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@bp.get("/audit/export.csv")
def export_csv():
    _form, filters = _filter_form()
    events = db.session.scalars(queries.events_query(filters).limit(EXPORT_LIMIT))
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(out)
    writer.writerow(["waktu_wib", "pelaku", "peran", "tindakan", "kode_tindakan", "objek", "id_objek",
                     "perubahan", "catatan"])
    for event in events:
        changed = "; ".join(f"{key}: {old} → {new}" for key, old, new in queries.changes(event.before, event.after))
        row = [
            to_wib(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor.name if event.actor else _("Sistem"),
            str(labels.ROLE.get(event.actor.role, event.actor.role)) if event.actor else "",
            labels.action_label(event.action),
            event.action,
            object_label(event.object_type),
            event.object_id,
            changed,
            event.note,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=log-audit.csv"},
    )

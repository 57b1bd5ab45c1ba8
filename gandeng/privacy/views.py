"""Pages of issue 19: the privacy notice (/privasi), filing a request (/privasi/permintaan), the DPO's queue
(/privasi/antrian) and a user's own data (/profile/data.json, /profile/data.pdf)."""
import json

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import RadioField, SelectField, StringField, TextAreaField

from gandeng.db import db, utcnow
from gandeng.errors import DomainError
from gandeng.extensions import limiter
from gandeng.forms_common import Form, max_length, optional, options, required
from gandeng.privacy import records, requests
from gandeng.privacy.models import PrivacyRequest, RequestKind, RequestStatus
from gandeng.web import acting_user, load_or_404, require, show_domain_error

bp = Blueprint("privacy", __name__)


class RequestForm(Form):
    kind = RadioField(_l("Apa yang Anda minta?"), validators=[required()],
                      choices=options(*[(k.value, label) for k, label in requests.KIND_LABELS.items()]))
    name = StringField(_l("Nama Anda"), validators=[required(), max_length(120)],
                       render_kw={"autocomplete": "name"})
    contact = StringField(_l("Email atau nomor HP untuk jawaban"), validators=[required(), max_length(254)],
                          render_kw={"autocomplete": "email"})
    details = TextAreaField(_l("Data yang dimaksud"), validators=[optional(), max_length(3000)],
                            render_kw={"rows": 4})


class HandleForm(Form):
    decision = SelectField(_l("Keputusan"), validators=[required()],
                           choices=options(("done", _l("Selesai: permintaan dipenuhi")),
                                           ("refused", _l("Ditolak (tulis alasannya)"))))
    need_ids = StringField(_l("Nomor kebutuhan yang dianonimkan (penghapusan atau penarikan persetujuan)"),
                           validators=[optional(), max_length(500)], render_kw={"inputmode": "numeric"})
    outcome = TextAreaField(_l("Apa yang dilakukan"), validators=[required(), max_length(3000)],
                            render_kw={"rows": 4})


def _months() -> int:
    return records.retention_months(current_app.config)


@bp.get("/privasi")
def notice():
    return render_template("privacy/notice.html", records=records.RECORDS, months=_months(),
                           version=records.NOTICE_VERSION, dpo_contact=current_app.config.get("PRIVACY_DPO_CONTACT"))


@bp.route("/privasi/permintaan", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PRIVACY_REQUEST_LIMIT"], methods=["POST"])
def file_request():
    form = RequestForm()
    if form.validate_on_submit():
        try:
            request = requests.file_request(db.session, current_user, form.kind.data, form.name.data,
                                            form.contact.data, form.details.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            return render_template("privacy/filed.html", request=request)
    elif not form.is_submitted() and current_user.is_authenticated:
        form.name.data, form.contact.data = current_user.name, current_user.email
    return render_template("privacy/request.html", form=form), (400 if form.errors else 200)


@bp.get("/privasi/antrian")
@login_required
def queue():
    require(requests.can_handle_requests(current_user))
    return render_template("privacy/queue.html", open=requests.open_requests(db.session),
                           answered=requests.recent_answered(db.session), now=utcnow(),
                           hours_left=requests.hours_left, kinds=requests.KIND_LABELS)


@bp.route("/privasi/antrian/<int:request_id>", methods=["GET", "POST"])
@login_required
def handle(request_id):
    require(requests.can_handle_requests(current_user))
    request = load_or_404(PrivacyRequest, request_id)
    form = HandleForm()
    if request.status == RequestStatus.OPEN and form.validate_on_submit():
        try:
            need_ids = requests.parse_need_ids(form.need_ids.data)
            removed = requests.handle_request(db.session, acting_user(), request, form.decision.data,
                                              form.outcome.data, need_ids)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Permintaan nomor %(id)d dijawab.", id=request.id)
                  + (" " + _("%(n)d kebutuhan dianonimkan.", n=len(removed)) if removed else ""), "success")
            return redirect(url_for("privacy.queue"))
    return render_template("privacy/handle.html", request=request, form=form, now=utcnow(),
                           hours_left=requests.hours_left, kinds=requests.KIND_LABELS,
                           anonymising=request.kind in requests.ANONYMISING), (400 if form.errors else 200)


# --- a user's own data (UU 27/2022 Art. 32) ----------------------------------------------------
# No id in these addresses: a user can only ever download their own data.

@bp.get("/profile/data.json")
@login_required
def my_data_json():
    from gandeng.privacy.export import personal_data

    now = utcnow()
    data = personal_data(db.session, acting_user(), now)
    return Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="data-pribadi-{now:%Y%m%d}.json"',
        "Cache-Control": "private, no-store",
    })


@bp.get("/profile/data.pdf")
@login_required
def my_data_pdf():
    from gandeng.privacy.export import personal_data, personal_pdf

    now = utcnow()
    return personal_pdf(personal_data(db.session, acting_user(), now), str(get_locale() or "id"), now)


@bp.app_template_global()
def request_kind_label(kind: str) -> str:
    return str(requests.KIND_LABELS.get(RequestKind(kind), kind)) if kind in set(RequestKind) else kind

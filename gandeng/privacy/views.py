"""Pages of issue 19: the privacy notice (/privasi), filing a request (/privasi/permintaan), the DPO's queue
(/privasi/antrian), a user's own data (/profile/data.json, /profile/data.pdf) and the breach runbook
(/privasi/insiden)."""
import json

from datetime import timedelta

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask import request as flask_request
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import (
    BooleanField, DateTimeLocalField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.validators import InputRequired
from wtforms.widgets import CheckboxInput, ListWidget

from gandeng.accounts.policies import is_staff
from gandeng.formatting import long_datetime

from gandeng.db import db, utcnow
from gandeng.errors import DomainError
from gandeng.extensions import limiter
from gandeng.forms_common import Form, max_length, optional, options, required
from gandeng.privacy import records, requests
from gandeng.privacy.models import PrivacyRequest, RequestStatus
from gandeng.web import acting_user, load_or_404, require, show_domain_error

bp = Blueprint("privacy", __name__)
WIB_OFFSET = timedelta(hours=7)  # Yogyakarta time has no daylight saving: WIB = UTC + 7


def format_wib(moment) -> str:
    return long_datetime(moment, str(get_locale() or "id"))


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
    anonymise_account = BooleanField(_l("Anonimkan juga akun pemohon (nama, email, nomor HP; akun diblokir)"))


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
            # The field is only on the page of deletion and withdrawal requests.
            anonymising = request.kind in requests.ANONYMISING
            need_ids = requests.parse_need_ids(form.need_ids.data) if anonymising else []
            removed = requests.handle_request(db.session, acting_user(), request, form.decision.data,
                                              form.outcome.data, need_ids,
                                              anonymise_account=bool(form.anonymise_account.data))
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


# --- the breach runbook (UU 27/2022 Art. 46) ----------------------------------------------------

class IncidentForm(Form):
    what = TextAreaField(_l("Apa yang terjadi"), validators=[required(), max_length(3000)], render_kw={"rows": 3})
    how = TextAreaField(_l("Bagaimana terjadinya"), validators=[optional(), max_length(3000)], render_kw={"rows": 3})
    found_at = DateTimeLocalField(_l("Diketahui pada (WIB)"), format="%Y-%m-%dT%H:%M",
                                  validators=[InputRequired(message=_l("Wajib diisi."))])
    data_kinds = SelectMultipleField(_l("Data yang terdampak"), widget=ListWidget(prefix_label=False),
                                     option_widget=CheckboxInput(), validators=[optional()])
    need_ids = StringField(_l("Nomor kebutuhan yang terdampak"), validators=[optional(), max_length(500)])
    people_count = IntegerField(_l("Perkiraan jumlah orang"), validators=[InputRequired(message=_l("Wajib diisi."))],
                                render_kw={"inputmode": "numeric", "min": 0})
    remedy = TextAreaField(_l("Upaya penanganan dan pemulihan"), validators=[optional(), max_length(3000)],
                           render_kw={"rows": 3})


def _incident_form(**kwargs) -> IncidentForm:
    form = IncidentForm(**kwargs)
    form.data_kinds.choices = [(r.key, str(r.data)) for r in records.RECORDS if not r.placeholder]
    return form


@bp.route("/privasi/insiden", methods=["GET", "POST"])
@login_required
def incident_list():
    from gandeng.privacy import incidents

    require(is_staff(current_user))
    form = _incident_form()
    if form.validate_on_submit():
        try:
            incident = incidents.record_incident(
                db.session, acting_user(), what=form.what.data, how=form.how.data, remedy=form.remedy.data,
                found_at=form.found_at.data - WIB_OFFSET, data_kinds=form.data_kinds.data or [],
                need_ids=requests.parse_need_ids(form.need_ids.data), people_count=form.people_count.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Insiden dicatat. Batas pemberitahuan: %(when)s.", when=format_wib(incident.due_at)), "success")
            if requests.can_handle_requests(current_user):
                return redirect(url_for("privacy.incident", incident_id=incident.id))
            return redirect(url_for("privacy.incident_list"))
    return render_template("privacy/incidents.html", form=form, incidents=incidents.incidents(db.session),
                           now=utcnow(), can_open=requests.can_handle_requests(current_user)), \
        (400 if form.errors else 200)


@bp.route("/privasi/insiden/<int:incident_id>", methods=["GET", "POST"])
@login_required
def incident(incident_id):
    from gandeng.privacy import incidents
    from gandeng.privacy.models import PrivacyIncident

    require(requests.can_handle_requests(current_user))
    item = load_or_404(PrivacyIncident, incident_id)
    if flask_request.method == "POST":
        form = Form()
        if form.validate_on_submit():
            try:
                incidents.mark_notified(db.session, acting_user(), item, flask_request.form.get("whom", ""))
            except DomainError as error:
                db.session.rollback()
                flash(error.message, "danger")
            else:
                db.session.commit()
                flash(_("Pemberitahuan dicatat."), "success")
        return redirect(url_for("privacy.incident", incident_id=item.id))
    return render_template("privacy/incident.html", incident=item, now=utcnow(),
                           people=incidents.affected_people(db.session, item),
                           notice=incidents.notice_text(item, current_app.config.get("PRIVACY_DPO_CONTACT") or ""),
                           kinds=records.BY_KEY, form=Form(formdata=None))


@bp.get("/privasi/insiden/<int:incident_id>.csv")
@login_required
def incident_csv(incident_id):
    from gandeng.privacy import incidents
    from gandeng.privacy.models import PrivacyIncident

    require(requests.can_handle_requests(current_user))
    item = load_or_404(PrivacyIncident, incident_id)
    return Response(incidents.authority_csv(item), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="insiden-{item.id}.csv"', "Cache-Control": "private, no-store"})

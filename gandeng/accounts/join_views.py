"""The join-request page: members of an organisation or kampung (and staff) let a newcomer in, or not."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from gandeng.accounts import join_requests as joins
from gandeng.accounts.forms import EmptyForm
from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.web import load_or_404

bp = Blueprint("joins", __name__)


@bp.get("/join-requests")
@login_required
def index():
    """The undecided requests the signed-in user may decide (staff: all)."""
    return render_template("accounts/join_requests.html", requests=joins.pending_requests_for(db.session, current_user),
                           button_form=EmptyForm(formdata=None))


def _decide(request_id: int, decide, done: str):
    request = load_or_404(joins.JoinRequest, request_id, joins.can_decide_join_request)
    if EmptyForm().validate_on_submit():
        try:
            decide(db.session, current_user, request)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(done % {"name": request.user.name, "target": request.target_name}, "success")
    return redirect(url_for("joins.index"))


@bp.post("/join-requests/<int:request_id>/approve")
@login_required
def approve(request_id):
    return _decide(request_id, joins.approve_join_request, _("%(name)s kini anggota %(target)s."))


@bp.post("/join-requests/<int:request_id>/refuse")
@login_required
def refuse(request_id):
    return _decide(request_id, joins.refuse_join_request, _("Permintaan %(name)s ditolak."))

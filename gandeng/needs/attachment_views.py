"""Web routes for a need's photos and documents: upload, serve under policy, delete."""
from flask import abort, request
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from gandeng.db import db
from gandeng.errors import DomainError
from gandeng.needs import attachments, policies
from gandeng.needs.forms import AttachmentForm
from gandeng.needs.models import Need, NeedAttachment
from gandeng.needs.views import done, failed, load_need_for, render_need_page, bp
from gandeng.uploads import stored_file_response
from gandeng.web import load_or_404, require


@bp.post("/<int:need_id>/attachments")
@login_required
def upload(need_id):
    need = load_need_for(need_id, policies.can_manage_attachments)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return render_need_page(need, 422, upload_form=form)
    try:
        added = attachments.add_attachments(db.session, current_user, need, request.files.getlist("files"))
    except DomainError as error:
        return failed(need, error)
    return done(need, ngettext("%(num)d lampiran ditambahkan.", "%(num)d lampiran ditambahkan.", len(added)))


def _attachment_of(need, attachment_id) -> NeedAttachment:
    attachment = db.session.get(NeedAttachment, attachment_id)
    if (attachment is None or attachment.need_id != need.id
            or not policies.can_view_attachment(current_user, need, attachment)):
        abort(404)
    return attachment


@bp.get("/<int:need_id>/attachments/<int:attachment_id>")
def attachment(need_id, attachment_id):
    need = load_or_404(Need, need_id, policies.can_view_need)
    item = _attachment_of(need, attachment_id)
    # Never in a shared cache: these are photos of poor households' homes and lists of names.
    response = stored_file_response(attachments.attachment_path(item), item.content_type, "private, max-age=300",
                                    as_attachment=not item.is_image, download_name=attachments.download_name(item))
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/<int:need_id>/attachments/<int:attachment_id>/delete")
@login_required
def delete_attachment(need_id, attachment_id):
    need = load_or_404(Need, need_id, policies.can_view_need)
    item = _attachment_of(need, attachment_id)
    require(policies.can_manage_attachments(current_user, need))
    try:
        attachments.delete_attachment(db.session, current_user, item)
    except DomainError as error:
        return failed(need, error)
    return done(need, _("Lampiran dihapus."))

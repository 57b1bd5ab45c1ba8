"""`/webhooks/whatsapp`: the Cloud API's verification handshake (GET) and its receipts and replies (POST)."""
import hmac
import json
import logging

from flask import Blueprint, Response, abort, current_app, request

from gandeng.db import db, utcnow
from gandeng.extensions import csrf, limiter
from gandeng.notifications.receipts import apply_webhook
from gandeng.notifications.whatsapp import signature_ok

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__)
csrf.exempt(bp)  # Meta cannot carry our CSRF token; the HMAC signature stands in for it


@bp.get("/webhooks/whatsapp")
@limiter.limit("60 per minute")
def whatsapp_verify():
    """Meta's subscription check: echo `hub.challenge` when `hub.verify_token` matches our setting."""
    expected = current_app.config.get("WHATSAPP_VERIFY_TOKEN") or ""
    given = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not expected or not hmac.compare_digest(expected, given):
        abort(403)
    return Response(request.args.get("hub.challenge", ""), mimetype="text/plain")


@bp.post("/webhooks/whatsapp")
def whatsapp_receive():
    """Receipts and replies; 403 (and nothing changes) without a valid X-Hub-Signature-256."""
    raw = request.get_data(cache=False)
    if not signature_ok(current_app.config.get("WHATSAPP_APP_SECRET") or "", raw,
                        request.headers.get("X-Hub-Signature-256")):
        log.warning("whatsapp webhook refused: bad or missing signature")
        abort(403)
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return {"status": "ignored"}, 200  # signed but unreadable: answering 4xx would only make Meta retry
    counts = apply_webhook(db.session, data, utcnow())
    db.session.commit()
    if counts.get("unknown"):
        log.info("whatsapp webhook: %d entries for unknown messages ignored", counts["unknown"])
    return {"status": "ok", **counts}, 200

"""A small local stand-in for the WhatsApp Business Cloud API (the real one cannot be reached from CI).

It speaks the send endpoint, `POST /{phone_number_id}/messages` → `{"messages": [{"id": "wamid…"}]}`,
can fail on demand (an HTTP status or a timeout for the next N requests), and posts status webhooks
and replies back to the app, signed with the app secret as Meta does (X-Hub-Signature-256).
"""
import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeCloudApi:
    def __init__(self, phone_number_id="1234567890", token="test-token", app_secret="test-app-secret"):
        self.phone_number_id, self.token, self.app_secret = phone_number_id, token, app_secret
        self.received = []          # (path, headers, json body) of every accepted message
        self.attempts = 0           # every send request, failed ones too
        self.recipient_of = {}      # wamid -> the `to` of the message it was given to
        self.failures = []          # what the next requests get: ("status", code) or ("timeout", seconds)
        self.webhook_url = None     # where auto receipts go
        self.auto_statuses = ()     # e.g. ("sent", "delivered"): posted after each accepted message
        self.on_request = None      # called (in the server thread) before answering a send
        self.webhook_times = []     # (wamid, status, monotonic time posted)
        self.latency = 0.0          # seconds each accepted send waits before answering (like the real API)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                fake._handle(self)

        class Server(ThreadingHTTPServer):
            request_queue_size = 128  # the default 5 drops parallel connections (a 1 s SYN retry each)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v21.0"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- lifecycle and settings ---------------------------------------------------------------------

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def settings(self, **extra) -> dict:
        """The app settings that point the WhatsApp channel here."""
        return {"WHATSAPP_API_URL": self.url, "WHATSAPP_TOKEN": self.token,
                "WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id, "WHATSAPP_APP_SECRET": self.app_secret,
                "WHATSAPP_TIMEOUT_SECONDS": 1, **extra}

    def fail_next(self, status: int, times: int = 1):
        self.failures.extend([("status", status)] * times)

    def timeout_next(self, seconds: float = 2.5, times: int = 1):
        self.failures.extend([("timeout", seconds)] * times)

    # --- the send endpoint --------------------------------------------------------------------------

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        with self._lock:
            self.attempts += 1
            failure = self.failures.pop(0) if self.failures else None
        if handler.path != f"/v21.0/{self.phone_number_id}/messages":
            return self._answer(handler, 404, {"error": {"message": "unknown path", "code": 100}})
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return self._answer(handler, 401, {"error": {"message": "Invalid OAuth access token", "code": 190}})
        if failure and failure[0] == "timeout":
            time.sleep(failure[1])
            return self._answer(handler, 500, {"error": {"message": "too late"}})
        if failure:
            return self._answer(handler, failure[1], {"error": {"message": f"fake failure {failure[1]}",
                                                                "code": 131000}})
        body = json.loads(raw)
        if body.get("messaging_product") != "whatsapp" or not body.get("to") or body.get("type") not in (
                "template", "text"):
            return self._answer(handler, 400, {"error": {"message": "bad message", "code": 100}})
        if self.latency:
            time.sleep(self.latency)
        wamid = f"wamid.FAKE{next(self._ids):06d}"
        if self.on_request is not None:
            self.on_request(body, wamid)
        with self._lock:
            self.received.append((handler.path, dict(handler.headers), body))
            self.recipient_of[wamid] = body["to"]
        self._answer(handler, 200, {"messaging_product": "whatsapp",
                                    "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                    "messages": [{"id": wamid}]})
        if self.webhook_url and self.auto_statuses:
            threading.Thread(target=self._post_auto, args=(wamid, body), daemon=True).start()

    @staticmethod
    def _answer(handler, status, data):
        raw = json.dumps(data).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            handler.end_headers()
            handler.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout) or was killed
            pass

    def _post_auto(self, wamid, body):
        for status in self.auto_statuses:
            self.post_status(wamid, status, recipient=body["to"],
                             callback_data=body.get("biz_opaque_callback_data", ""))

    # --- webhooks back to the app -------------------------------------------------------------------

    def sign(self, raw: bytes, secret: str | None = None) -> str:
        key = (self.app_secret if secret is None else secret).encode()
        return "sha256=" + hmac.new(key, raw, hashlib.sha256).hexdigest()

    def status_payload(self, wamid, status, recipient="6281234567890", callback_data="", errors=None) -> dict:
        entry = {"id": wamid, "status": status, "timestamp": str(int(time.time())), "recipient_id": recipient}
        if callback_data:
            entry["biz_opaque_callback_data"] = callback_data
        if errors:
            entry["errors"] = errors
        return self._envelope({"statuses": [entry]})

    def reply_payload(self, from_number, text) -> dict:
        return self._envelope({"contacts": [{"wa_id": from_number, "profile": {"name": "X"}}],
                               "messages": [{"from": from_number, "id": "wamid.IN1", "type": "text",
                                             "timestamp": str(int(time.time())), "text": {"body": text}}]})

    def _envelope(self, value: dict) -> dict:
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "6227400000", "phone_number_id": self.phone_number_id},
                 **value}
        return {"object": "whatsapp_business_account",
                "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}]}

    def post(self, payload: dict, url: str | None = None, secret: str | None = None) -> int:
        """POST a signed webhook to the app over HTTP; returns the status code."""
        raw = json.dumps(payload).encode()
        request = urllib.request.Request(url or self.webhook_url, data=raw, method="POST", headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": self.sign(raw, secret)})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def post_status(self, wamid, status, recipient="6281234567890", callback_data="") -> int:
        code = self.post(self.status_payload(wamid, status, recipient, callback_data))
        self.webhook_times.append((wamid, status, time.monotonic()))
        return code


# --- fixtures (import them into a test module) ---------------------------------------------------------

import pytest  # noqa: E402


@pytest.fixture
def cloud_api(app):
    """The fake Cloud API, running, with the app's WhatsApp settings pointing at it."""
    fake = FakeCloudApi().start()
    app.config.update(fake.settings())
    yield fake
    fake.stop()


@pytest.fixture
def live_server(app):
    """The app served over real HTTP in a thread (the fake posts its webhooks there); yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()

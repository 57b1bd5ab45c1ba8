"""The WhatsApp Business Cloud API, as far as we use it: send one message, check a webhook's signature."""
import hashlib
import hmac
import json
import socket
import urllib.error
import urllib.request

from gandeng.accounts.phones import whatsapp_id

TIMEOUT_SECONDS = 15
MAX_ERROR_CHARS = 1000
TEXT_WINDOW_HOURS = 24  # plain text only within 24 hours of the person's last message to us


class ProviderError(Exception):
    """The provider refused or did not answer. `permanent`: trying again will not help (a 4xx)."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def payload(to_e164: str, *, template_name: str = "", params=(), text: str = "", language: str = "id",
            callback_data: str = "") -> dict:
    """The JSON body of `POST /{phone_number_id}/messages`: a template message, or plain text when `text`."""
    body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": whatsapp_id(to_e164)}
    if text:
        body.update(type="text", text={"preview_url": False, "body": text[:4096]})
    else:
        parameters = [{"type": "text", "text": str(p)[:1024]} for p in params]
        template = {"name": template_name, "language": {"code": language}}
        if parameters:
            template["components"] = [{"type": "body", "parameters": parameters}]
        body.update(type="template", template=template)
    if callback_data:
        # Echoed back in every status webhook: lets a receipt find a message whose send was never recorded.
        body["biz_opaque_callback_data"] = callback_data
    return body


def send(config, body: dict) -> str:
    """Post one message; the provider's message id ("wamid…"), or ProviderError."""
    url = f"{config['WHATSAPP_API_URL'].rstrip('/')}/{config['WHATSAPP_PHONE_NUMBER_ID']}/messages"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {config.get('WHATSAPP_TOKEN') or ''}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=float(config.get("WHATSAPP_TIMEOUT_SECONDS") or TIMEOUT_SECONDS)) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        detail = error.read()[:MAX_ERROR_CHARS].decode("utf-8", "replace")
        # 408 and 429 are worth another try; other 4xx mean the message itself is refused.
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise ProviderError(f"HTTP {error.code}: {detail}", permanent=permanent) from None
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as error:
        raise ProviderError(f"{type(error).__name__}: {getattr(error, 'reason', error)}") from None
    except ValueError as error:
        raise ProviderError(f"answer is not JSON: {error}") from None
    try:
        return str(answer["messages"][0]["id"])
    except (KeyError, IndexError, TypeError):
        raise ProviderError(f"answer without a message id: {str(answer)[:MAX_ERROR_CHARS]}") from None


def signature(secret: str, raw_body: bytes) -> str:
    """The X-Hub-Signature-256 value of `raw_body`: "sha256=" + hex HMAC-SHA256 with the app secret."""
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, raw_body: bytes, header: str | None) -> bool:
    """True only with a secret configured and a header that matches (compared in constant time)."""
    if not secret or not header:
        return False
    return hmac.compare_digest(signature(secret, raw_body), header.strip())

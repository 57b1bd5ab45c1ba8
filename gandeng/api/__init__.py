"""The JSON API (/api/v1) and the serialisation of models into the contract's fields.

`init_api(app)` (called by the factory) binds flask-smorest to the app, registers the resource
blueprints (exempt from the forms' CSRF check: gandeng.api.auth checks the header instead for
cookie sessions), the per-token rate limit, CORS and the OpenAPI document."""
import os
import threading

from flask import current_app, request

API_SETTINGS = {
    "API_TOKEN_DAYS": (int, 30),
    "API_RATE_LIMIT": (str, "300 per minute"),
    "API_CORS_ORIGINS": (str, ""),  # comma-separated origins, e.g. https://jss.jogjakota.go.id
}
CORS_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key, Accept-Language"


def _api_class():
    """flask-smorest's Api without its app-wide error handlers: the web pages keep theirs, and the API
    blueprints carry their own (gandeng.api.errors). Built when the API is bound, not when this
    package is imported (gandeng.models imports gandeng.api.models at every start: flask-smorest,
    marshmallow and apispec load only with the pages).

    The blueprints' routes are registered at once, their OpenAPI paths only when the document is first
    read (`spec`: the JSON view, the docs): writing them took about half of `create_app`, paid by every
    app, test and `flask` command."""
    from flask_smorest import Api

    class GandengApi(Api):
        DEFAULT_ERROR_RESPONSE_NAME = None

        def __init__(self, app=None, **kwargs):
            self._undocumented = []  # (blueprint, name, parameters) registered, not yet in the document
            self._documenting = threading.Lock()
            super().__init__(app, **kwargs)

        def _register_error_handlers(self):
            pass

        def register_blueprint(self, blp, *, parameters=None, **options):
            """flask-smorest's Api.register_blueprint (0.47) with the documentation of its views deferred."""
            name = options.get("name", blp.name)
            self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
            self._app.register_blueprint(blp, **options)
            self._undocumented.append((blp, name, parameters))

        @property
        def spec(self):
            """The APISpec, with the paths and tags of every blueprint registered so far (same order)."""
            spec = self._spec
            if spec is not None and self._undocumented:
                with self._documenting:  # another thread asking meanwhile waits for the whole document
                    while self._undocumented:
                        blp, name, parameters = self._undocumented[0]
                        blp.register_views_in_doc(self, self._app, spec, name=name, parameters=parameters)
                        spec.tag({"name": name, "description": blp.description})
                        self._undocumented.pop(0)
            return spec

        @spec.setter
        def spec(self, value):
            self._spec = value

    return GandengApi


def _settings(app) -> None:
    for name, (read, default) in API_SETTINGS.items():
        if name not in app.config:
            raw = os.environ.get(name)
            app.config[name] = read(raw) if raw else default
    app.config.setdefault("API_TITLE", "Gandeng Gendong API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")


def allowed_origins() -> set[str]:
    raw = current_app.config.get("API_CORS_ORIGINS") or ""
    return {o.strip().rstrip("/") for o in raw.split(",") if o.strip()}


def _is_api_path() -> bool:
    return request.path == "/api/v1" or request.path.startswith("/api/v1/")


def _cors(app) -> None:
    @app.before_request
    def api_preflight():
        if request.method != "OPTIONS" or not _is_api_path():
            return None
        origin = request.headers.get("Origin", "")
        if origin and origin in allowed_origins():
            response = current_app.make_response(("", 204))
            response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
            response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
            response.headers["Access-Control-Max-Age"] = "600"
            return response
        return None

    @app.after_request
    def api_cors_headers(response):
        if _is_api_path():
            origin = request.headers.get("Origin", "")
            if origin and origin in allowed_origins():
                response.headers["Access-Control-Allow-Origin"] = origin
                response.headers["Access-Control-Expose-Headers"] = "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining"
            response.vary.add("Origin")
        return response


def init_api(app) -> None:
    from gandeng.api import common
    from gandeng.api.errors import ApiError, api_error_response
    from gandeng.api.schemas import ErrorSchema
    from gandeng.api.views import auth, collaborations, docs, matching, needs, offers, reference  # noqa: F401
    from gandeng.api.views import sister  # noqa: F401  (issue 17)
    from gandeng.nglarisi import api as nglarisi_api  # noqa: F401  (issue 18)

    _prepare_blueprints()
    _settings(app)
    GandengApi = _api_class()
    GandengApi.ERROR_SCHEMA = ErrorSchema
    api = GandengApi(app, spec_kwargs={
        "info": {"description": (
            "JSON API of Gandeng Gendong for Jogja Smart Service and other integrations. Get a token with "
            "POST /api/v1/auth/token and send `Authorization: Bearer TOKEN`. Errors: "
            '`{"error": {"code", "message", "fields"?}}` with a 4xx status. See docs/api.md.')},
    })
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{}, {"bearerAuth": []}]
    for blueprint in common.BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    app.register_error_handler(ApiError, api_error_response)  # raised before a blueprint was matched
    _cors(app)


def _prepare_blueprints() -> None:
    """Once per process: CSRF exemption, auth hook and the shared per-token rate limit on every
    API blueprint (they are module-level objects shared by every app the factory builds)."""
    from gandeng.api import common
    from gandeng.api.auth import authenticate_request, rate_limit_key
    from gandeng.api.views import auth, collaborations, matching, needs, offers, reference  # noqa: F401
    from gandeng.api.views import sister  # noqa: F401  (issue 17)
    from gandeng.nglarisi import api as nglarisi_api  # noqa: F401  (issue 18)
    from gandeng.extensions import csrf, limiter

    for blueprint in common.BLUEPRINTS:
        if getattr(blueprint, "_gandeng_ready", False):
            continue
        csrf.exempt(blueprint)
        blueprint.before_request(authenticate_request)
        limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api",
                             key_func=rate_limit_key)(blueprint)
        blueprint._gandeng_ready = True

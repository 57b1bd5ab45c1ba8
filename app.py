"""Entry point: `flask --app app …` and `gunicorn app:app`."""
from gandeng.factory import create_app

app = create_app(lazy_pages=True)  # pages registered before the first request or command (light --help)

"""The public transparency page (/public) and open data, without any personal data."""
from flask import Blueprint

bp = Blueprint("public", __name__)

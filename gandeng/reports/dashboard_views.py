"""The staff dashboard (/dashboard): the city's figures by status, category, kemantren and kelurahan."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

"""The collaboration network (/network): which organisations work in which kampung."""
from flask import Blueprint

bp = Blueprint("network", __name__)

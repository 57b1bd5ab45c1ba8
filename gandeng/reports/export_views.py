"""Staff exports (/exports): needs, offers, collaborations as CSV and XLSX."""
from flask import Blueprint

bp = Blueprint("exports", __name__)

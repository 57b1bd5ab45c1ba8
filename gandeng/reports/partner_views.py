"""The partner page (/partner) and the PDF statement of an organisation's contribution; the monthly PDF report."""
from flask import Blueprint

bp = Blueprint("partner_report", __name__)

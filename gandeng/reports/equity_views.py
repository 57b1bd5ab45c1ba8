"""The equity view and the staff map (/dashboard/equity): Rp committed per KMS household by kelurahan."""
from flask import Blueprint

bp = Blueprint("equity", __name__)

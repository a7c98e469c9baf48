"""Routes of register exports, saved views, funder reports and calendar feeds."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

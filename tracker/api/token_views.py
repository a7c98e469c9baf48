"""The pages of the API tokens: each user's own, and the coordination office's list of all."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker.api import tokens
from tracker.api.forms import TokenForm
from tracker.api.models import ApiToken, TokenScope
from tracker.db import db, unit_of_work, utcnow
from tracker.forms_support import attempt
from tracker.i18n import _
from tracker.submissions import services as submissions

bp = Blueprint("api_tokens", __name__)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def own_tokens():
    """Make a token (shown once, on the answer to the form) and see or revoke one's tokens."""
    form = TokenForm()
    made = None
    if form.validate_on_submit():
        result = attempt(form, lambda: _create(form))
        if result.done and result.value is None:  # the same form once more (a reload)
            flash(
                _(
                    "This form made its token already; a token is shown only once. If you "
                    "did not copy it, revoke it and make a new one."
                ),
                "warning",
            )
            return redirect(url_for("api_tokens.own_tokens"))
        if result.done:
            made = result.value
            form = TokenForm(formdata=None)
    status = 400 if form.errors else 200
    return render_template(
        "api/tokens.html",
        form=form,
        made=made,
        rows=tokens.tokens_of(current_user),
        now=utcnow(),
        api_url=url_for("api-docs.openapi_json", _external=True),
    ), status


def _create(form: TokenForm) -> str | None:
    """Make the form's token, or None if this very form made one before."""
    earlier, claim = submissions.claim(form.submission_key.data, current_user)
    if earlier is not None:
        return None
    row, token = tokens.create_token(
        current_user,
        actor=current_user,
        name=form.name.data,
        scope=TokenScope(form.scope.data),
        days=form.days.data,
    )
    submissions.done(claim, row.id)
    return token


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_own(token_id: int):
    with unit_of_work():
        row = db.get_or_404(ApiToken, token_id)
        if row.user_id != current_user.id:
            abort(404)
        tokens.revoke_token(row, actor=current_user)
    flash(_("The token was revoked: it no longer works."), "success")
    return redirect(url_for("api_tokens.own_tokens"))


@bp.get("/admin/tokens")
@login_required
def all_tokens():
    """The coordination office sees every token (never the token itself) and may revoke it."""
    if not current_user.is_admin:
        abort(403)
    return render_template("api/all_tokens.html", rows=tokens.all_tokens(), now=utcnow())


@bp.post("/admin/tokens/<int:token_id>/revoke")
@login_required
def revoke_any(token_id: int):
    if not current_user.is_admin:
        abort(403)
    with unit_of_work():
        tokens.revoke_token(db.get_or_404(ApiToken, token_id), actor=current_user)
    flash(_("The token was revoked: it no longer works."), "success")
    return redirect(url_for("api_tokens.all_tokens"))

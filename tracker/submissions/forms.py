"""The hidden key of a create form."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import Length, Optional

from tracker.submissions.services import new_key


def submission_key_field() -> HiddenField:
    """A hidden field holding a new key each time the form is shown."""
    return HiddenField(default=new_key, validators=[Optional(), Length(max=64)])

"""The mail preferences form: one choice per topic."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField

from tracker.forms_support import options
from tracker.mail.models import Delivery
from tracker.mail.preferences import TOPICS


class PreferencesForm(FlaskForm):
    @classmethod
    def for_topics(cls, chosen: dict[str, Delivery]) -> PreferencesForm:
        """A form class with a radio group per topic, filled with the user's choices."""

        class Form(cls):
            pass

        for name, topic in TOPICS.items():
            labels = Delivery.labels()
            field = RadioField(
                topic.label,
                choices=options((d.value, labels[d]) for d in topic.choices),
                default=chosen[name].value,
            )
            setattr(Form, name, field)
        return Form()

"""Forms of the import: the upload, and the mapping that carries the file along."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, HiddenField, SelectField
from wtforms.validators import DataRequired, Optional

from tracker.forms_support import options
from tracker.i18n import _l
from tracker.imports.mapping import FIELDS
from tracker.imports.planning import NEW_TOPIC, SKIP_TOPIC, Choices
from tracker.items.models import ItemKind
from tracker.networks.models import Network

IGNORE = ""
# Names of the dry run's choices; the part after the prefix is the value's key.
NETWORK_VALUE, TOPIC_VALUE, COMPANY = "network-value:", "topic-value:", "company:"


def field_choices() -> list:
    """The targets a column can be imported as, ``""`` meaning "do not import"."""
    return options([(IGNORE, _l("— do not import —")), *FIELDS.items()])


class UploadForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[FileRequired(_l("Please choose a file."))],
        description=_l(
            "CSV (UTF-8 or Windows-1252, separated by ; or ,) or XLSX (the first worksheet)."
        ),
        render_kw={"accept": ".csv,.txt,.xlsx,text/csv"},
    )
    network = SelectField(
        _l("Reporting network"),
        coerce=int,
        validators=[DataRequired(_l("Please choose the reporting network."))],
        description=_l("For rows without a column naming the reporting network."),
    )


class MappingForm(FlaskForm):
    """The column mapping; the file itself travels in ``payload`` (nothing is kept on disk)."""

    payload = HiddenField(validators=[DataRequired()])
    filename = HiddenField(validators=[Optional()])
    network = SelectField(
        _l("Reporting network"),
        coerce=int,
        validators=[DataRequired(_l("Please choose the reporting network."))],
    )
    default_kind = SelectField(
        _l("Kind for rows without one"),
        choices=options([("", _l("— none: report such rows —")), *ItemKind.choices()]),
        validators=[Optional()],
    )
    columns = FieldList(SelectField(choices=field_choices(), validators=[Optional()]))

    def column_mapping(self, width: int) -> dict[int, str]:
        """Return ``{column index: field}`` for the columns that are imported."""
        return {i: e.data for i, e in enumerate(self.columns) if e.data and i < width}

    def kind(self) -> ItemKind | None:
        return ItemKind(self.default_kind.data) if self.default_kind.data else None


def fill_networks(field: SelectField, networks: list[Network]) -> None:
    """Offer the networks by short name and name, none chosen: a whole file must not go to
    the first network in the list because nobody looked."""
    field.choices = options(
        [(0, _l("— please choose —")), *((n.id, f"{n.short_name} – {n.name}") for n in networks)]
    )


def _prefixed(formdata, prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v for k, v in formdata.items() if k.startswith(prefix)}


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def read_choices(formdata) -> Choices:
    """Read what the office chose in the dry run; anything malformed counts as no choice.

    The services check every id against the register.
    """
    networks = {k: int(v) for k, v in _prefixed(formdata, NETWORK_VALUE).items() if v.isdigit()}
    topics = {
        k: v
        for k, v in _prefixed(formdata, TOPIC_VALUE).items()
        if v in (NEW_TOPIC, SKIP_TOPIC) or v.isdigit()
    }
    companies = {k: v for k, v in _prefixed(formdata, COMPANY).items() if v in ("existing", "new")}
    return Choices(
        networks=networks,
        topics=topics,
        companies=companies,
        without_network=_number(formdata.get("without_network")),
        open_in_progress=formdata.get("open_as") == "in_progress",
        overwrite_changed=formdata.get("overwrite_changed") == "1",
    )

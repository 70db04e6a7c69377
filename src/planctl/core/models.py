"""The plan schema: pydantic models for a plan file.

A plan is metadata, rating scales, catalogues (evidence, glossary, KPIs) and a tree of
sections of any depth whose leaves are items. The models hold data only; deadlines are
kept as the raw phrase and resolved once, on load, by :mod:`planctl.core.dates`, so that
every query, lint rule and template sees the same interval.

Cross-record checks (unique ids, statuses on the plan's scale) live in
:mod:`planctl.core.validate`, where each problem keeps its YAML path for a located message.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PrivateAttr,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from planctl.core.dates import (
    FuzzyDate,
    Recurrence,
    find_date,
    find_recurrence,
    find_start,
    latest_on,
    parse_date,
    parse_recurrence,
)
from planctl.core.text import COLOUR, COLOUR_NAMES, is_colour
from planctl.core.yamlread import resolve_core

SCHEMA_VERSION: Literal[1] = 1
ACTIONABLE_KINDS = frozenset({"action", "objective", "recommendation"})
TBC_WORDS = frozenset({"tbc", "tbc.", "to be confirmed", "tba", "to be agreed"})
NO_LEAD_LABEL = "No lead named"  # what reports and papers say for an item nobody leads

YamlPath = tuple[str | int, ...]


def _as_text(value: Any) -> Any:
    """Numbers that YAML read as such are still phrases to us (``due: 2026``), as written."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | dt.date):
        return str(value)
    return value


class ReadingError(ValueError):
    """A value refused for how it is written, with what to write instead."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def _no_yaml11_difference(value: Any) -> None:
    """Refuse a number that YAML 1.1 reads differently (``010`` is 8 there, 10 here)."""
    other = getattr(value, "yaml11", None)
    if other is not None:
        written = getattr(value, "text", str(value))
        plain = repr(int(value) if isinstance(value, int) else float(value))
        older = "as text" if other == "text" else f"as {other}"
        raise ReadingError(
            f"{written} is {plain} in YAML 1.2 (editors, the JSON Schema) but YAML 1.1 reads it {older}",
            f"write {plain}, or quote it if it is text",
        )


def _true_false(value: Any) -> Any:
    """A yes/no field takes only true or false: YAML 1.1 read yes/no/on/off as those."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"yes", "no", "on", "off", "y", "n"}:
        raise ReadingError(
            f"{value!r} is text in YAML 1.2 (editors, the JSON Schema), though YAML 1.1 reads it as true/false",
            "write true or false",
        )
    raise ReadingError("Input should be a valid boolean", "write true or false")


def _number_only(what: str) -> Callable[[Any], Any]:
    """A number field takes a number written plainly; never text or true/false."""

    def check(value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            _no_yaml11_difference(value)
            return value
        hint = "write a number, e.g. 12"
        if isinstance(value, str) and resolve_core(value.strip()) in (_INT_TAG, _FLOAT_TAG):
            hint = "write the number without quotes"
        elif isinstance(value, str) and _YAML11_NUMBER.fullmatch(value.strip()):
            hint = "write the number as plain digits (YAML 1.2 reads '1:30', '1_000' and '0b1' as text)"
        raise ReadingError(f"Input should be a valid {what}", hint)

    return check


def _constant(value: Any) -> Any:
    """``schema_version: 1``: a number, never true (which Python counts as 1)."""
    if isinstance(value, bool):
        raise ReadingError("must be the number 1", "write schema_version: 1")
    return value


_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_YAML11_NUMBER = re.compile(
    r"[-+]?(?:0b[01_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:[eE][-+][0-9]+)?)"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _date_text(value: Any) -> Any:
    """A calendar date is text written YYYY-MM-DD, as the schema's ``format: date`` says."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and (_ISO_DATE.fullmatch(value) or not _accepted_date(value)):
        return value  # a real date, or one pydantic refuses with its own words
    raise ReadingError(
        "a date must be written YYYY-MM-DD", "write a calendar date as YYYY-MM-DD, e.g. 2026-04-01"
    )


def _accepted_date(value: str) -> bool:
    try:
        _DATE_ADAPTER.validate_python(value)
    except ValidationError:
        return False
    return True


_DATE_ADAPTER: TypeAdapter[dt.date] = TypeAdapter(dt.date)

Date = Annotated[dt.date, BeforeValidator(_date_text)]
TrueFalse = Annotated[bool, BeforeValidator(_true_false)]
# Field before the validator, so the schema keeps the minimum.
LineNumber = Annotated[int, Field(ge=1), BeforeValidator(_number_only("integer"))]
Number = Annotated[float, BeforeValidator(_number_only("number"))]


def _to_fuzzy(value: Any) -> Any:
    value = _as_text(value)
    if isinstance(value, FuzzyDate):
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("a deadline must not be empty; remove the key if there is none")
        return parse_date(value)
    raise ValueError("a deadline must be text such as 'April 2026' or 'Q3 2025/26'")


def _to_recurrence(value: Any) -> Any:
    if isinstance(value, Recurrence):
        return value
    if isinstance(value, str):
        found = parse_recurrence(value)
        if found is None:
            raise ValueError(
                f"cannot read {value!r} as a recurrence; write e.g. 'monthly' or 'every 6 to 8 weeks'"
            )
        return found
    raise ValueError("a recurrence must be text such as 'monthly' or 'every 6 to 8 weeks'")


Due = Annotated[
    FuzzyDate,
    BeforeValidator(_to_fuzzy),
    PlainSerializer(lambda d: d.text, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "number"],
            "pattern": "\\S",
            "description": "A deadline as written: 'April 2026', 'Q3 2025/26', 'Summer 2026', 'Mar 18'.",
        }
    ),
]
RecurrenceText = Annotated[
    Recurrence,
    BeforeValidator(_to_recurrence),
    PlainSerializer(lambda r: r.text, return_type=str),
    WithJsonSchema({"type": "string", "description": "'monthly', 'every 6 to 8 weeks', 'termly'."}),
]
Text = str  # a number written plainly is coerced to text, as written (str() of a YamlInt/YamlFloat)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")


def _id_number(value: Any) -> Any:
    """An id written as a number (``id: 1.10``) is its text; a sign or exponent makes none."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
        if not value < 0 and not _ID.match(text):  # what the schema's minimum lets through, nan too
            raise ReadingError(
                f"{text} is a number but not an id as written; ids use only ASCII letters, digits and . _ : / -",
                "write the id with digits and dots only, e.g. 1.10",
            )
    return value


Id = Annotated[
    str,
    Field(
        pattern=_ID.pattern,
        description="Letters, digits and . _ : / - ; no spaces. Unique within the plan.",
        json_schema_extra={"minimum": 0},  # a number: '-1' is refused by the pattern as text
    ),
    BeforeValidator(_id_number),
]


class Model(BaseModel):
    """Base for every record: unknown keys are errors so typos never pass silently."""

    # The docstring under a field is its description in the JSON Schema, which editors show
    # on hover (read by planctl.core.schema; pydantic's use_attribute_docstrings would parse this
    # module's source at every start, 0.3 s).
    model_config = ConfigDict(extra="forbid", validate_default=False, coerce_numbers_to_str=True)


class Provenance(Model):
    """Where a record came from, so a reader can check it against the source."""

    file: str = Field(description="Source document file name.")
    section: str | None = None
    """The section of the source, as it numbers or names it."""
    page: Text | None = None
    """The page of the source, as printed."""
    line: LineNumber | None = None
    """The first line of the source text (a line number in the transcribed text file)."""
    end_line: LineNumber | None = None
    """The last line, when the record spans several."""
    note: str | None = None
    """Anything a checker should know about how this was transcribed."""

    def words(self) -> str:
        parts = [self.file]
        if self.section:
            parts.append(f"section {self.section}")
        if self.page:
            parts.append(f"page {self.page}")
        if self.line:
            parts.append(f"lines {self.line}-{self.end_line}" if self.end_line else f"line {self.line}")
        return ", ".join(parts)


class Lead(Model):
    """A person, role or organisation that leads; a bare string in YAML is a name."""

    name: str | None = None
    role: str | None = None
    organisation: str | None = None

    def label(self) -> str:
        return " / ".join(p for p in (self.name, self.role, self.organisation) if p) or "?"


def _lead_from_text(value: Any) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)  # a number written plainly is a name as written, like any text
    return {"name": value} if isinstance(value, str) else value


LeadEntry = Annotated[
    Lead,
    BeforeValidator(_lead_from_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": ["string", "number"], "description": "A name, role or team as the source gives it."},
                {
                    "type": "object",
                    "properties": {
                        "name": {"type": ["string", "number", "null"], "description": "The person's name."},
                        "role": {"type": ["string", "number", "null"], "description": "Their role or team."},
                        "organisation": {
                            "type": ["string", "number", "null"],
                            "description": "Their organisation.",
                        },
                    },
                    "additionalProperties": False,
                },
            ]
        }
    ),
]


def is_tbc(lead: Lead) -> bool:
    """True for a placeholder lead such as "TBC": it names nobody."""
    return lead.label().strip().lower() in TBC_WORDS


def _colour(value: Any) -> Any:
    """A rating's colour: a terminal colour name or #rrggbb, never a style or markup.

    The colour is shown on the terminal; anything wider ("red link https://..",
    "conceal") would let a plan plant links or hide text there.
    """
    if isinstance(value, str) and is_colour(value):
        return value
    written = value if isinstance(value, str) else str(value)
    raise ReadingError(
        f"{written!r} is not a colour planctl shows",
        f"write #rrggbb (e.g. '#d4351c') or one of: {', '.join(COLOUR_NAMES)}",
    )


Colour = Annotated[
    str,
    BeforeValidator(_colour),
    WithJsonSchema(
        {"type": "string", "pattern": f"^(?:{COLOUR.pattern})$", "description": "A colour name or #rrggbb."}
    ),
]


class ScaleValue(Model):
    key: Text
    """What a status is written as in the plan."""
    label: str
    """The rating's name as reports show it."""
    meaning: str | None = None
    """What the rating means, as the source defines it."""
    colour: Colour | None = Field(default=None, description="A colour name or #rrggbb.")
    done: TrueFalse = Field(default=False, description="True when this rating means the work is done.")


class Scale(Model):
    """A rating scale: RAG, BRAG, a tracker's status key, or a set of decisions."""

    id: Id
    """The scale's id, named by 'scale:' and 'default_scale:'."""
    name: str
    """The scale's name as reports show it."""
    description: str | None = None
    """What the scale rates, as the source explains it."""
    values: list[ScaleValue] = Field(min_length=1)
    """The ratings, from worst to best."""

    def find(self, value: str) -> ScaleValue | None:
        """Match a key or a label, ignoring case: people type "amber" and "Amber"."""
        wanted = value.strip().casefold()
        for v in self.values:
            if v.key.casefold() == wanted or v.label.casefold() == wanted:
                return v
        return None


class Period(Model):
    start: Date | None = None
    """The first day of the plan's period (YYYY-MM-DD)."""
    end: Date | None = None
    """The last day of the plan's period (YYYY-MM-DD)."""
    text: str | None = Field(default=None, description="The period as the source words it.")


class Closure(Model):
    """Work that has ended: a plan whose period ran out, a section the board closed.

    Queries, lint and reports leave closed work out from ``date`` on (as of that day),
    unless asked to include it; the reason says why, in the source's terms.
    """

    date: Date = Field(description="The day the work closed (YYYY-MM-DD).")
    reason: str = Field(pattern="\\S", description="Why it closed, e.g. 'its period 2018-2021 ended'.")
    provenance: Provenance | None = None
    """Where the source says the work ended."""

    def words(self) -> str:
        return f"closed on {self.date.isoformat()}: {self.reason}"


class Source(Model):
    file: str
    """The source document's file name."""
    title: str | None = None
    """The document's title as it gives it."""
    publisher: str | None = None
    """Who published it."""
    date: Text | None = None
    """When it was published, as written."""
    url: str | None = None
    """Where it can be read."""
    note: str | None = None
    """Anything a reader should know about the source."""


class GovernanceBody(Model):
    """A board or group, and which sections it is responsible for delivering."""

    id: Id | None = None
    """The body's id."""
    name: str
    """The board or group's name."""
    role: str | None = None
    """What it does for the plan."""
    reports_to: str | None = None
    """The body it reports to."""
    delivers: list[str] = Field(default_factory=list, description="Ids of sections it delivers.")
    members: list[str] = Field(default_factory=list)
    """Who sits on it, as the source lists them."""
    provenance: Provenance | None = None
    """Where the source describes it."""


class GlossaryEntry(Model):
    term: str
    """The word or acronym."""
    meaning: str
    """What it means."""
    easy_read: str | None = Field(default=None, description="The meaning in easy words.")


class EasyReadVersion(Model):
    """Who wrote a plan's ``easy_read:`` words, from what, and whether people checked them.

    Easy-read words are not the source's: a reader (and a self-advocacy group asked to
    sign them off) must be told who rewrote the plan and whether anyone with a learning
    disability has checked the result. ``checked_by``/``checked_on`` stay empty until
    such a check has happened: a handout says so rather than implying approval.
    """

    written_by: str = Field(description="Who wrote the easy-read words.")
    based_on: str = Field(description="The source the words reword (a document, its date).")
    checked_by: str | None = Field(
        default=None, description="The group of people with a learning disability who checked them."
    )
    checked_on: Date | None = Field(default=None, description="When they were checked.")
    note: str | None = None
    """Anything else a reader should know about the easy-read words."""


class Contact(Model):
    """Who a reader can contact about the plan, and how: only as the source gives it."""

    name: str | None = None
    """A person's or team's name, as the source gives it."""
    role: str | None = None
    """Their job or role."""
    organisation: str | None = None
    """The organisation they work for."""
    email: str | None = None
    """Their email address."""
    phone: Text | None = None
    """Their phone number, as printed."""
    website: str | None = None
    """A web address for the plan or the contact."""
    about: str | None = Field(default=None, description="What to contact them for, as the source says.")
    easy_read: str | None = Field(default=None, description="What to contact them for, in easy words.")
    provenance: Provenance | None = None
    """Where the source gives the contact."""

    def label(self) -> str:
        return " / ".join(p for p in (self.name, self.role, self.organisation) if p)


class EvidenceEntry(Model):
    code: Id
    """The code items cite in 'evidence:'."""
    title: str | None = None
    """The evidence's title."""
    text: str | None = None
    """What the evidence says, as the source gives it."""
    provenance: Provenance | None = None
    """Where the source gives it."""


def _period(value: Any) -> Any:
    """A period planctl reads ("2023/24", "13/14", "July 24", "Q1 2025/26"), kept as written."""
    from planctl.core.periods import parse_period

    value = _as_text(value)
    if isinstance(value, str):
        parse_period(value)  # ValueError: "cannot read ... as a period; write e.g. ..."
    return value


PeriodText = Annotated[
    str,
    BeforeValidator(_period),
    WithJsonSchema(
        {
            "type": ["string", "number"],
            "pattern": "\\S",
            "description": "The period as printed: '2023/24', '13/14', 'Q1 2025/26', 'July 24'.",
        }
    ),
]


class Observation(Model):
    """One figure of a measure: its period, area, value and the figure exactly as printed."""

    period: PeriodText = Field(description="The period as printed: '2023/24', '13/14', 'July 24'.")
    area: str | None = Field(default=None, description="Borough or area, e.g. RBKC, WCC.")
    value: Number | None = Field(default=None, description="The figure as a number (24 for '24%').")
    text: Text | None = Field(default=None, description="The figure as printed: '24%', '592 (July 24)'.")
    provenance: Provenance | None = None
    """Where the source prints the figure."""


class Benchmark(Model):
    """A comparator the source prints beside a measure (e.g. England), with no period of its own."""

    area: str = Field(description="Whose figure: 'England', 'South East'.")
    period: PeriodText | None = None
    """The period of the comparator's figure, when the source gives one."""
    value: Number | None = None
    """The comparator's figure as a number."""
    text: Text | None = Field(default=None, description="The figure as printed.")
    provenance: Provenance | None = None
    """Where the source prints the comparator."""


class Target(Model):
    """What a measure should reach, and by when ("51 schools by August 2026")."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, ignored_types=(cached_property,))

    value: Number | None = Field(default=None, description="The target as a number.")
    text: Text | None = Field(default=None, description="The target as printed.")
    due: Due | None = Field(default=None, description="By when; else the date its text names.")
    provenance: Provenance | None = None
    """Where the source states the target."""

    @cached_property
    def deadline(self) -> FuzzyDate | None:
        """``due``, else the date the text names ("by August 2026"), as outcomes do."""
        if self.due is not None:
            return self.due
        return find_date(self.text) if self.text else None


class Band(Model):
    """One tolerance band: values from ``min`` to ``max`` (inclusive) earn ``rating``."""

    rating: Text = Field(description="A key or label of the tolerance's scale.")
    min: Number | None = Field(default=None, description="Lowest value in the band; none: no lower limit.")
    max: Number | None = Field(default=None, description="Highest value in the band; none: no upper limit.")


class Tolerance(Model):
    """Thresholds that turn a value into a rating on the plan's scale, as performance systems do."""

    scale: str | None = Field(default=None, description="Id of the scale; default: the plan's.")
    bands: list[Band] = Field(min_length=1, description="Tried in order; the first band holding the value.")


class KPI(Model):
    """A measure of success with its observations over periods and areas."""

    id: Id | None = None
    """The measure's id."""
    name: str
    """What is measured, as the source names it."""
    unit: str | None = Field(
        default=None, description="percent, count, days, score, per 100,000 population, ..."
    )
    polarity: Literal["higher-is-better", "lower-is-better", "neutral"] | None = Field(
        default=None, description="Only where the source states the direction (say where in polarity_source)."
    )
    polarity_source: Provenance | None = Field(
        default=None, description="Where the source states the direction."
    )
    baseline: Observation | None = None
    """The starting figure the source compares against."""
    target: Target | None = None
    """The figure aimed for, and by when."""
    tolerance: Tolerance | None = None
    """Thresholds that turn a figure into a rating."""
    observations: list[Observation] = Field(default_factory=list)
    """The figures measured, by period and area."""
    benchmarks: list[Benchmark] = Field(default_factory=list)
    """Comparators printed beside the measure (England, the region)."""
    provenance: Provenance | None = None
    """Where the source gives the measure."""


class Outcome(Model):
    """An outcome measure; its deadline may be explicit or named in its own text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, ignored_types=(cached_property,))

    text: str
    """The outcome as the source words it; a deadline it names ('by April 2026') counts as its due date."""
    due: Due | None = None
    """The outcome's own deadline, when the text does not name it."""
    recurrence: RecurrenceText | None = None
    """How often the outcome repeats."""
    # Set by the enclosing item: True when the item itself repeats (its own ``recurrence``).
    _in_recurring_item: bool = PrivateAttr(default=False)

    @property
    def recurring(self) -> bool:
        """True when this outcome, or the item it measures, repeats."""
        return self._in_recurring_item or self.repeats is not None

    @cached_property
    def deadline(self) -> FuzzyDate | None:
        """The explicit deadline, or the one the text names ("... by April 2026").

        A recurrence is not a deadline: in the text of a recurring outcome, "starting
        March 2027" is the recurrence's start (see :attr:`repeats`), not a due date.
        """
        return self.due if self.due is not None else find_date(self.text, recurring=self.recurring)

    @cached_property
    def repeats(self) -> Recurrence | None:
        """The recurrence, with the start its text names when the recurrence has none."""
        found = self.recurrence if self.recurrence is not None else find_recurrence(self.text)
        if found is not None and found.start is None:
            start = find_start(self.text)
            if start is not None:
                return dataclasses.replace(found, start=start)
        return found


class Update(Model):
    """A dated progress note; with a status it is one step of the rating history."""

    date: Date
    """The day of the update (YYYY-MM-DD)."""
    status: Text | None = None
    """The rating given that day: a key or label of the item's scale."""
    note: str | None = None
    """What happened, in a sentence or two."""
    by: str | None = None
    """Who gave the update."""


class Response(Model):
    """A formal response to a recommendation (e.g. a Cabinet response pro forma)."""

    decision: Text | None = Field(default=None, description="A value of the decision scale.")
    scale: str | None = Field(default=None, description="Id of the decision scale; default 'decision'.")
    text: str | None = None
    """The response as written."""
    action: str | None = Field(default=None, description="Proposed action.")
    timescale: str | None = Field(default=None, description="Indicative timescale as written.")
    by: str | None = None
    """Who responded."""
    date: Date | None = None
    """When the response was made (YYYY-MM-DD)."""
    provenance: Provenance | None = None
    """Where the source gives the response."""


class Item(Model):
    """An action, objective, recommendation or other entry of a plan."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, ignored_types=(cached_property,))

    id: Id
    """The item's id, unique in the plan; what 'planctl show ID' takes."""
    kind: str = Field(default="action", description="action, objective, recommendation, feedback, topic, ...")
    number: Text | None = None
    """The item's number as the source prints it."""
    title: str
    """What needs to happen, as the source words it."""
    text: str | None = None
    """More of the source's words about it."""
    outcomes: list[Outcome] = Field(default_factory=list)
    """How success will be measured, each with its own deadline if it has one."""
    impacts: list[str] = Field(default_factory=list)
    """Whom or what the item affects, as the source lists them."""
    due: Due | None = None
    """The deadline as written; planctl reads it as a span of days (see 'due')."""
    recurrence: RecurrenceText | None = None
    """How often a repeating action happens."""
    leads: list[LeadEntry] = Field(default_factory=list)
    """Who leads it: names, roles or teams (inherited from the section when absent)."""
    partners: list[str] = Field(default_factory=list)
    """Who else takes part."""
    scale: str | None = Field(default=None, description="Id of the scale for status; inherited otherwise.")
    status: Text | None = None
    """The current rating: a key or label of the item's scale."""
    status_date: Date | None = None
    """The day the status was given (YYYY-MM-DD); else the plan's ratings_as_of."""
    updates: list[Update] = Field(default_factory=list)
    """Dated progress notes, each with an optional rating."""
    response: Response | None = None
    """A formal response to a recommendation."""
    evidence: list[Text] = Field(
        default_factory=list, description="Codes from the plan's evidence catalogue."
    )
    kpis: list[KPI] = Field(default_factory=list)
    """Measures of the item's success."""
    links: list[str] = Field(default_factory=list, description="'item-id' or 'plan-id:item-id'.")
    tags: list[str] = Field(default_factory=list)
    """Free labels to select items by ('planctl list --tag')."""
    easy_read: str | None = None
    """The item in easy words, for easy-read handouts."""
    picture: str | None = None
    """The picture beside it in easy-read handouts: a name from 'planctl templates'' pictures."""
    provenance: Provenance | None = None
    """Where the source gives the item."""

    @model_validator(mode="after")
    def _outcomes_know_recurrence(self) -> Item:
        """An item that repeats makes each outcome's "starting X" a start, not a deadline."""
        if self.recurrence is not None:
            for outcome in self.outcomes:
                outcome._in_recurring_item = True
        return self

    @property
    def actionable(self) -> bool:
        """Work someone must deliver (kind action, objective or recommendation): the one
        definition of "an action" for counts, lint, queries, reports and handouts.

        Feedback quotes, inspection findings, committee topics, responses and notes are
        kept in plans but are not actions: they are not counted as work without a lead or
        a deadline, nor summed per lead. Deadline queries (``due``, ``overdue``,
        ``upcoming``) still list any item that has a deadline, whatever its kind (a
        committee topic is a report due at a meeting).
        """
        return self.kind in ACTIONABLE_KINDS

    @cached_property
    def deadline(self) -> FuzzyDate | None:
        """The item's own deadline, else the earliest resolved deadline of its outcomes.

        The earliest, because the item is due as soon as any of its outcomes is.
        """
        if self.due is not None:
            return self.due
        found = [o.deadline for o in self.outcomes if o.deadline is not None]
        resolved = [d for d in found if d.resolved]
        if resolved:
            return min(resolved, key=lambda d: (d.end, d.start))
        return found[0] if found else None

    @cached_property
    def repeats(self) -> Recurrence | None:
        if self.recurrence is not None:
            if self.recurrence.start is None:
                # "recurrence: annual" with an outcome that reads "... starting March 2027"
                start = next((d for o in self.outcomes if (d := find_start(o.text)) is not None), None)
                if start is not None:
                    return dataclasses.replace(self.recurrence, start=start)
            return self.recurrence
        return next((r for o in self.outcomes if (r := o.repeats) is not None), None)

    @property
    def latest_rated_update(self) -> Update | None:
        """The latest dated ``updates:`` entry with a status (the later in the list on a tie)."""
        latest: Update | None = None
        for update in self.updates:
            if update.status and (latest is None or update.date >= latest.date):
                latest = update
        return latest

    def rating_timeline(self, undated_on: dt.date | None = None) -> tuple[RatingStep, ...]:
        """Every rating the item has had, oldest first: the one home of "the rating".

        The rating as of a day is the last step dated on or before it
        (:func:`planctl.core.dates.latest_on`). ``status:`` outranks the updates from the day it was given
        (``status_date:``, else the date of the latest rated update that repeats it, else
        ``undated_on``, the plan's ``ratings_as_of:``), so rated updates dated on or after
        it are not steps. A ``status:`` with no date at all is a step with no date: it
        holds on every day, since nothing says when it was given.
        """
        rated = sorted((u for u in self.updates if u.status), key=lambda u: u.date)  # stable
        if self.status is None:
            return tuple(RatingStep(u.date, u.status or "", u.note) for u in rated)
        given = self.current_status_date or undated_on
        if given is None:
            return (RatingStep(None, self.status, None, from_status=True),)
        earlier = tuple(RatingStep(u.date, u.status or "", u.note) for u in rated if u.date < given)
        return (*earlier, RatingStep(given, self.status, None, from_status=True))

    def rating_as_of(self, as_of: dt.date | None, undated_on: dt.date | None = None) -> RatingStep | None:
        """The rating on ``as_of`` (None: the latest written), or None if there was none yet."""
        return latest_on(self.rating_timeline(undated_on), as_of)

    def updates_as_of(self, as_of: dt.date | None) -> list[Update]:
        """The ``updates:`` entries dated on or before ``as_of``: later notes were not written yet."""
        return [u for u in self.updates if as_of is None or u.date <= as_of]

    @property
    def current_status(self) -> str | None:
        """The rating as written, whatever the day: ``status`` if set, else the latest
        rated update's status (the last step of :meth:`rating_timeline`).

        Commands that answer as of a day (queries, reports, lint, export) read
        :meth:`Plan.rating_of` instead; editing and ``diff`` compare what is written.
        """
        step = self.rating_as_of(None)
        return step.status if step is not None else None

    @property
    def current_status_date(self) -> dt.date | None:
        """When :attr:`current_status` was given.

        ``status_date``, else (for a ``status`` that the latest rated update repeats) that
        update's date; for a rating from ``updates:`` alone, the update's date.
        """
        latest = self.latest_rated_update
        if self.status is not None:
            if self.status_date is not None:
                return self.status_date
            return latest.date if latest is not None and latest.status == self.status else None
        return latest.date if latest is not None else None


@dataclass(frozen=True, slots=True)
class RatingStep:
    """One rating of an item: its status, the day it was given (None: not known), the
    note of the update that gave it, and whether it is the item's ``status:`` line."""

    date: dt.date | None
    status: str
    note: str | None = None
    from_status: bool = False


class Section(Model):
    """A theme, priority, sub-theme, meeting, ...: sections nest to any depth."""

    id: Id
    """The section's id, unique in the plan; what 'planctl add' takes."""
    kind: str = Field(
        default="section", description="theme, priority, sub-theme, area-for-improvement, meeting, ..."
    )
    number: Text | None = None
    """The section's number as the source prints it."""
    title: str
    """The section's title as the source gives it."""
    text: str | None = None
    """More of the source's words about it."""
    date: Date | None = Field(default=None, description="For meetings: the meeting date.")
    intended_outcomes: list[str] = Field(default_factory=list)
    """What the section sets out to achieve, as listed."""
    success_measures: list[str] = Field(
        default_factory=list, description="'We will know we have made a difference when ...'"
    )
    impacts: list[str] = Field(default_factory=list)
    """Whom or what it affects, as the source lists them."""
    evidence: list[Text] = Field(default_factory=list)
    """Codes from the plan's evidence catalogue."""
    leads: list[LeadEntry] = Field(default_factory=list)
    """Who leads it; items without their own leads inherit these."""
    partners: list[str] = Field(default_factory=list)
    """Who else takes part."""
    scale: str | None = None
    """Id of the scale for its items' statuses; inherited otherwise."""
    kpis: list[KPI] = Field(default_factory=list)
    """Measures of the section's success."""
    tags: list[str] = Field(default_factory=list)
    """Free labels to select its items by."""
    easy_read: str | None = None
    """The section in easy words, for easy-read handouts."""
    picture: str | None = None
    """The picture beside it in easy-read handouts."""
    provenance: Provenance | None = None
    """Where the source gives the section."""
    closed: Closure | None = Field(default=None, description="Set when the section's work has ended.")
    sections: list[Section] = Field(default_factory=list)
    """Sections inside this one, to any depth."""
    items: list[Item] = Field(default_factory=list)
    """The section's actions, objectives, recommendations, ..."""


class Plan(Model):
    """One plan file."""

    schema_version: Annotated[Literal[1], BeforeValidator(_constant)] = SCHEMA_VERSION
    """The version of this file format: 1."""
    id: Id
    """The plan's id, unique among the plans; 'PLAN-ID:ITEM-ID' names an item in it."""
    title: str
    """The plan's title as its source gives it."""
    kind: str = Field(default="plan", description="strategy, action-plan, tracker, ...")
    summary: str | None = None
    """A short summary of the plan."""
    owners: list[str] = Field(default_factory=list, description="Owning organisations; not leads.")
    partners: list[str] = Field(default_factory=list)
    """Who else delivers the plan."""
    period: Period | None = None
    """The period the plan covers."""
    ratings_as_of: Date | None = Field(default=None, description="Ratings are correct as of this date.")
    closed: Closure | None = Field(default=None, description="Set when the plan's work has ended.")
    sources: list[Source] = Field(default_factory=list)
    """The documents the plan was transcribed from."""
    governance: list[GovernanceBody] = Field(default_factory=list)
    """The boards and groups that deliver and oversee it."""
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    """Hard words and acronyms and what they mean."""
    scales: list[Scale] = Field(default_factory=list)
    """The rating scales its statuses use."""
    default_scale: str | None = Field(default=None, description="Scale for statuses; default: the first.")
    evidence: list[EvidenceEntry] = Field(default_factory=list)
    """The evidence catalogue items cite by code."""
    kpis: list[KPI] = Field(default_factory=list)
    """Measures of the plan's success."""
    notes: list[str] = Field(default_factory=list)
    """Notes about the plan or its transcription."""
    tags: list[str] = Field(default_factory=list)
    """Free labels; the tag 'easy-read' turns on the easy-read rules."""
    easy_read: str | None = None
    """The plan in easy words, for easy-read handouts."""
    easy_read_version: EasyReadVersion | None = Field(
        default=None, description="Who wrote the easy_read words, from what; whether people checked them."
    )
    contacts: list[Contact] = Field(default_factory=list, description="Who to contact, as the source says.")
    sections: list[Section] = Field(default_factory=list)
    """The plan's themes, priorities or meetings, each holding items."""

    def names_somebody(self, lead: Lead) -> bool:
        """A lead someone can be asked about: not a placeholder ("TBC") and not only the
        plan's owning organisation ("the Council" names nobody in particular). What
        ``stats``, ``leads``, reports and ``missing-lead``/``tbc-lead`` call having a lead."""
        label = lead.label().strip().casefold()
        return not is_tbc(lead) and label not in {o.strip().casefold() for o in self.owners}

    def rating_of(self, item: Item, as_of: dt.date | None) -> RatingStep | None:
        """``item``'s rating as of a day (None: the latest written), an undated ``status:``
        counting as given on :attr:`ratings_as_of` (see :meth:`Item.rating_timeline`)."""
        return item.rating_as_of(as_of, self.ratings_as_of)

    def scale(self, scale_id: str | None) -> Scale | None:
        wanted = scale_id or self.default_scale
        if wanted is None:
            return self.scales[0] if self.scales else None
        return next((s for s in self.scales if s.id == wanted), None)


def closure_of(plan: Plan, sections: Sequence[Section], as_of: dt.date | None) -> Closure | None:
    """The closure that covers work in ``sections`` of ``plan`` on ``as_of`` (None: ever).

    The earliest of the plan's and the enclosing sections' that has begun: work closes
    with the first thing around it that closes.
    """
    found = [c for c in (plan.closed, *(s.closed for s in sections)) if c is not None]
    begun = [c for c in found if as_of is None or c.date <= as_of]
    return min(begun, key=lambda c: c.date) if begun else None


@dataclass(frozen=True, slots=True)
class Located:
    """An item with its place in the tree: what queries, lint and templates iterate."""

    item: Item
    sections: tuple[Section, ...]
    path: tuple[str | int, ...]  # YAML path of the item in its file

    @property
    def section_titles(self) -> list[str]:
        return [s.title for s in self.sections]

    @property
    def scale_id(self) -> str | None:
        if self.item.scale:
            return self.item.scale
        return next((s.scale for s in reversed(self.sections) if s.scale), None)

    @property
    def leads(self) -> list[Lead]:
        """The item's own leads, else the nearest enclosing section's."""
        if self.item.leads:
            return self.item.leads
        return next((s.leads for s in reversed(self.sections) if s.leads), [])


def item_deadlines(
    item: Item, path: YamlPath, *, named_in_text: bool = False
) -> Iterator[tuple[YamlPath, FuzzyDate]]:
    """Every deadline written for an item, with its YAML path: its own ``due``, then each outcome's.

    With ``named_in_text``, an outcome without ``due`` gives the date its text names
    (at the path of its ``text``), as :attr:`Outcome.deadline` does.
    """
    if item.due is not None:
        yield (*path, "due"), item.due
    for k, outcome in enumerate(item.outcomes):
        if outcome.due is not None:
            yield (*path, "outcomes", k, "due"), outcome.due
        elif named_in_text and outcome.deadline is not None:
            yield (*path, "outcomes", k, "text"), outcome.deadline


def kpi_entries(plan: Plan) -> Iterator[tuple[KPI, YamlPath, str | None]]:
    """Every KPI of a plan (the plan's own, then each section's and item's in document
    order) with its YAML path and the scale its section or item rates on."""
    for i, kpi in enumerate(plan.kpis):
        yield kpi, ("kpis", i), None
    for section, parents, path in walk_sections(plan.sections):
        chain = (*parents, section)
        scale_id = next((s.scale for s in reversed(chain) if s.scale), None)
        for i, kpi in enumerate(section.kpis):
            yield kpi, (*path, "kpis", i), scale_id
        for j, item in enumerate(section.items):
            for i, kpi in enumerate(item.kpis):
                yield kpi, (*path, "items", j, "kpis", i), item.scale or scale_id


def walk_sections(
    sections: list[Section], parents: tuple[Section, ...] = (), path: tuple[str | int, ...] = ()
) -> Iterator[tuple[Section, tuple[Section, ...], tuple[str | int, ...]]]:
    """Every section depth-first with its ancestors and YAML path."""
    for i, section in enumerate(sections):
        here = (*path, "sections", i)
        yield section, parents, here
        yield from walk_sections(section.sections, (*parents, section), here)


def walk_items(plan: Plan) -> Iterator[Located]:
    """Every item in document order with its enclosing sections."""
    for section, parents, path in walk_sections(plan.sections):
        chain = (*parents, section)
        for j, item in enumerate(section.items):
            yield Located(item=item, sections=chain, path=(*path, "items", j))

"""A rating: a status read on its scale, the one type every layer passes around.

A plan writes a status as text (``status: amber``); its scale (:class:`planctl.core.models.Scale`)
says what that text is: the key, the label reports print, what it means, its colour and
whether it means done. :class:`Rating` is that reading as plain data, so query rows can
cache it, KPIs and notes carry it, and templates show it (the rendering layer adds the
hex colour and the badge, :class:`planctl.render.context.RatingView`).

Importing this module does not import the models (query rows stay light).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planctl.core.models import Scale, ScaleValue


@dataclass(frozen=True, slots=True)
class Rating:
    """A status found on its scale: the scale value's words, as the plan defines them.

    The field order is the cache's layout (:mod:`planctl.core.layout`): a change here
    needs a new cache format (``planctl.store.cache.FORMAT``).
    """

    key: str
    label: str
    meaning: str | None
    colour: str | None  # as the scale writes it: a colour name or #rrggbb
    done: bool

    @classmethod
    def of(cls, value: ScaleValue) -> Rating:
        """The rating a scale value gives."""
        return cls(value.key, value.label, value.meaning, value.colour, value.done)


def rating_on(scale: Scale | None, status: str) -> Rating | None:
    """``status`` read on ``scale`` (a key or a label, any case); None when it is on no scale."""
    value = scale.find(status) if scale is not None else None
    return Rating.of(value) if value is not None else None

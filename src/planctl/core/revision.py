"""A commit that touched a plan file: what the history of a plan is made of.

Plain data, so the core (``core.plandiff``) can order and describe revisions while
``store.gitrev`` alone runs git.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that touched a file, with the file's path in that commit."""

    sha: str
    short: str
    date: str  # author date, ISO 8601
    author: str
    subject: str
    path: str

    @property
    def day(self) -> str:
        return self.date[:10]

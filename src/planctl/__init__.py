"""planctl: public-sector plans as YAML in git, with queries, lint and easy-read rendering.

``from planctl import Project`` is the library's front door (:mod:`planctl.api.project`);
it is imported on first use, so the command line does not pay for it.
"""

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from planctl.api.project import Project, ProjectError

__all__ = ["Project", "ProjectError", "__version__"]


def __getattr__(name: str) -> object:
    if name in ("Project", "ProjectError"):
        from planctl.api import project

        return getattr(project, name)
    raise AttributeError(f"module 'planctl' has no attribute {name!r}")

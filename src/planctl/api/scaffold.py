"""What ``planctl init`` and ``planctl new`` write: a plan repository's files, and the
schema header that every plan file needs to find the schema from its own folder.

The schema lives once per repository, in ``schema/plan.schema.json`` at the project root;
each plan's header names it relative to that plan's folder (``../schema/...`` from
``plans/``, ``../../schema/...`` from ``plans/2025/``), so the YAML language server finds
it whatever the file's depth. The texts are built here (pure, testable) and written by
:func:`create_new`, which never replaces a file that is there.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from planctl import __version__
from planctl.store.layout import CACHE_DIR, CONFIG_FILE, PLANS_DIR

SCHEMA_FILE = PurePosixPath("schema/plan.schema.json")
"""Where a plan repository keeps the plan schema, relative to its root."""

PROJECT_REPO = "planctl/planctl"
"""planctl's own GitHub repository (owner/name): the default source of the pre-commit
hooks and the GitHub Action that ``init`` writes, unless planctl was installed from
another git repository (then that one, see :func:`installed_from`)."""

COMMENT_MARKER = "<!-- planctl-diff -->"
"""The hidden first line of the pull-request comment, by which the workflow finds its
previous comment and updates it instead of adding another."""


def schema_path(plan_folder: Path) -> Path:
    """The schema file for plans in ``plan_folder``: at the project root found from it
    (:func:`planctl.store.root.find_root`), else beside the folder, in ``schema/``."""
    from planctl.store.root import find_root

    folder = Path(os.path.abspath(plan_folder))
    root = find_root(folder) or folder
    return root / SCHEMA_FILE


def schema_ref(plan_file: Path, schema: Path) -> str:
    """The header's path from ``plan_file``'s folder to ``schema`` (always ``/``, as
    the language server reads a relative URI)."""
    folder = os.path.abspath(plan_file.parent)
    return PurePosixPath(*Path(os.path.relpath(os.path.abspath(schema), folder)).parts).as_posix()


@dataclass(frozen=True)
class Source:
    """Where the plan repository gets planctl's hooks and Action: a GitHub repository at a tag."""

    repo: str  # owner/name
    rev: str

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repo}"


def installed_from() -> Source:
    """The GitHub repository and revision this planctl was installed from (pip records it
    in ``direct_url.json`` for ``pip install git+https://github.com/OWNER/REPO@TAG``), else
    :data:`PROJECT_REPO` at this version's tag. Why: the hooks and Action a new repository
    uses should be the very code its author installed, never a guessed name."""
    fallback = Source(PROJECT_REPO, f"v{__version__}")
    try:
        raw = metadata.distribution("plans-as-code").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return fallback
    try:
        info = json.loads(raw or "{}")
    except ValueError:
        return fallback
    vcs = info.get("vcs_info") if isinstance(info, dict) else None
    url = info.get("url", "") if isinstance(info, dict) else ""
    repo = github_repo(url) if isinstance(url, str) else None
    if not isinstance(vcs, dict) or vcs.get("vcs") != "git" or repo is None:
        return fallback
    rev = vcs.get("requested_revision") or vcs.get("commit_id")
    return Source(repo, rev) if isinstance(rev, str) and rev else fallback


def github_repo(text: str) -> str | None:
    """``owner/name`` from ``owner/name`` or a ``https://github.com/owner/name[.git]`` URL."""
    text = text.strip().removeprefix("git+")
    for prefix in ("https://github.com/", "http://github.com/", "ssh://git@github.com/", "git@github.com:"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    else:
        if "://" in text or ":" in text:
            return None
    parts = text.removesuffix("/").removesuffix(".git").split("/")
    ok = len(parts) == 2 and all(p and p not in (".", "..") for p in parts)
    return "/".join(parts) if ok and all(_repo_word(p) for p in parts) else None


def _repo_word(part: str) -> bool:
    return all(c.isascii() and (c.isalnum() or c in "-_.") for c in part)


def plan_file_name(plan_id: str) -> str:
    """A file name for a plan id (ids may hold ``/`` and ``:``, which a file name cannot)."""
    return plan_id.replace("/", "-").replace(":", "-") + ".yaml"


GITIGNORE = f"""\
# planctl: the answer cache, and what a write leaves beside a plan when this folder is
# not (yet) a git repository: inside one, planctl keeps its lock files in the git folder.
{CACHE_DIR}/
.*.lock
.*.tmp-*
# 'planctl lint --format sarif' output, when made locally
planctl.sarif
"""

CONFIG = f"""\
# planctl configuration for the plans in {PLANS_DIR}/, found from any folder of this
# repository. 'planctl rules' lists the rules, 'planctl rule NAME' explains one.

# Every rule is on. Gaps (no lead, no date) are warnings; broken data (an invalid file,
# a duplicate id, a dangling link) is an error and fails the check.
select = ["ALL"]

[severity]
# A stale '# planctl: ignore[...]' comment would hide the next real problem.
unused-suppression = "error"
"""


def pre_commit_config(source: Source) -> str:
    return f"""\
# pre-commit (https://pre-commit.com) checks plans before each commit:
#   pipx install pre-commit && pre-commit install
# The hooks are planctl's own, from its repository at a release tag.
repos:
  - repo: {source.url}
    rev: {source.rev}
    hooks:
      - id: planctl-validate
      - id: planctl-lint
"""


# The comment step: one pull-request comment, found again by its hidden marker and edited.
# ``gh`` is on GitHub's runners; the token may write comments only on pull requests from
# this repository (a fork's is read-only), hence the ``if:``.
COMMENT_SCRIPT = f"""\
planctl diff "$BASE" --format markdown > "$RUNNER_TEMP/plans-diff.md"
body="$(printf '%s\\n%s\\n' '{COMMENT_MARKER}' "$(cat "$RUNNER_TEMP/plans-diff.md")")"
comments="repos/$GITHUB_REPOSITORY/issues/$PR/comments"
id="$(gh api --paginate "$comments" --jq '.[] | select(.body | startswith("{COMMENT_MARKER}")) | .id' | head -n 1)"
if [ -n "$id" ]; then
  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -f body="$body" > /dev/null
else
  gh api --method POST "$comments" -f body="$body" > /dev/null
fi
"""


def workflow(source: Source) -> str:
    script = "".join(f"          {line}\n" for line in COMMENT_SCRIPT.splitlines())
    return f"""\
# Checks the plans on every pull request and push to main: problems are annotations on
# the changed lines and alerts in Security > Code scanning; a pull request also gets one
# comment saying what changed in meaning (deadlines slipped, ratings worsened), updated
# on each push rather than repeated.
name: plans
on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  plans:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write  # SARIF upload
      pull-requests: write  # the summary comment
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # planctl diff compares with the pull request's base
      # planctl's Action, from its repository at a release tag: installs planctl from
      # that checkout, lints with annotations and uploads SARIF. Errors fail the check.
      - uses: {source.repo}@{source.rev}
        with:
          paths: {PLANS_DIR}/
          sarif: true
      - name: Summarise the change in one pull-request comment
        if: ${{{{ !cancelled() && github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository }}}}
        shell: bash
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          BASE: ${{{{ github.event.pull_request.base.sha }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
        run: |
{script}"""


def repository_files(plan_id: str, title: str, source: Source) -> dict[PurePosixPath, str]:
    """Every file ``planctl init`` writes, by its path inside the new repository."""
    from planctl.core.schema import schema_json
    from planctl.edit.operations import new_plan_text

    plan = PurePosixPath(PLANS_DIR, plan_file_name(plan_id))
    ref = PurePosixPath("..", SCHEMA_FILE).as_posix()
    return {
        plan: new_plan_text(plan_id, title, schema_ref=ref),
        SCHEMA_FILE: schema_json(),
        PurePosixPath(CONFIG_FILE): CONFIG,
        PurePosixPath(".gitignore"): GITIGNORE,
        PurePosixPath(".pre-commit-config.yaml"): pre_commit_config(source),
        PurePosixPath(".github/workflows/plans.yml"): workflow(source),
    }


class ScaffoldError(Exception):
    """A file could not be created; says which and why."""


def create_new(path: Path, data: bytes) -> None:
    """Write a new file whole, never replacing one that is there (even one made a moment
    ago by someone else): the bytes go to a hidden temporary file, are flushed to disk,
    and are then hard-linked to the name, which fails if the name exists. No lock file
    is needed, so none is left in a folder that is not yet a git repository."""
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-", dir=folder)
    except OSError as exc:
        raise ScaffoldError(f"{path}: cannot write in {folder}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise ScaffoldError(f"{path} already exists; not overwritten") from None
        except OSError:  # a file system without hard links: the exclusive open is as safe
            with open(path, "xb") as out:
                out.write(data)
    except OSError as exc:
        raise ScaffoldError(f"{path}: cannot write: {exc.strerror}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

"""A plan file's history at git speed: what ``slippage`` needs from every revision.

Re-reading every committed version of a plan (a ``git show`` and a full validation per
commit) cost about 70 ms a commit. Here:

* **One git process reads the history.** ``git log --raw`` names each commit's blob; only
  when some blob is not cached yet does one ``git log -p --unified=0`` give every
  commit's changed lines, applied to the previous text (checked against the blob id,
  so the rebuilt text is exactly the committed one). A text that cannot be rebuilt so
  (a branch in the history, a binary diff) is read by one long-lived
  ``git cat-file --batch``.
* **What a blob yields is cached by its id** (:class:`Summary`: the plan's id, and each
  item's deadline end and leads), so a second run reads no YAML at all.
* **Only the items a commit touches are read again.** A change inside one item's lines
  re-reads and re-checks that item alone; a change anywhere else (a section, the plan's
  header, an item added or removed) is structural and re-reads the whole revision.

The answer is the same as comparing full revisions (``tests/test_history_speed.py``
checks it against :func:`planctl.core.plandiff.plan_slippage` on random histories).
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import itertools
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from planctl.core.limits import MAX_BYTES
from planctl.core.revision import Commit
from planctl.store.gitrev import GitError, _git, _run

ZERO = "0" * 40

# An item's entry in a summary: its deadline's end (ISO day, None when undated or not
# on the calendar), its leads (own, else inherited) as labels, and a digest of its lines
# (None when the revision was not read line by line).
ItemEntry = tuple[str | None, tuple[str, ...], str | None]


@dataclass(slots=True)
class Summary:
    """What one revision of a plan file yields for ``slippage``; ``plan_id`` None: unreadable."""

    plan_id: str | None
    title: str
    items: dict[str, ItemEntry]  # in document order
    frame: str | None = None  # digest of every line outside the items (None: not read by lines)

    def to_json(self) -> list[Any]:
        items = [[k, e, list(leads), d] for k, (e, leads, d) in self.items.items()]
        return [self.plan_id, self.title, items, self.frame]

    @staticmethod
    def from_json(data: Any) -> Summary:
        plan_id, title, items, frame = data
        if plan_id is not None and type(plan_id) is not str:
            raise TypeError("plan id")
        if (
            type(title) is not str
            or type(items) is not list
            or (frame is not None and type(frame) is not str)
        ):
            raise TypeError("summary")
        out: dict[str, ItemEntry] = {}
        for ident, end, leads, digest in items:
            if type(ident) is not str or (end is not None and type(end) is not str):
                raise TypeError("item")
            if digest is not None and type(digest) is not str:
                raise TypeError("digest")
            out[ident] = (end, tuple(str(x) for x in leads), digest)
        return Summary(plan_id, title, out, frame)


@dataclass(frozen=True, slots=True)
class Logged:
    """One commit of the file: its blob before and after (zeros: no file)."""

    commit: Commit
    old_blob: str
    new_blob: str


@dataclass(frozen=True, slots=True)
class Hunk:
    old_start: int
    old_count: int
    added: tuple[bytes, ...]
    removed: tuple[bytes, ...]


@dataclass(slots=True)
class _Span:
    """One item's lines (1-based, inclusive) and what re-reading it alone needs."""

    start: int
    end: int
    item_id: str
    column: int  # of its "-"
    inherited: tuple[str, ...]  # leads of the nearest section that names some
    scale_id: str | None  # the enclosing sections' scale, for the item's own check
    path: tuple[str | int, ...]


@dataclass(slots=True)
class _State:
    """A revision known line by line: enough to apply the next commit's changes."""

    blob: str
    lines: list[bytes]
    summary: Summary
    spans: list[_Span] = field(default_factory=list)
    plan: Any = None  # the validated Plan, for the per-item checks (None: no incremental step)


# --- git ------------------------------------------------------------------------------------


def raw_log(path: str, cwd: Path | None = None) -> list[Logged]:
    """Commits that changed ``path`` (oldest first, following renames) with their blob ids."""
    sep = "\x1f"
    out = _git(
        [
            "log",
            "--follow",
            "--no-merges",
            "-z",
            "--raw",
            "--no-abbrev",
            f"--format=%x1e%H{sep}%h{sep}%aI{sep}%an{sep}%s",
            "--",
            path,
        ],
        cwd,
    )
    # --no-abbrev gives full blob ids and full %h too: the short ids come from a second,
    # metadata-only log, as `git log` abbreviates them (longer where 7 digits are ambiguous).
    shorts = dict(
        line.split(" ", 1)
        for line in _git(["log", "--follow", "--no-merges", "--format=%H %h", "--", path], cwd).splitlines()
        if " " in line
    )
    found: list[Logged] = []
    for record in out.split("\x1e"):
        header, _, rest = record.partition("\0")
        fields = header.split(sep)
        if len(fields) < 5:
            continue
        parts = [p.strip("\n") for p in rest.split("\0")]
        # ":100644 100644 <old> <new> M", then the path (two for a rename or copy)
        meta = next((p for p in parts if p.startswith(":")), None)
        if meta is None:
            continue
        index = parts.index(meta)
        names = [p for p in parts[index + 1 :] if p]
        bits = meta[1:].split()
        if len(bits) < 5 or not names:
            continue
        name = names[1] if bits[4][:1] in ("R", "C") and len(names) > 1 else names[0]
        commit = Commit(
            fields[0], shorts.get(fields[0], fields[0][:7]), fields[2], fields[3], fields[4], name
        )
        found.append(Logged(commit, bits[2], bits[3]))
    found.reverse()
    return found


def patch_log(paths: Sequence[str], cwd: Path | None = None) -> dict[tuple[str, str], list[Hunk] | None]:
    """Each commit's changed lines (``--unified=0``) in each of ``paths``, by (commit id,
    path); None: no text diff. One ``git log -p`` for every file, not one per file; a
    rename shows as a file removed and a file added, which the caller's blob check turns
    into a read of the renamed blob."""
    proc = _run(
        [
            "log",
            "--no-merges",
            "-p",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-renames",
            "--src-prefix=a/",  # whatever diff.noprefix or diff.mnemonicPrefix say
            "--dst-prefix=b/",
            "--format=%x1e%H",
            "--",
            *paths,
        ],
        cwd,
    )
    if proc.returncode != 0:
        raise GitError("git log failed: " + proc.stderr.decode("utf-8", "replace").strip())
    out: dict[tuple[str, str], list[Hunk] | None] = {}
    for record in proc.stdout.split(b"\x1e")[1:]:
        sha, _, body = record.partition(b"\n")
        commit = sha.decode()
        for part in (b"\n" + body).split(b"\ndiff --git ")[1:]:
            name = _patch_path(part)
            if name is not None:
                out[commit, name] = _hunks(b"diff --git " + part)
    return out


def _patch_path(part: bytes) -> str | None:
    """The file a patch is for, from its ``+++ b/...`` (or, when removed, ``--- a/...``) line."""
    new = old = None
    for line in part.split(b"\n", 8)[:8]:
        if line.startswith(b"+++ "):
            new = line[4:]
        elif line.startswith(b"--- "):
            old = line[4:]
    for value, prefix in ((new, b"b/"), (old, b"a/")):
        if value is not None and value.startswith(prefix):
            try:
                return value[2:].rstrip(b"\t").decode("utf-8")
            except UnicodeDecodeError:
                return None
    return None


def _hunks(body: bytes) -> list[Hunk] | None:
    lines = body.split(b"\n")
    hunks: list[Hunk] = []
    added: list[bytes] = []
    removed: list[bytes] = []
    current: tuple[int, int] | None = None
    in_patch = False
    binary = False
    last: list[bytes] | None = None

    def close() -> None:
        if current is not None:
            hunks.append(Hunk(current[0], current[1], tuple(added), tuple(removed)))

    for line in lines:
        if line.startswith(b"@@ "):
            close()
            added, removed = [], []
            old = line.split(b" ")[1][1:]
            start, _, count = old.partition(b",")
            current = (int(start), int(count) if count else 1)
            in_patch = True
            last = None
        elif line.startswith(b"diff --git "):
            close()
            current, in_patch, last = None, False, None
            added, removed = [], []
        elif line.startswith(b"Binary files "):
            binary = True
        elif in_patch and line.startswith(b"+"):
            added.append(line[1:] + b"\n")
            last = added
        elif in_patch and line.startswith(b"-"):
            removed.append(line[1:] + b"\n")
            last = removed
        elif in_patch and line.startswith(b"\\") and last:  # "\ No newline at end of file"
            last[-1] = last[-1][:-1]
    close()
    return None if binary else hunks


class BlobReader:
    """One ``git cat-file --batch`` for every blob read, started on first use."""

    def __init__(self, cwd: Path | None = None) -> None:
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None

    def read(self, oid: str) -> bytes | None:
        """The blob's bytes; None when missing or over the size limit (not read)."""
        if self.proc is None:
            self.proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        stdin, stdout = self.proc.stdin, self.proc.stdout
        assert stdin is not None
        assert stdout is not None
        stdin.write(oid.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:
            return None
        size = int(header[2])
        if size > MAX_BYTES:
            _skip(stdout, size + 1)
            return None
        data = stdout.read(size)
        stdout.read(1)
        return data

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait()
            self.proc = None


def _skip(stream: IO[bytes], n: int) -> None:
    while n > 0:
        chunk = stream.read(min(n, 1 << 20))
        if not chunk:
            return
        n -= len(chunk)


def blob_id(data: bytes, like: str) -> str:
    """The git object id of ``data`` as a blob, in the hash of ``like`` (SHA-1 or SHA-256)."""
    h = hashlib.sha256() if len(like) == 64 else hashlib.sha1()
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


# --- reading revisions ------------------------------------------------------------------------


def _split(raw: bytes) -> list[bytes]:
    """Lines as git counts them: ``\\n`` ends a line; each keeps its ending."""
    parts = raw.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _full(raw: bytes, blob: str, display: str) -> _State:
    """Read and validate a whole revision; keep what incremental steps need when they can be taken."""
    from planctl.core.models import walk_items
    from planctl.core.validate import load_bytes

    result = load_bytes(raw, display)
    plan = result.plan if result.ok else None
    if plan is None:
        return _State(blob, _split(raw), Summary(None, "", {}))
    items: dict[str, ItemEntry] = {}
    for loc in walk_items(plan):
        d = loc.item.deadline
        end = d.end.isoformat() if d is not None and d.end is not None else None
        items[loc.item.id] = (end, tuple(lead.label() for lead in loc.leads), None)
    state = _State(blob, _split(raw), Summary(plan.id, plan.title, items))
    try:
        plain = raw.decode("utf-8")
    except UnicodeDecodeError:
        return state  # UTF-16 and friends: whole revisions only
    if plain.startswith("\ufeff") or "\r" in plain.replace("\r\n", ""):
        return state  # line numbers would not be git's
    spans: list[_Span] = []
    for loc in walk_items(plan):
        line, _ = result.locate(loc.path)
        text = state.lines[line - 1] if 0 < line <= len(state.lines) else b""
        stripped = text.lstrip(b" ")
        if not stripped.startswith(b"- ") and stripped.rstrip(b"\r\n") != b"-":
            return state
        inherited = next(
            (tuple(lead.label() for lead in s.leads) for s in reversed(loc.sections) if s.leads), ()
        )
        scale_id = next((s.scale for s in reversed(loc.sections) if s.scale), None)
        spans.append(_Span(line, line, loc.item.id, len(text) - len(stripped), inherited, scale_id, loc.path))
    _ends(state.lines, spans)
    state.spans = spans
    state.plan = plan
    frame = hashlib.sha1()
    pos = 0
    for span in spans:
        frame.update(b"".join(state.lines[pos : span.start - 1]))
        frame.update(b"\0")
        end, leads, _ = items[span.item_id]
        items[span.item_id] = (end, leads, _digest(state.lines, span))
        pos = span.end
    frame.update(b"".join(state.lines[pos:]))
    state.summary.frame = frame.hexdigest()
    return state


def _digest(lines: Sequence[bytes], span: _Span) -> str:
    return hashlib.sha1(b"".join(lines[span.start - 1 : span.end])).hexdigest()


def _ends(lines: Sequence[bytes], spans: list[_Span]) -> None:
    """Each item ends before the next line that is indented no deeper than its "-"."""
    for span in spans:
        end = span.start
        for n in range(span.start, len(lines)):  # 0-based index n is line n + 1
            text = lines[n]
            body = text.lstrip(b" ")
            if not body.strip() or body.startswith(b"#"):
                continue
            if len(text) - len(body) <= span.column:
                break
            end = n + 1
        span.end = end


def _apply(lines: list[bytes], hunks: Sequence[Hunk]) -> list[bytes] | None:
    """The lines after ``hunks``; None when a hunk does not fit (the text is not its base)."""
    out: list[bytes] = []
    pos = 0
    for h in hunks:
        start = h.old_start - 1 if h.old_count else h.old_start
        if start < pos or start + h.old_count > len(lines):
            return None
        if tuple(lines[start : start + h.old_count]) != h.removed:
            return None
        out.extend(lines[pos:start])
        out.extend(h.added)
        pos = start + h.old_count
    out.extend(lines[pos:])
    return out


def _touched(spans: Sequence[_Span], hunks: Sequence[Hunk]) -> set[int] | None:
    """Indexes of the spans the hunks change; None when a hunk reaches outside one item."""
    starts = [s.start for s in spans]
    found: set[int] = set()
    for h in hunks:
        if h.old_count:
            first, last = h.old_start, h.old_start + h.old_count - 1
        else:  # inserted after line old_start: inside an item only if that line is not its last
            first = last = h.old_start
        k = bisect.bisect_right(starts, first) - 1
        if k < 0:
            return None
        span = spans[k]
        if last > span.end or (h.old_count == 0 and first >= span.end):
            return None
        if first == span.start:
            return None  # the "- id:" line: the item itself may change
        found.add(k)
    return found


def _shifted(spans: list[_Span], hunks: Sequence[Hunk]) -> list[_Span]:
    """The spans after hunks that each lie inside one span (see :func:`_touched`)."""
    moves = [((h.old_start if h.old_count else h.old_start + 1), len(h.added) - h.old_count) for h in hunks]
    if not any(delta for _, delta in moves):
        return spans  # lines changed in place: every span stays where it was
    out: list[_Span] = []
    j = 0
    before = 0
    for span in spans:
        while j < len(moves) and moves[j][0] < span.start:
            before += moves[j][1]
            j += 1
        inside = 0
        k = j
        while k < len(moves) and moves[k][0] <= span.end:
            inside += moves[k][1]
            k += 1
        out.append(
            _Span(
                span.start + before,
                span.end + before + inside,
                span.item_id,
                span.column,
                span.inherited,
                span.scale_id,
                span.path,
            )
        )
    return out


def _reread_item(state: _State, span: _Span, lines: Sequence[bytes]) -> ItemEntry | None:
    """One item read alone from its lines and checked as the whole file would check it;
    None when that cannot be done exactly (the caller re-reads the whole revision)."""
    from pydantic import ValidationError

    from planctl.core.models import Item
    from planctl.core.validate import check_item
    from planctl.core.yamlread import YamlReadError, read

    block = list(lines[span.start - 1 : span.end])
    if not block:
        return None
    first = block[0]
    block[0] = first[: span.column] + b" " + first[span.column + 1 :]
    try:
        doc = read(b"".join(block).decode("utf-8"))
    except (YamlReadError, UnicodeDecodeError):
        return None
    if doc.problems or not isinstance(doc.data, dict) or doc.data.get("id") != span.item_id:
        return None
    try:
        item = Item.model_validate(doc.data)
    except ValidationError:
        return None
    scale_id = item.scale or span.scale_id
    if any(True for _ in check_item(state.plan, item, scale_id, span.path, lambda *a, **k: a)):
        return None
    d = item.deadline
    end = d.end.isoformat() if d is not None and d.end is not None else None
    leads = tuple(lead.label() for lead in item.leads) if item.leads else span.inherited
    return end, leads, _digest(lines, span)


@dataclass(frozen=True, slots=True)
class Step:
    """One commit: the file's summary after it, and which items it may have changed
    (``None``: re-read whole, compare every item)."""

    logged: Logged
    summary: Summary
    touched: frozenset[str] | None


def _cached(commits: Sequence[Logged], cache: Any) -> dict[str, Summary]:
    summaries: dict[str, Summary] = {}
    if cache is not None:
        for entry in commits:
            got = cache.get(cache.key(entry.new_blob.encode(), "blob"))
            if got is not None:
                with contextlib.suppress(TypeError, ValueError, KeyError, IndexError):
                    summaries[entry.new_blob] = Summary.from_json(got)
    return summaries


def scan_many(paths: Sequence[str], cache: Any = None, cwd: Path | None = None) -> dict[str, list[Step]]:
    """:func:`scan` for several files, with one ``git log -p`` for all that need one."""
    logs = {p: raw_log(p, cwd) for p in paths}
    known = {p: _cached(logs[p], cache) for p in paths}
    names = sorted({e.commit.path for p in paths for e in logs[p] if e.new_blob not in known[p]})
    patches = patch_log(names, cwd) if names else {}
    return {p: list(scan(p, cache, cwd, logs[p], known[p], patches)) for p in paths}


def scan(
    path: str,
    cache: Any = None,
    cwd: Path | None = None,
    logged: Sequence[Logged] | None = None,
    known: dict[str, Summary] | None = None,
    patches: dict[tuple[str, str], list[Hunk] | None] | None = None,
) -> Iterator[Step]:
    """Every commit of ``path`` (oldest first) with what its revision yields.

    ``cache`` (a :class:`planctl.store.cache.Cache`) keeps each blob's :class:`Summary` by its id.
    """
    commits = list(logged) if logged is not None else raw_log(path, cwd)
    summaries = known if known is not None else _cached(commits, cache)
    if patches is None:
        missing = sorted({e.commit.path for e in commits if e.new_blob not in summaries})
        patches = patch_log(missing, cwd) if missing else {}
    reader = BlobReader(cwd)
    state: _State | None = None
    try:
        for entry in commits:
            c = entry.commit
            display = f"{c.short}:{c.path}"
            hit = summaries.get(entry.new_blob)
            if hit is not None:
                state = None if state is None or state.blob != entry.new_blob else state
                yield Step(entry, hit, None)
                continue
            state, touched = _next(state, entry, patches.get((c.sha, c.path)), reader, display)
            summaries[entry.new_blob] = state.summary
            if cache is not None:
                cache.put(cache.key(entry.new_blob.encode(), "blob"), state.summary.to_json())
            yield Step(entry, state.summary, touched)
    finally:
        reader.close()


def _next(
    state: _State | None, entry: Logged, hunks: list[Hunk] | None, reader: BlobReader, display: str
) -> tuple[_State, frozenset[str] | None]:
    """The state after one commit, and the items it touched (None: all)."""
    if entry.new_blob == ZERO:
        return _State(ZERO, [], Summary(None, "", {})), None
    base = state
    if base is None or base.blob != entry.old_blob:
        base = _State(ZERO, [], Summary(None, "", {})) if entry.old_blob == ZERO else None
    lines = _apply(base.lines, hunks) if base is not None and hunks is not None else None
    if lines is not None and sum(map(len, lines)) > MAX_BYTES:
        return _State(entry.new_blob, [], Summary(None, "", {})), None  # refused unread, as `git show` is
    if lines is None or blob_id(b"".join(lines), entry.new_blob) != entry.new_blob:
        raw = reader.read(entry.new_blob)
        if raw is None:
            return _State(entry.new_blob, [], Summary(None, "", {})), None
        return _full(raw, entry.new_blob, display), None
    assert base is not None
    assert hunks is not None
    if base.plan is None or not base.spans:
        return _full(b"".join(lines), entry.new_blob, display), None
    touched = _touched(base.spans, hunks)
    if touched is None:
        return _full(b"".join(lines), entry.new_blob, display), None
    spans = _shifted(base.spans, hunks)
    items = dict(base.summary.items)
    ids: set[str] = set()
    for k in touched:
        got = _reread_item(base, spans[k], lines)
        if got is None:
            return _full(b"".join(lines), entry.new_blob, display), None
        items[spans[k].item_id] = got
        ids.add(spans[k].item_id)
    summary = Summary(base.summary.plan_id, base.summary.title, items, base.summary.frame)
    return _State(entry.new_blob, lines, summary, spans, base.plan), frozenset(ids)


# --- slippage from the summaries ------------------------------------------------------------


def slips(steps: Sequence[Step]) -> Iterator[tuple[Summary, str, float]]:
    """Every deadline moved later between consecutive readable revisions of one plan, as
    (the summary before, item id, months), in the order ``diff`` reports them: larger
    moves first, then document order."""
    from datetime import date

    from planctl.core.plandiff import month_move

    readable = [s for s in steps if s.summary.plan_id is not None]
    for old_step, new_step in itertools.pairwise(readable):
        old, new = old_step.summary, new_step.summary
        if old.plan_id != new.plan_id:
            continue
        ids = new.items.keys() if new_step.touched is None else new_step.touched
        found: list[tuple[float, int, str, float]] = []
        order = {k: i for i, k in enumerate(new.items)} if new_step.touched is not None else None
        for position, ident in enumerate(ids):
            before = old.items.get(ident)
            after = new.items.get(ident)
            if before is None or after is None or before[0] is None or after[0] is None:
                continue
            if after[0] > before[0]:
                months = month_move(date.fromisoformat(before[0]), date.fromisoformat(after[0]))
                found.append((-abs(months), order[ident] if order is not None else position, ident, months))
        for _, _, ident, months in sorted(found):
            yield old, ident, months


def plan_slippage_fast(
    file: str, path: str, cache: Any = None, cwd: Path | None = None, steps_given: list[Step] | None = None
) -> Any:
    """:func:`planctl.core.plandiff.plan_slippage` for ``path``, from :func:`scan`'s summaries:
    the same slips, counted in the same order, without reading unchanged items again."""
    from planctl.core.models import NO_LEAD_LABEL
    from planctl.core.plandiff import Change, ChangeKind, PlanSlippage, Slippage

    steps = list(scan(path, cache, cwd)) if steps_given is None else steps_given
    readable = [s for s in steps if s.summary.plan_id is not None]
    if not readable:
        return None
    last = readable[-1].summary
    overall = Slippage(last.title)
    leads: dict[str, Slippage] = {}
    for old, ident, months in slips(steps):
        change = Change(ChangeKind.SLIPPED, ident, "", months=months)
        overall.add(change)
        for lead in old.items[ident][1] or (NO_LEAD_LABEL,):
            leads.setdefault(lead, Slippage(lead)).add(change)
    by_lead = sorted(leads.values(), key=lambda s: (-s.total, -s.moves, s.name))
    return PlanSlippage(
        last.plan_id or "", last.title, file, len(steps), overall, by_lead, len(steps) - len(readable)
    )


# --- an item's history, reading only the revisions that changed it ------------------------


def revisions_for_item(
    item_id: str, path: str, load: Callable[[Commit], Any], cache: Any = None, cwd: Path | None = None
) -> tuple[list[Commit], list[Any]]:
    """The commits of ``path`` and, for :func:`planctl.core.plandiff.item_history`, a revision
    per commit: read in full (``load``) where the item (its lines, or anything outside the
    items) changed or the revision is not readable, else the last revision read, which
    holds the item exactly as this one does."""
    from planctl.core.plandiff import Revision

    steps = list(scan(path, cache, cwd))
    commits = [s.logged.commit for s in steps]

    revisions: list[Any] = []
    last: Any = None  # the last revision read that is readable
    before: Summary | None = None  # the summary of the last readable step
    for step in steps:
        now = step.summary
        if now.plan_id is None:
            revisions.append(load(step.logged.commit))
            continue
        old = before.items.get(item_id) if before is not None else None
        new = now.items.get(item_id)
        same = (
            last is not None
            and before is not None
            and before.plan_id == now.plan_id
            and (old is None) == (new is None)
            and (
                new is None
                or (
                    old is not None
                    and new[2] is not None
                    and new[2] == old[2]
                    and now.frame is not None
                    and now.frame == before.frame
                )
            )
        )
        if same:
            revisions.append(Revision(step.logged.commit, last.plan))
        else:
            read = load(step.logged.commit)
            revisions.append(read)
            if read.plan is None:  # readable by its summary: cannot happen, but never guess
                continue
            last = read
        before = now
    return commits, revisions

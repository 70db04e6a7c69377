"""The rendering engine: find templates, render them safely, write files atomically.

Bundled templates live in ``templates/`` (installed as ``planctl/templates``); a user
folder given with ``--templates`` comes first, so its templates override by name.
Every template runs in Jinja's :class:`~jinja2.sandbox.SandboxedEnvironment` (a shared
template folder is code from someone else) with undefined names as errors. HTML
templates autoescape plan text; Markdown templates escape every value that is not
already Markdown (``|`` and line breaks that would break tables, raw HTML).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planctl import readability
from planctl.context import RenderContext, mermaid_text
from planctl.dates import FuzzyDate, day_words
from planctl.output import md_text, safe_text

if TYPE_CHECKING:
    import jinja2

PICTURES_FOLDER = "pictures"
HTML_SUFFIXES = (".html", ".htm", ".xml", ".svg")
_DESCRIPTION = re.compile(r"\A\s*\{#-?\s*description:\s*(.*?)\s*-?#\}", re.DOTALL)


class RenderError(Exception):
    """A template that cannot be rendered: the message names the template and line."""


def bundled_templates() -> Path:
    """The installed ``planctl/templates``, else the repository's ``templates/`` (editable install)."""
    installed = Path(__file__).resolve().parent / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "templates"


def template_dirs(user: Path | None = None) -> list[Path]:
    return [user, bundled_templates()] if user is not None else [bundled_templates()]


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    name: str
    description: str
    path: Path
    bundled: bool


def describe(text: str) -> str:
    """The ``{# description: ... #}`` comment at the top of a template."""
    m = _DESCRIPTION.match(text)
    return " ".join(m[1].split()) if m else ""


def list_templates(dirs: Sequence[Path]) -> list[TemplateInfo]:
    """Templates by name (files at the top of each folder; ``_partials`` are not listed)."""
    found: dict[str, TemplateInfo] = {}
    bundled = bundled_templates().resolve()
    for folder in dirs:
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.startswith((".", "_")) or path.name in found:
                continue
            if path.suffix not in (*HTML_SUFFIXES, ".md", ".txt", ".csv", ".json"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            found[path.name] = TemplateInfo(path.name, describe(text), path, folder.resolve() == bundled)
    return sorted(found.values(), key=lambda t: t.name)


def picture_maps(user_dir: Path | None, pictures_file: Path | None) -> list[Path]:
    """Picture maps in priority order: --pictures, the user folder's, then the bundled one."""
    maps: list[Path] = []
    if pictures_file is not None:
        maps.append(pictures_file)
    for folder in template_dirs(user_dir):
        candidate = folder / PICTURES_FOLDER / "pictures.yaml"
        if candidate.is_file():
            maps.append(candidate)
    return maps


# --- escaping and filters -----------------------------------------------------------


class Markdown(str):
    """Text that is already Markdown: the Markdown finalizer leaves it alone."""

    __slots__ = ()


def md_escape(value: object) -> Markdown:
    """Plan text as one line of inert Markdown (see :func:`planctl.output.md_text`)."""
    if isinstance(value, Markdown):
        return value
    return Markdown(md_text(str(value)))


def _md_finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Markdown | int | float):
        return value
    return md_escape(value)


def _safe_finalize(value: object) -> object:
    """Every value a non-Markdown template prints: control characters made visible.

    Runs before autoescaping, so HTML still escapes the result; in ``Markup`` (already
    escaped) only the control characters are replaced.
    """
    if type(value) is str:
        return safe_text(value)
    if isinstance(value, str) and hasattr(value, "__html__"):  # Markup: e.g. ``|join`` of plan text
        return type(value)(safe_text(str(value)))  # controls are never part of HTML syntax
    return value


def _words(value: object) -> str:
    if isinstance(value, FuzzyDate):
        return value.words()
    if isinstance(value, date):
        return day_words(value)
    return "" if value is None else str(value)


def _filters() -> dict[str, Callable[..., Any]]:
    return {
        "md": md_escape,
        "raw_md": Markdown,
        "fn": lambda n: Markdown(f"[^{n}]") if n else Markdown(""),
        "mermaid": lambda text: Markdown(mermaid_text(safe_text(str(text)))),
        "words": _words,
        "sentences": readability.sentences,
    }


def _environment(dirs: Sequence[Path], name: str) -> jinja2.Environment:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    is_html = name.lower().endswith(HTML_SUFFIXES)
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=is_html,
        undefined=jinja2.StrictUndefined,
        finalize=_md_finalize if name.lower().endswith(".md") else _safe_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_filters())
    return env


def _template_line(exc: BaseException, dirs: Sequence[Path]) -> str:
    """'name:line' of the innermost template frame of a render error, if any."""
    roots = [str(d.resolve()) for d in dirs]
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        for root in roots:
            if filename.startswith(root):
                where = f"{Path(filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def render_template(name: str, context: RenderContext, dirs: Sequence[Path], **extra: object) -> str:
    """Render template ``name`` with the context's fields as top-level names."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = _environment(dirs, name)
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"no template {exc.name!r}") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.name or name}:{exc.lineno}: template syntax error: {exc.message}") from exc
    try:
        return template.render(**context.as_dict(), **extra)
    except SecurityError as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: unsafe template operation refused by the sandbox: {exc}") from exc
    except jinja2.TemplateError as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: {exc}") from exc
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: {type(exc).__name__}: {exc}") from exc


# --- PDF and files ------------------------------------------------------------------


class PdfUnavailableError(RenderError):
    pass


def _data_only_fetcher() -> object:
    """Handouts are self-contained: data: URIs only, never the network or local files."""
    try:
        from weasyprint.urls import URLFetcher  # WeasyPrint 67 and later
    except ImportError:
        from weasyprint.urls import default_url_fetcher

        def fetch(url: str, *args: object, **kwargs: object) -> object:
            if not url.startswith("data:"):
                raise ValueError(f"handouts must not fetch {url[:60]!r}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """An A4 PDF (page size from the template's CSS) and its page count."""
    try:
        import weasyprint
    except ImportError as exc:  # the optional [pdf] extra
        raise PdfUnavailableError(
            "--pdf needs WeasyPrint; install it with: pip install 'plans-as-code[pdf]'"
        ) from exc
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font-subsetting notices are not the user's
    document = weasyprint.HTML(string=html, url_fetcher=_data_only_fetcher()).render()
    pdf = document.write_pdf()
    assert pdf is not None
    return pdf, len(document.pages)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` all at once (see :func:`planctl.safewrite.write`): a reader or a
    killed render never leaves half a file; a symlink is written through, not replaced."""
    from planctl.safewrite import WriteError, write

    try:
        write(path, data.encode("utf-8") if isinstance(data, str) else data)
    except WriteError as exc:
        raise RenderError(str(exc)) from exc


def output_suffix(template: str, pdf: bool) -> str:
    return ".pdf" if pdf else Path(template).suffix


def external_references(html: str) -> list[str]:
    """URLs a browser would fetch or follow (src/href/url()/@import), data: URIs excepted."""
    found = re.findall(
        r"""(?:src|href)\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""", html
    )
    urls = [next(u for u in groups if u) for groups in found]
    return [u for u in urls if not u.startswith(("data:", "#"))]

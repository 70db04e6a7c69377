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
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from planctl.core import readability
from planctl.core.dates import FuzzyDate, day_words
from planctl.core.text import md_text, safe_text
from planctl.render.context import RenderContext, mermaid_text
from planctl.render.handout import Handout, explain_everywhere, explain_on_pages

if TYPE_CHECKING:
    import jinja2

PICTURES_FOLDER = "pictures"
HTML_SUFFIXES = (".html", ".htm", ".xml", ".svg")
_DESCRIPTION = re.compile(r"\A\s*\{#-?\s*description:\s*(.*?)\s*-?#\}", re.DOTALL)


# Budgets of one render: a template from a shared folder is someone else's code, so it
# may compute a huge value, print without end, loop for hours or recurse.
MAX_TEMPLATE_BYTES = 1 << 20  # a template file (the bundled ones are under 20 KiB)
MAX_VALUE_LEN = 10_000_000  # characters or items one `*`, `**` or `+` in a template may make
MAX_OUTPUT_CHARS = 100 * (1 << 20)  # a rendered report (the largest shipped handout: 0.6 MB)
TIME_BUDGET_SECONDS = 120.0  # the largest shipped handout renders in under a second


class RenderError(Exception):
    """A template that cannot be rendered: the message names the template and line."""


class BudgetError(Exception):
    """A template went over one of the budgets above; the message says which."""


def bundled_templates() -> Path:
    """The installed ``planctl/templates``, else the repository's ``templates/`` (editable install)."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parents[1] / "templates"


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
    from planctl.store.safefiles import inside, read_regular

    found: dict[str, TemplateInfo] = {}
    bundled = bundled_templates().resolve()
    for folder in dirs:
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.startswith((".", "_")) or path.name in found:
                continue
            if path.suffix not in (*HTML_SUFFIXES, ".md", ".txt", ".csv", ".json"):
                continue
            try:  # only for the description: a link leading outside, a FIFO or a huge file is not read
                data = read_regular(path, MAX_TEMPLATE_BYTES) if inside(folder, path) else b""
            except OSError:
                data = b""
            text = data.decode("utf-8", errors="replace")
            found[path.name] = TemplateInfo(path.name, describe(text), path, folder.resolve() == bundled)
    return sorted(found.values(), key=lambda t: t.name)


def picture_maps(user_dir: Path | None, pictures_file: Path | None) -> list[Path]:
    """Picture maps in priority order: --pictures, the user folder's, then the bundled one."""
    maps: list[Path] = []
    if pictures_file is not None:
        maps.append(pictures_file)
    from planctl.store.safefiles import inside

    for folder in template_dirs(user_dir):
        candidate = folder / PICTURES_FOLDER / "pictures.yaml"
        if candidate.is_file() and inside(folder, candidate):
            maps.append(candidate)
    return maps


# --- escaping and filters -----------------------------------------------------------


class Markdown(str):
    """Text that is already Markdown: the Markdown finalizer leaves it alone."""

    __slots__ = ()


def md_escape(value: object) -> Markdown:
    """Plan text as one line of inert Markdown (see :func:`planctl.core.text.md_text`)."""
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


def _loader(dirs: Sequence[Path]) -> jinja2.BaseLoader:
    """Jinja's file-system loader, reading only regular files inside the template folders.

    ``{% include %}``, ``{% extends %}`` and ``{% import %}`` name files relative to a
    folder; Jinja already refuses ``..`` in a name, and this refuses a file whose real
    path (links followed) leaves its folder, such as a link to ``/`` that would print
    ``/proc/self/environ``, and anything that is not a regular file of at most
    :data:`MAX_TEMPLATE_BYTES` (a FIFO, ``/dev/zero``).
    """
    import jinja2
    from jinja2.loaders import split_template_path

    from planctl.store.safefiles import FileRefusedError, inside, read_regular

    class FolderLoader(jinja2.FileSystemLoader):
        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            pieces = split_template_path(template)  # refuses ".." pieces
            for folder in self.searchpath:
                path = Path(folder, *pieces)
                if not (path.exists() or path.is_symlink()):
                    continue
                if not inside(Path(folder), path):
                    raise jinja2.TemplateError(
                        f"template {template!r} leads outside the templates folder {folder}; not read"
                    )
                try:
                    text = read_regular(path, MAX_TEMPLATE_BYTES).decode("utf-8")
                except FileRefusedError as exc:
                    raise jinja2.TemplateError(
                        f"template {template!r} ({path}): {exc.reason}; not read"
                    ) from None
                except UnicodeDecodeError:
                    raise jinja2.TemplateError(f"template {template!r} ({path}): not UTF-8 text") from None
                except OSError as exc:
                    raise jinja2.TemplateError(f"template {template!r} ({path}): {exc.strerror}") from None
                # the folder's real path, as _template_line matches frames against it
                return text, str(Path(folder).resolve().joinpath(*pieces)), lambda: False
            raise jinja2.TemplateNotFound(template)

    return FolderLoader([str(d) for d in dirs], followlinks=False)


def _too_big(value: object) -> bool:
    return isinstance(value, str | bytes | list | tuple) and len(value) > MAX_VALUE_LEN


def _checked_binop(operator: str, left: Any, right: Any) -> Any:
    """``*``, ``**`` and ``+`` in a template, refused before they build a value over
    :data:`MAX_VALUE_LEN` (``"x" * 2000000000`` took minutes and gigabytes)."""
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if (
                isinstance(seq, str | bytes | list | tuple)
                and isinstance(n, int)
                and len(seq) * n > MAX_VALUE_LEN
            ):
                raise BudgetError(
                    f"a value of {len(seq) * n:,} characters or items (the limit is {MAX_VALUE_LEN:,})"
                )
        return left * right
    if operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0:
            digits = abs(left).bit_length() * right * 0.302  # log10(2): decimal digits
            if digits > MAX_VALUE_LEN:
                raise BudgetError(f"a number of about {digits:,.0f} digits (the limit is {MAX_VALUE_LEN:,})")
        return left**right
    result = left + right
    if _too_big(result):
        raise BudgetError(f"a value of {len(result):,} characters or items (the limit is {MAX_VALUE_LEN:,})")
    return result


def _environment(dirs: Sequence[Path], name: str) -> jinja2.Environment:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class BudgetedEnvironment(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "+"})

        def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
            return _checked_binop(operator, left, right)

    is_html = name.lower().endswith(HTML_SUFFIXES)
    env = BudgetedEnvironment(
        loader=_loader(dirs),
        autoescape=is_html,
        undefined=jinja2.StrictUndefined,
        finalize=_md_finalize if name.lower().endswith(".md") else _safe_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(_filters())
    env.globals["kpi_chart"] = _kpi_chart_global(is_html)
    return env


def _kpi_chart_global(is_html: bool) -> Callable[[object], object]:
    """``{{ kpi_chart(k) }}`` for each ``k`` in ``kpis``: the trend chart as an ``<img>``.

    Drawn only when a template asks, so templates without charts never load matplotlib.
    """

    def kpi_chart(view: object) -> object:
        from markupsafe import Markup

        from planctl.render.charts import KPIView, chart_alt, chart_img, data_uri

        if not isinstance(view, KPIView):
            raise TypeError("kpi_chart() takes one of the template's kpis")
        if is_html:
            return Markup(chart_img(view))
        if not view.charted:
            return Markdown("")
        return Markdown(f"![{md_escape(chart_alt(view))}]({data_uri(view.series)})")

    return kpi_chart


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


class TemplateValues(Protocol):
    """What a template is rendered with: a :class:`RenderContext`, or the board pack."""

    def as_dict(self) -> dict[str, object]: ...


def render_template(name: str, context: TemplateValues, dirs: Sequence[Path], **extra: object) -> str:
    """Render template ``name`` with the context's fields as top-level names."""
    import jinja2
    from jinja2.exceptions import SecurityError

    env = _environment(dirs, name)
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound as exc:
        raise RenderError(f"no template {exc.name!r}") from exc
    except RecursionError:
        raise RenderError(f"{name}: template nested too deeply to compile") from None
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"{exc.name or name}:{exc.lineno}: template syntax error: {exc.message}") from exc
    except jinja2.TemplateError as exc:  # a refused file (see _loader)
        raise RenderError(str(exc)) from exc
    try:
        values = {**context.as_dict(), **extra}
        if "kpis" not in values and isinstance(context, RenderContext):  # measures, as of the day
            from planctl.render.charts import kpi_views

            values["kpis"] = kpi_views(
                context.plan, context.as_of, context.section.id if context.section else None
            )
        return _render_within_budget(template, values)
    except BudgetError as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: stopped: {exc}") from exc
    except RecursionError as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(
            f"{where}: stopped: the template recurses without end (it includes itself, or a macro"
            " calls itself with no way out)"
        ) from None
    except jinja2.TemplateNotFound as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: no template {exc.name!r} in the template folders") from exc
    except SecurityError as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: unsafe template operation refused by the sandbox: {exc}") from exc
    except jinja2.TemplateError as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: {exc}") from exc
    except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
        where = _template_line(exc, dirs) or name
        raise RenderError(f"{where}: {type(exc).__name__}: {exc}") from exc


def _render_within_budget(template: jinja2.Template, values: dict[str, Any]) -> str:
    """The template's output, stopped past :data:`MAX_OUTPUT_CHARS` or
    :data:`TIME_BUDGET_SECONDS` with :class:`BudgetError`.

    Output is generated piece by piece so a loop printing without end stops at the cap.
    Time is checked between pieces and, in the main thread on POSIX, by a real-time alarm,
    so a loop that prints nothing is stopped too.
    """
    budget = TIME_BUDGET_SECONDS
    deadline = time.monotonic() + budget

    def over_time(*_: object) -> None:
        raise BudgetError(f"the template ran for more than {budget:g} seconds")

    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if alarm:
        previous = signal.signal(signal.SIGALRM, over_time)
        signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        pieces: list[str] = []
        size = 0
        for piece in template.generate(**values):
            size += len(piece)
            if size > MAX_OUTPUT_CHARS:
                raise BudgetError(f"the output passed {MAX_OUTPUT_CHARS:,} characters")
            if time.monotonic() > deadline:
                over_time()
            pieces.append(piece)
        return "".join(pieces)
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


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


def _pdf_document(html: str) -> Any:
    """WeasyPrint's laid-out pages of an HTML file (written with :func:`_pdf_bytes`)."""
    try:
        import weasyprint
    except ImportError as exc:  # the optional [pdf] extra
        raise PdfUnavailableError(
            "--pdf needs WeasyPrint; install it with: pip install 'plans-as-code[pdf]'"
        ) from exc
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # font-subsetting notices are not the user's
    # PDF/UA: a tagged PDF (structure tree, marked content, alt text on pictures), so a
    # screen reader reads the handout in order and says what each picture shows.
    return weasyprint.HTML(string=html, url_fetcher=_data_only_fetcher()).render(pdf_variant="pdf/ua-1")


def _pdf_bytes(document: Any) -> tuple[bytes, int]:
    pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    assert pdf is not None
    return pdf, len(document.pages)


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """An A4 PDF (page size from the template's CSS) and its page count."""
    return _pdf_bytes(_pdf_document(html))


# Layouts that move explanations to the pages WeasyPrint really made; after them every
# sentence explains its own hard words. Of the 25 shipped PDF handouts (whole or split),
# 23 are right at the first layout (the page estimate) and 2 at the second.
HANDOUT_LAYOUT_ROUNDS = 4


def handout_to_pdf(handout: Handout, render: Callable[[], str]) -> tuple[bytes, int]:
    """A handout's PDF where every hard word printed in bold is explained on its real page.

    The page estimate (:func:`planctl.render.handout.lay_out`) is only a first guess:
    the PDF is laid out, its pages are read back (:func:`_read_pages`), and the
    explanations moved to the first use of each word on each real page until they
    match; ``render`` renders the template again with the moved explanations.
    """
    for round_ in range(HANDOUT_LAYOUT_ROUNDS + 1):
        last = round_ == HANDOUT_LAYOUT_ROUNDS
        if last:
            explain_everywhere(handout)
        document = _pdf_document(render())
        uses, explained = _read_pages(document)
        missing = explain_on_pages(handout, uses, explained)
        if not missing:
            return _pdf_bytes(document)
    where = ", ".join(f"{word!r} on page {page}" for page, word in missing[:5])
    raise RenderError(f"cannot explain every hard word on its own page ({where}); shorten those ideas")


def _read_pages(document: Any) -> tuple[list[tuple[int, int, str]], set[tuple[int, str]]]:
    """The bold words of each page (page, element, text), in the order printed, and the
    explanations printed on it (page, term), read from WeasyPrint's boxes: a ``data-term``
    element is an explanation (a footnote in print), its own bold word not a use."""
    uses: list[tuple[int, int, str]] = []
    explained: set[tuple[int, str]] = set()
    for number, page in enumerate(document.pages, 1):
        seen: set[int] = set()
        todo: list[Any] = [page._page_box]
        while todo:
            box = todo.pop()
            element = getattr(box, "element", None)
            tag = str(getattr(box, "element_tag", "") or "")
            if element is not None and "::" not in tag:
                term = element.get("data-term")
                if term is not None:
                    explained.add((number, str(term)))
                    continue
                if tag == "strong" and id(element) not in seen:
                    seen.add(id(element))
                    uses.append((number, id(element), "".join(element.itertext())))
            todo.extend(reversed(getattr(box, "children", None) or []))
    return uses, explained


def pdf_page_count(data: bytes) -> int:
    """Pages of a written PDF, read back with pypdf: the count a printer will print."""
    import io

    try:
        from pypdf import PdfReader
    except ImportError as exc:  # the optional [pdf] extra
        raise PdfUnavailableError(
            "--pdf needs pypdf; install it with: pip install 'plans-as-code[pdf]'"
        ) from exc
    return len(PdfReader(io.BytesIO(data)).pages)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` all at once (see :func:`planctl.store.safewrite.write`): a reader or a
    killed render never leaves half a file; a symlink is written through, not replaced."""
    from planctl.store.safewrite import WriteError, write

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

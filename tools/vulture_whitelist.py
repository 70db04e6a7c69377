# Names vulture cannot see being used (`make lint` runs vulture over src/planctl and this
# file). Each group says who uses them; anything else vulture reports is dead code to
# delete, not to list here. Regenerate candidates with
# `vulture src/planctl --min-confidence 60 --make-whitelist`.
# ruff: noqa

# Typer enum members and options: chosen on the command line (the commands themselves are
# registered by @app.command, which `make lint` tells vulture to trust).
_.display_type_rich  # unused attribute (src/planctl/cli/__init__.py:29)
github  # unused variable (src/planctl/cli/common.py:53)
github  # unused variable (src/planctl/cli/lint_cmd.py:33)

# Pydantic model fields and validators: read by validation, the JSON Schema and templates.
model_config  # unused variable (src/planctl/core/models.py:229)
publisher  # unused variable (src/planctl/core/models.py:355)
reports_to  # unused variable (src/planctl/core/models.py:367)
delivers  # unused variable (src/planctl/core/models.py:368)
area  # unused variable (src/planctl/core/models.py:388)
polarity  # unused variable (src/planctl/core/models.py:399)
baseline  # unused variable (src/planctl/core/models.py:400)
observations  # unused variable (src/planctl/core/models.py:402)
model_config  # unused variable (src/planctl/core/models.py:409)
model_config  # unused variable (src/planctl/core/models.py:467)
impacts  # unused variable (src/planctl/core/models.py:475)
_._outcomes_know_recurrence  # unused method (src/planctl/core/models.py:495)
impacts  # unused variable (src/planctl/core/models.py:629)
schema_version  # unused variable (src/planctl/core/models.py:646)
notes  # unused variable (src/planctl/core/models.py:662)

# Template context fields: read by the Jinja templates under templates/.
easy_who  # unused variable (src/planctl/render/context.py:107)
lead_label  # unused variable (src/planctl/render/context.py:110)
lead_inherited  # unused variable (src/planctl/render/context.py:111)
lead_label  # unused variable (src/planctl/render/context.py:140)
as_of_words  # unused variable (src/planctl/render/context.py:211)
due_soon_until  # unused variable (src/planctl/render/context.py:219)
_.intro_explained  # unused property (src/planctl/render/handout.py): the easy-read cover
without_deadline  # unused variable (src/planctl/render/context.py:221)
rating_columns  # unused variable (src/planctl/render/context.py:222)
count_rows  # unused variable (src/planctl/render/context.py:223)
count_total  # unused variable (src/planctl/render/context.py:224)
gantt  # unused variable (src/planctl/render/context.py:225)
picture_credits  # unused variable (src/planctl/render/context.py:230)
cover_picture  # unused variable (src/planctl/render/context.py:231)
words_picture  # unused variable (src/planctl/render/context.py:232)
date_picture  # unused variable (src/planctl/render/context.py:233)
max_pages  # unused variable (src/planctl/render/context.py:237)

# Overrides and attributes that libraries call or read (Jinja, ruamel.yaml, openpyxl, io).
_.preserve_quotes  # unused attribute (src/planctl/edit/roundtrip.py:108)
_.data_type  # unused attribute (src/planctl/interchange/exporter.py:109)
_.quotePrefix  # unused attribute (src/planctl/interchange/exporter.py:111)
_.freeze_panes  # unused attribute (src/planctl/interchange/exporter.py:112)
_.font  # openpyxl cell style (src/planctl/interchange/exporter.py)
_.number_format  # openpyxl date cells (src/planctl/interchange/exporter.py)
_.alignment  # openpyxl wrapping (src/planctl/interchange/exporter.py)
__getattr__  # unused function (src/planctl/lint/__init__.py:50)
_.writable  # unused method (src/planctl/output/formats.py:81)
_.get_source  # unused method (src/planctl/render/engine.py:185)
environment  # unused variable (src/planctl/render/engine.py:186)
intercepted_binops  # unused variable (src/planctl/render/engine.py:249)
_.call_binop  # unused method (src/planctl/render/engine.py:251)
_.data_uri  # unused method (src/planctl/render/pictures.py:36)

# Public API used by scripts and tests (lint.LintRun.cached, rule examples, schema checks).
cached  # unused variable (src/planctl/api/pipeline.py:97)
beyond_schema  # unused function (src/planctl/core/validate.py:71)
EXAMPLE_AS_OF  # unused variable (src/planctl/lint/registry.py:51)
_.example  # unused method (src/planctl/lint/registry.py:79)
external_references  # unused function (src/planctl/render/engine.py:413)
_.diff  # planctl.Project.diff: public API (README "Python API", tests/test_api.py)

# Read by the easy-read templates (templates/easy-read.md, templates/easy-read.html).
written_by  # EasyReadVersion (src/planctl/core/models.py)
based_on
checked_by
checked_on
easy_read_version  # Plan.easy_read_version
contact_picture  # RenderContext (src/planctl/render/context.py)
when_label  # Idea (src/planctl/render/handout.py)

# Read by the site's templates (src/planctl/site/templates/plan.html, home.html, easy.html).
past  # Month.past (src/planctl/site/build.py)
_.timeline  # PlanEntry.timeline
_.picture_url  # Site.picture_url
_.measures_off_target  # PlanEntry.measures_off_target (home.html, plan.html, measures.html)

# The slow, obviously-right answers the fast history scan is checked against
# (tests/test_history_speed.py compares them on random histories).
plan_slippage  # src/planctl/core/plandiff.py
_revisions  # src/planctl/cli/diff_cmd.py

# Read by the board pack templates (templates/board-pack/pack.md, pack.html).
stale_note  # src/planctl/render/boardpack.py
new_since
exceptions
timeline_svgs

# Read by Jinja: the code generator class of the site's environment (src/planctl/site/printer.py).
code_generator_class

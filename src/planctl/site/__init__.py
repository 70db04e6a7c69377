"""``planctl site``: a static, accessible, offline website built from the plans.

The site is made from the same library the commands use: the rendering context
(:mod:`planctl.render.context`: ratings as of a day, deadlines in words, easy-read lines and
pictures), query rows and ``show``'s fields (:mod:`planctl.core.query`), and the exporter's
CSV, JSON and calendar (:mod:`planctl.interchange.exporter`). :mod:`planctl.site.build` decides what
each page holds and where it goes; the Jinja templates in ``templates/`` only lay out,
and ``static/`` holds the site's own CSS and its one script (search).
"""

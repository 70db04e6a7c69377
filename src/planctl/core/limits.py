"""What one plan file may cost to read: the safety limits of the read path.

Kept apart from :mod:`planctl.core.yamlread` so that code which only checks a file's size
(finding files, hashing them for the lint cache) need not import the YAML parser.
"""

from __future__ import annotations

MAX_BYTES = 50 * 1024 * 1024  # a plan is kilobytes; anything this large is not a plan
MAX_DEPTH = 64  # nesting of mappings and lists (libyaml recurses, and crashes near 30,000)
MAX_ALIAS_EXPANSION = 100_000  # nodes that aliases may add (billion laughs)
MAX_NUMBER_DIGITS = 40  # digits in a number before it is refused

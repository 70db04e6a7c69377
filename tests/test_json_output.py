"""JSON output is what the standard library writes, byte for byte, only faster (orjson)."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from planctl.output.formats import json_text, write_json

# What planctl's JSON holds: text (any Unicode, control characters too), whole numbers,
# true/false/null, lists and mappings with text keys.
leaves = st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text()
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_same_as_the_standard_library(data: Any) -> None:
    assert json_text(data) == json.dumps(data, indent=2, ensure_ascii=False)


def test_what_orjson_refuses_is_still_written() -> None:
    data = {"big": 2**70, "keys": {1: "one"}}
    out = io.StringIO()
    write_json(data, out)
    assert out.getvalue() == json.dumps(data, indent=2, ensure_ascii=False) + "\n"

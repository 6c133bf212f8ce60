"""The templates read as files: what Django would print rather than run."""

from __future__ import annotations

import pytest

from tests.helpers import ROOT

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_comment_tag_spans_lines(template: object) -> None:
    """A {# ... #} comment ends on its line: one spread over two lines is printed on the page
    (use {% comment %} for more)."""
    lines = template.read_text(encoding="utf-8").splitlines()  # type: ignore[attr-defined]
    unclosed = [
        number for number, line in enumerate(lines, start=1) if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []

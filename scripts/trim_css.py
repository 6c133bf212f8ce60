"""Write Bootstrap's rules that can match the app's pages to static/vendor/bootstrap/.

Every page loads bootstrap.trimmed.min.css instead of the full 230 KB: the rules whose selectors
name only classes, ids and attributes that occur somewhere in the app's templates, Python and
scripts, or in the crispy-forms templates the staff pages render with. A class built in a template
(`alert-{{ tag }}`) keeps every rule whose class starts with the written part (`alert-`).
:root's variables, the reboot's element rules and the keyframes a kept rule animates stay.

The output is committed, so production needs nothing; tests/test_trim_css.py checks that it is up
to date. Run it after adding a class:

    python scripts/trim_css.py
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
OUTPUT = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.trimmed.min.css"
# The at-rules whose block holds rules, filtered like the top level; any other block is kept or
# dropped whole.
NESTED_AT_RULES = ("@media", "@supports", "@container", "@layer")

WORD = re.compile(r"[A-Za-z_][\w-]*")
# "alert-{{", "text-bg-{%", f"badge-{x}", 'is-' + state, `is-${state}`: the start of a class name
# that the rest is added to when the page is made.
BUILT_PREFIX = re.compile(r"([A-Za-z][\w-]*-)(?:\{|\$\{|[\"']\s*\+)")
CLASS_OR_ID = re.compile(r"[.#](-?[A-Za-z_][\w-]*)")
ATTRIBUTE = re.compile(r"\[\s*([\w-]+)")
NOT = re.compile(r":not\((?:[^()]|\([^()]*\))*\)")
KEYFRAMES = re.compile(r"@(?:-webkit-)?keyframes\s+([\w-]+)")


def content_files() -> list[Path]:
    """The files whose words may put a class on a page."""
    import crispy_bootstrap5
    import crispy_forms

    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("intake/**/*.py")]
    files += [*ROOT.glob("clinic/*.py"), *ROOT.glob("intake/**/*.html")]
    files += [p for p in ROOT.glob("static/**/*.js") if "vendor" not in p.parts]
    for package in (crispy_forms, crispy_bootstrap5):
        folder = Path(package.__file__).parent
        files += [*folder.glob("templates/bootstrap5/**/*.html"), *folder.glob("**/*.py")]
    return sorted(set(files))


@dataclass(frozen=True)
class Used:
    words: frozenset[str]
    prefixes: tuple[str, ...]

    @classmethod
    def read(cls, texts: Iterable[str]) -> Used:
        words: set[str] = set()
        prefixes: set[str] = set()
        for text in texts:
            words.update(WORD.findall(text))
            prefixes.update(BUILT_PREFIX.findall(text))
        return cls(frozenset(words), tuple(sorted(prefixes)))

    def has(self, name: str) -> bool:
        return name in self.words or name.startswith(self.prefixes)


@dataclass
class Rule:
    """One rule of the stylesheet: a prelude and its block (None for `@charset ...;`)."""

    prelude: str
    block: str | list[Rule] | None

    def text(self) -> str:
        if self.block is None:
            return self.prelude + ";"
        if isinstance(self.block, list):
            return self.prelude + "{" + "".join(rule.text() for rule in self.block) + "}"
        return self.prelude + "{" + self.block + "}"


def _skip_string(css: str, at: int) -> int:
    """The index after the quoted string starting at `at`."""
    quote = css[at]
    at += 1
    while css[at] != quote:
        at += 2 if css[at] == "\\" else 1
    return at + 1


def _block_end(css: str, at: int) -> int:
    """The index of the `}` closing the block whose `{` is just before `at`."""
    depth = 1
    while True:
        char = css[at]
        if char in "\"'":
            at = _skip_string(css, at)
            continue
        if css.startswith("/*", at):
            at = css.index("*/", at) + 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return at
        at += 1


def parse(css: str) -> tuple[str, list[Rule]]:
    """The leading comment (Bootstrap's licence) and the rules of a minified stylesheet."""
    licence = ""
    if "/*!" in css[:100]:
        start = css.index("/*!")
        end = css.index("*/", start) + 2
        licence = css[start:end]
        css = css[:start] + css[end:]
    return licence, _rules(css)


def _rules(css: str) -> list[Rule]:
    rules = []
    at = 0
    while at < len(css):
        if css[at].isspace():
            at += 1
            continue
        if css.startswith("/*", at):
            at = css.index("*/", at) + 2
            continue
        start = at
        while css[at] not in "{;":
            at = _skip_string(css, at) if css[at] in "\"'" else at + 1
        prelude = css[start:at].strip()
        if css[at] == ";":
            rules.append(Rule(prelude, None))
            at += 1
            continue
        end = _block_end(css, at + 1)
        body = css[at + 1 : end]
        nested = prelude.startswith(NESTED_AT_RULES)
        rules.append(Rule(prelude, _rules(body) if nested else body))
        at = end + 1
    return rules


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside :not(...) or [...])."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:index])
            start = index + 1
    parts.append(prelude[start:])
    return parts


def selector_can_match(selector: str, used: Used) -> bool:
    """Whether every class, id and attribute the selector requires is used somewhere.

    What :not(...) names need not be used, and element names always may be (the reboot).
    """
    required = NOT.sub("", selector)
    names = CLASS_OR_ID.findall(required) + ATTRIBUTE.findall(required)
    return all(used.has(name) for name in names)


def trim(rules: list[Rule], used: Used) -> list[Rule]:
    kept = []
    for rule in rules:
        if rule.block is None or rule.prelude.startswith("@"):
            if isinstance(rule.block, list):
                inner = trim(rule.block, used)
                if inner:
                    kept.append(Rule(rule.prelude, inner))
            else:
                kept.append(rule)
            continue
        selectors = [s for s in split_selectors(rule.prelude) if selector_can_match(s, used)]
        if selectors:
            kept.append(Rule(",".join(selectors), rule.block))
    return kept


def _drop_unused_keyframes(rules: list[Rule]) -> list[Rule]:
    """Keyframes stay only where a kept rule names them (the spinner, the striped bar)."""
    body = "".join(rule.text() for rule in rules if not KEYFRAMES.match(rule.prelude))
    return [
        rule
        for rule in rules
        if not (match := KEYFRAMES.match(rule.prelude)) or match.group(1) in body
    ]


def trimmed_css(css: str, texts: Iterable[str]) -> str:
    licence, rules = parse(css)
    kept = _drop_unused_keyframes(trim(rules, Used.read(texts)))
    charset = [rule.text() for rule in kept if rule.prelude.startswith("@charset")]
    rest = [rule.text() for rule in kept if not rule.prelude.startswith("@charset")]
    return "".join(charset) + licence + "".join(rest) + "\n"


def _texts(files: Iterable[Path]) -> Iterator[str]:
    for path in files:
        yield path.read_text(encoding="utf-8")


def build() -> str:
    return trimmed_css(SOURCE.read_text(encoding="utf-8"), _texts(content_files()))


def main() -> int:
    output = build()
    OUTPUT.write_text(output, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(output):,} bytes of {SOURCE.stat().st_size:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

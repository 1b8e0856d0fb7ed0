"""One parse of each stylesheet per test process (the suite's own speed-up, not the app's).

Textual parses an app's CSS again for every new App, and again each time a screen with its own
CSS is first shown (Stylesheet.reparse starts from an empty cache). The suite starts thousands of
apps from the same CSS, so a parse is kept for the process, keyed by everything the parse reads:
the text, where it came from, its flags and the CSS variables (the theme). The result is the same
rules the app would parse itself; only the work is saved. If Textual's parse entry point changes
shape, nothing is patched and the suite parses as the app does.
"""

from __future__ import annotations

import inspect

from textual.css.stylesheet import Stylesheet

EXPECTED = ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]


def install() -> bool:
    """Patch Stylesheet._parse_rules with a process-wide cache; False when its shape is unknown."""
    original = getattr(Stylesheet, "_parse_rules", None)
    if original is None or list(inspect.signature(original).parameters) != EXPECTED:
        return False
    kept: dict[tuple, list] = {}

    def parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, tuple(sorted(self._variables.items())))
        rules = kept.get(key)
        if rules is None:
            rules = kept[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = parse_rules
    return True

"""Reading SPARQL text without a full parser: a lexer that skips comments, IRIs and string literals, so that
keywords inside them do not count. Used by the server to classify requests."""

from __future__ import annotations

import re

TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*?:[\w\-.:%\\\u00B7\u00C0-\uFFFF]*|:[\w\-.:%\\\u00B7\u00C0-\uFFFF]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.X | re.S)


def tokens(text: str):
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("ws", "comment"):
            yield kind, match.group()


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



def reads_named_graphs(text: str) -> bool:
    """Whether a query may read named graphs or choose its dataset (GRAPH, FROM, FROM NAMED): only a query without
    them is answered from the default graph alone."""
    return any(kind == "word" and value.upper() in ("GRAPH", "FROM") for kind, value in tokens(text))

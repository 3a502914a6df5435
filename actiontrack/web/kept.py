"""Large pieces of HTML kept by the read cache (a plan's action table, the dashboard's plan sections), held as
UTF-8 bytes and put into the page's bytes after the page around them is rendered.

Passed through a template, half a megabyte of HTML is copied once for every level of nesting (each node list
joins its parts) and encoded again for every response. Kept as bytes and spliced in, it is copied once. In a
template a `Kept` renders as a marker, an HTML comment no escaped text can contain; `page_bytes` swaps each
marker for the bytes it stands for."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

_MARK = f"kept-{secrets.token_hex(8)}-"
_MARKER = re.compile(f"<!--{_MARK}(\\d+)-->")


class Kept:
    """HTML, rendered and encoded once. Immutable, so one can be served to any number of requests at once."""

    __slots__ = ("html",)

    def __init__(self, html: bytes):
        self.html = html

    @classmethod
    def of_template(cls, template: str, context: dict) -> Kept:
        """A template rendered once; Kept values in its context are spliced in."""
        return cls(page_bytes(render_to_string(template, context), found_in(context.values())))

    @property
    def cache_weight(self) -> int:
        return len(self.html)

    def __bool__(self) -> bool:
        return bool(self.html)

    def __html__(self) -> str:
        return f"<!--{_MARK}{id(self)}-->"

    def __str__(self) -> str:  # templates call str() before escaping: the marker, marked safe
        return mark_safe(self.__html__())


def found_in(values: Iterable[object]) -> dict[int, Kept]:
    """Every Kept among a context's values, and inside its lists and tuples, by the id its marker shows."""
    kept: dict[int, Kept] = {}
    for value in values:
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, Kept):
                kept[id(item)] = item
    return kept


def page_bytes(text: str, kept: dict[int, Kept]) -> bytes:
    """The rendered page as UTF-8, each marker replaced by its Kept HTML."""
    parts = _MARKER.split(text)  # text, id, text, id, ..., text
    try:
        return b"".join(kept[int(part)].html if index % 2 else part.encode() for index, part in enumerate(parts))
    except KeyError as exc:
        raise LookupError("A Kept was rendered that is not among the context's values (or in a list of them), "
                          "so the page cannot be put together.") from exc

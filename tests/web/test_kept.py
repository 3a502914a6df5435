"""Kept HTML (web/kept.py) lands in the page exactly where the template puts it, as if rendered there."""

import pytest
from django.template import Context, Template

from actiontrack.web.kept import _MARK, Kept, found_in, page_bytes

PAGE = Template("<h1>{{ title }}</h1>{% if table %}<table>{{ table }}</table>{% endif %}"
                "{% for section in sections %}<section>{{ section }}</section>{% endfor %}")


def render(context: dict) -> bytes:
    return page_bytes(PAGE.render(Context(context)), found_in(context.values()))


def test_kept_html_is_spliced_where_the_template_puts_it_and_text_around_it_is_escaped():
    table = Kept("<tr><td>Grün – 1.1</td></tr>".encode())
    sections = [Kept(b"<p>one</p>"), Kept("<p>two &amp; ‘three’</p>".encode()), table]
    page = render({"title": "Plans & <reports>", "table": table, "sections": sections})
    assert page.decode() == ("<h1>Plans &amp; &lt;reports&gt;</h1><table><tr><td>Grün – 1.1</td></tr></table>"
                             "<section><p>one</p></section><section><p>two &amp; ‘three’</p></section>"
                             "<section><tr><td>Grün – 1.1</td></tr></section>")


def test_an_empty_kept_is_false_in_a_template_and_a_page_without_any_is_just_encoded():
    assert render({"title": "Ω", "table": Kept(b""), "sections": []}) == "<h1>Ω</h1>".encode()


def test_text_that_looks_like_a_marker_is_escaped_so_it_is_never_replaced():
    table = Kept(b"<tr></tr>")
    forged = f"<!--{_MARK}{id(table)}-->"
    page = render({"title": forged, "table": table, "sections": []}).decode()
    assert page.count("<tr></tr>") == 1 and "&lt;!--" in page


def test_a_kept_the_page_cannot_find_is_an_error_not_a_broken_page():
    hidden = Kept(b"<p>hidden</p>")
    text = PAGE.render(Context({"title": "x", "table": hidden, "sections": []}))
    with pytest.raises(LookupError):
        page_bytes(text, {id(Kept(b"other")): Kept(b"other")})


def test_a_kept_hidden_where_the_page_does_not_look_is_an_error_not_a_leaked_marker():
    text = PAGE.render(Context({"title": "x", "table": Kept(b"<tr></tr>"), "sections": []}))
    with pytest.raises(LookupError):
        page_bytes(text, found_in([{"table": "inside a dict, so not found"}]))

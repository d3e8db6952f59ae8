"""Light Markdown for what the pair writes (notes): bold, italics, lists, quotes, code and
links, rendered to HTML and sanitised (nh3), so nothing a person types becomes markup beyond
that short list. Raw HTML in the text is escaped first, never passed through."""

from html import escape

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "blockquote", "br", "a", "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}


def render(text: str) -> str:
    """Safe HTML of ``text`` (plain text with light Markdown)."""
    html = markdown.markdown(escape(text, quote=False), extensions=["sane_lists", "nl2br"])
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(html)  # noqa: S308 - sanitised by nh3

"""`{{ note.cover_url|cover_src }}`: the cover's address when the page may show it (notes.preview), else ""."""

from django import template

from notes.preview import cover_src as _cover_src

register = template.Library()


@register.filter
def cover_src(url) -> str:
    return _cover_src(url or "")

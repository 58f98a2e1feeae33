"""Comparing HTML printed in Python with the template it replaced
(``former_loops/``): both are rendered and compared as a browser reads them."""

from __future__ import annotations

import re
from pathlib import Path

from django.template import engines

FORMER = Path(__file__).parent / "former_loops"
BLOCKS = r"li|p|ul|ol|form|div|details|summary|section|h2|h3|dl|dt|dd|textarea|label|button"
BLOCK_TAG = re.compile(rf"\s*(</?(?:{BLOCKS})\b[^>]*>)\s*")


def former(name: str) -> str:
    """A replaced template fragment, with the tag library the page loaded."""
    return "{% load orders_tags %}" + (FORMER / name).read_text()


def same_markup(html: str) -> str:
    """What a browser shows: a run of white space reads as one space, and none
    counts around the tags of block elements and form controls (the pages set
    no text beside them)."""
    return BLOCK_TAG.sub(r"\1", re.sub(r"\s+", " ", str(html))).strip()


def render_former(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)

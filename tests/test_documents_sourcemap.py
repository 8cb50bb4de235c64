"""The source-map helpers the readers share, including the fallbacks readers rarely reach."""

from __future__ import annotations

import html
import re

from ethicslint.documents.sourcemap import add_aligned, add_decoded, remap
from ethicslint.model import SegmentBuilder


def test_remap_moves_a_derived_string_onto_the_source() -> None:
    source = "> Buy\tnow\r\n> today"
    derived = "Buy    now\ntoday"  # prefixes removed, the tab expanded, the line end normalised
    offsets = [2, 3, 4, 5, 5, 5, 5, 6, 7, 8, 9, 13, 14, 15, 16, 17, 18]
    builder = SegmentBuilder()
    builder.add(derived, 0)
    segment = remap(builder.build(), offsets, source)
    assert segment.text == derived
    for index, char in enumerate(derived):
        offset = segment.source_offset(index)
        if char in " \n":  # the spaces stand for the tab, the newline for "\r\n"
            assert source[offset] in "\t\r"
        else:
            assert source[offset] == char
    assert segment.runs == [(0, 2, 3), (3, 5, 0), (4, 5, 0), (5, 5, 0), (6, 5, 0), (7, 6, 3), (10, 9, 0),
                            (11, 13, 5)]


def test_remap_with_a_base_and_a_stripped_end() -> None:
    builder = SegmentBuilder()
    builder.add("ab  ", 2)
    segment = remap(builder.build(), list(range(99, 109)), "x" * 102 + "ab  ", base=1)
    assert segment.text == "ab" and segment.runs == [(0, 102, 2)]


def test_add_decoded_marks_only_changed_matches_synthetic() -> None:
    builder = SegmentBuilder()
    add_decoded(builder, "a &amp; b &bogus; c", 10, re.compile(r"&\w+;"), html.unescape)
    segment = builder.build()
    assert segment.text == "a & b &bogus; c"
    assert segment.runs == [(0, 10, 2), (2, 12, 0), (3, 17, 3), (6, 20, 7), (13, 27, 2)]


def test_add_aligned_falls_back_to_synthetic_text_when_value_and_source_disagree() -> None:
    builder = SegmentBuilder()
    source = 'key: "Hello wor"'
    add_aligned(builder, "Hello world", source, 5, len(source))
    segment = builder.build()
    assert segment.text == "Hello world"  # the text is never lost
    assert segment.source_offset(0) == 6 and segment.source_offset(10) == len(source)


def test_add_aligned_stops_where_an_escape_decodes_differently() -> None:
    builder = SegmentBuilder()
    source = '"a\\qb"'
    add_aligned(builder, "aXb", source, 0, len(source), lambda s, i: ("Q", 2))
    assert builder.build().text == "aXb"

"""Labels measured from the font's own widths and wrapped whole, in any script."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skilltree.views.glyphs import ADVANCES, UNITS_PER_EM, advance_em
from skilltree.views.labels import _wrap_paragraph, right_to_left, text_width, wrap_label

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_wide_letters_measure_wider_than_narrow_ones():
    assert text_width("WWWW", 12) > 2 * text_width("iiii", 12)
    assert text_width("PostgreSQL", 24) == pytest.approx(2 * text_width("PostgreSQL", 12))


def test_scripts_without_a_glyph_get_a_width():
    assert text_width("数据库", 10) == pytest.approx(30.0)
    assert text_width("🚀", 10) > 10
    assert text_width("e\u0301", 10) == text_width("e", 10)  # a combining accent takes no room


def test_words_wrap_at_spaces_and_never_exceed_the_width():
    lines = wrap_label("Working with the CTO and lead developer", 120, 12)
    assert len(lines) > 1
    assert " ".join(lines) == "Working with the CTO and lead developer"
    assert all(text_width(line, 12) <= 120 for line in lines)


def test_chinese_and_japanese_wrap_between_characters():
    text = "データベース設計と正規化、インデックス最適化、トランザクション管理の実践的な知識"
    lines = wrap_label(text, 120, 12)
    assert "".join(lines) == text
    assert all(text_width(line, 12) <= 120 for line in lines)
    assert not any(line.startswith(("、", "。")) for line in lines)


def test_a_word_longer_than_the_width_is_split_after_a_hyphen():
    lines = wrap_label("Performance-profiling-and-capacity-planning-for-services", 120, 12)
    assert "".join(lines) == "Performance-profiling-and-capacity-planning-for-services"
    assert lines[0].endswith("-")


def test_only_past_the_line_limit_is_a_label_shortened():
    text = "word " * 100
    lines = wrap_label(text, 100, 12, max_lines=3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert wrap_label("short", 100, 12) == ("short",)


def test_right_to_left_is_detected_from_the_first_strong_character():
    assert right_to_left("تصميم واجهات")
    assert not right_to_left("API تصميم")
    assert not right_to_left("1234")


@pytest.mark.skipif(not FONT.exists(), reason="DejaVu Sans is not installed here")
def test_the_width_table_matches_the_font():
    ImageFont = pytest.importorskip("PIL.ImageFont")
    font = ImageFont.truetype(str(FONT), UNITS_PER_EM, layout_engine=ImageFont.Layout.BASIC)
    for start, widths in ADVANCES.items():
        for code in range(start, start + len(widths), 7):
            em = advance_em(chr(code))
            if em is not None:
                assert em * UNITS_PER_EM == pytest.approx(font.getlength(chr(code)), abs=1)


_PIECES = [*"abcXYZ -/.,()、。中文😀", "\u200b", "\u0301", "\t"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from(_PIECES), max_size=60),
    st.sampled_from([40.0, 150.0, 192.0]),
    st.sampled_from([10.0, 12.0]),
)
def test_a_label_that_fits_whole_wraps_as_word_by_word(text, width, font):
    # wrap_label keeps a paragraph that fits as one line without wrapping it piece by piece.
    words = " ".join(text.split())
    assert wrap_label(text, width, font, max_lines=99) == (
        tuple(_wrap_paragraph(words, width, font)) or ("",)
    )

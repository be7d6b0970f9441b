"""The CJK typefaces a rendered PDF embeds, from the packaged Noto fonts.

PDF output must carry its own Chinese glyphs: the machine that renders a
report may have no Chinese font at all (a CI runner). The fonts come from the
``pylopdf-fonts-zh-cn`` package on PyPI, a data-only wheel (17 MB, no code
dependencies, SIL Open Font License) holding the Simplified-Chinese *subset*
OpenType fonts of Noto CJK: Noto Serif SC (a Song face, for body text and
tables) and Noto Sans SC (a Hei face, for the title and headings).

Those fonts have CFF (PostScript) outlines keyed by CID. Embedded as they
are, a PDF library must write an encoding CMap of its own, which pdfminer
(and so our own PDF reader and many text extractors) cannot read: the text
layer would come out empty. So each render builds a small TrueType font of
the characters the document prints, their outlines converted to quadratics
(``cu2qu``); the PDF then uses the plain Identity-H encoding with a
ToUnicode map that every reader understands. A glyph is converted once per
process, so a run rendering many reports pays for each character once.
"""

from __future__ import annotations

import io
from functools import cache, lru_cache
from pathlib import Path

from checker.errors import InputError

FACES = ("serif", "sans")
_PACKAGE = "pylopdf_fonts_zh_cn"
_ALWAYS = "0123456789０１２３４５６７８９（）()、，。：；“”—－-./％% 　"


def font_path(face: str) -> Path:
    """The packaged OpenType file of a face ("serif" or "sans")."""
    try:
        import pylopdf_fonts_zh_cn as fonts
    except ImportError:
        raise InputError(
            "PDF", f"rendering PDF needs the CJK font package {_PACKAGE} (pip install it)"
        ) from None
    return fonts.serif_path() if face == "serif" else fonts.sans_path()


@cache
def _source(face: str):  # type: ignore[no-untyped-def]
    """The packaged font, opened once per process and read lazily (only the glyphs drawn)."""
    from fontTools.ttLib import TTFont

    return TTFont(str(font_path(face)), lazy=True)


@lru_cache(maxsize=30_000)
def _glyph(face: str, name: str):  # type: ignore[no-untyped-def]
    """One glyph of the packaged font as a TrueType glyph (cubic curves made quadratic)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyphs = _source(face).getGlyphSet()
    pen = TTGlyphPen(None)
    glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
    return pen.glyph()


@lru_cache(maxsize=8)
def truetype_subset(face: str, characters: frozenset[str]) -> bytes:
    """A TrueType font of `face` holding `characters` (and digits and common punctuation).

    Built afresh (``fontTools.fontBuilder``) from the glyphs drawn, each converted once
    per process: subsetting the 65,000-glyph CFF font for every document took seconds."""
    from fontTools.fontBuilder import FontBuilder

    source = _source(face)
    cmap = source.getBestCmap()
    metrics = source["hmtx"].metrics
    wanted = sorted(ch for ch in characters | set(_ALWAYS) if ord(ch) in cmap)
    names = {ch: f"u{ord(ch):04X}" for ch in wanted}
    order = [".notdef", *names.values()]
    glyph_of = {".notdef": ".notdef", **{names[ch]: cmap[ord(ch)] for ch in wanted}}
    head, hhea, os2 = source["head"], source["hhea"], source["OS/2"]
    builder = FontBuilder(head.unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(ch): names[ch] for ch in wanted})
    builder.setupGlyf({name: _glyph(face, glyph_of[name]) for name in order})
    builder.setupHorizontalMetrics({name: metrics[glyph_of[name]] for name in order})
    builder.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    family = source["name"].getBestFamilyName() or face
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(
        sTypoAscender=os2.sTypoAscender,
        sTypoDescender=os2.sTypoDescender,
        sTypoLineGap=os2.sTypoLineGap,
        usWinAscent=os2.usWinAscent,
        usWinDescent=os2.usWinDescent,
        sCapHeight=getattr(os2, "sCapHeight", 0),
        sxHeight=getattr(os2, "sxHeight", 0),
    )
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()

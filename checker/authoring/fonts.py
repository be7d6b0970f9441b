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
layer would come out empty. So each render takes only the characters the
document prints (``fontTools.subset``) and converts their outlines to
TrueType quadratics (``cu2qu``); the PDF then uses the plain Identity-H
encoding with a ToUnicode map that every reader understands. The subset is
a few hundred glyphs, a fraction of a second per face.
"""

from __future__ import annotations

import io
from functools import lru_cache
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


def _to_truetype(font) -> None:  # type: ignore[no-untyped-def]
    """Replace the CFF outlines of `font` by TrueType ones, in place (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attribute in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["post"].formatType = 3.0  # no glyph names: the PDF maps glyphs by index
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


@lru_cache(maxsize=8)
def truetype_subset(face: str, characters: frozenset[str]) -> bytes:
    """A TrueType font of `face` holding `characters` (and digits and common punctuation)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []  # the PDF positions glyphs itself
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recommended_glyphs = True
    font = TTFont(str(font_path(face)), lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(characters | set(_ALWAYS))))
    subsetter.subset(font)
    _to_truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()

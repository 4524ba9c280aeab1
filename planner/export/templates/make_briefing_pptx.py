"""Build ``briefing.pptx``, the slides' template: python-pptx's default theme made 16:9.

Run once after a change (``python -m planner.export.templates.make_briefing_pptx``); the
template is shipped in the repository, so exports never depend on this script. It widens every
layout's placeholders from 4:3 to 16:9, sets the theme's fonts to Arial (Vietnamese glyphs in
PowerPoint; LibreOffice shows Liberation Sans) and makes titles 28 pt, left-aligned, in the
app's text colour.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

TEMPLATE = Path(__file__).with_name("briefing.pptx")
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)
FONT = "Arial"
TITLE_SIZE = 2800
TEXT_COLOUR = "111111"


def build(path: Path = TEMPLATE) -> Path:
    """Write the template to ``path`` and return it."""
    prs = Presentation()
    scale = WIDTH / prs.slide_width
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    master = prs.slide_master
    # read every position first: a layout's placeholder inherits the master's until set
    # (setting one coordinate of an inherited placeholder zeroes the others: set all four)
    boxes = [(shape, shape.left, shape.top, shape.width, shape.height)
             for shapes in [master.shapes, *[layout.shapes for layout in prs.slide_layouts]]
             for shape in shapes if shape.left is not None]
    for shape, left, top, width, height in boxes:
        shape.left, shape.top = Emu(int(left * scale)), top
        shape.width, shape.height = Emu(int(width * scale)), height
    theme_part = next(rel.target_part for rel in master.part.rels.values()
                      if rel.reltype.endswith("/theme"))
    from lxml import etree

    theme = etree.fromstring(theme_part.blob)
    for tag in ("a:majorFont", "a:minorFont"):
        for font in theme.iter(qn(tag)):
            font.find(qn("a:latin")).set("typeface", FONT)
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
    title_style = master._element.find(qn("p:txStyles")).find(qn("p:titleStyle"))
    lvl1 = title_style.find(qn("a:lvl1pPr"))
    lvl1.set("algn", "l")
    rpr = lvl1.find(qn("a:defRPr"))
    rpr.set("sz", str(TITLE_SIZE))
    rpr.set("b", "1")
    for fill in rpr.findall(qn("a:solidFill")):
        rpr.remove(fill)
    fill = etree.SubElement(rpr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", TEXT_COLOUR)
    rpr.insert(0, fill)
    prs.save(str(path))
    return path


if __name__ == "__main__":
    print(build())

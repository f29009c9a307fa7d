"""Writes the binary files of the small document corpus the document tests and the bench use (run
once; the files are committed): a Word document and a four-page PDF with a real text layer. The
text files beside them (solar.md, sourdough.txt, volcanoes.html) are written by hand and committed
as they are. Each file is on its own topic, written for these tests.

    .venv/bin/python tests/data/docs/make_docs.py

The PDF is written object by object (Helvetica, one text object per page), so it needs nothing but
the standard library; the .docx is written with python-docx.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

LIGHTHOUSE = [
    ("Title", "Lighthouses and their keepers"),
    ("Normal", "A lighthouse is a tower with a bright light at the top that guides ships at night and "
               "warns them of rocks and dangerous coasts."),
    ("Heading 1", "The Pharos of Alexandria"),
    ("Normal", "The most famous lighthouse of the ancient world stood on the island of Pharos at "
               "Alexandria in Egypt. Built around 280 BC, it was more than 100 metres tall and counted as one of the "
               "Seven Wonders of the Ancient World. Earthquakes destroyed it in the fourteenth century."),
    ("Heading 1", "The Fresnel lens"),
    ("Normal", "In 1822 the French physicist Augustin Fresnel invented a lens made of concentric rings of "
               "glass prisms. It bent far more of the lamp's light into a single beam, so a lighthouse could be "
               "seen from more than twenty nautical miles away."),
    ("Heading 1", "Life of a keeper"),
    ("Normal", "Keepers trimmed the wicks, polished the lens and wound the clockwork that turned the "
               "light every few hours through the night. Most lighthouses were automated in the second half of the "
               "twentieth century, and the last keepers left them."),
    ("Heading 1", "Famous lighthouses"),
]
LIGHTHOUSE_TABLE = [("Lighthouse", "Country", "First lit"),
                    ("Tower of Hercules", "Spain", "2nd century"),
                    ("Hook Head", "Ireland", "13th century"),
                    ("Bell Rock", "Scotland", "1811")]

# four pages on four kinds of freshwater fish
FISH_PDF = [
    ("Brown trout", "The brown trout lives in cold, clear streams and lakes with plenty of oxygen. It is "
     "recognised by the red and black spots on its sides. Brown trout feed on insects, freshwater shrimp and "
     "smaller fish, and they spawn in autumn on gravel beds, where the female digs a nest called a redd with "
     "her tail. A stream with brown trout is a sign of clean water, because the fish cannot stand pollution "
     "or warm temperatures above about 20 degrees Celsius."),
    ("Common carp", "The common carp was brought to Europe from Asia by the Romans and was raised in monastery "
     "ponds during the Middle Ages as food for fasting days. Carp prefer warm, slow water with a muddy bottom, "
     "where they root for worms and plant seeds, which makes the water cloudy. A carp can live for more than "
     "forty years and grow heavier than thirty kilograms. Koi are a coloured variety of carp bred in Japan."),
    ("Northern pike", "The northern pike is an ambush predator with a long body and a mouth full of sharp "
     "teeth. It waits motionless among water plants and strikes at passing fish with a sudden burst of speed. "
     "Pike are found across the northern hemisphere in Europe, Asia and North America. Females are larger "
     "than males and may lay more than a hundred thousand eggs in flooded meadows in early spring."),
    ("European eel", "The European eel has one of the strangest journeys of any animal. Adult eels leave the "
     "rivers of Europe and swim about six thousand kilometres to the Sargasso Sea to spawn and die. The tiny "
     "transparent larvae drift back on the Gulf Stream for up to three years, and enter the rivers as glass "
     "eels. The species is now critically endangered because of dams, overfishing and disease."),
]


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_pdf(path: Path, pages: list[tuple[str, str]], title: str) -> None:
    """A PDF of ``pages`` (heading, body), one page each, Helvetica, with a real text layer."""
    objects: list[bytes] = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, 4 info, then (page, content) pairs
    kids = " ".join(f"{5 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(f"<< /Title ({_pdf_escape(title)}) /Producer (tests/data/docs/make_docs.py) >>".encode())
    for number, (heading, body) in enumerate(pages, start=1):
        lines = [f"BT /F1 18 Tf 72 740 Td ({_pdf_escape(heading)}) Tj ET"]
        y = 710
        for line in textwrap.wrap(body, 85):
            lines.append(f"BT /F1 11 Tf 72 {y} Td ({_pdf_escape(line)}) Tj ET")
            y -= 15
        lines.append(f"BT /F1 9 Tf 290 40 Td (Page {number}) Tj ET")
        stream = "\n".join(lines).encode("latin-1")
        content_id = 6 + 2 * (number - 1)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {content_id} 0 R "
                       f"/Resources << /Font << /F1 3 0 R >> >> >>".encode())
        objects.append(b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))


def write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = "Lighthouses and their keepers"
    for style, text in LIGHTHOUSE:
        if style == "Title":
            d.add_heading(text, level=0)
        elif style.startswith("Heading"):
            d.add_heading(text, level=int(style.split()[1]))
        else:
            d.add_paragraph(text)
    table = d.add_table(rows=0, cols=3)
    for row in LIGHTHOUSE_TABLE:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    d.core_properties.author = "Sensorium tests"
    d.save(str(path))


def main() -> None:
    write_docx(HERE / "lighthouses.docx")
    write_pdf(HERE / "fish.pdf", FISH_PDF, "Freshwater fish of Europe")


if __name__ == "__main__":
    main()

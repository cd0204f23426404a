"""Demo employment proofs for the run command: a 在职证明 (certificate of employment) drawn as a document — the
employer, the employee's name and ID number, the position, the work place, the date and a red seal — as a PNG
scan or a one-page PDF of that scan.

The text is set in a subset of Noto Serif CJK SC (SIL Open Font License, see demo_assets/OFL.txt) that holds
only the characters the demo draws, so the demo runs offline on any machine without a system CJK font and
without a PDF library. `demo_assets/subset_font.py` rebuilds the subset when the demo's words change; drawing a
character the subset lacks raises, and tests/accounts/test_demo.py checks every demo proof's text."""

import io
import math
import re
import struct
import zlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

from .proofs import CleanProof

FONT_PATH = Path(__file__).resolve().parent / "demo_assets" / "NotoSerifSC-demo-subset.otf"
PAGE_PX = (1240, 1754)  # A4 at 150 dpi
PAGE_PT = (595.28, 841.89)  # A4 in PDF points
INK = (33, 33, 33)
SEAL_RED = (214, 32, 41)

TITLE = "在职证明"
BODY = (
    "兹证明 {name}（身份证号：{id_number}）自 {since} 起在我公司工作至今，现任 {position} 一职，工作地点为 {region}。",
    "该员工为我公司正式在职员工，其小红书账号（小红书号：{red_id}）经公司同意，作为企业员工账号开展工作。",
    "特此证明。",
)
FOOTNOTE = "本证明仅用于小红书企业员工账号认证，复印无效。"
SEAL_CENTER_TEXT = "人事专用章"
STATIC_TEXT = TITLE + "".join(BODY) + FOOTNOTE + SEAL_CENTER_TEXT + "（盖章）人力资源部年月日★"


@dataclass(frozen=True)
class ProofFacts:
    """What the certificate says."""

    employer: str
    name: str
    id_number: str
    position: str
    region: str
    red_id: str
    since: date
    issued: date

    def paragraphs(self) -> list[str]:
        fields = {
            "name": self.name,
            "id_number": self.id_number,
            "since": chinese_date(self.since),
            "position": self.position,
            "region": self.region,
            "red_id": self.red_id,
        }
        return [paragraph.format(**fields) for paragraph in BODY]

    def text(self) -> str:
        """Every character the document draws."""
        return (
            TITLE
            + "".join(self.paragraphs())
            + FOOTNOTE
            + self.employer
            + "（盖章）人力资源部"
            + chinese_date(self.issued)
            + SEAL_CENTER_TEXT
        )


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@cache
def _font_cmap() -> frozenset[int]:
    return frozenset(_otf_cmap(FONT_PATH.read_bytes()))  # Pillow has no public cmap: read the OpenType table


def _otf_cmap(data: bytes) -> set[int]:
    """The code points of an OpenType font's format 4 or 12 cmap subtables."""
    num_tables = struct.unpack(">H", data[4:6])[0]
    cmap_offset = None
    for index in range(num_tables):
        tag, _checksum, offset, _length = struct.unpack(">4sIII", data[12 + 16 * index : 28 + 16 * index])
        if tag == b"cmap":
            cmap_offset = offset
    if cmap_offset is None:
        return set()
    count = struct.unpack(">H", data[cmap_offset + 2 : cmap_offset + 4])[0]
    points: set[int] = set()
    for index in range(count):
        _platform, _encoding, sub = struct.unpack(
            ">HHI", data[cmap_offset + 4 + 8 * index : cmap_offset + 12 + 8 * index]
        )
        start = cmap_offset + sub
        fmt = struct.unpack(">H", data[start : start + 2])[0]
        if fmt == 4:
            segments = struct.unpack(">H", data[start + 6 : start + 8])[0] // 2
            ends = struct.unpack(f">{segments}H", data[start + 14 : start + 14 + 2 * segments])
            base = start + 16 + 2 * segments
            starts = struct.unpack(f">{segments}H", data[base : base + 2 * segments])
            for first, last in zip(starts, ends, strict=True):
                if first != 0xFFFF:
                    points.update(range(first, last + 1))
        elif fmt == 12:
            groups = struct.unpack(">I", data[start + 12 : start + 16])[0]
            for group in range(groups):
                first, last, _glyph = struct.unpack(">III", data[start + 16 + 12 * group : start + 28 + 12 * group])
                points.update(range(first, last + 1))
    return points


def missing_characters(text: str) -> str:
    """The characters of `text` the bundled font cannot draw (spaces aside)."""
    covered = _font_cmap()
    return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in covered}))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


NO_LINE_START = set("，。、：；）》」”！？")


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break CJK text into lines no wider than `width`: between characters, never inside a run of digits or Latin
    letters, never before closing punctuation (which may hang past the margin)."""
    tokens = re.findall(r"[0-9A-Za-z]+|.", text)
    lines, line = [], ""
    for token in tokens:
        if line and token not in NO_LINE_START and draw.textlength(line + token, font=font) > width:
            lines.append(line)
            line = token.lstrip()
        else:
            line += token
    return [*lines, line] if line else lines


def _seal(employer: str, diameter: int = 330) -> Image.Image:
    """A red round seal: the employer's name along the upper arc, a star, 人事专用章 below; slightly uneven ink."""
    scale = 2
    size = diameter * scale
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    ink = (*SEAL_RED, 215)
    draw.ellipse((8, 8, size - 8, size - 8), outline=ink, width=11 * scale)
    centre = size / 2
    star_r = size * 0.13
    points = []
    for index in range(10):
        radius = star_r if index % 2 == 0 else star_r * 0.4
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((centre + radius * math.cos(angle), centre + radius * math.sin(angle)))
    draw.polygon(points, fill=ink)
    font = _font(int(size * 0.105))
    text = employer
    arc = min(math.radians(250), math.radians(24) * len(text))  # the span of the name along the rim
    radius = size / 2 - 8 - 11 * scale - size * 0.075
    for index, ch in enumerate(text):
        angle = -math.pi / 2 - arc / 2 + arc * (index + 0.5) / len(text)
        glyph = Image.new("RGBA", (int(size * 0.16), int(size * 0.16)), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (glyph.width / 2, glyph.height / 2), ch, font=font, fill=ink, anchor="mm", stroke_width=scale
        )
        glyph = glyph.rotate(-math.degrees(angle + math.pi / 2), resample=Image.Resampling.BICUBIC, expand=True)
        x = centre + radius * math.cos(angle) - glyph.width / 2
        y = centre + radius * math.sin(angle) - glyph.height / 2
        seal.alpha_composite(glyph, (int(x), int(y)))
    draw.text((centre, centre + size * 0.27), SEAL_CENTER_TEXT, font=_font(int(size * 0.09)), fill=ink, anchor="mm")
    return seal.resize((diameter, diameter), Image.Resampling.LANCZOS)


def certificate_image(facts: ProofFacts) -> Image.Image:
    """The certificate as an A4 page at 150 dpi."""
    missing = missing_characters(facts.text())
    if missing:
        raise ValueError(f"the demo proof font lacks {missing!r}: rebuild it with bindings/demo_assets/subset_font.py")
    page = Image.new("RGB", PAGE_PX, (253, 252, 248))
    draw = ImageDraw.Draw(page)
    width, _height = PAGE_PX
    margin = 150
    draw.text((width / 2, 250), " ".join(TITLE), font=_font(72), fill=INK, anchor="mm", stroke_width=1)
    body = _font(34)
    y = 420
    for paragraph in facts.paragraphs():
        for number, line in enumerate(_wrap(draw, paragraph, body, width - 2 * margin - 68)):
            draw.text((margin + (68 if number == 0 else 0), y), line, font=body, fill=INK)
            y += 62
        y += 22
    right = width - margin
    y = max(y + 120, 1040)
    draw.text((right, y), facts.employer + "（盖章）", font=body, fill=INK, anchor="ra")
    draw.text((right, y + 62), "人力资源部", font=body, fill=INK, anchor="ra")
    draw.text((right, y + 124), chinese_date(facts.issued), font=body, fill=INK, anchor="ra")
    seal = _seal(facts.employer)
    ink = Image.new("RGB", seal.size, (255, 255, 255))
    ink.paste(seal, (0, 0), seal)
    box = (right - seal.width + 10, y - 110)
    under = page.crop((*box, box[0] + seal.width, box[1] + seal.height))
    page.paste(ImageChops.multiply(under, ink), box)  # stamped over the signature: the text stays readable
    draw.line((margin, PAGE_PX[1] - 190, right, PAGE_PX[1] - 190), fill=(200, 200, 200), width=2)
    draw.text((margin, PAGE_PX[1] - 160), FOOTNOTE, font=_font(24), fill=(110, 110, 110))
    return page


def proof_png(facts: ProofFacts) -> CleanProof:
    out = io.BytesIO()
    certificate_image(facts).save(out, "PNG", optimize=True)
    return CleanProof(out.getvalue(), "image/png", ".png")


def _pdf_text(value: str) -> bytes:
    """A PDF text string in UTF-16BE with its byte order mark, as a hex string."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def proof_pdf(facts: ProofFacts) -> CleanProof:
    """A one-page A4 PDF holding the certificate as a scanned image (a JPEG), written by hand: no PDF library."""
    scan = io.BytesIO()
    certificate_image(facts).save(scan, "JPEG", quality=88)
    jpeg = scan.getvalue()
    width_pt, height_pt = PAGE_PT
    content = f"q {width_pt:.2f} 0 0 {height_pt:.2f} 0 0 cm /Scan Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width_pt:.2f} {height_pt:.2f}] "
        "/Resources << /XObject << /Scan 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {PAGE_PX[0]} /Height {PAGE_PX[1]} /ColorSpace /DeviceRGB "
        f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(jpeg)} >>\nstream\n".encode()
        + jpeg
        + b"\nendstream",
        _stream(zlib.compress(content), b"/Filter /FlateDecode"),
        b"<< /Title "
        + _pdf_text(f"{TITLE} · {facts.name}")
        + b" /Author "
        + _pdf_text(facts.employer)
        + b" /Producer (KOS platform demo) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return CleanProof(out.getvalue(), "application/pdf", ".pdf")


def _stream(data: bytes, filters: bytes = b"") -> bytes:
    return b"<< " + filters + f" /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

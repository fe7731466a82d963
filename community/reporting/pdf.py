"""The yearly report as a PDF (reportlab): every page with the agency's logo and name, the
report's title, and "Page n sur N"; the first with the date it was drawn and a chart of the
interventions per year. Imported only when a PDF is asked for (reportlab is slow to load)."""

import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from PIL import Image, ImageDraw
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from community.reporting.reports import Report

DEJAVU = "/usr/share/fonts/truetype/dejavu"


def _fonts() -> tuple[str, str]:

    regular, bold = Path(DEJAVU) / "DejaVuSans.ttf", Path(DEJAVU) / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _logo_png() -> bytes:
    """The site's mark (static/img/favicon.svg: a white V on the agency's blue), drawn as a
    PNG for the PDF's header (reportlab reads no SVG)."""

    size = 128
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=24, fill=(11, 79, 138, 255))
    draw.line([(32, 40), (64, 96), (96, 40)], fill="white", width=14, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _yearly_totals(report: Report) -> list[tuple[str, list[int]]]:
    """Per mission (the report's first sections), its interventions per year: main kinds only,
    a detail being inside its kind."""
    return [
        (
            section.title,
            [
                sum(y)
                for y in zip(*(k.by_year for k in section.kinds if not k.is_detail), strict=False)
            ]
            or [0] * len(report.years),
        )
        for section in report.sections
        if section.kinds
    ]


def _chart(report: Report, regular: str):
    """ "Interventions par an": one group of bars per mission, one bar per year."""

    totals = _yearly_totals(report)
    if not totals:
        return None
    drawing = Drawing(480, 220)
    drawing.add(String(0, 205, _("Interventions par an"), fontName=regular, fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 40, 300, 150
    chart.data = [tuple(values[i] for _title, values in totals) for i in range(len(report.years))]
    chart.categoryAxis.categoryNames = [title[:18] for title, _values in totals]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 20
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    palette = [colors.HexColor("#9fc3e6"), colors.HexColor("#4f8bc9"), colors.HexColor("#0b4f8a")]
    for i in range(len(report.years)):
        chart.bars[i].fillColor = palette[i % len(palette)]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 360, 170
    legend.fontName, legend.fontSize = regular, 8
    legend.colorNamePairs = [
        (palette[i % len(palette)], str(y)) for i, y in enumerate(report.years)
    ]
    drawing.add(legend)
    return drawing


def to_pdf(report: Report, site_name: str = "Vivre Ensemble") -> bytes:

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=16, leading=20, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
    h3 = ParagraphStyle("h3", fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), regular),
            ("FONTNAME", (0, 0), (-1, 0), bold),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
            ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ]
    )
    where = (
        report.territory.name if report.territory else ", ".join(t.name for t in report.territories)
    )
    story = [
        Paragraph(escape(_("Rapport annuel %(year)s") % {"year": report.year}), h1),
        Paragraph(escape(f"{site_name} · {where}"), body),
        Paragraph(
            escape(_("Édité le %(date)s") % {"date": timezone.localdate().strftime("%d/%m/%Y")}),
            body,
        ),
    ]
    chart = _chart(report, regular)
    if chart is not None:
        story.append(chart)
    for section in report.sections:
        story.append(Paragraph(escape(section.title), h2))
        if section.kinds:
            story.append(
                Paragraph(
                    escape(_("Interventions en %(year)s par territoire") % {"year": report.year}),
                    h3,
                )
            )
            data = [[_("Type"), *[t.name for t in report.territories], _("Total")]]
            for line in section.kinds:
                name = f"   {_('dont')} {line.name}" if line.is_detail else line.name
                data.append([name, *line.per_territory, line.total])
            story.append(Table(data, style=style, repeatRows=1))
            story.append(Paragraph(escape(_("Évolution sur trois ans")), h3))
            data = [[_("Type"), *[str(y) for y in report.years]]]
            for line in section.kinds:
                name = f"   {_('dont')} {line.name}" if line.is_detail else line.name
                data.append([name, *line.by_year])
            story.append(Table(data, style=style, repeatRows=1))
            if section.people_lines:
                story.append(Paragraph(escape(_("Bénéficiaires")), h3))
                data = [[_("Type"), _("Année"), _("bénéficiaires"), _("femmes"), _("hommes")]]
                for line in section.people_lines:
                    for y, people, women, men in line.people_by_year:
                        data.append([line.name, str(y), people, women, men])
                story.append(Table(data, style=style, repeatRows=1))
        if section.rows:
            data = [
                [
                    _("Indicateur"),
                    *[str(y) for y in report.years],
                    _("Cible %(year)s") % {"year": report.year},
                    _("% de la cible"),
                ]
            ]
            for label, values, is_detail, target, share in section.rows:
                data.append(
                    [
                        f"   {label}" if is_detail else label,
                        *["—" if v is None else v for v in values],
                        "" if target is None else target,
                        "" if share is None else f"{share} %",
                    ]
                )
            story.append(Table(data, style=style, repeatRows=1))
        if section.comment:
            story.append(Spacer(1, 4))
            story.append(Paragraph(escape(section.comment).replace("\n", "<br/>"), body))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Rapport annuel %(year)s") % {"year": report.year},
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=2.5 * cm,
        bottomMargin=2 * cm,
    ).build(story, canvasmaker=_page_canvas(site_name, report.year, regular))
    return buffer.getvalue()


def _page_canvas(site_name: str, year: int, font: str):
    """A canvas that draws every page's header (logo, name) and footer ("Page n sur N"): the
    total is known only at the end, so pages are kept and drawn then."""

    logo = ImageReader(io.BytesIO(_logo_png()))
    width, height = A4

    class PageCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 -- reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.drawImage(logo, 1.5 * cm, height - 2 * cm, 0.9 * cm, 0.9 * cm, mask="auto")
                self.setFont(font, 9)
                self.drawString(2.6 * cm, height - 1.6 * cm, site_name)
                self.drawRightString(
                    width - 1.5 * cm,
                    height - 1.6 * cm,
                    _("Rapport annuel %(year)s") % {"year": year},
                )
                self.drawRightString(
                    width - 1.5 * cm,
                    1 * cm,
                    _("Page %(number)s sur %(count)s")
                    % {"number": number, "count": len(self._pages)},
                )
                super().showPage()
            super().save()

    return PageCanvas

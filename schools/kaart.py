"""Layout of the "Ken je buurt" drawing: the school at the centre, organisations in rings by
status and in sectors by cluster. Pure geometry, no queries: the view hands in the rows."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from schools.models import RelationStatus
from welfare.models import Cluster

SIZE = 800
CENTRE = SIZE // 2
# Inner ring for the closest partners, outer ring for what the school does not know yet.
RADIUS = {
    RelationStatus.CLOSE: 130,
    RelationStatus.NONE_YET: 210,
    RelationStatus.TO_EXPLORE: 290,
    RelationStatus.UNKNOWN: 365,
}
# The book's colours (green, red, a third colour, grey), each with its own shape so the map
# reads in black and white too.
STYLE = {
    RelationStatus.CLOSE: {"colour": "#2e7d32", "shape": "circle", "text": "#ffffff", "label": _("circle")},
    RelationStatus.NONE_YET: {"colour": "#c62828", "shape": "square", "text": "#ffffff", "label": _("square")},
    RelationStatus.TO_EXPLORE: {"colour": "#f9a825", "shape": "diamond", "text": "#000000", "label": _("diamond")},
    RelationStatus.UNKNOWN: {"colour": "#ffffff", "shape": "ring", "text": "#424242", "label": _("open circle")},
}
# Most unknown organisations the drawing shows; the table always lists all of them.
MAX_UNKNOWN_DRAWN = 48


@dataclass
class Mark:
    number: int
    organisation: object
    status: RelationStatus
    x: float
    y: float

    @property
    def style(self):
        return STYLE[self.status]

    # SVG wants plain decimal points, whatever the page's language: format here, not in templates.
    @property
    def cx(self):
        return f"{self.x:.1f}"

    @property
    def cy(self):
        return f"{self.y:.1f}"

    @property
    def corner_x(self):
        return f"{self.x - 13:.1f}"

    @property
    def corner_y(self):
        return f"{self.y - 13:.1f}"

    @property
    def text_y(self):
        return f"{self.y + 4:.1f}"

    @property
    def diamond_points(self):
        r = 15
        corners = [(self.x, self.y - r), (self.x + r, self.y), (self.x, self.y + r), (self.x - r, self.y)]
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in corners)


def sectors():
    """(cluster, start angle, end angle, label x, label y) with the first cluster at the top."""
    clusters = list(Cluster)
    span = 2 * math.pi / len(clusters)
    result = []
    for index, cluster in enumerate(clusters):
        start = -math.pi / 2 - span / 2 + index * span
        middle = start + span / 2
        result.append(
            {
                "cluster": cluster,
                "start": start,
                "end": start + span,
                "label_x": f"{CENTRE + 392 * math.cos(middle):.1f}",
                "label_y": f"{CENTRE + 392 * math.sin(middle) + 5:.1f}",
                "line_x": f"{CENTRE + 385 * math.cos(start):.1f}",
                "line_y": f"{CENTRE + 385 * math.sin(start):.1f}",
                "anchor": "middle" if abs(math.cos(middle)) < 0.3 else ("start" if math.cos(middle) > 0 else "end"),
            }
        )
    return result


def layout(rows):
    """rows: (organisation, status) pairs, numbered in the order given. Returns (marks, hidden)."""
    by_place: dict[tuple, list] = {}
    hidden = 0
    drawn_unknown = 0
    for number, (organisation, status) in enumerate(rows, start=1):
        if status == RelationStatus.UNKNOWN:
            if drawn_unknown >= MAX_UNKNOWN_DRAWN:
                hidden += 1
                continue
            drawn_unknown += 1
        key = (organisation.organisation_type.cluster, status)
        by_place.setdefault(key, []).append((number, organisation))

    marks = []
    for sector in sectors():
        for status, radius in RADIUS.items():
            members = by_place.get((sector["cluster"], status), [])
            if not members:
                continue
            margin = 0.12
            usable = sector["end"] - sector["start"] - 2 * margin
            for index, (number, organisation) in enumerate(members):
                angle = sector["start"] + margin + usable * (index + 0.5) / len(members)
                marks.append(
                    Mark(
                        number,
                        organisation,
                        status,
                        CENTRE + radius * math.cos(angle),
                        CENTRE + radius * math.sin(angle),
                    )
                )
    return marks, hidden

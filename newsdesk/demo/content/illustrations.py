"""What the demo's illustrations show, in words: title, alt text and caption of each.

The pictures themselves are drawn in ``newsdesk.demo.images``; the keys match.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class IllustrationText:
    title: str
    alt: str
    caption: str


# Titles are how a rerun of the loader finds a picture it stored before: keep them unique.
ILLUSTRATION_TEXTS: dict[str, IllustrationText] = {
    "dam": IllustrationText(
        "The Ossel dam at dusk",
        "A concrete dam wall across a river valley, water pouring from its spillway at dusk.",
        "The Ossel dam, where the river leaves the Dravenian hills for the Solvaine plain.",
    ),
    "map": IllustrationText(
        "Map of the Ossel basin",
        "A stylised map of two neighbouring countries split by a border, a river crossing it.",
        "The Ossel rises in Dravenia and crosses the border a few kilometres below the dam.",
    ),
    "delta": IllustrationText(
        "Fishing boats on the Ossel delta",
        "Small sailing boats on shallow channels between flat green islands in morning light.",
        "Boats wait for the tide on the Ossel delta.",
    ),
    "ferry": IllustrationText(
        "An island ferry at its berth",
        "A white ferry with a red funnel moored off a green island.",
        "The ferry has not sailed since the start of the month.",
    ),
    "council": IllustrationText(
        "A council chamber seen from above",
        "Rows of coloured seats arranged in a half circle around a speaker's table.",
        "Budget meetings will be held in the full chamber, with a public gallery.",
    ),
    "register": IllustrationText(
        "A scatter of paper forms",
        "Several printed forms lying at angles on top of one another.",
        "Every meeting with an official is meant to leave a record.",
    ),
    "rents": IllustrationText(
        "A chart of rising rents",
        "A bar chart whose bars rise steadily from left to right, with a trend line above them.",
        "Rents in towns on the new line, indexed; the last four bars follow the line's opening.",
    ),
    "bakery": IllustrationText(
        "Loaves on a bakery's shelves",
        "Round loaves of bread with scored crusts on two wooden shelves.",
        "The cooperative's members bake in shifts to use the ovens while they are hot.",
    ),
    "lock": IllustrationText(
        "Barges waiting in a river lock",
        "Two loaded barges in a lock chamber with the downstream gate closed.",
        "Loaded barges have waited at the lower Ossel lock for nine days.",
    ),
    "night": IllustrationText(
        "The city at night under the stars",
        "Dark buildings with lit windows and orange streetlights under a starry sky.",
        "Streetlights wash out all but the brightest stars over the city centre.",
    ),
    "aquifer": IllustrationText(
        "Layers of ground above an aquifer",
        "A cross-section of soil and rock layers with a band of water and a well pipe reaching it.",
        "The water-bearing layer lies about forty metres down under the eastern fields.",
    ),
    "observatory": IllustrationText(
        "The old observatory on the hill",
        "A domed observatory on a dark hill under a sky full of stars, its shutter open.",
        "The observatory's dome was last opened to the public more than twenty years ago.",
    ),
    "library": IllustrationText(
        "Shelves of a lending library",
        "Wooden shelves crowded with books of many colours.",
        "The library lends far more than books.",
    ),
    "lighthouse": IllustrationText(
        "A lighthouse at nightfall",
        "A red and white lighthouse on a rocky point sending a beam across a dark sea.",
        "The play is set in a lighthouse on the last night before its lamp is automated.",
    ),
    "lanterns": IllustrationText(
        "Lanterns over the old harbour",
        "Glowing paper lanterns rising over a harbour at dusk, reflected in the water.",
        "Lanterns over the old harbour on the festival's last night.",
    ),
}

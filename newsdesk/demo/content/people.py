"""The Lantern's sections, its writers, and the partner outlets it republishes."""

from newsdesk.demo.content import AuthorText, OutletText, SectionText

# In menu order.
SECTIONS = (
    SectionText("world", "World", "Borders, rivers and the people on both sides of them."),
    SectionText("politics", "Politics", "Who decides, who pays, and who gets to watch."),
    SectionText("economy", "Economy", "Rents, wages, prices and the firms behind them."),
    SectionText("science", "Science", "Research, measurement and the volunteers who help."),
    SectionText("culture", "Culture", "Stages, shelves, choirs and the city after dark."),
)

AUTHORS = (
    AuthorText(
        "maren-holt",
        "Maren Holt",
        "Foreign editor",
        "Maren has covered the Ossel basin for a decade, first from Port Aubrel and now from "
        "our newsroom. She reads four languages and the small print of every treaty.",
    ),
    AuthorText(
        "tomasz-wren",
        "Tomasz Wren",
        "Politics correspondent",
        "Tomasz sits through the council meetings so that you do not have to. Before joining "
        "The Lantern he ran a community radio station.",
    ),
    AuthorText(
        "priya-lowe",
        "Priya Lowe",
        "Economics reporter",
        "Priya writes about money as it is earned and spent in ordinary households: rents, "
        "wages, energy bills and the businesses that live on thin margins.",
    ),
    AuthorText(
        "elias-brandt",
        "Elias Brandt",
        "Science writer",
        "Elias trained as a hydrologist and still owns a pair of waders. He writes about "
        "research done in the field, and often by volunteers.",
    ),
    AuthorText(
        "june-calloway",
        "June Calloway",
        "Culture editor",
        "June reviews theatre, books and music, and keeps a list of every choir in the city.",
    ),
    AuthorText(
        "rafael-idris",
        "Rafael Idris",
        "Data reporter",
        "Rafael turns spreadsheets into stories and publishes his data with every one.",
    ),
    AuthorText(
        "ines-marwick",
        "Ines Marwick",
        "Correspondent, Harbor Ledger",
        "Ines reports on the Ossel basin for our partner the Harbor Ledger, from Port Aubrel.",
    ),
)

OUTLETS = (
    OutletText(
        "Harbor Ledger",
        "https://harborledger.example/",
        "canonical",
        "Republication of world and economy stories allowed, unchanged, with a link to the "
        "original and rel=canonical pointing there.",
    ),
    OutletText(
        "Northwind Dispatch",
        "https://northwind-dispatch.example/",
        "noindex",
        "Republication allowed on condition that our copy is kept out of search engines.",
    ),
)

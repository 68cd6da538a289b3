# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""World: the lead story, republished from the Harbor Ledger, and the Ossel basin around it.

Dravenia, Solvaine, the Ossel and the Calloran Commonwealth are invented, as are the people.
"""

from newsdesk.demo.content import Story, bullets, figure, heading, p, quote

LEAD_STORY_SLUG = "ossel-dam-talks-collapsed-after-draft-deal"

MERIDIAN_REPORT = "https://meridianwire.example/world/ossel-dam-minutes"

LEAD_STORY = Story(
    slug=LEAD_STORY_SLUG,
    section="world",
    title="Ossel dam talks collapsed hours after negotiators agreed a draft, leaked minutes show",
    standfirst=(
        "Dravenia and Solvaine had a water-sharing text on the table before a quarrel over "
        "who would hold the keys to the spillway ended the round."
    ),
    authors=("ines-marwick",),
    tags=("Ossel river", "water", "diplomacy", "Dravenia", "Solvaine"),
    hours_ago=6,
    outlet="Harbor Ledger",
    original_url="https://harborledger.example/world/ossel-dam-talks-minutes",
    body=(
        p(
            "For three weeks, ministers in Dravenia and Solvaine have called the talks over the "
            "Ossel dam “constructive but unfinished”. The minutes of the last round, held in the "
            "lakeside town of Port Aubrel, tell a different story: for about six hours on the "
            "final day, both delegations had initialled a draft that would have reopened the "
            "river’s spillway before the harvest."
        ),
        figure(
            "dam",
            "The Ossel dam seen from the Solvaine bank. Dravenia closed two of its three "
            "spillway gates at the start of the summer.",
        ),
        p(
            'The minutes, obtained by the news agency <a href="'
            + MERIDIAN_REPORT
            + '">Meridian Wire</a> and described in its report on Monday, show that the deal did '
            "not fail over how much water should flow. It failed over who would stand in the "
            "control room. Solvaine asked for its own engineers to be posted at the dam; the "
            "Dravenian delegation, on instructions from its capital, refused to let foreign "
            "staff “operate national infrastructure” and withdrew its initials before the "
            "evening session."
        ),
        p(
            "The quarrel is older than either government. The dam was built half a century ago "
            "as a joint project, when both countries were provinces of one federation, and the "
            "treaty that divides its water (three fifths to the downstream side during the "
            "growing season) has never been revised. Dravenia says the treaty assumed rain that "
            "no longer falls. Solvaine says a treaty is a treaty."
        ),
        quote(
            "Both sides agreed on the numbers before lunch. They spent the afternoon, and then "
            "lost the deal, arguing about a door and who keeps its key.",
            "A mediator at the talks, quoted by Meridian Wire",
            MERIDIAN_REPORT,
        ),
        p(
            "What is at stake is not abstract. Since the gates were narrowed, the river at the "
            "border bridge has dropped by more than a metre. Loaded grain barges have waited at "
            "the lower lock for nine days, and irrigation canals in Solvaine’s eastern districts "
            "carry a third of their usual flow. Farmers’ unions there have said they will block "
            "the bridge if no water arrives by the end of the month."
        ),
        p(
            "Dravenia points to its own emptying lake. Its energy ministry says the reservoir "
            "behind the dam is at its lowest level since it was first filled, and that the "
            "turbines supplying a fifth of the country’s electricity would stop if all the gates "
            "were opened. “We are not holding water back out of spite,” a ministry spokeswoman "
            "told the Harbor Ledger. “We are holding it back because there is not enough of it.”"
        ),
        heading("What the draft said"),
        p("According to the minutes, the text both delegations initialled provided for:"),
        bullets(
            "the two closed gates to reopen to a third of their capacity within ten days;",
            "a joint team of engineers from both countries and the Calloran mediators to read "
            "the gauges at the dam and at the border every morning and publish the figures;",
            "a review of the old treaty to begin before the spring melt, with each side’s share "
            "tied to the water that actually reaches the lake rather than to fixed fractions.",
        ),
        p(
            "Meridian Wire reports that the mediators, sent by the Calloran Commonwealth, then "
            "offered a way round the control-room question: a monitoring office in a building "
            "beside the dam, with live readings from every gauge but no hand on the controls. "
            "Solvaine’s negotiators were ready to accept it, the agency says. The Dravenian "
            "delegation asked for time to consult and drove back to its capital that night."
        ),
        p(
            "Neither government has confirmed the minutes. Solvaine’s foreign ministry said it "
            "“does not comment on leaked documents” but that its offer “remains on the table”. "
            "A Dravenian government spokesman had not answered the Harbor Ledger’s questions by "
            "the time of publication."
        ),
        p(
            "Diplomats in Port Aubrel say the next round cannot be held before the Dravenian "
            "parliament returns from its recess in three weeks. By then Solvaine’s harvest will "
            "be in, and the most pressing reason to open the gates will have passed, which, one "
            "of them observed, may be exactly what some in the Dravenian capital are counting on."
        ),
        p(
            "Meanwhile the river keeps falling. Hydrologists at the University of Calloran "
            "expect the first autumn rain in the hills above the dam in late September, if it "
            "comes on time. “Everyone is negotiating with the weather,” one of them said. “And "
            "the weather has not sent a delegation.”"
        ),
    ),
)

DELTA_TOWNS = Story(
    slug="ossel-delta-fishing-towns-count-cost-of-dry-season",
    section="world",
    title="Fishing towns on the Ossel delta count the cost of a dry season",
    standfirst=(
        "With less fresh water reaching the coast, salt is creeping up the channels, and the "
        "fish the delta lives on are moving out."
    ),
    authors=("maren-holt",),
    tags=("Ossel river", "water", "climate"),
    image="delta",
    hours_ago=90,
    body=(
        p(
            "In Vell, the last town before the Ossel meets the sea, the harbour master keeps a "
            "chalk board of the week’s catch by the door. This summer the numbers on it have "
            "shrunk every week, and since the start of the month the board has been mostly "
            "blank."
        ),
        p(
            "The cause, fishermen say, is upstream. With the dam’s gates narrowed, less fresh "
            "water pushes out through the delta, and the tide carries salt water further into "
            "the channels than anyone in the town can remember. The river perch that spawn in "
            "the brackish reeds have moved, and the boats have to follow them or stay home."
        ),
        figure(
            "map",
            "The Ossel crosses from Dravenia into Solvaine below the dam and reaches the sea "
            "at Vell.",
        ),
        quote(
            "My father fished these channels and his father before him. None of them ever "
            "had to taste the water to know where they were.",
            "Anton Revi, who has fished out of Vell for thirty years",
        ),
        p(
            "The regional fisheries office measured salt levels at the Vell bridge three times "
            "higher than the summer average. It has asked the national government in Solvaine to "
            "raise the delta at the next round of talks, and to count the coast, not only the "
            "farms, when it weighs what the river is worth."
        ),
        p(
            "For now, the town is improvising. The cooperative that buys the catch has started "
            "to smoke and store what fish there are rather than selling it fresh, and two of the "
            "larger boats have gone south for the season. “We will manage this year,” said the "
            "harbour master. “Ask me again next year.”"
        ),
    ),
)

FERRY_STRIKE = Story(
    slug="ferry-strike-strands-islanders-as-pay-talks-drag-on",
    section="world",
    title="Ferry strike strands islanders as pay talks drag on",
    standfirst="The only boat to the outer islands has been tied up for twelve days.",
    tags=("transport", "labour"),
    image="ferry",
    hours_ago=44,
    outlet="Northwind Dispatch",
    original_url="https://northwind-dispatch.example/news/ferry-strike-islands",
    body=(
        p(
            "The crew of the island ferry walked off on the first of the month after the "
            "operator offered a pay rise below the rate of inflation for the third year running. "
            "Since then, the four outer islands have been served by a fishing boat that can take "
            "twelve passengers and no vehicles."
        ),
        p(
            "Islanders say the strike is hitting the old and the ill hardest: the only doctor "
            "visits by ferry, and the pharmacy orders arrive on the same boat. The regional "
            "council has chartered a water taxi twice a week for medical visits."
        ),
        p(
            "Both sides are due to meet a conciliator on Thursday. The crew’s union says it "
            "will put any new offer to a vote of its members the same day."
        ),
    ),
)

STORIES = (LEAD_STORY, DELTA_TOWNS, FERRY_STRIKE)

# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""Culture: a library of things, a play about a lighthouse, a choir, and a festival to come."""

from newsdesk.demo.content import Story, bullets, p, quote

LIBRARY_OF_THINGS = Story(
    slug="a-library-that-lends-tools-seeds-and-sewing-machines",
    section="culture",
    title="A library that lends tools, seeds and sewing machines",
    standfirst=(
        "The north branch library has added a drill, a tent and three hundred packets of seeds "
        "to its catalogue. Borrowers have been quick to notice."
    ),
    authors=("june-calloway",),
    tags=("community", "libraries"),
    image="library",
    hours_ago=80,
    body=(
        p(
            "Between the crime novels and the local history shelf at the north branch library "
            "there is now a cabinet with a power drill, two sewing machines, a projector, a "
            "tent and a box of cake tins. Each has a barcode, and each can be borrowed for a "
            "week with an ordinary library card."
        ),
        p(
            "The library began lending objects in the spring, after a survey of its members "
            "found that most owned a drill they had used for a total of a few minutes. It now "
            "lends more than two hundred things, and the waiting list for the carpet cleaner "
            "is longer than for any book."
        ),
        p("The most borrowed items this year:"),
        bullets(
            "the carpet cleaner, out 41 times;",
            "the ladder, out 37 times;",
            "the ice cream maker, which the librarians say is borrowed mostly in February.",
        ),
        p(
            "The seed library works differently: borrowers take a packet in spring and are asked "
            "to bring back seeds from their own plants in autumn. About half do, which the "
            "librarians consider a very good return rate."
        ),
        p(
            "Other branches will follow next year. The library is asking for donations of tools "
            "in good condition; it does not need more cake tins."
        ),
    ),
)

LIGHTHOUSE_PLAY = Story(
    slug="review-a-quiet-play-about-a-lighthouse-keeper",
    section="culture",
    title="Review: a quiet play about a lighthouse keeper fills the harbour theatre",
    standfirst=(
        "“The Last Watch” has one actor, one set and almost no plot. It is the best thing on "
        "stage in the city this season."
    ),
    authors=("june-calloway",),
    tags=("theatre", "review"),
    image="lighthouse",
    hours_ago=110,
    body=(
        p(
            "A keeper spends his last night in a lighthouse before its lamp is switched to "
            "automatic. He polishes the lens, writes up the log, makes tea and talks to the "
            "radio, which does not answer. That is nearly all that happens in “The Last Watch”, "
            "and for ninety minutes the harbour theatre is so quiet you can hear the sea "
            "effects in the wings."
        ),
        p(
            "Oren Mallory, who also wrote the play, makes the small tasks hypnotic. The way he "
            "folds a cloth tells you how many thousand times he has folded it before, and the "
            "way he hesitates before the last entry in the log tells you the rest."
        ),
        quote(
            "Forty-one years, and not one ship on the rocks. I would like that written down "
            "somewhere other than in here.",
            "The keeper, in “The Last Watch”",
        ),
        p(
            "The play runs until the end of the month. Tickets are cheap, the seats are hard, "
            "and you should go."
        ),
    ),
)

SHIPPING_CHOIR = Story(
    slug="the-choir-that-sings-the-shipping-forecast",
    section="culture",
    title="The choir that sings the shipping forecast",
    standfirst="Twenty voices, one radio bulletin, and an audience that keeps growing.",
    authors=("june-calloway",),
    tags=("music", "community"),
    hours_ago=160,
    body=(
        p(
            "Every Wednesday evening, in the hall of the old seamen’s mission, a choir of twenty "
            "sings the night’s sea-area forecast, set to music by its conductor an hour before. "
            "Wind, visibility and sea state, in four-part harmony."
        ),
        p(
            "It began as a warm-up exercise. Now the hall is full most weeks, and fishermen "
            "have started coming in from the harbour to check whether the choir agrees with "
            "the radio."
        ),
        p("The choir is recruiting tenors. Sight-reading is not required; a raincoat is."),
    ),
)

LANTERN_FESTIVAL = Story(
    slug="the-lantern-festival-returns-to-the-old-harbour",
    section="culture",
    title="The lantern festival returns to the old harbour",
    standfirst=(
        "After a four-year pause, the paper lanterns will rise over the water again on the "
        "last weekend of the month."
    ),
    authors=("june-calloway",),
    tags=("community", "festival"),
    image="lanterns",
    go_live_in_hours=72,
    body=(
        p(
            "The lantern festival, which fills the old harbour with paper lights every autumn, "
            "returns this month after a pause of four years. Workshops for making lanterns open "
            "in the harbour sheds on Saturday morning; the lanterns go up at dusk on Sunday."
        ),
        p(
            "This year the organisers have replaced candles with small battery lights, and the "
            "lanterns will be tethered and collected afterwards rather than released."
        ),
        p(
            "The festival is free. The organisers ask visitors to come on foot: the harbour "
            "road closes to traffic from noon."
        ),
    ),
)

STORIES = (LIBRARY_OF_THINGS, LIGHTHOUSE_PLAY, SHIPPING_CHOIR, LANTERN_FESTIVAL)

# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""Economy: rents along the new railway, a bakers' cooperative, the barges on the Ossel."""

from newsdesk.demo.content import Story, bullets, heading, p, quote

RENTS_AND_RAIL = Story(
    slug="rents-rise-fastest-in-towns-that-gained-a-rail-link",
    section="economy",
    title="Rents rise fastest in towns that gained a rail link",
    standfirst=(
        "Our analysis of two years of listings finds rents up by a fifth along the new line, "
        "twice the rise elsewhere in the region."
    ),
    authors=("priya-lowe", "rafael-idris"),
    tags=("housing", "transport", "data"),
    image="rents",
    hours_ago=20,
    body=(
        p(
            "When the new regional line opened last spring, the towns along it were promised "
            "a forty-minute ride to the city and the jobs that come with it. They got the "
            "train. They also got the fastest-rising rents in the region."
        ),
        p(
            "We compared more than eleven thousand rental listings from the two years before "
            "and the year after the opening. In the seven towns with a new station, the median "
            "asking rent for a two-bedroom flat rose by 21 percent. In towns of similar size "
            "without a station, it rose by 10 percent."
        ),
        heading("Where the rise was steepest"),
        bullets(
            "Ambry, the last stop before the city, where rents rose by 29 percent;",
            "Colder Cross, where a former mill became 140 flats marketed to commuters;",
            "Stennet, where the number of listings fell by a third as landlords sold up.",
        ),
        p(
            "Estate agents in the corridor say the demand comes from city workers priced out "
            "of the centre, who can now commute. Tenants who already lived there say they are "
            "being priced out in turn, towards towns further from the line."
        ),
        quote(
            "The train takes forty minutes to the city. For me it has added an hour to "
            "everything else, because I had to move two towns further out.",
            "A care worker who left Ambry in the autumn",
        ),
        p(
            "The regional authority says it will publish a housing plan for the corridor in "
            "the new year. Our data and method are published with this article on "
            '<a href="https://data.lantern.example/rents-rail">our data page</a>.'
        ),
    ),
)

BAKERY_COOPERATIVE = Story(
    slug="bakers-cooperative-shares-the-cost-of-hot-ovens",
    section="economy",
    title="A bakers’ cooperative shows how small firms can share the cost of hot ovens",
    standfirst="Five bakeries now bake in one building, in shifts, and split the energy bill.",
    authors=("priya-lowe",),
    tags=("energy", "small business", "community"),
    image="bakery",
    hours_ago=75,
    body=(
        p(
            "Last winter, when the price of gas doubled, five small bakeries in the old market "
            "district each did the same sum and reached the same answer: heating an oven for a "
            "few hundred loaves a day no longer paid."
        ),
        p(
            "Their solution was to share. They rented a disused bakery with two large ovens and "
            "now bake there in shifts, from two in the morning until noon, so that the ovens are "
            "heated once and never cool. Each business keeps its own recipes and its own shop."
        ),
        p(
            "The cooperative’s accounts, which its members showed us, put the energy cost per "
            "loaf at less than half of what each was paying alone. The savings paid for a second "
            "delivery van within six months."
        ),
        p(
            "Other trades are watching. A group of the district’s print shops has asked the "
            "bakers how they wrote their agreement; the answer, they say, is slowly, and with a "
            "lawyer who liked bread."
        ),
    ),
)

BARGES_AT_THE_LOCK = Story(
    slug="grain-barges-idle-as-ossel-lock-stays-closed",
    section="economy",
    title="Grain barges idle as the lower Ossel lock stays closed",
    standfirst=(
        "Shippers say a week of waiting has cost more than the freight is worth, and buyers "
        "are turning to the road."
    ),
    authors=("maren-holt", "priya-lowe"),
    tags=("Ossel river", "trade", "transport", "diplomacy"),
    image="lock",
    hours_ago=52,
    body=(
        p(
            "Twenty-three barges loaded with grain are waiting below the lower Ossel lock, where "
            "the water is now too shallow for a laden hull to pass the sill. Some have been there "
            "nine days. Their crews sleep aboard; the operators pay for every day the cargo sits."
        ),
        p(
            "The lock keeper says the chamber itself is sound: it is the river below it that has "
            "fallen. Until more water comes down from the dam, only empty barges can cross, and "
            "they go the wrong way."
        ),
        p(
            "Buyers in the coastal mills have started to send lorries instead. A shipping agent "
            "in Port Aubrel estimates that moving the same grain by road costs three times as "
            "much and needs two hundred lorry journeys for what four barges carry. Read the "
            '<a href="https://harborledger.example/economy/ossel-freight-rates">Harbor Ledger’s '
            "table of freight rates</a> for the details."
        ),
        p(
            "The shippers’ association has written to both governments asking that any water "
            "deal include a minimum depth at the lock, measured and published each day."
        ),
    ),
)

STORIES = (RENTS_AND_RAIL, BAKERY_COOPERATIVE, BARGES_AT_THE_LOCK)

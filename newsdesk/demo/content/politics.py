# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""Politics: the city council, the lobbying register and the election rules."""

from newsdesk.demo.content import Story, bullets, heading, numbered, p, quote

COUNCIL_BUDGET = Story(
    slug="council-votes-to-open-budget-meetings-to-the-public",
    section="politics",
    title="Council votes to open its budget meetings to the public",
    standfirst=(
        "From January, the committee that decides how the city spends its money will meet in "
        "the full chamber, with a gallery and a live stream."
    ),
    authors=("tomasz-wren",),
    tags=("local government", "transparency"),
    image="council",
    hours_ago=3,
    body=(
        p(
            "For as long as anyone at the town hall can remember, the city’s budget has been "
            "settled by a committee of nine councillors meeting in a room on the third floor, "
            "with the door closed and the minutes published a month later. On Tuesday night the "
            "full council voted, by 31 to 12, to open that door."
        ),
        p(
            "From January, the finance committee will meet in the council chamber. Residents can "
            "sit in the public gallery or follow a live stream, and the papers the councillors "
            "read will be published a week before each meeting rather than a month after it."
        ),
        heading("What changes"),
        bullets(
            "Meetings in the chamber, open to anyone, with a stream and an archive of recordings.",
            "Budget papers published seven days ahead, including the officers’ options that "
            "were not chosen.",
            "A fifteen-minute slot at each meeting for residents’ questions, submitted in advance.",
            "Closed sessions only for named contracts under negotiation, with the reason recorded.",
        ),
        p(
            "The change began with a petition. Residents of the eastern wards, angry that a "
            "swimming pool had been closed with no public debate, collected four thousand "
            "signatures in a month and delivered them in a shopping trolley."
        ),
        quote(
            "We were never told the pool was on the list. We found out when the gates were "
            "padlocked. All we asked was to see the list before it was decided.",
            "Dana Pirelli, who organised the petition",
        ),
        p(
            "Opponents of the motion warned that open meetings would slow decisions down and "
            "push the real bargaining into corridors. The council leader answered that the "
            "bargaining was already happening in corridors, and that the public would at least "
            "now see what came out of them. The first open meeting is on 14 January; we will "
            "be in the gallery."
        ),
    ),
)

LOBBYING_REGISTER = Story(
    slug="what-the-new-lobbying-register-will-and-will-not-show",
    section="politics",
    title="What the new lobbying register will and will not show",
    standfirst=(
        "Ministers must now log their meetings with lobbyists. Here is how to read the register, "
        "and where its blind spots are."
    ),
    authors=("tomasz-wren", "rafael-idris"),
    tags=("transparency", "lobbying", "explainer"),
    image="register",
    hours_ago=60,
    corrections=(
        "An earlier version of this article said the register covers meetings from 1 March. "
        "It covers meetings from 1 April.",
    ),
    body=(
        p(
            "The lobbying register that went online this week is the first public record of who "
            "meets the country’s ministers and senior officials, and why. It covers meetings "
            "from 1 April and is updated every quarter. You can search it at "
            '<a href="https://register.example/">register.example</a>.'
        ),
        heading("What you will find"),
        p("Each entry in the register gives:"),
        numbered(
            "the date of the meeting and the minister or official who attended;",
            "the organisation that asked for it, and the lobbying firm if one was hired;",
            "a subject, chosen from a list of about forty policy areas.",
        ),
        heading("What you will not find"),
        p(
            "The register leaves out more than it includes. It does not record what was said, "
            "only a subject heading. It does not cover special advisers, who often take the "
            "meetings that matter. And it does not count contacts by phone, message or at "
            "dinners, which the guidance calls “informal”."
        ),
        quote(
            "A register of front doors, in a building that is mostly side entrances.",
            "Open Rooms, a transparency campaign, in its response to the consultation",
            "https://openrooms.example/register-response",
        ),
        heading("How we will use it", "h3"),
        p(
            "Every quarter we will publish the register’s figures in a table anyone can "
            "download, and look for meetings that came before a decision. If you spot "
            "something in the register, write to us."
        ),
    ),
)

ELECTION_RULES = Story(
    slug="election-commission-proposes-shorter-campaign-and-online-ad-cap",
    section="politics",
    title="Election commission proposes a shorter campaign and a cap on online ads",
    standfirst="Parties would have five weeks instead of eight, and a spending limit per platform.",
    authors=("tomasz-wren",),
    tags=("elections", "transparency"),
    hours_ago=100,
    body=(
        p(
            "The election commission wants the next general election campaign to last five "
            "weeks rather than eight, and to cap what each party can spend on advertising on "
            "any single online platform at a tenth of its national limit."
        ),
        p(
            "The commission says longer campaigns favour the parties with the most money, and "
            "that most online spending at the last election went to two platforms whose ad "
            "libraries were incomplete."
        ),
        p(
            "The proposals go to a public consultation that runs until the end of next month. "
            "Both main parties said they would study them; the smaller parties welcomed them."
        ),
    ),
)

STORIES = (COUNCIL_BUDGET, LOBBYING_REGISTER, ELECTION_RULES)

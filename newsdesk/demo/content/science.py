# ruff: noqa: RUF001 - typographic apostrophes and quotation marks are the house style
"""Science: a night-sky survey, the aquifer under the eastern fields, an old telescope."""

from newsdesk.demo.content import Story, bullets, heading, p, quote

NIGHT_SKY = Story(
    slug="volunteers-map-the-night-sky-one-streetlight-at-a-time",
    section="science",
    title="Volunteers map the city’s night sky, one streetlight at a time",
    standfirst=(
        "Three hundred residents with light meters have produced the most detailed map yet of "
        "where the city’s stars went."
    ),
    authors=("elias-brandt",),
    tags=("citizen science", "light pollution"),
    image="night",
    hours_ago=30,
    body=(
        p(
            "On clear nights last winter, about three hundred people walked the city’s streets "
            "with a small light meter and a phone, stopping every two hundred metres to point "
            "the meter straight up and record how dark the sky was. The result, published this "
            "week, is a map of the city’s sky brightness street by street."
        ),
        p(
            "It shows what astronomers expected in broad strokes: the centre is bright, the "
            "parks are darker. But it also shows surprises. A single floodlit car park on the "
            "ring road brightens the sky over three neighbourhoods, and a street that switched "
            "to shielded lamps two years ago is now one of the darkest in the city."
        ),
        heading("What the volunteers found"),
        bullets(
            "Only about forty stars are visible to the naked eye from the city centre on a "
            "clear night, against more than a thousand in the hills.",
            "Shielded lamps that point down cut the glow above a street by about half.",
            "Sports grounds and car parks, a small share of all lights, produce a large share "
            "of the glow.",
        ),
        quote(
            "We did not need a satellite. We needed three hundred people who were willing to "
            "stand in the cold and look up.",
            "Hana Ostrova, astronomer at the city observatory, who led the survey",
        ),
        p(
            "The council’s street lighting team has asked for the data to plan which lamps to "
            "replace first. The survey team will repeat the walk next winter to see whether "
            "anything has changed, and is looking for volunteers; details are on the "
            '<a href="https://darksky-survey.example/join">survey’s website</a>.'
        ),
        p(
            "The maps and the raw readings are free to download. The team asks only that anyone "
            "who uses them goes outside on the next clear night and counts the stars."
        ),
    ),
)

AQUIFER = Story(
    slug="wetter-spring-did-not-refill-the-aquifer-survey-finds",
    section="science",
    title="A wetter spring did not refill the aquifer, survey finds",
    standfirst=(
        "Well readings taken by farmers show the water table under the eastern fields still "
        "two metres below its level of a decade ago."
    ),
    authors=("elias-brandt", "rafael-idris"),
    tags=("water", "climate", "data", "citizen science"),
    image="aquifer",
    hours_ago=120,
    body=(
        p(
            "The spring was the wettest for six years, and many in the eastern farming "
            "districts hoped it would undo the damage of three dry summers. Readings from 212 "
            "wells, taken by farmers themselves and collected by the regional water office, "
            "say it did not."
        ),
        p(
            "The water table rose by about forty centimetres between March and June, then fell "
            "again as irrigation started. At midsummer it stood two metres below where it was a "
            "decade ago, the survey found."
        ),
        p(
            "Hydrologists say a single wet season cannot refill a layer that took years to "
            "drain: rain soaks through the clay above the aquifer slowly, and much of it runs "
            "off to the river before it can."
        ),
        quote(
            "An aquifer is a savings account. You can empty it in a few summers, but you refill "
            "it a little at a time, over many years.",
            "Tomas Keel, hydrologist at the regional water office",
        ),
        p(
            "The water office will ask farmers to keep taking readings each month, and has "
            "published the first year of measurements as open data."
        ),
    ),
)

OBSERVATORY = Story(
    slug="old-observatory-telescope-goes-back-into-service",
    section="science",
    title="Why the old observatory’s telescope is going back into service",
    standfirst="Restored by volunteers, the century-old refractor will open to the public monthly.",
    authors=("elias-brandt",),
    tags=("citizen science", "history"),
    image="observatory",
    hours_ago=140,
    body=(
        p(
            "For twenty years the brass telescope in the observatory on Beacon Hill has been "
            "covered with a dust sheet. A group of retired engineers and amateur astronomers "
            "has spent two winters cleaning its lens, rebuilding its clock drive and repairing "
            "the dome’s shutter."
        ),
        p(
            "The telescope is not powerful by modern standards, but it is large enough to show "
            "the rings of Saturn and the cloud bands of Jupiter to anyone who climbs the hill."
        ),
        p(
            "From next month, the observatory will open on the first clear Friday of every "
            "month. Entry is free; warm clothes are recommended."
        ),
    ),
)

STORIES = (NIGHT_SKY, AQUIFER, OBSERVATORY)

"""The demo's illustrations, drawn with Pillow: no downloads, the same pictures every run.

Each picture is a small scene (a valley with a dam, a harbour at dusk, a chart ...) drawn
from a random generator seeded by the picture's key, so a rerun draws identical pixels.
``image_get_or_create`` stores a picture once, as a ``NewsImage`` with its title, alt text,
caption and credit, and finds it again by title afterwards. Nothing is resized here:
Wagtail makes renditions when a page first asks for them.
"""

import io
import math
import random
import zlib
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from newsdesk.articles.models import NewsImage
from newsdesk.articles.services import image_create
from newsdesk.demo.content.illustrations import ILLUSTRATION_TEXTS

SIZE = (1600, 900)
WIDTH, HEIGHT = SIZE
CREDIT = "Illustration: The Lantern"
LOGO_TITLE = "The Lantern logo"

Color = tuple[int, int, int]


# --- drawing primitives -------------------------------------------------------------------
def _gradient(top: Color, bottom: Color, size=SIZE) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _glow(canvas: Image.Image, centre, radius: int, color: Color, strength: int = 160) -> None:
    """A soft light (sun, lamp, lantern): a blurred disc laid over the picture."""
    # Blur only the square around the light: blurring the whole canvas per lamp is slow.
    x, y = (int(c) for c in centre)
    reach = 2 * radius
    layer = Image.new("L", (2 * reach, 2 * reach), 0)
    ImageDraw.Draw(layer).ellipse(
        (reach - radius, reach - radius, reach + radius, reach + radius), fill=strength
    )
    layer = layer.filter(ImageFilter.GaussianBlur(radius / 2))
    canvas.paste(Image.new("RGB", layer.size, color), (x - reach, y - reach), layer)


def _ridge(rng: random.Random, base: int, amplitude: int, step: int = 80) -> list:
    """A jagged skyline of hills from the left edge to the right, closed along the bottom."""
    points = [(0, HEIGHT)]
    height = base - rng.randint(0, amplitude)
    for x in range(0, WIDTH + step, step):
        height = min(
            base, max(base - amplitude, height + rng.randint(-amplitude // 3, amplitude // 3))
        )
        points.append((x, height))
    points.append((WIDTH, HEIGHT))
    return points


def _ripples(draw: ImageDraw.ImageDraw, rng: random.Random, top: int, color: Color) -> None:
    for _ in range(140):
        y = rng.randint(top + 8, HEIGHT - 4)
        x = rng.randint(-60, WIDTH)
        length = rng.randint(30, 40 + (y - top) // 3)
        draw.line((x, y, x + length, y), fill=color, width=2 + (y - top) // 200)


def _stars(draw: ImageDraw.ImageDraw, rng: random.Random, count: int, bottom: int) -> None:
    for _ in range(count):
        x, y, r = rng.randint(0, WIDTH), rng.randint(0, bottom), rng.choice((1, 1, 1, 2, 2, 3))
        shade = rng.randint(170, 255)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(shade, shade, min(255, shade + 20)))


def _blob(rng: random.Random, centre, radius: int, points: int = 28) -> list:
    """An irregular rounded shape, like a landmass on a map."""
    cx, cy = centre
    shape = []
    wobble = [rng.uniform(0.7, 1.25) for _ in range(points)]
    for i in range(points):
        smooth = (wobble[i - 1] + 2 * wobble[i] + wobble[(i + 1) % points]) / 4
        angle = 2 * math.pi * i / points
        shape.append(
            (cx + radius * smooth * math.cos(angle), cy + radius * smooth * 0.7 * math.sin(angle))
        )
    return shape


def _boat(
    draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, hull: Color, sail: Color
) -> None:
    w = 120 * scale
    draw.polygon(
        [(x, y), (x + w, y), (x + w * 0.85, y + 22 * scale), (x + w * 0.12, y + 22 * scale)],
        fill=hull,
    )
    draw.line(
        (x + w * 0.45, y, x + w * 0.45, y - 90 * scale), fill=hull, width=max(2, int(4 * scale))
    )
    draw.polygon(
        [
            (x + w * 0.48, y - 85 * scale),
            (x + w * 0.48, y - 8 * scale),
            (x + w * 0.9, y - 8 * scale),
        ],
        fill=sail,
    )


# --- the scenes -----------------------------------------------------------------------------
def _dam(canvas, draw, rng):
    _glow(canvas, (1180, 300), 140, (255, 214, 150), 200)
    draw.polygon(_ridge(rng, 430, 180), fill=(96, 86, 120))
    draw.rectangle((0, 470, WIDTH, 520), fill=(70, 110, 150))  # the reservoir behind the wall
    draw.polygon([(0, 380), (520, 430), (560, HEIGHT), (0, HEIGHT)], fill=(58, 60, 84))
    draw.polygon([(WIDTH, 360), (1080, 440), (1040, HEIGHT), (WIDTH, HEIGHT)], fill=(52, 54, 78))
    draw.polygon([(500, 470), (1100, 470), (1060, 640), (540, 640)], fill=(176, 172, 166))
    for x in range(560, 1060, 46):
        draw.line((x, 474, x - 6, 636), fill=(150, 146, 140), width=3)
    for x in range(720, 880, 14):  # the open spillway
        draw.line((x, 500, x + rng.randint(-8, 8), 700), fill=(232, 240, 246), width=6)
    draw.polygon([(540, 640), (1060, 640), (1240, HEIGHT), (380, HEIGHT)], fill=(60, 100, 138))
    _ripples(draw, rng, 650, (120, 160, 190))


def _map(canvas, draw, rng):
    for y in range(0, HEIGHT, 60):
        draw.line((0, y, WIDTH, y), fill=(150, 190, 205), width=1)
    for x in range(0, WIDTH, 60):
        draw.line((x, 0, x, HEIGHT), fill=(150, 190, 205), width=1)
    draw.polygon(_blob(rng, (560, 430), 430), fill=(222, 206, 160), outline=(150, 130, 90))
    draw.polygon(_blob(rng, (1180, 470), 380), fill=(200, 214, 160), outline=(120, 140, 90))
    border = [(830 + rng.randint(-14, 14), y) for y in range(80, 860, 30)]
    for a, b in zip(border[::2], border[1::2], strict=False):
        draw.line((*a, *b), fill=(150, 60, 60), width=5)
    river = [(200 + i * 70, 300 + int(120 * math.sin(i / 3.0)) + i * 12) for i in range(20)]
    draw.line(river, fill=(60, 120, 190), width=10, joint="curve")
    for x, y in ((420, 380), (700, 520), (1010, 600), (1300, 420), (610, 230)):
        draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=(40, 40, 50))
    draw.rectangle((840, 560, 870, 590), fill=(200, 80, 60))  # the dam


def _delta(canvas, draw, rng):
    _glow(canvas, (300, 220), 110, (255, 236, 190), 190)
    draw.rectangle((0, 430, WIDTH, HEIGHT), fill=(150, 185, 200))  # the open water
    draw.polygon([*_ridge(rng, 440, 16, 50)[:-1], (WIDTH, 440), (0, 440)], fill=(110, 140, 96))
    _ripples(draw, rng, 440, (196, 216, 226))
    # Bands of low reedy islands, flatter and larger as they come nearer, with channels
    # between them where the boats are.
    for i, y in enumerate((470, 560, 690, 880)):
        x = rng.randint(-300, 0)
        while x < WIDTH:
            width, depth = 260 + i * 160 + rng.randint(0, 220), 8 + i * 10
            draw.ellipse((x, y - depth, x + width, y + depth), fill=(120 - i * 10, 150 - i * 8, 90))
            x += width + rng.randint(60, 260)
    for x, y, s in ((260, 505, 0.7), (900, 520, 0.5), (620, 612, 1.0), (1250, 750, 1.4)):
        _boat(draw, x, y, s, (70, 60, 60), (240, 232, 214))


def _ferry(canvas, draw, rng):
    draw.polygon(_ridge(rng, 470, 120, 120), fill=(90, 130, 110))
    draw.rectangle((0, 480, WIDTH, HEIGHT), fill=(40, 90, 130))
    _ripples(draw, rng, 480, (90, 140, 180))
    draw.polygon([(420, 560), (1180, 560), (1120, 640), (470, 640)], fill=(236, 236, 236))
    draw.rectangle((560, 480, 1000, 560), fill=(250, 250, 250))
    draw.rectangle((820, 420, 900, 480), fill=(200, 60, 50))
    for x in range(590, 990, 50):
        draw.rectangle((x, 500, x + 28, 524), fill=(60, 90, 120))
    draw.rectangle((420, 600, 1180, 612), fill=(200, 60, 50))


def _council(canvas, draw, rng):
    cx, cy = WIDTH // 2, 820
    palette = [(200, 80, 70), (70, 110, 170), (230, 180, 70), (90, 150, 110), (150, 150, 150)]
    for ring in range(6):
        radius = 220 + ring * 95
        seats = 14 + ring * 6
        for i in range(seats):
            angle = math.pi + math.pi * (i + 0.5) / seats
            x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            color = palette[min(len(palette) - 1, int(5 * i / seats + rng.random() * 0.6))]
            draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=color)
    draw.rectangle((cx - 160, cy - 90, cx + 160, cy - 40), fill=(110, 80, 60))


def _register(canvas, draw, rng):
    for i in range(7):
        layer = Image.new("RGBA", (520, 660), (0, 0, 0, 0))
        sheet = ImageDraw.Draw(layer)
        sheet.rectangle((0, 0, 519, 659), fill=(250, 248, 240, 255), outline=(180, 170, 150, 255))
        for line in range(60, 620, 34):
            sheet.line(
                (40, line, 40 + rng.randint(260, 440), line), fill=(150, 150, 160, 255), width=6
            )
        sheet.rectangle((40, 20, 260, 40), fill=(200, 70, 60, 255))
        layer = layer.rotate(rng.uniform(-14, 14), expand=True, resample=Image.BICUBIC)
        canvas.paste(layer, (120 + i * 170, 60 + rng.randint(0, 120)), layer)


def _chart(canvas, draw, rng):
    left, bottom, top = 160, 780, 140
    for y in range(bottom, top - 1, -80):
        draw.line((left, y, WIDTH - 120, y), fill=(215, 215, 205), width=2)
    draw.line((left, top, left, bottom, WIDTH - 120, bottom), fill=(90, 90, 90), width=4)
    height, line = 160, []
    for i in range(12):
        height += rng.randint(10, 55)
        x = left + 40 + i * 108
        draw.rectangle(
            (x, bottom - height, x + 70, bottom), fill=(230, 150, 70) if i > 7 else (120, 150, 190)
        )
        line.append((x + 35, bottom - height * 0.6 - 40))
    draw.line(line, fill=(60, 60, 80), width=6, joint="curve")
    for x, y in line:
        draw.ellipse((x - 10, y - 10, x + 10, y + 10), fill=(60, 60, 80))


def _bakery(canvas, draw, rng):
    for shelf in (330, 620):
        draw.rectangle((80, shelf, WIDTH - 80, shelf + 24), fill=(120, 80, 50))
        x = 120
        while x < WIDTH - 260:
            w, h = rng.randint(160, 240), rng.randint(90, 130)
            crust = (rng.randint(170, 205), rng.randint(110, 135), rng.randint(50, 70))
            draw.ellipse((x, shelf - h, x + w, shelf + 6), fill=crust)
            for k in range(1, 4):
                sx = x + k * w // 4
                draw.line(
                    (sx - 12, shelf - h + 24, sx + 12, shelf - 24), fill=(235, 200, 140), width=5
                )
            x += w + rng.randint(20, 50)


def _lock(canvas, draw, rng):
    draw.polygon(_ridge(rng, 380, 90), fill=(120, 140, 120))
    draw.rectangle((0, 430, WIDTH, HEIGHT), fill=(140, 130, 115))
    draw.rectangle((260, 480, 1340, 820), fill=(50, 90, 110))
    _ripples(draw, rng, 490, (90, 130, 150))
    for x in (260, 1320):
        draw.rectangle((x, 450, x + 20, 840), fill=(80, 70, 60))
    draw.rectangle((1150, 470, 1190, 830), fill=(70, 60, 55))  # the closed gate
    for i, y in enumerate((520, 660)):
        draw.polygon(
            [
                (330 + i * 60, y),
                (1080 - i * 40, y),
                (1050 - i * 40, y + 90),
                (360 + i * 60, y + 90),
            ],
            fill=(90, 50, 40),
        )
        for k in range(5):
            gx = 380 + i * 60 + k * 130
            draw.rectangle((gx, y - 30, gx + 100, y + 4), fill=(220, 190, 90))


def _night(canvas, draw, rng):
    _stars(draw, rng, 260, 520)
    x = 0
    while x < WIDTH:
        w, h = rng.randint(60, 160), rng.randint(120, 360)
        draw.rectangle((x, HEIGHT - h, x + w, HEIGHT), fill=(20, 22, 36))
        for wy in range(HEIGHT - h + 20, HEIGHT - 20, 36):
            for wx in range(x + 12, x + w - 16, 28):
                if rng.random() < 0.3:
                    draw.rectangle((wx, wy, wx + 12, wy + 16), fill=(240, 210, 120))
        x += w + rng.randint(0, 20)
    for lx in range(140, WIDTH, 260):
        _glow(canvas, (lx, 640), 70, (255, 170, 70), 170)


def _aquifer(canvas, draw, rng):
    draw.rectangle((0, 0, WIDTH, 200), fill=(170, 205, 230))
    layers = [(120, 160, 90), (160, 120, 80), (190, 150, 100), (80, 130, 190), (130, 110, 100)]
    for i, color in enumerate(layers):
        top = 200 + i * 140
        points = [
            (x, top + int(18 * math.sin(x / 130 + i)) + rng.randint(-6, 6))
            for x in range(0, WIDTH + 80, 80)
        ]
        draw.polygon([(0, HEIGHT), *points, (WIDTH, HEIGHT)], fill=color)
    for _ in range(400):
        x, y = rng.randint(0, WIDTH), rng.randint(240, HEIGHT)
        draw.ellipse((x, y, x + 5, y + 5), fill=(100, 80, 60))
    draw.rectangle((1000, 120, 1024, 800), fill=(90, 90, 100))
    draw.rectangle((960, 100, 1064, 140), fill=(70, 70, 80))


def _observatory(canvas, draw, rng):
    _stars(draw, rng, 320, 600)
    draw.polygon(_ridge(rng, 700, 140, 100), fill=(30, 36, 50))
    draw.rectangle((620, 520, 980, 760), fill=(200, 200, 210))
    draw.pieslice((600, 340, 1000, 700), 180, 360, fill=(225, 225, 232))
    draw.polygon([(780, 350), (840, 350), (830, 520), (790, 520)], fill=(30, 36, 50))
    draw.line((810, 470, 900, 330), fill=(120, 120, 130), width=16)


def _library(canvas, draw, rng):
    for shelf in range(140, HEIGHT, 190):
        draw.rectangle((60, shelf, WIDTH - 60, shelf + 18), fill=(110, 75, 45))
        x = 80
        while x < WIDTH - 120:
            w, h = rng.randint(26, 60), rng.randint(110, 165)
            spine = (rng.randint(60, 220), rng.randint(60, 200), rng.randint(60, 200))
            draw.rectangle((x, shelf - h, x + w, shelf), fill=spine)
            draw.line(
                (x + 6, shelf - h + 20, x + w - 6, shelf - h + 20), fill=(240, 230, 200), width=3
            )
            x += w + rng.randint(2, 8)
            if rng.random() < 0.06:
                x += 90


def _lighthouse(canvas, draw, rng):
    beam = Image.new("L", SIZE, 0)
    ImageDraw.Draw(beam).polygon([(1020, 250), (WIDTH, 60), (WIDTH, 420)], fill=110)
    canvas.paste(
        Image.new("RGB", SIZE, (255, 240, 190)), (0, 0), beam.filter(ImageFilter.GaussianBlur(20))
    )
    draw.rectangle((0, 560, WIDTH, HEIGHT), fill=(30, 60, 90))
    _ripples(draw, rng, 560, (70, 110, 140))
    draw.polygon([(700, 600), (860, 520), (1260, 540), (1420, 640)], fill=(60, 60, 60))
    draw.polygon([(960, 540), (1080, 540), (1060, 260), (980, 260)], fill=(240, 240, 236))
    for y in (320, 400, 480):
        draw.polygon(
            [
                (975 - (y - 260) // 14, y),
                (1065 + (y - 260) // 14, y),
                (1067 + (y - 230) // 14, y + 36),
                (973 - (y - 230) // 14, y + 36),
            ],
            fill=(190, 50, 50),
        )
    draw.rectangle((970, 220, 1070, 262), fill=(40, 40, 40))
    _glow(canvas, (1020, 240), 60, (255, 240, 170), 230)


def _lanterns(canvas, draw, rng):
    draw.polygon(_ridge(rng, 560, 70, 60), fill=(40, 34, 60))
    draw.rectangle((0, 600, WIDTH, HEIGHT), fill=(30, 30, 60))
    for _ in range(26):
        x, y = rng.randint(60, WIDTH - 60), rng.randint(80, 540)
        _glow(canvas, (x, y), rng.randint(16, 34), (255, 180, 80), 220)
        _glow(canvas, (x, 1200 - y), 20, (200, 140, 80), 90)  # its reflection in the water
    _ripples(draw, rng, 610, (60, 60, 100))


# Each scene: its drawing function and the top and bottom colours of its sky.
SCENES: dict[str, tuple[Callable, tuple[Color, Color]]] = {
    "dam": (_dam, ((250, 170, 120), (120, 90, 140))),
    "map": (_map, ((190, 225, 235), (170, 210, 225))),
    "delta": (_delta, ((250, 220, 180), (170, 200, 215))),
    "ferry": (_ferry, ((170, 200, 225), (220, 230, 235))),
    "council": (_council, ((245, 236, 220), (230, 215, 195))),
    "register": (_register, ((220, 228, 236), (190, 200, 214))),
    "rents": (_chart, ((252, 250, 244), (244, 240, 230))),
    "bakery": (_bakery, ((250, 226, 190), (214, 170, 120))),
    "lock": (_lock, ((200, 220, 235), (230, 230, 220))),
    "night": (_night, ((8, 12, 36), (48, 40, 80))),
    "aquifer": (_aquifer, ((170, 205, 230), (170, 205, 230))),
    "observatory": (_observatory, ((10, 14, 40), (40, 50, 90))),
    "library": (_library, ((236, 228, 214), (214, 200, 180))),
    "lighthouse": (_lighthouse, ((40, 50, 90), (140, 110, 130))),
    "lanterns": (_lanterns, ((30, 30, 80), (170, 90, 100))),
}


def illustration_draw(key: str) -> bytes:
    """The JPEG bytes of one illustration; the same bytes on every run."""
    scene, sky = SCENES[key]
    rng = random.Random(zlib.crc32(key.encode()))  # noqa: S311 - pictures, not secrets
    canvas = _gradient(*sky)
    scene(canvas, ImageDraw.Draw(canvas), rng)
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=86, optimize=True)
    return buffer.getvalue()


def logo_draw() -> bytes:
    """The publisher logo: a lantern and the site's name, PNG.

    600 by 60 pixels: the largest a news publisher's logo may be for search engines, so
    no rendition has to shrink it.
    """
    canvas = Image.new("RGB", (600, 60), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((18, 5, 30, 10), fill=(40, 40, 50))
    draw.rounded_rectangle((10, 11, 38, 50), radius=8, fill=(40, 40, 50))
    draw.rounded_rectangle((16, 17, 32, 44), radius=5, fill=(245, 180, 60))
    draw.rectangle((14, 50, 34, 55), fill=(40, 40, 50))
    font = ImageFont.load_default(size=34)
    draw.text((52, 30), "The Lantern", fill=(30, 30, 40), font=font, anchor="lm")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _stored(*, title: str, filename: str, render: Callable[[], bytes], **fields) -> NewsImage:
    image = NewsImage.objects.filter(title=title).order_by("pk").first()
    if image is not None:
        return image
    # Through the service every picture of the library goes through: what Pillow draws
    # carries no metadata, but nothing here has to know that.
    return image_create(title=title, file_name=filename, data=render(), **fields)


def image_get_or_create(*, key: str) -> NewsImage:
    """The stored illustration named ``key``, drawn and saved the first time it is asked for."""
    text = ILLUSTRATION_TEXTS[key]
    return _stored(
        title=text.title,
        filename=f"lantern-{key}.jpg",
        render=lambda: illustration_draw(key),
        description=text.alt,
        caption=text.caption,
        credit=CREDIT,
    )


def logo_get_or_create() -> NewsImage:
    """The publisher logo, stored once."""
    return _stored(
        title=LOGO_TITLE,
        filename="lantern-logo.png",
        render=logo_draw,
        description="The Lantern",
        credit=CREDIT,
    )

"""A generated content folder the size of the centres' real collection: 37,000 stories, a
photo on every tenth, plus the bundled anniversary pages and colouring pictures.

    python bench/scale_content.py OUT [--stories 37000]

The folder is made once per (count, generator version) and reused: `ensure(...)` returns it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO

GENERATOR_VERSION = 2
PHOTO_EVERY = 10
DISTINCT_PHOTOS = 40

# (Russian, English) sentence pairs, written for this benchmark: stories are made of 3–8.
SENTENCES = [
    ("Посетительница пришла за справкой за полчаса до закрытия.",
     "A visitor came for a certificate half an hour before closing."),
    ("Сотрудник заметил, что пожилой мужчина долго не может найти нужное окно.",
     "A member of staff noticed that an elderly man could not find the right window."),
    ("На улице шёл сильный дождь, а зонта у неё не было.",
     "It was raining hard outside, and she had no umbrella."),
    ("Мы вместе проверили все документы, и ничего не пришлось переделывать.",
     "We checked all the papers together, and nothing had to be done again."),
    ("Ребёнок скучал в очереди, и администратор принесла ему раскраску.",
     "A child was bored in the queue, and the administrator brought a colouring page."),
    ("Через неделю семья вернулась, чтобы просто сказать спасибо.",
     "A week later the family came back just to say thank you."),
    ("Оказалось, что заявление можно подать в соседнем окне без очереди.",
     "It turned out the application could be made at the next window without waiting."),
    ("Коллеги задержались после смены, чтобы помочь с переводом документа.",
     "Colleagues stayed after their shift to help with a translation."),
    ("Мужчина волновался, потому что впервые оформлял пенсию.",
     "The man was anxious: it was his first time applying for a pension."),
    ("Мы позвонили в архив и узнали ответ за десять минут.",
     "We phoned the archive and had the answer in ten minutes."),
    ("Девушка забыла паспорт на стойке, и охранник догнал её у метро.",
     "A young woman left her passport at the desk, and the guard caught up with her at the "
     "metro."),
    ("Бабушка пришла с внуком, и мы усадили их поближе к табло.",
     "A grandmother came with her grandson, and we seated them near the display."),
    ("Посетитель плохо слышал, поэтому всё объясняли письменно, крупными буквами.",
     "The visitor was hard of hearing, so everything was explained in writing, in large "
     "letters."),
    ("В зале ожидания стало тепло и спокойно, и очередь прошла незаметно.",
     "The waiting room felt warm and calm, and the wait went by unnoticed."),
    ("Сотрудница предложила заполнить анкету вместе, строчку за строчкой.",
     "A member of staff offered to fill in the form together, line by line."),
    ("Иногда главное — просто выслушать человека до конца.",
     "Sometimes what matters most is to listen to a person to the end."),
    ("Через месяц в книге отзывов появилась благодарность.",
     "A month later a thank-you note appeared in the comments book."),
    ("Мы нашли решение, о котором посетитель даже не знал.",
     "We found a solution the visitor had not even known about."),
]
TITLES = [("Зонт под ливнем", "An umbrella in the rain"), ("Паспорт у метро", "A passport at "
          "the metro"), ("Раскраска для Маши", "A colouring page for Masha"),
          ("Первая пенсия", "A first pension"), ("Письмо из архива", "A letter from the archive"),
          ("Строчка за строчкой", "Line by line"), ("Спасибо через неделю", "Thanks a week "
          "later")]
CENTRES = [("Центр госуслуг района Арбат", "Arbat district centre"),
           ("Центр госуслуг района Марьино", "Maryino district centre"),
           ("Центр госуслуг района Сокол", "Sokol district centre"),
           ("Академия искреннего сервиса", "Academy of Sincere Service")]
TAGS = ["забота", "дети", "погода", "старшее поколение", "находки", "доступность"]


def _photo_bytes(index: int) -> bytes:
    import cv2
    import numpy as np

    rng = np.random.default_rng(index)
    base = rng.integers(40, 215, size=3)
    ramp = np.linspace(0.6, 1.2, 1200, dtype=np.float32)[None, :, None]
    image = np.clip(np.ones((800, 1200, 3), np.float32) * base * ramp, 0, 255).astype(np.uint8)
    cv2.circle(image, (600, 400), 220, [int(v) for v in 255 - base], -1)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return bytes(encoded.tobytes())


def story_text(index: int, rng: random.Random, photo: str | None) -> str:
    title_ru, title_en = rng.choice(TITLES)
    centre_ru, centre_en = rng.choice(CENTRES)
    chosen = rng.sample(SENTENCES, rng.randint(3, 8))
    tags = rng.sample(TAGS, rng.randint(1, 2))
    year, month, day = rng.randint(2012, 2023), rng.randint(1, 12), rng.randint(1, 28)
    lines = ["---", f"title: {title_ru} ({index})", f"title_en: {title_en} ({index})",
             f"centre: {centre_ru}", f"centre_en: {centre_en}",
             f"date: {year}-{month:02d}-{day:02d}", f"tags: [{', '.join(tags)}]"]
    if photo:
        lines.append(f"photo: {photo}")
    lines += ["---", " ".join(ru for ru, _ in chosen), "", "=== English ===",
              " ".join(en for _, en in chosen), ""]
    return "\n".join(lines)


BUNDLED = ("kiosk.yaml", "anniversary", "colouring", "images")  # taken as they are


def _refresh_bundled(root: Path) -> None:
    """The bundled files as they are now, in a folder generated before they changed (its
    generated stories are kept: an old kiosk.yaml read a setting the kiosk now warns of)."""
    bundled = REPO / "content"
    for name in BUNDLED:
        source = bundled / name
        for path in ([source] if source.is_file() else sorted(source.rglob("*"))):
            target = root / path.relative_to(bundled)
            if path.is_file() and (not target.is_file()
                                   or target.read_bytes() != path.read_bytes()):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)


def generate(root: Path, stories: int) -> None:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    _refresh_bundled(root)
    photos = [_photo_bytes(i) for i in range(DISTINCT_PHOTOS)]
    (root / "images" / "stories").mkdir(parents=True)
    (root / "stories").mkdir()
    rng = random.Random(37)
    for index in range(1, stories + 1):
        photo = None
        if index % PHOTO_EVERY == 0:
            photo = f"images/stories/photo-{index:05d}.jpg"
            (root / photo).write_bytes(photos[index % DISTINCT_PHOTOS])
        (root / "stories" / f"story-{index:05d}.md").write_text(
            story_text(index, rng, photo), encoding="utf-8")


def ensure(base: Path, stories: int) -> Path:
    """The generated folder for `stories`, made now if it is missing or out of date."""
    root = base / f"kiosk-scale-{stories}-v{GENERATOR_VERSION}"
    done = root / ".generated"
    if not done.exists():
        generate(root, stories)
        done.write_text("ok")
    else:
        _refresh_bundled(root)
    return root


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--stories", type=int, default=37_000)
    args = parser.parse_args()
    print(ensure(args.out, args.stories))
    return 0


if __name__ == "__main__":
    sys.exit(main())

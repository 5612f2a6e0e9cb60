"""Words of the kiosk's own screens (content brings its own translations)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from kiosk.core.content.problems import Language

STRINGS: dict[str, tuple[str, str]] = {
    "touch_screen": ("Коснитесь экрана", "Touch the screen"),
    "menu_title": ("Что вы хотите посмотреть?", "What would you like to see?"),
    "menu_hint": ("Пока вы ждёте своей очереди", "While you wait for your turn"),
    "tile_anniversary": ("12 лет «Моим Документам»", "12 years of My Documents"),
    "tile_anniversary_sub": ("История центров госуслуг", "The story of the service centres"),
    "tile_stories": ("Искренний сервис", "Sincere Service"),
    "tile_stories_sub": ("Истории наших сотрудников", "Stories told by our staff"),
    "tile_colouring": ("Раскраска для детей", "Colouring for children"),
    "tile_colouring_sub": ("Пока взрослые заняты делом", "While the grown-ups are busy"),
    "tile_calm": ("Минутка спокойствия", "A calm minute"),
    "tile_calm_sub": ("Дыхательное упражнение на одну минуту", "A one-minute breathing exercise"),
    "calm_title": ("Минутка спокойствия", "A calm minute"),
    "calm_hint": (
        "Выберите ритм и дышите вместе с кругом: он растёт на вдохе и уменьшается на выдохе.",
        "Choose a rhythm and breathe with the circle: it grows as you breathe in and shrinks "
        "as you breathe out.",
    ),
    "pattern_box": ("Квадратное дыхание", "Box breathing"),
    "pattern_box_sub": (
        "Вдох, задержка, выдох, задержка — по 4 секунды",
        "In, hold, out, hold: 4 seconds each",
    ),
    "pattern_478": ("Дыхание 4-7-8", "4-7-8 breathing"),
    "pattern_478_sub": (
        "Вдох 4 секунды, задержка 7, выдох 8",
        "In for 4 seconds, hold for 7, out for 8",
    ),
    "breathe_in": ("Вдох", "Breathe in"),
    "hold": ("Задержка", "Hold"),
    "breathe_out": ("Выдох", "Breathe out"),
    "calm_done": ("Готово", "Well done"),
    "calm_done_sub": (
        "Как вы себя чувствуете? Если хочется, повторите упражнение.",
        "How do you feel now? Do it once more if you like.",
    ),
    "calm_again": ("Ещё раз", "Once more"),
    "calm_invite": ("Минутка спокойствия", "A calm minute"),
    "home": ("На главную", "Home"),
    "back": ("Назад", "Back"),
    "large_text": ("Крупный шрифт", "Large text"),
    "random": ("Случайная", "Random"),
    "all_stories": ("Все", "All"),
    "page_of": ("{page} из {total}", "{page} of {total}"),
    "text_page": ("страница {page} из {total}", "page {page} of {total}"),
    "previous": ("Предыдущая", "Previous"),
    "next": ("Следующая", "Next"),
    "still_here": ("Вы ещё здесь?", "Are you still there?"),
    # Under the seconds left, in large figures: «15 / секунд — и экран вернётся к началу».
    "still_here_hint": (
        "{unit} — и экран вернётся к началу",
        "{unit}, then the screen starts over",
    ),
    "stay": ("Я здесь", "I’m here"),
    "colouring_title": ("Выбери картинку", "Pick a picture"),
    "colouring_done": ("Готово", "Done"),
    "poster_colouring_kicker": ("Для детей", "For children"),
    "poster_colouring_title": ("Раскрась картинку", "Colour a picture"),
    "poster_colouring_line": (
        "Пока взрослые заполняют документы, выбери картинку и краски.",
        "While the grown-ups fill in their forms, pick a picture and the colours.",
    ),
    "poster_calm_kicker": ("Пока вы ждёте", "While you wait"),
    "poster_calm_line": (
        "Устали ждать? Подышите с нами одну минуту.",
        "Tired of waiting? Breathe with us for a minute.",
    ),
    "welcome": ("Добро пожаловать!", "Welcome!"),
    "welcome_sub": ("Мы рады вам помочь", "We’re happy to help"),
    "story_badge": ("Искренний сервис", "Sincere Service"),
    "anniversary_badge": ("12 лет вместе", "12 years together"),
    "notice_kicker": ("Объявление", "Notice"),  # an ordinary notice's slide
    "language_ru": ("RU", "RU"),
    "language_en": ("EN", "EN"),
    "no_stories": ("Нет историй с этой меткой", "No stories with this tag"),
    # A call: {ticket} and {window} are set as large figures (kiosk.ui.queue.call_text); English
    # says "counter" where Russian says «окно».
    "queue_call": ("Приглашается талон {ticket} → окно {window}",
                   "Ticket {ticket}, please go to counter {window}"),
    "queue_call_short": ("{ticket} → окно {window}", "{ticket} → counter {window}"),
    "queue_recent": ("Вызваны:", "Recent calls:"),
}

MONTHS_RU = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота",
               "воскресенье")


def pick(table: Mapping[str, tuple[str, str]], key: str, lang: Language,
         **args: object) -> str:
    """The text for `key` from a table of (Russian, English) pairs, with `args` filled in."""
    ru, en = table[key]
    text = ru if lang == "ru" else en
    return text.format(**args) if args else text


def tr(key: str, lang: Language, **args: object) -> str:
    return pick(STRINGS, key, lang, **args)


def plural(number: int, lang: Language, ru: tuple[str, str, str], en: tuple[str, str]) -> str:
    """The noun that goes with `number`: ru («слово», «слова», «слов») for 1, 2 and 5;
    en ("word", "words"). «21 слово», «12 слов», «0 слов»; "1 word", "0 words"."""
    if lang == "en":
        return en[0] if number == 1 else en[1]
    tens, units = abs(number) % 100, abs(number) % 10
    if units == 1 and tens != 11:
        return ru[0]
    if 2 <= units <= 4 and not 12 <= tens <= 14:
        return ru[1]
    return ru[2]


def counted(number: int, lang: Language, ru: tuple[str, str, str], en: tuple[str, str]) -> str:
    """«5 слов», "5 words": the number and its noun."""
    return f"{grouped(number, lang)} {plural(number, lang, ru, en)}"


def grouped(number: int, lang: Language) -> str:
    """A number as it is written: «37 000» (a no-break space; four digits stay together,
    «1000», as Russian typesetting has it), "37,000" and "1,000"."""
    if lang == "en":
        return f"{number:,}"
    if abs(number) < 10_000:
        return str(number)
    return f"{number:,}".replace(",", "\u00a0")


def date_forms(day: dt.date, lang: Language) -> tuple[str, str, str]:
    """The date for a room that may be narrow, longest first: «понедельник, 7 декабря 2026»,
    «7 декабря 2026», «7 декабря»."""
    months = MONTHS_RU if lang == "ru" else MONTHS_EN
    return (format_date(day, lang, weekday=True), format_date(day, lang),
            f"{day.day} {months[day.month - 1]}")


def format_date(day: dt.date, lang: Language, weekday: bool = False) -> str:
    """«22 августа 2023», «Friday, 27 November 2026»: no locale database needed."""
    if lang == "ru":
        text = f"{day.day} {MONTHS_RU[day.month - 1]} {day.year}"
        return f"{WEEKDAYS_RU[day.weekday()]}, {text}" if weekday else text
    text = f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{WEEKDAYS_EN[day.weekday()]}, {text}" if weekday else text

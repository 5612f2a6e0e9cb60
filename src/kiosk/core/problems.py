"""Problems found in a content folder, worded for staff who are not programmers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Literal

Language = Literal["ru", "en"]
LANGUAGES: tuple[Language, ...] = ("ru", "en")


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


# One entry per kind of problem: the Russian and the English wording. Each says what is wrong
# and how to fix it; placeholders are filled from Problem.args.
MESSAGES: dict[str, tuple[str, str]] = {
    "yaml_syntax": (
        "ошибка в разметке YAML: {detail}. {hint}",
        "YAML syntax error: {detail}. {hint}",
    ),
    "not_a_mapping": (
        "здесь ожидается список настроек вида «ключ: значение», а найдено {found}",
        "expected settings of the form “key: value”, found {found}",
    ),
    "unknown_key": (
        "неизвестная настройка «{key}»{suggestion}; она не учитывается",
        "unknown setting “{key}”{suggestion}; it is ignored",
    ),
    "duplicate_key": (
        "настройка «{key}» указана дважды; действует последнее значение — удалите лишнюю строку",
        "“{key}” is given twice; the last value wins — delete the extra line",
    ),
    "wrong_type": (
        "«{key}» должно быть {expected}, а указано «{value}»; используется {default}",
        "“{key}” must be {expected}, but is “{value}”; using {default}",
    ),
    "clamped": (
        "«{key}»: {value} — вне допустимого диапазона {low}–{high}; используется {used}",
        "“{key}”: {value} is outside {low}–{high}; using {used}",
    ),
    "bad_choice": (
        "«{key}» может быть только {choices}, а указано «{value}»; используется {default}",
        "“{key}” must be one of {choices}, but is “{value}”; using {default}",
    ),
    "missing_field": (
        "нет обязательного поля «{key}» — добавьте строку «{key}: …» в начало файла",
        "the required field “{key}” is missing — add a line “{key}: …” at the top",
    ),
    "no_front_matter": (
        "файл должен начинаться со строки «---», затем поля (title: …), затем снова «---» и текст",
        "the file must start with a line “---”, then the fields (title: …), another “---”, "
        "then the text",
    ),
    "unclosed_front_matter": (
        "после полей нет закрывающей строки «---»; добавьте её перед текстом",
        "the fields are not closed by a line “---”; add one before the text",
    ),
    "empty_text": (
        "нет текста на русском языке после строки «---»",
        "there is no Russian text after the “---” line",
    ),
    "not_utf8": (
        "файл не в кодировке UTF-8; сохраните его как «UTF-8» в текстовом редакторе",
        "the file is not UTF-8; save it as “UTF-8” in your text editor",
    ),
    "unreadable": (
        "файл не удалось прочитать: {detail}",
        "the file could not be read: {detail}",
    ),
    "path_outside": (
        "путь «{value}» ведёт за пределы папки с материалами; положите файл в папку images/ "
        "и укажите «images/имя-файла»",
        "the path “{value}” leads outside the content folder; put the file in images/ and "
        "write “images/file-name”",
    ),
    "path_remote": (
        "«{value}» — адрес в интернете; киоск ничего не загружает из сети. Скачайте файл в "
        "папку images/ и укажите «images/имя-файла»",
        "“{value}” is an internet address; the kiosk never loads anything from the network. "
        "Save the file in images/ and write “images/file-name”",
    ),
    "missing_file": (
        "файл «{value}» не найден; проверьте имя (заглавные и строчные буквы различаются)",
        "the file “{value}” was not found; check the name (upper and lower case differ)",
    ),
    "bad_image_format": (
        "«{value}»: формат не поддерживается; используйте PNG, JPEG или SVG",
        "“{value}”: unsupported format; use PNG, JPEG or SVG",
    ),
    "bad_image": (
        "изображение «{value}» повреждено или не читается ({detail}); пересохраните его",
        "the image “{value}” is damaged or unreadable ({detail}); save it again",
    ),
    "image_too_large": (
        "изображение «{value}» слишком большое ({detail}); уменьшите его до 4000×4000 точек",
        "the image “{value}” is too large ({detail}); scale it down to 4000×4000 pixels",
    ),
    "svg_external": (
        "рисунок «{value}» ссылается на внешний файл или адрес «{detail}»; он не будет загружен",
        "the drawing “{value}” refers to an external file or address “{detail}”; it will not "
        "be loaded",
    ),
    "inline_image": (
        "картинки внутри текста не показываются; укажите картинку в поле «{key}:»",
        "images inside the text are not shown; put the picture in the “{key}:” field",
    ),
    "bad_date": (
        "дата «{value}» не распознана; пишите так: 2023-08-22 (год-месяц-день)",
        "the date “{value}” is not valid; write it as 2023-08-22 (year-month-day)",
    ),
    "unknown_tag": (
        "метки «{value}» нет в списке tags файла kiosk.yaml{suggestion}; добавьте её туда",
        "the tag “{value}” is not in the tags list of kiosk.yaml{suggestion}; add it there",
    ),
    "no_content": (
        "в папке нет ни одной страницы и ни одной истории; киоск покажет заставку",
        "the folder has no page and no story; the kiosk will show its neutral screen",
    ),
    "missing_folder": (
        "папка с материалами «{value}» не найдена",
        "the content folder “{value}” was not found",
    ),
    "skipped": (
        "этот файл не будет показан, пока ошибка не исправлена",
        "this file will not be shown until the error is fixed",
    ),
    "colouring_unknown_file": (
        "картинки «{value}» нет в папке colouring/",
        "there is no picture “{value}” in the colouring/ folder",
    ),
}

# Names of value types for the "wrong_type" message.
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "number": ("числом", "a number"),
    "whole": ("целым числом", "a whole number"),
    "text": ("текстом", "text"),
    "yes_no": ("true (да) или false (нет)", "true or false"),
    "mapping": ("списком строк «ключ: значение»", "a list of “key: value” lines"),
    "list": ("списком в квадратных скобках, например [дети, забота]",
             "a list in square brackets, for example [children, care]"),
}

YAML_HINTS: tuple[tuple[str, str, str], ...] = (
    # (fragment of PyYAML's message, Russian hint, English hint)
    (
        "mapping values are not allowed",
        "Похоже, в значении есть двоеточие — возьмите весь текст после «ключ:» в кавычки",
        "There seems to be a colon in a value — put the whole text after “key:” in quotes",
    ),
    (
        "found character '\\t'",
        "В начале строки табуляция — замените её пробелами",
        "There is a tab at the start of a line — replace it with spaces",
    ),
    (
        "could not find expected ':'",
        "В строке нет двоеточия между названием и значением",
        "A line lacks the colon between the name and the value",
    ),
    (
        "found unexpected end of stream",
        "Не закрыта кавычка или скобка",
        "A quote or a bracket is not closed",
    ),
    (
        "expected <block end>",
        "Проверьте отступы: строки одного уровня должны начинаться с одинакового числа пробелов",
        "Check the indentation: lines of one level must start with the same number of spaces",
    ),
)
DEFAULT_YAML_HINT = (
    "Проверьте отступы, двоеточия и кавычки в этой строке и строкой выше",
    "Check the indentation, colons and quotes on this line and the one above",
)


@dataclass(frozen=True)
class Problem:
    """One problem in one file; `line` is 1-based, None when the whole file is meant."""

    path: str
    line: int | None
    severity: Severity
    code: str
    args: dict[str, str] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def message(self, lang: Language = "ru") -> str:
        ru, en = MESSAGES[self.code]
        template = ru if lang == "ru" else en
        args = dict(self.args)
        if self.code == "yaml_syntax":
            args["hint"] = yaml_hint(args.get("detail", ""), lang)
        if "expected" in args:
            ru_name, en_name = TYPE_NAMES[args["expected"]]
            args["expected"] = ru_name if lang == "ru" else en_name
        suggest = args.pop("suggest", "")
        if suggest:
            args["suggestion"] = (
                f" (возможно, вы имели в виду «{suggest}»?)"
                if lang == "ru"
                else f" (did you mean “{suggest}”?)"
            )
        else:
            args["suggestion"] = ""
        return template.format(**args)

    def format(self, lang: Language = "ru") -> str:
        """`path:line: [предупреждение: ]message`, the form editors and CI logs understand."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        if self.severity is Severity.WARNING:
            label = "предупреждение: " if lang == "ru" else "warning: "
        else:
            label = "ошибка: " if lang == "ru" else "error: "
        return f"{where}: {label}{self.message(lang)}"


class ProblemLog:
    """Collects problems for one file, so the loaders need not repeat its path."""

    def __init__(self, path: str, sink: list[Problem]) -> None:
        self.path = path
        self._sink = sink

    def error(self, code: str, line: int | None = None, **args: str) -> None:
        self._sink.append(Problem(self.path, line, Severity.ERROR, code, args))

    def warning(self, code: str, line: int | None = None, **args: str) -> None:
        self._sink.append(Problem(self.path, line, Severity.WARNING, code, args))


def yaml_hint(detail: str, lang: Language) -> str:
    for fragment, ru, en in YAML_HINTS:
        if fragment in detail:
            return ru if lang == "ru" else en
    return DEFAULT_YAML_HINT[0] if lang == "ru" else DEFAULT_YAML_HINT[1]

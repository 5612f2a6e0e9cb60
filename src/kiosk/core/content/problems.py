"""Problems found in a content folder, worded for staff who are not programmers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
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
        "разметка YAML нарушена. {hint} (технически: {detail})",
        "the YAML is broken. {hint} (technically: {detail})",
    ),
    "yaml_alias": (
        "в разметке YAML есть ссылка (&имя или *имя); киоск такие ссылки не читает: напишите "
        "значение целиком в каждом поле, где оно нужно. Если значение само начинается с * или "
        "&, возьмите его в кавычки: teaser: \"*Новое* расписание\"",
        "the YAML uses a reference (&name or *name); the kiosk does not read such references: "
        "write the value out in full in each field that needs it. If a value itself starts "
        "with * or &, put it in quotes: teaser: \"*New* opening hours\"",
    ),
    "yaml_number_too_long": (
        "в разметке YAML число из {digits_counted}; киоск читает числа не длиннее {most} цифр. "
        "Если это не число, а текст, возьмите его в кавычки: teaser: \"…\"",
        "the YAML has a number of {digits_counted}; the kiosk reads numbers of at most {most} "
        "digits. If it is text rather than a number, put it in quotes: teaser: \"…\"",
    ),
    "yaml_too_deep": (
        "разметка YAML вложена слишком глубоко (больше {most} уровней), а в файлах киоска их "
        "два-три: проверьте отступы и закрывающие скобки ] и }}",
        "the YAML is nested too deeply (more than {most} levels), and the kiosk's files need "
        "two or three: check the indentation and the closing brackets ] and }}",
    ),
    "not_a_mapping": (
        "здесь ожидаются строки вида «ключ: значение», а найден {found}",
        "expected lines of the form “key: value”, found {found}",
    ),
    "unknown_key": (
        "неизвестная настройка «{key}»{suggestion}; она не учитывается",
        "unknown setting “{key}”{suggestion}; it is ignored",
    ),
    "unknown_field": (
        "неизвестное поле «{key}»{suggestion}; оно не учитывается",
        "unknown field “{key}”{suggestion}; it is ignored",
    ),
    "empty_field": (
        "поле «{key}» пустое. Если текст начинается с # или содержит двоеточие, возьмите его "
        "в кавычки: {key}: \"…\"",
        "the field “{key}” is empty. If the text starts with # or contains a colon, put it in "
        "quotes: {key}: \"…\"",
    ),
    "wrong_suffix": (
        "файл «{value}» не будет прочитан: нужно расширение .md — переименуйте его в «{name}»",
        "the file “{value}” is not read: it needs the .md extension — rename it to “{name}”",
    ),
    "duplicate_id": (
        "файлы «{value}» и «{other}» отличаются только заглавными буквами: на многих дисках это "
        "один и тот же файл — переименуйте один из них",
        "the files “{value}” and “{other}” differ only in upper and lower case: on many disks "
        "they are one file — rename one of them",
    ),
    "teaser_long": (
        "в строке «{key}» {words_counted}, а на заставке читают не больше {most}: оставьте одну "
        "короткую фразу — остальное посетитель прочитает, коснувшись экрана",
        "“{key}” has {words_counted}, and a poster on the loop is read in at most {most}: keep "
        "one short sentence — the visitor reads the rest after touching the screen",
    ),
    "headline_long": (
        "заголовок «{value}» не помещается на плакат заставки крупным шрифтом: там "
        "{lines_counted}, и в них {words_fit}. Плакат покажет его мельче — "
        "лучше сократите заголовок",
        "the title “{value}” does not fit the loop's poster in display type: there are "
        "{lines_counted}, and {words_fit}. The poster shows it smaller "
        "— better shorten the title",
    ),
    "headline_word_wide": (
        "в заголовке «{value}» слово «{word}» само по себе не помещается в строку крупного "
        "шрифта, если вывести плакат заставки на {orientation}, и плакат наберёт весь "
        "заголовок мельче. Если можно, скажите это короче или другим словом",
        "in the title “{value}” the word “{word}” on its own does not fit a line of display "
        "type when the loop's poster is shown on {orientation}, so the poster sets the whole "
        "title smaller. If you can, say it more briefly or with another word",
    ),
    "teaser_no_room": (
        "фраза «{value}» ({key}) не помещается на плакат заставки под заголовком, и плакат "
        "покажет один заголовок: сократите фразу или заголовок",
        "the line “{value}” ({key}) does not fit on the loop's poster under the title, so the "
        "poster shows the title alone: shorten the line or the title",
    ),
    "link_outside": (
        "«{value}» — ссылка на файл за пределами папки с материалами; киоск такие файлы не "
        "открывает: положите в папку сам файл, а не ссылку на него",
        "“{value}” is a link to a file outside the content folder; the kiosk does not open "
        "such files: put the file itself in the folder, not a link to it",
    ),
    "content_link": (
        "«{value}» — ссылка (symlink) на другой файл или папку, а не сам файл; киоск ссылки "
        "внутри папки с материалами не открывает: положите на её место сам файл или папку",
        "“{value}” is a link (symlink) to another file or folder, not the thing itself; the "
        "kiosk opens no links inside the content folder: put the file or folder itself there",
    ),
    "special_file": (
        "«{value}» — не обычный файл, а именованный канал, устройство или сокет; киоск такие "
        "файлы не открывает: уберите его из папки с материалами",
        "“{value}” is not an ordinary file but a named pipe, a device or a socket; the kiosk "
        "does not open such files: remove it from the content folder",
    ),
    "settings_is_folder": (
        "«{value}» — папка, а киоск ждёт здесь файл настроек; настройки не прочитаны, "
        "используются обычные. Уберите или переименуйте папку и положите на её место файл "
        "kiosk.yaml",
        "“{value}” is a folder, and the kiosk expects its settings file here; no settings were "
        "read, the defaults are used. Remove or rename the folder and put the kiosk.yaml file "
        "in its place",
    ),
    "hidden_is_folder": (
        "«{value}» — папка, а киоск ждёт здесь файл со списком общих материалов, которые в "
        "этом центре не показываются. Уберите или переименуйте папку и положите на её место "
        "файл {value}",
        "“{value}” is a folder, and the kiosk expects a file here: the list of shared items "
        "this centre does not show. Remove or rename the folder and put the {value} file in "
        "its place",
    ),
    "folder_is_file": (
        "«{value}» — файл, а киоск ждёт здесь папку с таким именем, поэтому того, что должно в "
        "ней лежать, на экране нет. Уберите или переименуйте этот файл и положите на его место "
        "папку «{value}»",
        "“{value}” is a file, and the kiosk expects a folder of that name here, so nothing that "
        "belongs in it is shown. Remove or rename the file and put the folder “{value}” in its "
        "place",
    ),
    "poster_side_file_alone": (
        "«{value}» — настройки плаката, но картинки с таким же именем рядом нет: переименуйте "
        "файл так же, как картинку (например, «plakat.png» и «plakat.yaml»)",
        "“{value}” holds a poster's settings, but there is no picture of the same name beside "
        "it: name it like the picture (for example “poster.png” and “poster.yaml”)",
    ),
    "poster_variant_side_file": (
        "«{value}» не читается: время, расписание и заполнение экрана у плаката одни на оба "
        "варианта. Перенесите настройки в файл «{expected}»",
        "“{value}” is not read: a poster's time, schedule and fit are shared by both of its "
        "versions. Move the settings to “{expected}”",
    ),
    "poster_same_name": (
        "«{value}» не показывается: рядом уже есть плакат с тем же именем — «{shown}». "
        "Переименуйте один из файлов: имена плакатов должны различаться не только окончанием",
        "“{value}” is not shown: there is already a poster of the same name beside it, "
        "“{shown}”. Rename one of the files: posters' names must differ by more than their "
        "ending",
    ),
    "poster_too_thin": (
        "плакат «{value}» ({size}) слишком вытянут: на любом экране он будет узкой полосой. "
        "Сделайте плакат в пропорциях экрана: 1920×904 (горизонтальный) или 1080×1620 "
        "(вертикальный)",
        "poster “{value}” ({size}) is too long and thin: on any screen it will be a narrow "
        "strip. Make it in the screen's proportions: 1920×904 (landscape) or 1080×1620 "
        "(portrait)",
    ),
    "poster_portrait_on_landscape": (
        "плакат «{value}» вертикальный ({size}), а экран киоска горизонтальный: по бокам "
        "останутся широкие поля. Сделайте горизонтальный вариант (весь экран над нижней "
        "полосой — 1920×904) и сохраните его под этим именем, а вертикальный переименуйте в "
        "«{variant}»; если экран киоска на самом деле вертикальный, напишите в kiosk.yaml "
        "«screen: portrait»",
        "poster “{value}” is portrait ({size}), and the kiosk's screen is landscape: wide "
        "margins will be left at its sides. Make a landscape version (the whole screen above "
        "the bottom band: 1920×904) and save it under this name, renaming the portrait one to "
        "“{variant}”; if the kiosk's screen really is portrait, write “screen: portrait” in "
        "kiosk.yaml",
    ),
    "poster_landscape_on_portrait": (
        "плакат «{value}» горизонтальный ({size}), а экран киоска вертикальный: сверху и снизу "
        "останутся широкие поля. Сделайте вертикальный вариант (весь экран над нижней "
        "полосой — 1080×1620) и положите его рядом под именем «{variant}»",
        "poster “{value}” is landscape ({size}), and the kiosk's screen is portrait: wide "
        "margins will be left above and below it. Make a portrait version (the whole screen "
        "above the bottom band: 1080×1620) and put it beside this one as “{variant}”",
    ),
    "poster_portrait_on_landscape_cut": (
        "плакат «{value}» вертикальный ({size}), а экран киоска горизонтальный, и «fit: "
        "заполнить» увеличит его до ширины экрана: видна будет только середина, около "
        "{share} % его высоты, а верх и низ обрежутся. Сделайте горизонтальный вариант "
        "(1920×904) и сохраните его под этим именем, а вертикальный переименуйте в "
        "«{variant}» — или напишите «fit: целиком»",
        "poster “{value}” is portrait ({size}), and the kiosk's screen is landscape, so “fit: "
        "fill” enlarges it to the screen's width: only its middle shows, about {share} % of "
        "its height, the top and foot cut off. Make a landscape version (1920×904) and save "
        "it under this name, renaming the portrait one to “{variant}” — or write “fit: whole”",
    ),
    "poster_landscape_on_portrait_cut": (
        "плакат «{value}» горизонтальный ({size}), а экран киоска вертикальный, и «fit: "
        "заполнить» увеличит его до высоты экрана: видна будет только середина, около "
        "{share} % его ширины, а края с текстом обрежутся. Сделайте вертикальный вариант "
        "(1080×1620) и положите его рядом под именем «{variant}» — или напишите «fit: "
        "целиком»",
        "poster “{value}” is landscape ({size}), and the kiosk's screen is portrait, so “fit: "
        "fill” enlarges it to the screen's height: only its middle shows, about {share} % of "
        "its width, the sides cut off with any words on them. Make a portrait version "
        "(1080×1620) and put it beside this one as “{variant}” — or write “fit: whole”",
    ),
    "unknown_entry": (
        "«{value}» — лишнее: такой файл или папку киоск не читает{suggestion}",
        "“{value}” is not a file or folder the kiosk reads{suggestion}",
    ),
    "duplicate_key": (
        "«{key}» указано дважды; действует последнее значение — удалите лишнюю строку",
        "“{key}” is given twice; the last value wins — delete the extra line",
    ),
    "wrong_type": (
        "«{key}»: ожидается {expected}, а указано «{value}»; используется {default}",
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
    "story_copy": (
        "«{value}» слово в слово повторяет историю «{other}» — похоже, это копия, оставленная "
        "при копировании файлов; киоск показывал бы историю дважды. Удалите лишний файл",
        "“{value}” is word for word the story “{other}”: a copy left behind when files were "
        "copied, it seems; the kiosk would show the story twice. Delete the extra file",
    ),
    "file_empty": (
        "файл «{value}» пустой. Если его сейчас копируют, киоск прочитает его, когда "
        "копирование закончится; если нет — откройте файл, проверьте, что текст на месте, и "
        "сохраните его ещё раз",
        "the file “{value}” is empty. If it is being copied, the kiosk reads it once the copy "
        "is done; if not, open it, check that the text is there and save it again",
    ),
    "file_incomplete": (
        "в конце файла «{value}» нулевые байты вместо текста: он скопирован не до конца. Если "
        "его сейчас копируют, киоск прочитает его, когда копирование закончится; если нет — "
        "скопируйте его ещё раз",
        "the file “{value}” ends in zero bytes instead of text: it was not copied to the end. "
        "If it is being copied, the kiosk reads it once the copy is done; if not, copy it "
        "again",
    ),
    "file_cut_short": (
        "файл «{value}» обрывается на середине буквы: он скопирован не до конца. Если его "
        "сейчас копируют, киоск прочитает его, когда копирование закончится; если нет — "
        "скопируйте его ещё раз",
        "the file “{value}” stops in the middle of a letter: it was not copied to the end. "
        "If it is being copied, the kiosk reads it once the copy is done; if not, copy it "
        "again",
    ),
    "not_utf8": (
        "файл не в кодировке UTF-8; сохраните его как «UTF-8» в текстовом редакторе",
        "the file is not UTF-8; save it as “UTF-8” in your text editor",
    ),
    "unreadable": (
        "файл не удалось прочитать: {detail}",
        "the file could not be read: {detail}",
    ),
    "folder_unreadable": (
        "папку «{value}» не удалось открыть ({detail}), и ничего из того, что в ней лежит, "
        "киоск не покажет. Обычно дело в правах доступа: папка и всё в ней должны быть "
        "доступны для чтения всем — сообщите в ИТ-службу",
        "the folder “{value}” could not be opened ({detail}), so the kiosk shows nothing "
        "that is in it. Usually it is the permissions: the folder and everything in it must "
        "be readable by all — tell IT",
    ),
    "text_too_big": (
        "{language} слишком длинный для экрана: {size} КБ, а киоск показывает тексты не больше "
        "{most} КБ — это в десять с лишним раз больше самой длинной истории. Сократите текст или "
        "разделите его на несколько историй",
        "{language} is too long for the screen: {size} KB, and the kiosk shows texts of at most "
        "{most} KB — over ten times the longest story. Shorten it or split it into several "
        "stories",
    ),
    "text_long_word": (
        "{language}: «{value}» — {length_counted} без единого пробела, а киоск показывает слова "
        "не длиннее {most} знаков (такое слово не переносится и рвёт строку). Разделите его "
        "пробелами; длинный адрес сайта уберите — с экрана по нему всё равно не перейти",
        "{language}: “{value}” is {length_counted} without a space, and the kiosk shows "
        "words of at most {most} characters (such a word cannot wrap and breaks the line). Put "
        "spaces in it; leave out a long web address — nobody can follow it from the screen",
    ),
    "text_too_deep": (
        "{language}: в строке вложено {depth} уровней цитат (>) или списков, а киоск показывает "
        "не больше {most}. Уберите лишние знаки > и отступы в начале строки",
        "{language}: a line nests {depth} levels of quotes (>) or lists, and the kiosk shows at "
        "most {most}. Remove the extra > signs and the indentation at the start of the line",
    ),
    "text_too_many_lines": (
        "{language}: {lines_counted}, а киоск показывает тексты не длиннее {most} строк — "
        "посетитель столько не пролистает. Соедините короткие строки в абзацы, сократите текст "
        "или разделите его на несколько историй",
        "{language}: {lines_counted}, and the kiosk shows texts of at most {most} lines — no "
        "visitor pages through that many. Join short lines into paragraphs, shorten the text or "
        "split it into several stories",
    ),
    "hidden_characters": (
        "в поле «{key}» были невидимые управляющие знаки ({detail}): они переворачивают текст "
        "задом наперёд или рвут строку. Киоск их убрал; чтобы это сообщение ушло, наберите "
        "текст поля заново (их часто приносит копирование из браузера или мессенджера)",
        "the field “{key}” had invisible control characters ({detail}): they turn text "
        "backwards or break the line. The kiosk removed them; to make this message go, type "
        "the field's text again (copying from a browser or a messenger often brings them)",
    ),
    "hidden_characters_line": (
        "в строке были невидимые управляющие знаки ({detail}): из-за них строка рвалась надвое "
        "или не читалась. Киоск их убрал; чтобы это сообщение ушло, наберите строку заново "
        "(их часто приносит копирование из PowerPoint, Word или браузера)",
        "the line had invisible control characters ({detail}): they split it in two or made "
        "it unreadable. The kiosk removed them; to make this message go, type the line again "
        "(copying from PowerPoint, Word or a browser often brings them)",
    ),
    "hidden_characters_text": (
        "{language}: в нём были невидимые управляющие знаки ({detail}): они переворачивают "
        "текст задом наперёд или рвут строку. Киоск их убрал; чтобы это сообщение ушло, "
        "наберите эти места заново (их часто приносит копирование из браузера или мессенджера)",
        "{language}: it had invisible control characters ({detail}): they turn text backwards "
        "or break the line. The kiosk removed them; to make this message go, type those places "
        "again (copying from a browser or a messenger often brings them)",
    ),
    "more_problems": (
        "…и ещё {count_problems} в этом файле (показаны первые {shown}): исправьте первые — "
        "обычно остальные уходят вместе с ними",
        "…and {count_problems} in this file (the first {shown} are shown): fix those — the "
        "rest usually go with them",
    ),
    "file_too_large": (
        "файл слишком большой: {size} КБ, а киоск читает файлы не больше {most} КБ — это в "
        "сотню раз больше самой длинной истории. Возможно, сюда попал не тот файл; если это "
        "действительно текст, сократите его или разделите на несколько историй",
        "the file is too large: {size} KB, and the kiosk reads files of at most {most} KB — a "
        "hundred times the longest story. Perhaps the wrong file is here; if it really is "
        "text, shorten it or split it into several stories",
    ),
    "parse_too_slow": (
        "чтение файла остановлено: за {seconds} с он так и не прочитался, хотя обычный рассказ "
        "читается за сотые доли секунды. Скорее всего, это не текст или файл повреждён; "
        "откройте его, проверьте содержимое и сохраните заново как обычный текст (UTF-8)",
        "reading the file was stopped: it was still not read after {seconds} s, while an "
        "ordinary story takes hundredths of a second. It is probably not text, or damaged; open "
        "it, check what is inside and save it again as plain text (UTF-8)",
    ),
    "parse_too_big": (
        "чтение файла остановлено: для него понадобилось слишком много памяти или чтение "
        "оборвалось с ошибкой. Скорее всего, файл повреждён или собран так нарочно; уберите "
        "его и сохраните текст заново",
        "reading the file was stopped: it needed far too much memory, or the reader broke "
        "down. The file is probably damaged or made that way on purpose; remove it and save "
        "the text again",
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
    "missing_file_end": (
        "файла «{value}» нет, но есть «{name}»: имена отличаются точкой или пробелом в конце. "
        "Windows такие точки и пробелы отбрасывает, а киоск — нет: напишите имя в точности "
        "«{name}»",
        "there is no file “{value}”, but there is “{name}”: the names differ in a dot or a "
        "space at the end. Windows drops such dots and spaces, the kiosk does not: write the "
        "name exactly “{name}”",
    ),
    "missing_file_end_on_disk": (
        "файла «{value}» нет, но есть «{name}» — с точкой или пробелом в конце имени. В "
        "Windows такой файл не открыть и не скопировать: переименуйте «{ended}» в «{fixed}»",
        "there is no file “{value}”, but there is “{name}”, with a dot or a space at the end "
        "of its name. On Windows such a file cannot be opened or copied: rename “{ended}” "
        "to “{fixed}”",
    ),
    "settings_gone_kept": (
        "файла «{value}» нет. Так бывает, пока его заменяют новой копией, поэтому киоск пока "
        "работает с прежними настройками. Если файл убрали нарочно, через {seconds} секунд "
        "после последнего изменения в папке с материалами киоск перейдёт на настройки по "
        "умолчанию",
        "there is no “{value}”. That happens while it is being replaced by a new copy, so the "
        "kiosk keeps its previous settings. If the file was removed on purpose, the kiosk "
        "goes over to the default settings {seconds} seconds after the last change in the "
        "content folder",
    ),
    "hidden_gone_kept": (
        "файла «{value}» в папке центра нет. Так бывает, пока его заменяют новой копией, "
        "поэтому общие материалы, которые он скрывал, пока не показываются. Если файл убрали "
        "нарочно, они появятся на экране через {seconds} секунд после последнего изменения в "
        "папке с материалами",
        "there is no “{value}” in the centre's folder. That happens while it is being replaced "
        "by a new copy, so the shared items it hid stay hidden for now. If the file was "
        "removed on purpose, they appear on screen {seconds} seconds after the last change in "
        "the content folder",
    ),
    "hidden_emptied_kept": (
        "файл «{value}» в папке центра пустой. Так бывает, пока его заменяют новой копией, "
        "поэтому общие материалы, которые он скрывал, пока не показываются. Если файл "
        "очистили нарочно, они появятся на экране через {seconds} секунд после последнего "
        "изменения в папке с материалами",
        "“{value}” in the centre's folder is empty. That happens while it is being replaced "
        "by a new copy, so the shared items it hid stay hidden for now. If the file was "
        "emptied on purpose, they appear on screen {seconds} seconds after the last change "
        "in the content folder",
    ),
    "name_not_utf8": (
        "имя «{value}» записано не в UTF-8 (так бывает с архивом или диском из старой "
        "Windows): на компьютерах с Windows оно покажется набором непонятных знаков, и файл "
        "может не открыться или не скопироваться. Переименуйте его в «{name}»",
        "the name “{value}” is not in UTF-8 (as happens with an archive or disk from an old "
        "Windows): on Windows computers it shows as gibberish, and the file may not open or "
        "copy. Rename it to “{name}”",
    ),
    "windows_name_chars": (
        "в имени «{value}» есть «{chars}» — такие знаки Windows в именах не допускает, и на "
        "компьютерах с Windows его не открыть и не скопировать. Переименуйте его, например в "
        "«{name}»",
        "the name “{value}” has “{chars}”, which Windows does not allow in names, so on "
        "Windows computers it cannot be opened or copied. Rename it, for example to “{name}”",
    ),
    "windows_name_end": (
        "имя «{value}» кончается точкой или пробелом: Windows их отбрасывает, и на "
        "компьютерах с Windows этот файл не открыть и не скопировать. Переименуйте его в "
        "«{name}»",
        "the name “{value}” ends in a dot or a space: Windows drops them, so on Windows "
        "computers it cannot be opened or copied. Rename it to “{name}”",
    ),
    "windows_name_reserved": (
        "имя «{value}» Windows оставляет за устройством ({device}): на компьютерах с Windows "
        "этот файл не открыть и не скопировать. Переименуйте его, например в «{name}»",
        "Windows keeps the name “{value}” for a device ({device}): on Windows computers it "
        "cannot be opened or copied. Rename it, for example to “{name}”",
    ),
    "missing_file_case": (
        "файла «{value}» нет, но есть «{name}»: на киоске заглавные и строчные буквы в "
        "именах различаются (в Windows — нет), поэтому напишите имя в точности как у файла",
        "there is no file “{value}”, but there is “{name}”: on the kiosk upper and lower case "
        "in names differ (on Windows they do not), so write the name exactly as the file has it",
    ),
    "bad_image_format": (
        "«{value}»: формат не поддерживается; используйте PNG, JPEG или SVG",
        "“{value}”: unsupported format; use PNG, JPEG or SVG",
    ),
    "pdf_not_shown": (
        "«{value}»: киоск не показывает PDF. Сохраните плакат картинкой PNG: в PowerPoint — "
        "«Файл → Экспорт → Изменить тип файла → PNG»; если плакат есть только в PDF, "
        "сохраните его страницу изображением (в Acrobat: «Экспорт PDF → Изображение»)",
        "“{value}”: the kiosk does not show PDF. Save the poster as a PNG picture: in "
        "PowerPoint “File → Export → Change File Type → PNG”; if the poster exists only as a "
        "PDF, save its page as an image (in Acrobat: “Export PDF → Image”)",
    ),
    "bad_image": (
        "изображение «{value}» повреждено или не читается ({detail}); пересохраните его",
        "the image “{value}” is damaged or unreadable ({detail}); save it again",
    ),
    # Video clips (kiosk.core.content.video; docs/content-format.md, «Video»).
    "bad_video_format": (
        "«{value}»: видеоролик нужен в формате MP4 (H.264) или WebM (VP8, VP9)",
        "“{value}”: a video clip must be MP4 (H.264) or WebM (VP8, VP9)",
    ),
    "video_not_video": (
        "«{value}» назван как видеоролик, но внутри не MP4 и не WebM; сохраните ролик заново "
        "в формате MP4 (H.264) или WebM",
        "“{value}” is named as a video clip but is neither MP4 nor WebM inside; save the clip "
        "again as MP4 (H.264) or WebM",
    ),
    "video_wrong_suffix": (
        "«{value}» на самом деле ролик {real}: переименуйте его в «{name}» (показан он будет "
        "и так)",
        "“{value}” is really a {real} clip: rename it to “{name}” (it is shown all the same)",
    ),
    "video_file_too_big": (
        "ролик «{value}» слишком большой ({detail}, можно не больше {most}): укоротите его "
        "или сохраните с меньшим битрейтом — минута ролика 1080p обычно занимает 40–90 МБ",
        "the clip “{value}” is too large ({detail}, at most {most}): shorten it or save it at a "
        "lower bitrate — a minute of 1080p video is usually 40–90 MB",
    ),
    "video_broken": (
        "ролик «{value}» не воспроизводится: файл повреждён или в формате, который киоск не "
        "читает ({detail}). На экране он пропускается; сохраните его заново в MP4 (H.264)",
        "the clip “{value}” does not play: the file is damaged or in a format the kiosk does "
        "not read ({detail}). It is skipped on screen; save it again as MP4 (H.264)",
    ),
    "video_timeout": (
        "ролик «{value}» не открылся за отведённое время и на экране будет пропущен; скорее "
        "всего, файл повреждён — сохраните его заново в MP4 (H.264)",
        "the clip “{value}” did not open in the time allowed and will be skipped on screen; "
        "the file is probably damaged — save it again as MP4 (H.264)",
    ),
    "video_no_picture": (
        "в файле «{value}» нет изображения (только звук?); киоск показывает ролики без звука, "
        "и этот пропускается",
        "the file “{value}” has no picture (sound only?); the kiosk shows clips without sound, "
        "and this one is skipped",
    ),
    "video_truncated": (
        "ролик «{value}» обрывается на {played} с из {duration} с: файл скопирован не до конца "
        "или повреждён, и на экране ролик кончится раньше. Скопируйте файл заново",
        "the clip “{value}” breaks off at {played} s of {duration} s: the file was not copied "
        "whole or is damaged, and on screen it ends early. Copy the file again",
    ),
    "video_codec": (
        "ролик «{value}» сжат кодеком {codec}, а киоск рассчитан на H.264 (MP4) и VP8, VP9 "
        "(WebM): без видеокарты такой ролик может идти рывками. Сохраните его в MP4 (H.264)",
        "the clip “{value}” is compressed with {codec}, and the kiosk is made for H.264 (MP4) "
        "and VP8, VP9 (WebM): without a graphics card it may stutter. Save it as MP4 (H.264)",
    ),
    "video_too_large": (
        "ролик «{value}» слишком большой ({size}): киоск не показывает ролики больше "
        "4,2 млн точек в кадре (2560×1600 ещё можно), а рассчитан на 1920×1080. Сохраните "
        "ролик в 1080p (например, в HandBrake — шаблон «Fast 1080p30»)",
        "the clip “{value}” is too large ({size}): the kiosk shows no clip of more than "
        "4.2 million pixels a frame (2560×1600 still plays) and is made for 1920×1080. "
        "Save the clip in 1080p (for example with HandBrake's “Fast 1080p30” preset)",
    ),
    "video_heavy": (
        "ролик «{value}» тяжёл для компьютера киоска ({detail}): он рассчитан на ролики не "
        "больше 1920×1080, 30 кадров в секунду и 12 Мбит/с. Сохраните ролик с такими "
        "настройками (например, в HandBrake — шаблон «Fast 1080p30»)",
        "the clip “{value}” is heavy for the kiosk's computer ({detail}): it is made for clips "
        "of at most 1920×1080, 30 frames a second and 12 Mb/s. Save the clip with those "
        "settings (for example HandBrake's “Fast 1080p30” preset)",
    ),
    "video_not_checked": (
        "ролик «{value}» длится {duration} с, и проверка не успела досмотреть его до конца: "
        "если файл оборван, это выяснится только на экране",
        "the clip “{value}” lasts {duration} s, and the check could not play it to its end in "
        "time: if the file is cut short, that shows only on screen",
    ),
    "video_not_probed": (
        "ролик «{value}» не проверен: на проверку всех роликов отводится {seconds} с, и до "
        "него очередь не дошла. Он будет показан, а если не воспроизведётся, киоск его "
        "пропустит. Запустите kiosk check ещё раз: проверенные ролики запоминаются, и "
        "следующая проверка начнёт с непроверенных",
        "the clip “{value}” was not checked: checking all the clips may take {seconds} s, and "
        "its turn did not come. It is shown, and skipped if it does not play. Run kiosk check "
        "again: clips already checked are remembered, so the next check starts with the rest",
    ),
    "video_long": (
        "ролик «{value}» длится {duration} с, а слайд заставки — не дольше {most} с: киоск "
        "покажет только начало. Укоротите ролик",
        "the clip “{value}” lasts {duration} s, and a slide of the loop at most {most} s: the "
        "kiosk shows only its beginning. Shorten the clip",
    ),
    "video_failed": (
        "ролик «{value}» не показался на экране ({detail}) и пропускается; проверьте его "
        "командой kiosk check",
        "the clip “{value}” did not play on screen ({detail}) and is skipped; check it with "
        "kiosk check",
    ),
    "loop_on_picture": (
        "«loop» действует только для видеороликов, а «{value}» — картинка; поле не учитывается",
        "“loop” applies to video clips only, and “{value}” is a picture; the field is ignored",
    ),
    "image_too_large": (
        "изображение «{value}» слишком большое ({detail}); уменьшите его (экрану хватает "
        "2000 точек по длинной стороне): фотография JPEG — не больше 100 мегапикселей "
        "(16 для «прогрессивного» JPEG), картинка PNG — не больше 16 мегапикселей "
        "(например, 4000×4000 точек) и 8000 точек по стороне",
        "the image “{value}” is too large ({detail}); scale it down (the screen needs 2000 "
        "pixels on the long side): a JPEG photo may have up to 100 megapixels (16 for a "
        "“progressive” JPEG), a PNG picture up to 16 megapixels (for example 4000×4000) and "
        "8000 pixels a side",
    ),
    "centre_name_long": (
        "название центра «{value}» ({key}) не помещается целиком в полосу внизу заставки, "
        "выведенной на {orientation}, даже мелким шрифтом в несколько строк, и посетители "
        "увидят только «{shown}»; сократите его до {most_chars} (например, «Центр госуслуг "
        "Южное Бутово»)",
        "the centre's name “{value}” ({key}) does not fit whole in the band along the foot of "
        "the attract screen shown on {orientation}, even in small type on several lines, and "
        "visitors would see only “{shown}”; shorten it to {most} characters (for example "
        "“Yuzhnoye Butovo Public Services Centre”)",
    ),
    "image_heic_named": (
        "«{value}» — фотография в формате HEIC (так снимает iPhone), а киоск показывает "
        "JPEG, PNG и SVG: сохраните её как JPEG или загрузите через редактор киоска — он "
        "переведёт её сам",
        "“{value}” is a photo in the HEIC format (as an iPhone takes them), and the kiosk "
        "shows JPEG, PNG and SVG: save it as JPEG, or upload it through the kiosk's editor, "
        "which converts it by itself",
    ),
    "image_too_thin": (
        "изображение «{value}» ({size}) слишком вытянуто: на экране оно будет узкой полосой. "
        "Обрежьте его ближе к обычным пропорциям фотографии — 4:3 или 3:2",
        "the image “{value}” ({size}) is too long and thin: on screen it will be a narrow "
        "strip. Crop it closer to a usual photo's proportions, 4:3 or 3:2",
    ),
    "image_too_small": (
        "изображение «{value}» маленькое ({detail}): на экране оно будет размытым; возьмите "
        "лучше не меньше 800 точек по длинной стороне",
        "the image “{value}” is small ({detail}): it will look blurred on screen; better use "
        "800 pixels or more on the long side",
    ),
    "text_too_long": (
        "{language} займёт {pages_counted}, если вывести его на {orientation}, и посетителю "
        "придётся долго листать: на страницу помещается около {words_about}, сократите текст "
        "примерно до {most_about}",
        "{language} takes {pages_counted} on {orientation}, a long read to page through: about "
        "{words_about} fit on a page, so shorten it to about {most_about}",
    ),
    "svg_external": (
        "рисунок «{value}» ссылается на внешний файл или адрес «{detail}»; киоск такие рисунки "
        "не показывает. Встройте картинку в рисунок (в Inkscape: «Правка → Встроить все "
        "изображения»), уберите ссылку или сохраните рисунок как PNG",
        "the drawing “{value}” refers to an outside file or address “{detail}”; the kiosk does "
        "not show such drawings. Embed the picture in the drawing (in Inkscape: Edit → Embed "
        "all images), remove the link, or save the drawing as PNG",
    ),
    "svg_doctype": (
        "в рисунке «{value}» есть объявления DOCTYPE или ENTITY ({detail}); киоск такие рисунки "
        "не показывает: сохраните его заново как «обычный SVG» или как PNG",
        "the drawing “{value}” has DOCTYPE or ENTITY declarations ({detail}); the kiosk does "
        "not show such drawings: save it again as “plain SVG”, or as PNG",
    ),
    "svg_script": (
        "в рисунке «{value}» есть сценарий или встроенная веб-страница ({detail}); киоск такие "
        "рисунки не показывает: сохраните его как «обычный SVG» или как PNG",
        "the drawing “{value}” contains a script or an embedded web page ({detail}); the kiosk "
        "does not show such drawings: save it as “plain SVG”, or as PNG",
    ),
    "svg_too_complex": (
        "рисунок «{value}» слишком сложный или большой ({detail}); упростите его или "
        "сохраните как PNG",
        "the drawing “{value}” is too complex or too large ({detail}); simplify it or save it "
        "as PNG",
    ),
    "svg_encoding": (
        "рисунок «{value}» записан в кодировке {detail}, которую киоск не читает; сохраните его "
        "заново в кодировке UTF-8 (так сохраняют Inkscape и Illustrator) или как PNG",
        "the drawing “{value}” is written in the {detail} encoding, which the kiosk does not "
        "read; save it again in UTF-8 (as Inkscape and Illustrator do), or as PNG",
    ),
    "svg_too_slow": (
        "рисунок «{value}» рисуется слишком долго ({detail}), экран бы на это время замирал; "
        "упростите его (меньше слоёв, прозрачности и толстых контуров) или сохраните как PNG",
        "the drawing “{value}” takes too long to draw ({detail}), and the screen would freeze "
        "meanwhile; simplify it (fewer layers, less transparency and fewer thick outlines) or "
        "save it as PNG",
    ),
    "image_wrong_suffix": (
        "«{value}» на самом деле картинка {real}, а расширение у неё другое; киоск её не "
        "покажет: переименуйте файл в «{name}» (и поправьте имя там, где оно указано)",
        "“{value}” is really a {real} picture with another extension; the kiosk will not show "
        "it: rename the file to “{name}” (and fix the name where it is given)",
    ),
    "image_unsupported": (
        "«{value}» на самом деле картинка {real}; киоск показывает только PNG, JPEG и SVG: "
        "сохраните её как PNG или JPEG",
        "“{value}” is really a {real} picture; the kiosk shows only PNG, JPEG and SVG: save it "
        "as PNG or JPEG",
    ),
    "image_too_complex": (
        "изображение «{value}» устроено так, что разбирать его пришлось бы слишком долго или "
        "для этого не хватило бы памяти ({detail}); откройте его в редакторе и сохраните "
        "заново обычным образом, без метаданных (например, «Экспорт» или «Сохранить для Web»)",
        "the image “{value}” is built so that reading it would take too long or too much "
        "memory ({detail}); open it in an editor and save it again the usual way, without "
        "metadata (for example Export or Save for Web)",
    ),
    "image_too_deep": (
        "изображение «{value}» сохранено с 16 битами на канал ({detail}) и заняло бы в памяти "
        "вдвое больше обычного; сохраните его с 8 битами на канал (в редакторе: «Изображение "
        "→ Режим → 8 бит/канал») или уменьшите",
        "the image “{value}” is saved with 16 bits per channel ({detail}) and would take twice "
        "the usual memory; save it with 8 bits per channel (in an editor: Image → Mode → "
        "8 Bits/Channel) or scale it down",
    ),
    "image_damaged": (
        "изображение «{value}» повреждено: часть картинки в файле отсутствует или испорчена "
        "(так бывает, если файл скопировался не до конца) и была бы показана серой. Скопируйте "
        "или сохраните файл заново (технически: {detail})",
        "the image “{value}” is damaged: part of the picture is missing or garbled in the file "
        "(as when a copy was cut short) and would be shown grey. Copy or save the file again "
        "(technically: {detail})",
    ),
    # A raster over imagesafe.MAX_IMAGE_BYTES, already a JPEG as often as not (a camera's).
    "image_file_too_big": (
        "файл «{value}» слишком большой ({detail}), а киоск читает картинки до 50 МБ: "
        "уменьшите картинку — экрану хватает 2000 точек по длинной стороне, и такая "
        "фотография в JPEG занимает 1–2 МБ",
        "the file “{value}” is too large ({detail}), and the kiosk reads pictures of up to "
        "50 MB: scale the picture down; the screen needs 2000 pixels on its long side, and "
        "such a photo takes 1–2 MB as JPEG",
    ),
    # Photos and scans uploaded in the staff editor (kiosk.editor.photos).
    "photo_not_image": (
        "файл «{value}» — не фотография и не картинка. Редактор принимает фото JPEG, PNG, "
        "WebP и HEIC (так их сохраняет телефон): выберите сам файл фотографии",
        "the file “{value}” is not a photo or a picture. The editor takes JPEG, PNG, WebP and "
        "HEIC photos (as a phone saves them): choose the photo's own file",
    ),
    "photo_unsupported": (
        "«{value}» — картинка {real}, а редактор принимает фото JPEG, PNG, WebP и HEIC: "
        "сохраните её как JPEG или PNG (в любом редакторе: «Сохранить как»)",
        "“{value}” is a {real} picture, and the editor takes JPEG, PNG, WebP and HEIC photos: "
        "save it as JPEG or PNG (in any editor: Save As)",
    ),
    "photo_video": (
        "«{value}» — видео, а не фотография; редактор принимает фото JPEG, PNG, WebP и HEIC. "
        "Выберите фотографию, а если нужен кадр из видео — остановите видео на этом кадре и "
        "сделайте снимок экрана",
        "“{value}” is a video, not a photo; the editor takes JPEG, PNG, WebP and HEIC photos. "
        "Choose a photo, or for a frame of the video, pause it there and take a screenshot",
    ),
    "photo_pdf": (
        "«{value}» — документ PDF, а не картинка; редактор принимает JPEG, PNG, WebP и HEIC. "
        "Сохраните страницу картинкой: в PowerPoint — «Файл → Сохранить как», тип «Рисунок в "
        "формате PNG»; из другой программы — снимок экрана с этой страницей (Win+Shift+S)",
        "“{value}” is a PDF document, not a picture; the editor takes JPEG, PNG, WebP and "
        "HEIC. Save the page as a picture: in PowerPoint, File → Save As, type “PNG Portable "
        "Network Graphics”; from another program, a screenshot of that page (Win+Shift+S)",
    ),
    "photo_file_too_big": (
        "файл «{value}» весит {size} МБ, а редактор принимает не больше {most} МБ; уменьшите "
        "фото или отправьте его с телефона в обычном, а не в максимальном качестве",
        "the file “{value}” is {size} MB, and the editor takes at most {most} MB; scale the "
        "photo down or send it from the phone at normal rather than maximum quality",
    ),
    "photo_too_many_pixels": (
        "фото «{value}» слишком большое ({size} точек): редактор принимает до {most} "
        "мегапикселей — больше, чем в обычном снимке с телефона; так много бывает в режиме "
        "108 или 200 Мп. Уменьшите фото, например, до 6000×4000, или снимите в обычном режиме",
        "the photo “{value}” is too large ({size} pixels): the editor takes up to {most} "
        "megapixels, more than a phone's usual photo has; this many come from a 108 or 200 MP "
        "mode. Scale it down, for example to 6000×4000, or take it in the usual mode",
    ),
    "photo_damaged": (
        "фото «{value}» не читается: файл повреждён или скопировался не до конца. Скопируйте "
        "или сохраните его заново и загрузите ещё раз",
        "the photo “{value}” cannot be read: the file is damaged or was copied only in part. "
        "Copy or save it again and upload it once more",
    ),
    "inline_image": (
        "в тексте есть картинка; киоск не показывает картинки внутри текста. Уберите её из "
        "текста (и строку «[имя]: путь», если она есть) и укажите картинку в поле «{key}:»",
        "the text has a picture in it; the kiosk does not show pictures inside the text. Take "
        "it out of the text (and the line “[name]: path”, if there is one) and give the "
        "picture in the “{key}:” field",
    ),
    "bad_date": (
        "дата «{value}» не распознана; пишите так: 22.08.2023 (день.месяц.год) или "
        "2023-08-22 (год-месяц-день)",
        "the date “{value}” is not valid; write it as 22.08.2023 (day.month.year) or "
        "2023-08-22 (year-month-day)",
    ),
    "schedule_ended": (
        "срок показа закончился {end} (show_until): материал больше не покажется. Если год "
        "указан по ошибке — исправьте дату; если нет — уберите файл из папки",
        "showing ended on {end} (show_until): the item will not be shown again. If the year "
        "is a typo, correct the date; if not, take the file out of the folder",
    ),
    "story_date_ahead": (
        "«{key}:» {value} — этот день ещё не наступил, а под заголовком история так и покажет "
        "его дату. Чаще всего это опечатка в годе («2027» вместо «2017»): проверьте, когда это "
        "было",
        "“{key}:” {value} — that day has not come yet, and the story shows that date under its "
        "title. Most often the year is mistyped (2027 for 2017): check when it happened",
    ),
    "schedule_never": (
        "ни один день между датами show_from и show_until не подходит под {key}: так материал "
        "не покажется никогда — проверьте дни недели, месяцы и даты",
        "no day between the show_from and show_until dates suits {key}: the item would never "
        "be shown — check the weekdays, months and dates",
    ),
    "dates_reversed": (
        "дата окончания {end} раньше даты начала {start}: так материал не покажется никогда — "
        "поменяйте даты местами",
        "the end date {end} is before the start date {start}: the item would never be shown — "
        "swap the dates",
    ),
    # Content-format mistakes that used to pass in silence (issue 17, part 3).
    "impossible_date": (
        "даты «{value}» не бывает (в этом месяце нет такого числа, или месяц больше 12); "
        "проверьте число и месяц: пишите так: 22.08.2023 (день.месяц.год) или 2023-08-22",
        "there is no such date as “{value}” (the month has no such day, or the month is over "
        "12); check the day and the month: write it as 22.08.2023 (day.month.year) or "
        "2023-08-22",
    ),
    "closed_day_impossible": (
        "{key}: даты «{value}» не бывает (в этом месяце нет такого числа, или месяц больше "
        "12); проверьте число и месяц. Этот день киоск считает обычным",
        "{key}: there is no such date as “{value}” (the month has no such day, or the month "
        "is over 12); check the day and the month. The kiosk treats that day as an ordinary "
        "one",
    ),
    "dates_mixed_yearly": (
        "у одной даты год указан, у другой нет («{start}» и «{end}»): напишите обе с годом "
        "(один раз, например 01.08.2026 и 31.08.2026) или обе без года (каждый год, например "
        "01.08 и 31.08); пока это не исправлено, даты не учитываются",
        "one date has a year and the other has not (“{start}” and “{end}”): write both with "
        "a year (once, for example 01.08.2026 and 31.08.2026) or both without one (every "
        "year, for example 01.08 and 31.08); until this is fixed the dates are not used",
    ),
    "bad_month": (
        "«{value}» — не месяц{suggestion}; пишите так: months: август, months: [июль, "
        "август] или months: июнь-август",
        "“{value}” is not a month{suggestion}; write it as months: august, months: [july, "
        "august] or months: june-august",
    ),
    "schedule_field_unknown": (
        "поле «{key}» похоже на расписание, но киоск такого поля не знает, и без расписания "
        "этот материал показывался бы круглый год. Напишите «{right}:» — {example}",
        "the field “{key}” looks like a schedule, but the kiosk knows no such field, and "
        "without a schedule this item would show all year round. Write “{right}:” — "
        "{example}",
    ),
    "separator_misspelt": (
        "строка «{value}» похожа на разделитель русского и английского текста, но написана "
        "не так, и всё, что ниже неё, попало бы на русский экран. Напишите её точно так: "
        "=== English ===",
        "the line “{value}” looks like the line between the Russian and the English text, "
        "but is not spelt right, so everything below it would show on the Russian screen. "
        "Write it exactly as: === English ===",
    ),
    "word_file": (
        "«{value}» — документ Word (или другого текстового процессора), а киоск читает только "
        "файлы .md. Откройте документ, скопируйте текст и вставьте его в новый файл .md "
        "(в Блокноте: «Сохранить как», тип «Все файлы», имя вида «istoriya.md», кодировка "
        "UTF-8) по образцу соседних историй — или добавьте историю через редактор киоска",
        "“{value}” is a Word (or other word-processor) document, and the kiosk reads only "
        ".md files. Open the document, copy the text and paste it into a new .md file (in "
        "Notepad: “Save as”, type “All files”, a name like “story.md”, encoding UTF-8) "
        "following the other stories — or add the story in the kiosk's editor",
    ),
    "word_file_md_name": (
        "«{value}» — документ Word, хотя в имени есть «.md»: Word дописал своё окончание. "
        "Переименование его не исправит — внутри не текст. Откройте документ, скопируйте "
        "текст и вставьте его в Блокнот, затем «Сохранить как»: тип «Все файлы», имя "
        "«{name}», кодировка UTF-8 — или добавьте историю через редактор киоска",
        "“{value}” is a Word document, though its name has “.md” in it: Word added its own "
        "ending. Renaming it will not help — what is inside is not text. Open the document, "
        "copy the text, paste it into Notepad, then “Save as”: type “All files”, name "
        "“{name}”, encoding UTF-8 — or add the story in the kiosk's editor",
    ),
    "plain_text_file": (
        "«{value}» — простой текстовый файл (.txt), а киоск читает истории только из файлов "
        ".md с полями title: и т. д. в начале. Переименуйте его в «{name}» и добавьте в "
        "начало поля по образцу соседних историй (--- / title: … / ---) — или добавьте "
        "историю через редактор киоска",
        "“{value}” is a plain text file (.txt), and the kiosk reads stories only from .md "
        "files with fields (title: …) at the top. Rename it to “{name}” and add the fields "
        "at the top as in the other stories (--- / title: … / ---) — or add the story in the "
        "kiosk's editor",
    ),
    "pdf_in_text_folder": (
        "«{value}» — PDF, а киоск его не показывает: в папке {folder}/ читаются только "
        "файлы .md. Скопируйте текст из PDF в новый файл .md по образцу соседних — или "
        "добавьте его через редактор киоска",
        "“{value}” is a PDF, and the kiosk does not show it: the {folder}/ folder is read "
        "for .md files only. Copy the text out of the PDF into a new .md file like the "
        "others — or add it in the kiosk's editor",
    ),
    "picture_in_text_folder": (
        "«{value}» — картинка, а в папке {folder}/ киоск читает только тексты (.md). "
        "Перенесите её в папку images/ и укажите в тексте строкой «{key}: images/{value}»",
        "“{value}” is a picture, and the kiosk reads only texts (.md) in the {folder}/ "
        "folder. Move it to images/ and name it in the text's fields with the line “{key}: "
        "images/{value}”",
    ),
    "subfolder_not_read": (
        "«{value}» — папка внутри {folder}/, а киоск не заглядывает во вложенные папки: "
        "файлы в ней не покажутся. Переложите их прямо в папку {folder}/, а если их убрали "
        "нарочно — вынесите эту папку из {folder}/",
        "“{value}” is a folder inside {folder}/, and the kiosk does not look into folders "
        "there: the files in it will not be shown. Move them straight into {folder}/, or if "
        "they were put away on purpose, move this folder out of {folder}/",
    ),
    "more_subfolders": (
        "…и в {folder}/ есть ещё папки: киоск не заглядывает ни в одну из них. Переложите "
        "их файлы прямо в папку {folder}/ или вынесите эти папки из неё",
        "…and {folder}/ has more folders: the kiosk looks into none of them. Move their files "
        "straight into {folder}/, or move those folders out of it",
    ),
    "stray_file": (
        "«{value}» не читается: в папке {folder}/ киоск берёт только файлы {expected}. "
        "Уберите этот файл из папки",
        "“{value}” is not read: in the {folder}/ folder the kiosk takes only {expected} "
        "files. Take this file out of the folder",
    ),
    "file_is_word": (
        "«{value}» — на самом деле документ Word (или другого текстового процессора): его "
        "просто переименовали, а внутри не текст. Откройте его в Word, скопируйте текст, "
        "вставьте в Блокнот и сохраните под именем «{value}» в кодировке UTF-8 — или "
        "добавьте историю через редактор киоска",
        "“{value}” is really a Word (or other word-processor) document: it was just renamed, "
        "and what is inside is not text. Open it in Word, copy the text, paste it into "
        "Notepad and save it as “{value}” with encoding UTF-8 — or add the story in the "
        "kiosk's editor",
    ),
    "file_is_utf16": (
        "«{value}» сохранён в кодировке UTF-16 («Юникод» в Блокноте), а киоск читает UTF-8. "
        "Откройте файл в Блокноте, выберите «Сохранить как», внизу «Кодировка: UTF-8» — и "
        "сохраните",
        "“{value}” is saved as UTF-16 (“Unicode” in Notepad), and the kiosk reads UTF-8. "
        "Open it in Notepad, choose “Save as”, at the bottom “Encoding: UTF-8”, and save",
    ),
    "colouring_too_many": (
        "картинка «{value}» не показывается: на экране раскраски помещается {most} картинок, "
        "а в папке colouring/ их {count} (лишние — последние по порядку). Уберите лишние "
        "картинки или поставьте нужные выше в colouring.yaml",
        "the picture “{value}” is not shown: the colouring screen holds {most} pictures, and "
        "colouring/ has {count} (the extra ones are the last in order). Take the extra "
        "pictures out, or list the ones you want first in colouring.yaml",
    ),
    "not_content_folder": (
        "в папке «{value}» нет материалов киоска (ни kiosk.yaml, ни stories/, anniversary/, "
        "colouring/, posters/, notices/){suggestion}: с ней киоск был бы пустым. "
        "Проверьте, ту ли папку вы указали",
        "the folder “{value}” holds no kiosk content (no kiosk.yaml, stories/, anniversary/, "
        "colouring/, posters/ or notices/){suggestion}: with it the kiosk would be empty. "
        "Check that you named the right folder",
    ),
    "not_content_folder_inside": (
        "в папке «{value}» нет материалов киоска, а похожа на папку с материалами "
        "«{inside}»: укажите её (например, kiosk check {inside})",
        "the folder “{value}” holds no kiosk content; “{inside}” looks like the content "
        "folder: name that one (for example, kiosk check {inside})",
    ),
    "content_subfolder_given": (
        "«{value}» — это папка {name}/ внутри папки с материалами, а не сама папка с "
        "материалами: укажите папку выше, «{parent}» (например, kiosk check {parent})",
        "“{value}” is the {name}/ folder inside the content folder, not the content folder "
        "itself: name the folder above it, “{parent}” (for example, kiosk check {parent})",
    ),
    "empty_content_folder": (
        "папка «{value}» пуста: с ней киоск был бы пустым. Проверьте, ту ли папку вы "
        "указали, и скопируйте в неё материалы",
        "the folder “{value}” is empty: with it the kiosk would be empty. Check that you "
        "named the right folder, and copy the content into it",
    ),
    "curly_quotes": (
        "значение поля «{key}» начинается с кавычки {quote}, а в разметке YAML считаются "
        "только прямые кавычки \" (Word и телефон сами меняют их на “ ” или « »). Если в "
        "тексте есть двоеточие, возьмите весь текст после «{key}:» в прямые кавычки: "
        "{key}: \"…\"; ёлочки внутри прямых кавычек можно оставить",
        "the value of “{key}” starts with the quote {quote}, and YAML counts only straight "
        "quotes \" (Word and phones change them to “ ” or « » by themselves). If the text "
        "has a colon in it, put the whole text after “{key}:” in straight quotes: "
        "{key}: \"…\"; curly quotes inside straight ones may stay",
    ),
    "colon_no_space": (
        "в строке «{value}» после двоеточия нет пробела, и это не поле, а просто текст. "
        "Поставьте пробел: «{fixed}»",
        "in the line “{value}” there is no space after the colon, so it is plain text "
        "rather than a field. Put a space: “{fixed}”",
    ),
    "image_heic": (
        "«{value}» — фотография HEIC с iPhone, хотя имя оканчивается на «{suffix}»; киоск "
        "её не показывает. Сохраните её как JPEG (на iPhone: «Настройки → Камера → Форматы → "
        "Наиболее совместимый», или экспортируйте в JPEG на компьютере) — или загрузите её "
        "через редактор киоска, он переведёт её в JPEG сам",
        "“{value}” is a HEIC photo from an iPhone, though its name ends in “{suffix}”; the "
        "kiosk does not show it. Save it as JPEG (on the iPhone: “Settings → Camera → "
        "Formats → Most Compatible”, or export it as JPEG on a computer) — or upload it "
        "through the kiosk's editor, which converts it",
    ),
    "tag_misspelt": (
        "метки «{value}» нет в списке tags файла kiosk.yaml; похоже, это «{suggest_tag}», и "
        "история показывается с этой меткой. Исправьте метку в истории на «{suggest_tag}»",
        "the tag “{value}” is not in the tags list of kiosk.yaml; it looks like "
        "“{suggest_tag}”, and the story is shown with that tag. Change the tag in the story "
        "to “{suggest_tag}”",
    ),
    "title_too_long_for_card": (
        "если вывести историю на {orientation}, заголовок «{value}» займёт {lines_counted} "
        "и вытеснит текст на лишние страницы: сократите заголовок (примерно до "
        "{most_chars}), а не текст",
        "on {orientation}, the title “{value}” takes {lines_counted} and pushes the story's "
        "text onto extra pages: shorten the title (to about {most} characters), not the text",
    ),
    "bad_weekday": (
        "«{value}» — не день недели{suggestion}; пишите так: [пн, ср, пт] или [сб, вс]",
        "“{value}” is not a day of the week{suggestion}; write it as [mon, wed, fri] or "
        "[sat, sun]",
    ),
    "bad_hours": (
        "часы «{value}» не распознаны; пишите так: \"09:00-13:00\" (через полночь тоже можно: "
        "\"22:00-02:00\")",
        "the hours “{value}” are not valid; write them as \"09:00-13:00\" (across midnight "
        "too: \"22:00-02:00\")",
    ),
    "too_many_hours": (
        "в hours: {count_spans} времени, а можно не больше {most}. Объедините соседние "
        "(\"09:00-13:00\" и \"13:00-18:00\" — это \"09:00-18:00\") и оставьте только нужные",
        "hours: lists {count} spans of time, and at most {most} are allowed. Join neighbouring "
        "ones (\"09:00-13:00\" and \"13:00-18:00\" make \"09:00-18:00\") and keep only those "
        "needed",
    ),
    # Schedules that refer to kiosk.yaml's closed_days (kiosk.core.schedules.schedule).
    "bad_before_closed_days": (
        "before_closed_days: «{value}» — нужно целое число дней от 1 до {most}: за сколько дней "
        "до нерабочих дней из kiosk.yaml (closed_days) начинать показ, например "
        "before_closed_days: 7",
        "before_closed_days: “{value}” must be a whole number of days from 1 to {most}: how "
        "many days before the closed days of kiosk.yaml (closed_days) to start showing it, for "
        "example before_closed_days: 7",
    ),
    "bad_on_closed_days": (
        "on_closed_days: «{value}» не распознано{suggestion}; пишите да (показывать и в "
        "нерабочие дни), нет (не показывать в них) или только (только в нерабочие дни)",
        "on_closed_days: “{value}” is not understood{suggestion}; write yes (shown on closed "
        "days too), no (not on them) or only (on closed days only)",
    ),
    "closed_days_never": (
        "before_closed_days показывает материал только в дни перед нерабочими, а "
        "on_closed_days: только — только в сами нерабочие дни; вместе они не совпадают "
        "никогда, и материал не покажется. Оставьте одно из двух полей",
        "before_closed_days shows the item only on the days before closed days, and "
        "on_closed_days: only on the closed days themselves; together they never hold, so the "
        "item is never shown. Keep one of the two fields",
    ),
    # Notices (notices/*.yaml, kiosk.core.content.notices).
    "notice_long": (
        "«{key}»: в объявлении {length_counted}, а на ходу читают не больше {most}. Длинное "
        "срочное объявление полоса покажет по частям, обычное будет набрано на слайде мельче — "
        "сократите текст до одной-двух коротких фраз",
        "“{key}”: the notice has {length_counted}, and people read at most {most} in "
        "passing. The band shows a long urgent notice in parts, and a slide sets an ordinary "
        "one smaller — cut it to one or two short sentences",
    ),
    "notice_urgent_many": (
        "срочных объявлений {count}, а на экране одновременно бывают не больше {most} — "
        "первые по порядку файлов из тех, что действуют в эту минуту. Если их расписания "
        "пересекаются, это и следующие могут не показаться; оставьте срочными только главные, "
        "остальные сделайте обычными",
        "there are {count} urgent notices, and at most {most} are on screen at once — the "
        "first, in the files' order, of those in force at the moment. Where their schedules "
        "overlap, this one and the next may not show; keep only the most important urgent, "
        "make the others ordinary",
    ),
    "notice_urgent_endless": (
        "срочное объявление без последнего дня показа: полоса будет внизу каждого экрана, пока "
        "объявление не уберут. Если оно на день или неделю, укажите, по какой день его "
        "показывать («{key}»)",
        "an urgent notice with no last day: its band stays at the foot of every screen until "
        "the notice is removed. If it is for a day or a week, say until when to show it "
        "(“{key}”)",
    ),
    "notice_too_long": (
        "«{key}»: в объявлении {length_counted}, больше предела в {most}: оно не поместится на "
        "экран, и киоск его не показывает. Оставьте главное, не больше {most} знаков, — "
        "подробности расскажут сотрудники",
        "“{key}”: the notice has {length_counted}, over the limit of {most}: it would not "
        "fit the screen, so the kiosk does not show it. Keep what matters, at most {most} "
        "characters — staff can tell the details",
    ),
    "bad_notice_level": (
        "level: «{value}» — такой важности нет{suggestion}; пишите level: обычное (объявление "
        "показывается слайдом заставки) или level: срочное (полоса внизу каждого экрана)",
        "level: “{value}” is not a level{suggestion}; write level: ordinary (the notice is a "
        "slide of the loop) or level: urgent (a band at the foot of every screen)",
    ),
    "notice_long_word": (
        "«{key}»: «{value}» — {length_counted} без пробела, а в строку объявления помещается "
        "слово не длиннее {most} знаков: это ушло бы за край экрана. Поставьте пробелы между "
        "словами; адрес сайта уберите — с экрана по нему всё равно не перейти",
        "“{key}”: “{value}” is {length_counted} without a space, and a line of a notice "
        "holds words of at most {most}: this would run off the screen. Put spaces between the "
        "words; leave out a web address — nobody can follow it from the screen",
    ),
    "notice_twin": (
        "«{value}» и «{other}» — одно и то же объявление: их имена отличаются только "
        "расширением (.yaml или .yml) или заглавными буквами, а на многих дисках это вообще "
        "один файл. Показывается «{other}», а «{value}» киоск не читает — удалите лишний файл "
        "или дайте ему другое имя",
        "“{value}” and “{other}” are the same notice: their names differ only in the extension "
        "(.yaml or .yml) or in upper and lower case, and on many disks they are one file. "
        "“{other}” is shown and “{value}” is not read — delete the extra file or give it "
        "another name",
    ),
    "notice_not_yaml": (
        "«{value}» не будет прочитан: объявление — это файл .yaml со строкой «text: …». "
        "Переименуйте его в «{name}» и проверьте, что текст записан после «text:»",
        "“{value}” is not read: a notice is a .yaml file with a line “text: …”. Rename it to "
        "“{name}” and check that the text follows “text:”",
    ),
    "bad_timezone": (
        "часовой пояс «{value}» неизвестен; пишите как в базе часовых поясов, например "
        "Europe/Moscow; используется {default}",
        "the time zone “{value}” is unknown; use a name from the time zone database, for "
        "example Europe/Moscow; using {default}",
    ),
    # opening_hours, closed_days, open_days (kiosk.core.schedules.opening): a mistake never turns
    # the screen off; each message says what the kiosk does instead.
    "bad_opening_day": (
        "opening_hours: «{value}» — не день недели{suggestion}; пишите так: пн-пт: 08:00-20:00, "
        "сб: 10:00-17:00, вс: выходной (или ежедневно: 08:00-20:00). Пока это не исправлено, "
        "экран не выключается ни в какой день",
        "opening_hours: “{value}” is not a day of the week{suggestion}; write it as "
        "mon-fri: 08:00-20:00, sat: 10:00-17:00, sun: closed (or daily: 08:00-20:00). Until "
        "this is fixed, the screen stays on every day",
    ),
    "bad_opening_hours": (
        "часы работы «{value}» не распознаны; пишите так: 08:00-20:00, с перерывом: "
        "09:00-13:00, 14:00-18:00, круглосуточно: 24/7, нерабочий день: выходной. Пока это не "
        "исправлено, в эти дни экран не выключается",
        "the opening hours “{value}” are not valid; write them as 08:00-20:00, with a break: "
        "09:00-13:00, 14:00-18:00, round the clock: 24/7, a day off: closed. Until this is "
        "fixed, the screen stays on all day on those days",
    ),
    "opening_days_missing": (
        "в opening_hours не указаны дни: {value} — в эти дни экран будет выключен весь день. "
        "Если центр работает, допишите часы; если нет, напишите, например, «вс: выходной»",
        "opening_hours does not list these days: {value} — the screen will be off all those "
        "days. If the centre is open, add its hours; if not, write, for example, "
        "“sun: closed”",
    ),
    "opening_day_twice": (
        "в opening_hours день «{value}» указан дважды; действуют часы из последней строки — "
        "оставьте одну",
        "opening_hours gives the day “{value}” twice; the last line's hours apply — keep one",
    ),
    "opening_never": (
        "по opening_hours центр закрыт во все дни, и экран будет выключен всегда (включается "
        "только от касания); если это не так, укажите часы работы",
        "by opening_hours the centre is closed every day, and the screen will always be off "
        "(a touch wakes it); if that is not so, give the opening hours",
    ),
    "bad_closed_day": (
        "{key}: дата «{value}» не распознана; пишите так: 2027-01-01, 01.01.2027, "
        "2027-01-01..2027-01-08 или «1-8 января» (без года — каждый год). Этот день киоск "
        "считает обычным",
        "{key}: the date “{value}” is not valid; write it as 2027-01-01, 01.01.2027, "
        "2027-01-01..2027-01-08 or “1-8 января” (no year: every year). The kiosk treats that "
        "day as an ordinary one",
    ),
    "closed_day_number": (
        "{key}: «{value}» прочитано как число, а не дата; пишите дату с годом (10.10.2027) или "
        "в кавычках (\"10.10\"). Этот день киоск считает обычным",
        "{key}: “{value}” was read as a number, not a date; write the date with its year "
        "(10.10.2027) or in quotes (\"10.10\"). The kiosk treats that day as an ordinary one",
    ),
    "closed_days_reversed": (
        "{key}: в «{value}» последний день раньше первого — поменяйте даты местами. Пока это не "
        "исправлено, эти дни киоск считает обычными",
        "{key}: in “{value}” the last day is before the first — swap the dates. Until this is "
        "fixed, the kiosk treats those days as ordinary ones",
    ),
    # Sleep review (issue 15): likely typos that would keep the screen dark for long.
    "closed_days_reversed_yearly": (
        "{key}: в «{value}» последний день раньше первого, и киоск прочитал бы это как "
        "перерыв почти на год — до этого числа следующего года. Поменяйте числа местами: "
        "«{swapped}». Дни через Новый год пишите с месяцами: «25 декабря - 8 января». Пока это "
        "не исправлено, эти дни киоск считает обычными",
        "{key}: in “{value}” the last day is before the first, which would read as closed for "
        "almost a year, until that day of the next year. Swap the days: “{swapped}”. Write "
        "days over the new year with both months: “25 декабря - 8 января”. Until this is "
        "fixed, the kiosk treats those days as ordinary ones",
    ),
    "closed_days_long": (
        "по closed_days центр закрыт {count} из ближайших {days} дней, и всё это время экран "
        "будет выключен (включается только от касания); больше всего из них, {most}, даёт "
        "строка «{value}». Проверьте даты: не перепутаны ли числа, месяц или год. Если центр "
        "правда закрыт так долго, ничего менять не нужно",
        "by closed_days the centre is closed on {count} of the next {days} days, and the "
        "screen will be off all that time (a touch wakes it); most of them, {most}, come from "
        "the line “{value}”. Check the dates: are the days, month or year mixed up? If the "
        "centre really is closed that long, nothing needs changing",
    ),
    "opening_overnight": (
        "{key}: часы «{value}» заканчиваются раньше, чем начинаются, и киоск понимает их как "
        "работу через полночь: с {start} до {end} следующего дня. Если центр работает с {end} "
        "до {start}, напишите {end}-{start}",
        "{key}: the hours “{value}” end before they start, and the kiosk reads them as open "
        "through the night: from {start} to {end} the next day. If the centre is open from "
        "{end} to {start}, write {end}-{start}",
    ),
    "queue_no_source": (
        "в блоке queue не указан source — адрес (http://…) или файл, откуда киоск берёт вызовы "
        "очереди; пока его нет, киоск не следит за очередью",
        "the queue block has no source — the address (http://…) or file the kiosk reads the "
        "queue's calls from; until it is given the kiosk does not follow the queue",
    ),
    "queue_bad_scheme": (
        "«{value}» — не адрес http:// или https:// и не путь к файлу; киоск не следит за "
        "очередью, пока это не исправлено. Пример: source: http://10.0.0.5/calls.json",
        "“{value}” is neither an http:// or https:// address nor a file path; the kiosk does "
        "not follow the queue until this is fixed. Example: source: http://10.0.0.5/calls.json",
    ),
    "queue_source_control": (
        "в источнике очереди «{value}» есть невидимый управляющий знак (например, нулевой "
        "байт), а таких не бывает ни в адресах, ни в путях к файлам. Наберите его заново; "
        "пока это не исправлено, киоск не следит за очередью",
        "the queue source “{value}” has an invisible control character (a null byte, for "
        "instance), which no address or file path has. Type it again; the kiosk does not "
        "follow the queue until this is fixed",
    ),
    "queue_path_outside": (
        "путь «{value}» ведёт за пределы папки с материалами; укажите путь внутри неё или "
        "полный путь от корня, например /srv/queue/calls.json",
        "the path “{value}” leads outside the content folder; give a path inside it or a full "
        "path from the root, for example /srv/queue/calls.json",
    ),
    "queue_file_watched": (
        "файл очереди «{value}» лежит в папке с материалами: киоск будет перечитывать папку "
        "при каждом вызове. Положите его в папку, имя которой начинается с точки, например "
        "«.queue/calls.json» — такие папки киоск не отслеживает",
        "the queue file “{value}” is in the content folder: the kiosk would re-read the folder "
        "at every call. Put it in a folder whose name starts with a dot, for example "
        "“.queue/calls.json” — the kiosk does not watch such folders",
    ),
    "queue_bad_format": (
        "формат очереди «{value}» неизвестен{suggestion}; возможны: {choices}. Киоск не "
        "следит за очередью, пока это не исправлено",
        "the queue format “{value}” is unknown{suggestion}; possible: {choices}. The kiosk does "
        "not follow the queue until this is fixed",
    ),
    "queue_file_missing": (
        "файла очереди «{value}» пока нет; киоск будет ждать, пока система очереди его создаст",
        "the queue file “{value}” does not exist yet; the kiosk waits for the queue system to "
        "create it",
    ),
    "queue_file_special": (
        "файл очереди «{value}» — ссылка или не обычный файл (канал FIFO, устройство, сокет, "
        "папка), либо ведёт за пределы папки с материалами; киоск его не читает. Укажите в "
        "source сам файл, который пишет система очереди",
        "the queue file “{value}” is a link or not a regular file (a FIFO, device, socket or "
        "folder), or leads outside the content folder; the kiosk does not read it. Name the "
        "file the queue system writes itself in source",
    ),
    # The settings files of this computer (kiosk.core.machine): /etc/kiosk/kiosk.yaml and the
    # user's. A mistake in one never stops the kiosk: it runs on the content's settings.
    "machine_settings_missing": (
        "файла настроек этого компьютера нет; киоск работает с настройками из kiosk.yaml "
        "материалов. Проверьте путь",
        "this computer's settings file does not exist; the kiosk runs on the settings of the "
        "content's kiosk.yaml. Check the path",
    ),
    "machine_settings_unreadable": (
        "файл настроек этого компьютера не удалось прочитать ({detail}); киоск работает с "
        "настройками из kiosk.yaml материалов. Киоск работает не от имени root: дайте всем "
        "право читать файл (sudo chmod 644) и открывать его папку (sudo chmod 755)",
        "this computer's settings file could not be read ({detail}); the kiosk runs on the "
        "settings of the content's kiosk.yaml. The kiosk does not run as root: let everyone "
        "read the file (sudo chmod 644) and open its folder (sudo chmod 755)",
    ),
    "machine_settings_not_file": (
        "здесь не обычный файл, а папка, именованный канал или устройство; настройки этого "
        "компьютера не прочитаны, киоск работает с настройками из kiosk.yaml материалов. "
        "Положите на это место текстовый файл kiosk.yaml",
        "this is not an ordinary file but a folder, a named pipe or a device; this computer's "
        "settings were not read, and the kiosk runs on the settings of the content's "
        "kiosk.yaml. Put a kiosk.yaml text file in its place",
    ),
    "machine_settings_too_large": (
        "файл настроек слишком большой: {size} КБ, а киоск читает не больше {most} КБ — в нём "
        "должно быть несколько десятков строк. Возможно, здесь не тот файл; настройки этого "
        "компьютера не прочитаны, киоск работает с настройками из kiosk.yaml материалов",
        "the settings file is too large: {size} KB, and the kiosk reads at most {most} KB — "
        "it should hold a few dozen lines. Perhaps this is the wrong file; this computer's "
        "settings were not read, and the kiosk runs on the settings of the content's kiosk.yaml",
    ),
    "content_only_key": (
        "«{key}» — настройка материалов, одна для всех центров: в настройках этого компьютера "
        "она не учитывается. Её место — kiosk.yaml в папке с материалами",
        "“{key}” is a setting of the content, the same in every centre: this computer's "
        "settings cannot change it, so it is ignored here. It belongs in the content "
        "folder's kiosk.yaml",
    ),
    "machine_queue_relative": (
        "файл очереди «{value}» указан без полного пути; в настройках этого компьютера пишите "
        "путь от корня, например /srv/queue/calls.json, или адрес http://…; пока это не "
        "исправлено, киоск не следит за очередью",
        "the queue file “{value}” is given without its full path; in this computer's settings "
        "write the path from the root, for example /srv/queue/calls.json, or an http://… "
        "address; until this is fixed the kiosk does not follow the queue",
    ),
    "kept_last_good": (
        "новая версия с ошибкой; пока её не исправят, киоск показывает прежнюю",
        "the new version has an error; until it is fixed the kiosk shows the previous one",
    ),
    "folder_gone_kept": (
        "папка «{value}» пропала или опустела. Так бывает, пока её заменяют новой копией, "
        "поэтому киоск пока показывает то, что в ней было. Если её убрали или очистили "
        "нарочно, это исчезнет с экрана через {seconds} секунд после последнего изменения в "
        "папке с материалами",
        "the folder “{value}” is gone or empty. That happens while it is being replaced by a "
        "new copy, so the kiosk still shows what was in it. If it was removed or emptied on "
        "purpose, that leaves the screen {seconds} seconds after the last change in the "
        "content folder",
    ),
    "too_many_tags": (
        "в списке tags {count_tags}, а в ряду на экране историй их не больше {most}: из "
        "меток, которые есть у историй, киоск покажет первые {most} по списку, а опечатку "
        "узнает только в первых {most}. Оставьте в списке не больше {most} — самые нужные "
        "посетителям",
        "the tags list has {count} tags, and the row on the stories screen holds at most "
        "{most}: of the tags stories have, the kiosk shows the first {most} in the list's "
        "order, and tells a misspelt tag only among the first {most}. Keep at most {most}, "
        "the ones visitors need most",
    ),
    "too_many_story_tags": (
        "в историях {count_story_tags}, а в ряду на экране историй их не больше {most}: "
        "киоск показывает только {most} из них. Перечислите нужные метки в списке tags "
        "этого файла (не больше {most}) — тогда метки с ошибкой не станут лишними кнопками",
        "the stories use {count} different tags, and the row on the stories screen holds at "
        "most {most}: the kiosk shows only {most} of them. List the tags "
        "you need in the tags list of this file (at most {most}), so a misspelt tag never "
        "becomes a button of its own",
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
    # The centre's own folder beside head office's shared one (kiosk.core.content.merge).
    "centre_anniversary": (
        "папка «{value}» в папке центра не читается: юбилейную историю ведёт головной офис "
        "в общей папке. Историю своего центра положите в папку stories/ как обычную историю",
        "the folder “{value}” in the centre's folder is not read: head office keeps the "
        "anniversary pages in the shared folder. Put your centre's own story in stories/ "
        "as an ordinary story",
    ),
    "centre_settings": (
        "файл «{value}» в папке центра не читается: настройки киоска (метки, язык, время "
        "показа) приходят из общей папки головного офиса, а настройки этого компьютера "
        "задаёт ИТ-служба в /etc/kiosk/kiosk.yaml. Уберите этот файл из папки центра",
        "the file “{value}” in the centre's folder is not read: the kiosk's settings (tags, "
        "language, timings) come from head office's shared folder, and this computer's own "
        "settings are IT's, in /etc/kiosk/kiosk.yaml. Take this file out of the centre's "
        "folder",
    ),
    "centre_same_name": (
        "«{value}» не показывается: в общих материалах головного офиса уже есть файл с тем "
        "же именем, «{other}», и на экране остаётся он. Переименуйте свой файл, а если он "
        "должен заменить общий — скройте общий: впишите «{hide}» в список hide: файла "
        "hidden.yaml в папке центра",
        "“{value}” is not shown: head office's shared content already has a file of the "
        "same name, “{other}”, and that one stays on screen. Rename your file, or, if it is "
        "meant to replace the shared one, hide that: add “{hide}” to the hide: list of "
        "hidden.yaml in the centre's folder",
    ),
    "hide_unknown": (
        "«{value}» из списка hide: ничего не скрывает: в общих материалах нет такого "
        "файла{suggestion}. Пишите путь от общей папки, как он есть, например "
        "stories/birthday.md",
        "“{value}” in the hide: list hides nothing: the shared content has no such "
        "file{suggestion}. Write the path from the shared folder as it is, for example "
        "stories/birthday.md",
    ),
    "hide_not_allowed": (
        "«{value}» не скрыть: юбилейную историю и настройки киоска ведёт головной офис. "
        "Скрыть можно истории, объявления, плакаты и картинки для раскраски",
        "“{value}” cannot be hidden: head office keeps the anniversary pages and the "
        "kiosk's settings. Stories, notices, posters and colouring pictures can be hidden",
    ),
    "colouring_over_limit": (
        "картинка «{value}» не показывается: на экране раскраски помещается {most} картинок, "
        "а вместе с общими их {count}. Уберите лишние из своей папки colouring/ или скройте "
        "ненужные общие в hidden.yaml",
        "the picture “{value}” is not shown: the colouring screen holds {most} pictures, and "
        "with the shared ones there are {count}. Take some out of your colouring/ folder or "
        "hide shared ones you do not need in hidden.yaml",
    ),
    "skipped": (
        "этот файл не будет показан, пока ошибка не исправлена",
        "this file will not be shown until the error is fixed",
    ),
    "colouring_no_lines": (
        "в картинке «{value}» не нашлось линий: она почти пустая или слишком бледная. Для "
        "раскраски нужны чёрные контуры на белом фоне",
        "the picture “{value}” has no lines: it is almost empty or too pale. A colouring "
        "picture needs black outlines on white",
    ),
    "colouring_photo": (
        "картинка «{value}» похожа на фотографию или цветной рисунок: в ней слишком много "
        "мелких областей, ребёнок не сможет их раскрасить. Нужен контурный рисунок — чёрные "
        "линии на белом. Если это фото или скан рисунка на серой бумаге, пропустите его через "
        "мастер раскрасок в редакторе киоска: он сделает бумагу белой, а линии чёрными",
        "the picture “{value}” looks like a photo or a coloured drawing: it has too many tiny "
        "areas for a child to colour. Use line art — black lines on white. If it is a photo or "
        "a scan of a drawing on grey paper, put it through the colouring wizard of the kiosk's "
        "editor: it makes the paper white and the lines black",
    ),
    "colouring_not_closed": (
        "в картинке «{value}» нет замкнутых областей: заливка зальёт всю картинку. Замкните "
        "контуры — линии должны сходиться без просветов",
        "the picture “{value}” has no closed areas: a fill would flood all of it. Close the "
        "outlines — lines must meet without gaps",
    ),
    "colouring_gaps": (
        "в линиях картинки «{value}» есть разрывы: одно касание закрашивает почти весь лист — "
        "краска утекает через них из фигуры в фигуру. Замкните контуры (линии должны сходиться "
        "без просветов) или обведите их толще; отсканированный или сфотографированный рисунок "
        "проще пропустить через мастер раскрасок в редакторе киоска: он сделает линии чёрными, "
        "а бумагу белой, закроет разрывы и даст попробовать заливку до публикации",
        "the lines of the picture “{value}” have breaks: one tap colours nearly the whole "
        "sheet, the paint running through them from shape to shape. Close the outlines (lines "
        "must meet without gaps) or draw them thicker; a scanned or photographed drawing is "
        "easiest put through the colouring wizard of the kiosk's editor: it makes the lines "
        "black and the paper white, closes the breaks and lets you try a fill before publishing",
    ),
    "colouring_unknown_file": (
        "картинки «{value}» нет в папке colouring/",
        "there is no picture “{value}” in the colouring/ folder",
    ),
    "colouring_index_not_list": (
        "colouring.yaml — список картинок: каждая начинается со строки «- file: кот.svg» "
        "(с дефисом и пробелом), а подпись идёт ниже с отступом: «  title: Кот». Добавьте «- » "
        "перед каждой строкой «file:»",
        "colouring.yaml is a list of pictures: each starts with a line “- file: cat.svg” (a "
        "hyphen and a space), and its caption comes below, indented: “  title: Cat”. Put “- ” "
        "before each “file:” line",
    ),
    "colouring_entry_not_picture": (
        "пункт «{value}» в colouring.yaml — не картинка с подписью: пишите «- file: кот.svg» "
        "и ниже с отступом «  title: Кот»",
        "the entry “{value}” in colouring.yaml is not a picture with its caption: write "
        "“- file: cat.svg” and below it, indented, “  title: Cat”",
    ),
    "colouring_entry_no_file": (
        "у этой картинки в colouring.yaml нет строки «file:» с именем файла — начните пункт "
        "с неё: «- file: кот.svg»",
        "this picture in colouring.yaml has no “file:” line naming its file — start the "
        "entry with it: “- file: cat.svg”",
    ),
}

# Names of value types for the "wrong_type" message.
TYPE_NAMES: dict[str, tuple[str, str]] = {
    "number": ("число", "a number"),
    "whole": ("целое число", "a whole number"),
    "text": ("текст", "text"),
    "yes_no": ("true или false (можно да или нет)", "true or false (or yes/no)"),
    "mapping": ("список строк «ключ: значение»", "a list of “key: value” lines"),
    "list": ("список в квадратных скобках, например [дети, забота]",
             "a list in square brackets, for example [children, care]"),
}

# Words for what the kiosk uses instead of a bad value, and for decoders' terse reports.
VALUE_NAMES: dict[str, tuple[str, str]] = {
    "nothing": ("ничего (поле не учитывается)", "nothing (the field is ignored)"),
    "queue_off": ("ничего: киоск не следит за очередью", "nothing: the kiosk does not follow "
                  "the queue"),
    "slide_seconds_default": ("время слайда из kiosk.yaml (slide_seconds)",
                              "the slide time of kiosk.yaml (slide_seconds)"),
    "Unknown error": ("файл обрывается или испорчен", "the file is cut short or corrupt"),
    "": ("пусто", "empty"),
    "landscape": ("горизонтальный экран", "a landscape screen"),
    "portrait": ("вертикальный экран", "a portrait screen"),
    "ru": ("русский текст", "the Russian text"),
    "en": ("английский текст", "the English text"),
    "None": ("пусто", "empty"),
}

# What was found instead of "key: value" lines, by Python type name.
FOUND_NAMES: dict[str, tuple[str, str]] = {
    "str": ("просто текст (возможно, после двоеточия нет пробела)",
            "plain text (perhaps a colon without a space after it)"),
    "list": ("список", "a list"),
    "int": ("число", "a number"),
    "float": ("число", "a number"),
    "bool": ("да/нет", "yes/no"),
}

YAML_HINTS: tuple[tuple[str, str, str], ...] = (
    # (fragment of PyYAML's message, Russian hint, English hint); the first match wins
    (
        "found character '\\t'",
        "В строке табуляция — замените её пробелами",
        "There is a tab on this line — replace it with spaces",
    ),
    (
        "mapping values are not allowed",
        "Похоже, в значении есть двоеточие — возьмите весь текст после «ключ:» в кавычки",
        "There seems to be a colon in a value — put the whole text after “key:” in quotes",
    ),
    (
        "cannot start any token",
        "В строке табуляция или знак, с которого не может начинаться значение (например, @ "
        "или `) — замените табуляцию пробелами, а такой текст возьмите в кавычки",
        "There is a tab, or a character a value cannot start with (such as @ or `) — replace "
        "tabs with spaces and put such text in quotes",
    ),
    (
        "while scanning an a",  # an alias (*…) or an anchor (&…)
        "Значение начинается со звёздочки * или знака & — возьмите его в кавычки: "
        "teaser: \"*Новое* расписание\"",
        "A value starts with an asterisk * or an ampersand & — put it in quotes: "
        "teaser: \"*New* opening hours\"",
    ),
    (
        "could not find expected ':'",
        "В строке нет двоеточия между названием и значением",
        "A line lacks the colon between the name and the value",
    ),
    (
        "flow sequence",
        "Не закрыта квадратная скобка [ … ] или между элементами нет запятой",
        "A square bracket [ … ] is not closed, or a comma between items is missing",
    ),
    (
        "quoted scalar",
        "Не закрыта кавычка",
        "A quote is not closed",
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


# A value quoted in a message (a title, a wrong value, a parser's detail) is cut to this many
# characters, and a whole message to MAX_MESSAGE_CHARS: a problem is kept in memory, in the
# index and in the log, and a value can be as long as the file (once, through YAML aliases,
# 52 MB from 470 bytes).
MAX_VALUE_CHARS = 200
MAX_MESSAGE_CHARS = 2000


def shorten(text: str, most: int) -> str:
    """`text`, or its first `most` - 1 characters and «…»."""
    return text if len(text) <= most else text[: most - 1] + "…"


# What must not reach a terminal or a log line as it is: C0 and C1 controls (a newline in a
# file name forged a whole log line), the bidi marks, embeddings, overrides and isolates (an
# RTL override in a file name shows it backwards), line and paragraph separators, and U+FEFF.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                          "\u2066-\u2069\ufeff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


def printable(text: str) -> str:
    """`text` on one line, as it is: each of those characters written as an escape («\\n»,
    «\\u202e»), so a file name can be found and cannot forge a line or turn a line round.
    Linear; the text itself is returned when there is nothing to escape."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


@dataclass(frozen=True)
class Problem:
    """One problem in one file; `line` is 1-based, None when the whole file is meant."""

    path: str
    line: int | None
    severity: Severity
    code: str
    args: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Bounded when made, so whatever keeps a problem (the index, the log) keeps it small.
        if any(isinstance(v, str) and len(v) > MAX_VALUE_CHARS for v in self.args.values()):
            object.__setattr__(self, "args", {
                key: shorten(value, MAX_VALUE_CHARS) if isinstance(value, str) else value
                for key, value in self.args.items()})

    def __hash__(self) -> int:  # args is a dict: hashed by its items (the log's «new since»)
        return hash((self.path, self.line, self.severity, self.code, tuple(self.args.items())))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def is_consequence(self) -> bool:
        """«This file will not be shown»: follows from errors, is not a problem of its own."""
        return self.code == "skipped"

    @property
    def sort_key(self) -> tuple[str, bool, int]:
        """By file, then line; «will not be shown» after the errors that cause it."""
        return (self.path, self.is_consequence, self.line or 0)

    def message(self, lang: Language = "ru") -> str:
        ru, en = MESSAGES[self.code]
        template = ru if lang == "ru" else en
        args = dict(self.args)
        if self.code == "yaml_syntax":
            args["hint"] = yaml_hint(args.get("detail", ""), lang)
        for key, names in (("expected", TYPE_NAMES), ("found", FOUND_NAMES),
                           ("default", VALUE_NAMES), ("detail", VALUE_NAMES),
                           ("value", VALUE_NAMES), ("orientation", VALUE_NAMES),
                           ("language", VALUE_NAMES)):
            if key in args and args[key] in names:
                ru_name, en_name = names[args[key]]
                args[key] = ru_name if lang == "ru" else en_name
        # A picture check's detail is worded by the kiosk in both languages (kiosk.core.
        # imagesafe): «русский / English». Other details may quote content: left whole.
        detail = args.get("detail", "")
        if self.code.startswith(("svg_", "image_", "bad_image", "video_heavy")) \
                and detail.count(" / ") == 1:
            ru_detail, en_detail = detail.split(" / ")
            args["detail"] = _RU_DECIMAL_UNIT.sub(r"\1,\2", ru_detail) if lang == "ru" \
                else en_detail
        if lang == "ru":  # «12,5 с», «1,5 МБ»: Russian writes a decimal comma
            args.update({key: value.replace(".", ",") for key, value in args.items()
                         if key in DECIMAL_ARGS and isinstance(value, str)
                         and _DECIMAL.fullmatch(value)})
        suggest = args.pop("suggest", "")
        if suggest:
            args["suggestion"] = (
                f" (возможно, вы имели в виду «{suggest}»?)"
                if lang == "ru"
                else f" (did you mean “{suggest}”?)"
            )
        else:
            args["suggestion"] = ""
        args.update(_counted_args(args, lang))
        from kiosk.core.i18n import counted  # i18n imports this module
        for name, (source, ru_forms, en_forms) in COUNTED_FORMS.items():
            number = args.get(source, "")
            if f"{{{name}}}" in template:
                args[name] = counted(int(number), lang, ru_forms, en_forms) \
                    if isinstance(number, str) and number.isdigit() else str(number)
        # Values come from the content (titles, file names, parsers' details): on one line.
        args = {key: printable(value) if isinstance(value, str) else value
                for key, value in args.items()}
        return shorten(template.format(**args), MAX_MESSAGE_CHARS)

    def format(self, lang: Language = "ru") -> str:
        """`path:line: [предупреждение: ]message`, the form editors and CI logs understand."""
        path = printable(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        if self.severity is Severity.WARNING:
            label = "предупреждение: " if lang == "ru" else "warning: "
        else:
            label = "ошибка: " if lang == "ru" else "error: "
        return f"{where}: {label}{self.message(lang)}"


# Arguments that may hold a decimal (seconds, megabytes), and a decimal before a unit in a
# picture check's Russian detail (not an address's «10.0.0.5»).
DECIMAL_ARGS = frozenset({"played", "duration", "seconds", "size", "most"})
_DECIMAL = re.compile(r"[0-9]{1,9}\.[0-9]{1,3}")
_RU_DECIMAL_UNIT = re.compile(r"\b([0-9]{1,9})\.([0-9]{1,3})(?= (?:МБ|КБ|Мп|с)\b)")


# A number with its noun, for the messages whose number is not fixed: a count past a limit
# («в списке tags 51 метка», «ещё 1 такое же замечание») or a limit measured on the screen
# («до 21 знака»). The placeholder, the argument it counts, the Russian and English forms.
COUNTED_FORMS: dict[str, tuple[str, tuple[str, str, str], tuple[str, str]]] = {
    "count_problems": ("count", ("такое же замечание", "таких же замечания",
                                 "таких же замечаний"),
                       ("more problem of this kind", "more problems of this kind")),
    "count_tags": ("count", ("метка", "метки", "меток"), ("tag", "tags")),
    "count_story_tags": ("count", ("разная метка", "разные метки", "разных меток"),
                         ("different tag", "different tags")),
    "count_spans": ("count", ("промежуток", "промежутка", "промежутков"), ("span", "spans")),
    "digits_counted": ("digits", ("цифры", "цифр", "цифр"), ("digit", "digits")),  # «из 21 цифры»
    "most_chars": ("most", ("знака", "знаков", "знаков"),  # «до 21 знака», «до 22 знаков»
                   ("character", "characters")),
}


def _counted_args(args: dict[str, str], lang: Language) -> dict[str, str]:
    """Numbers with their nouns in the right form (kiosk.core.i18n.plural): `lines_counted`
    («3 строки», «5 строк»), `words_fit` («входит только первое слово», «входят первые 2
    слова», «… 5 слов»), `words_counted`, `length_counted` («154 знака»). Only for the args a
    message has."""
    from kiosk.core.i18n import counted  # i18n imports this module

    found: dict[str, str] = {}
    lines = args.get("lines", "")
    if isinstance(lines, str) and lines.isdigit():
        found["lines_counted"] = counted(int(lines), lang, ("строка", "строки", "строк"),
                                         ("line", "lines"))
    words = args.get("words", "")
    if isinstance(words, str) and words.isdigit():
        number = int(words)
        found["words_counted"] = counted(number, lang, ("слово", "слова", "слов"),
                                         ("word", "words"))
        if lang == "en":
            found["words_fit"] = ("not even its first word fits in them" if number == 0 else
                                  "only its first word fits in them" if number == 1 else
                                  f"its first {number} words fit in them")
        else:
            found["words_fit"] = (
                "не входит даже первое слово" if number == 0 else
                "входит только первое слово" if number == 1 else
                f"входят первые {counted(number, lang, ('слово', 'слова', 'слов'), ('', ''))}")
    pages = args.get("pages", "")
    if isinstance(pages, str) and pages.isdigit():  # «займёт 3 страницы», «5 страниц»
        found["pages_counted"] = counted(int(pages), lang, ("страницу", "страницы", "страниц"),
                                         ("page", "pages"))
    length = args.get("length", "")  # «в объявлении 154 знака», «121 знак», «125 знаков»
    if isinstance(length, str) and length.isdigit():
        found["length_counted"] = counted(int(length), lang, ("знак", "знака", "знаков"),
                                          ("character", "characters"))
    for key in ("words", "most"):  # after «около», «до» the genitive: «21 слова», «40 слов»
        value = args.get(key, "")
        if isinstance(value, str) and value.isdigit():
            found[f"{key}_about"] = counted(int(value), lang, ("слова", "слов", "слов"),
                                            ("word", "words"))
    found.setdefault("lines_counted", str(lines))
    found.setdefault("pages_counted", str(pages))
    found.setdefault("words_about", str(words))
    found.setdefault("most_about", str(args.get("most", "")))
    found.setdefault("words_fit", str(words))
    found.setdefault("length_counted", str(length))
    found.setdefault("words_counted", str(words))
    return found


class ProblemLog:
    """Collects problems for one file, so the loaders need not repeat its path."""

    def __init__(self, path: str, sink: list[Problem]) -> None:
        self.path = path
        self._sink = sink
        self.errors = 0  # logged through this log (kiosk.core.settings: was a value refused?)
        self._by_code: dict[str, int] = {}

    def error(self, code: str, line: int | None = None, **args: str) -> None:
        self.errors += 1
        self._by_code[code] = self._by_code.get(code, 0) + 1
        self._sink.append(Problem(self.path, line, Severity.ERROR, code, args))

    def warning(self, code: str, line: int | None = None, **args: str) -> None:
        self._by_code[code] = self._by_code.get(code, 0) + 1
        self._sink.append(Problem(self.path, line, Severity.WARNING, code, args))

    def shows_next(self, code: str) -> bool:
        """Whether the next problem of `code` logged here will be listed (`cap_problems`
        tells the rest as a count): what only a listed problem says, the name a misspelt
        key is likened to, need not be worked out for the others (25,000 unknown keys were
        likened to the known ones for 2 s)."""
        return self._by_code.get(code, 0) < MAX_PER_FILE_AND_CODE


# Characters a text shown on screen must not keep: controls but the tab and the newline, the
# bidi marks, embeddings, overrides and isolates (U+202E draws «Заголовок» as «кеволоГаз»),
# line and paragraph separators and NEL (Qt breaks the line there), U+FEFF. Soft hyphens,
# no-break spaces and zero-width joiners are kept: typesetting and emoji need them. (Queue
# text has its own, stricter kiosk.core.queue.clean_display: one line, spaces collapsed.)
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                     "\u2066-\u2069\ufeff]")
_BREAKS = "\x85\u2028\u2029"  # these part words: a space, not nothing
# Combining marks stacked on one letter (500 of them paint over the lines above): four kept
# («Й», «Ẫ» need one or two, pointed Hebrew three: «שָּׁ»). The marks (Mn, Me) of these blocks,
# read from Python's Unicode tables when the module loads (about 3,600 code points scanned,
# 0.3 ms; every plane's would take 26): general accents, Cyrillic's own (U+0483–0489, drawn by
# the kiosk's font: 90 of U+0489 on each «о» filled a story's screen, and U+2DE0–2DFF), Hebrew,
# Arabic, Syriac, Thaana, NKo, the Indic scripts, Thai, Lao, Tibetan, Myanmar, Khmer,
# Mongolian, the Indonesian scripts, CJK. (Queue text has its own rule by category, two marks:
# kiosk.core.queue.clean_display.)
MOST_MARKS = 4
_MARK_BLOCKS = ((0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A),
                (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0711, 0x0711),
                (0x0730, 0x074A), (0x07A6, 0x07B0), (0x07EB, 0x07F3), (0x0816, 0x082D),
                (0x0859, 0x085B), (0x0898, 0x08FF), (0x0900, 0x0DFF), (0x0E31, 0x0E4E),
                (0x0EB1, 0x0ECE), (0x0F18, 0x0FC6), (0x102B, 0x109D), (0x135D, 0x135F),
                (0x1712, 0x1734), (0x17B4, 0x17DD), (0x180B, 0x180F), (0x18A9, 0x18A9),
                (0x1920, 0x193B), (0x1A17, 0x1A7F), (0x1AB0, 0x1AFF), (0x1B00, 0x1BF3),
                (0x1C24, 0x1C37), (0x1CD0, 0x1CF9), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF),
                (0x2CEF, 0x2CF1), (0x2DE0, 0x2DFF), (0x302A, 0x302F), (0x3099, 0x309A),
                (0xA66F, 0xA69F), (0xA8E0, 0xA8F1), (0xFE00, 0xFE0F), (0xFE20, 0xFE2F))


def _marks_class() -> str:
    """A regular expression's class of every combining mark (Mn, Me) in _MARK_BLOCKS."""
    ranges: list[list[int]] = []
    for first, last in _MARK_BLOCKS:
        for code in range(first, last + 1):
            if unicodedata.category(chr(code)) in ("Mn", "Me"):
                if ranges and ranges[-1][1] == code - 1:
                    ranges[-1][1] = code
                else:
                    ranges.append([code, code])
    return "[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]"


_MARKS = _marks_class()
_STACKED = re.compile(f"({_MARKS}{{{MOST_MARKS}}}){_MARKS}+")


class _Full(Exception):
    """`typed` has written all it may."""


def typed(value: object, most: int = 120) -> str:
    """A value read from YAML written back as YAML has it, near enough — [a, [b]], {a: b},
    true — not as Python does (['a', ['b']]): what staff typed, in a message. At most `most`
    characters (then «…»), however large the value: the walk stops there."""
    parts: list[str] = []
    room = [most]

    def put(text: str) -> None:
        parts.append(text[: room[0] + 1])
        room[0] -= len(text)
        if room[0] < 0:
            raise _Full

    def walk(item: object) -> None:  # nesting is at most yamlsrc.MAX_DEPTH deep
        if isinstance(item, dict):
            put("{")
            for index, (key, inner) in enumerate(item.items()):
                put(", " if index else "")
                walk(key)
                put(": ")
                walk(inner)
            put("}")
        elif isinstance(item, list | tuple):
            put("[")
            for index, inner in enumerate(item):
                put(", " if index else "")
                walk(inner)
            put("]")
        elif isinstance(item, bool):
            put("true" if item else "false")
        else:
            put("" if item is None else str(item))

    try:
        walk(value)
    except _Full:
        return "".join(parts)[:most] + "…"
    return "".join(parts)


# Letters that draw nothing (Hangul fillers, the blank Braille pattern): a text of these alone
# is as empty as one of spaces.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def shows_anything(text: str) -> bool:
    """Whether a text puts anything on the screen: a letter, digit, punctuation mark or sign,
    not only spaces, zero-width and format characters («\\u200b» would be an empty band)."""
    return any(unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_LETTERS
               for char in text)


def clean_shown(text: str) -> tuple[str, str]:
    """A content text as the screen may show it (see _HIDDEN), and what was taken out of it
    («U+202E, U+2028»; '' when nothing was). Linear."""
    found = set(_HIDDEN.findall(text))
    stacked = _STACKED.search(text)
    if not found and stacked is None:
        return text, ""
    if found:
        text = _HIDDEN.sub(lambda m: " " if m.group() in _BREAKS else "", text)
    names = [f"U+{ord(char):04X}" for char in sorted(found)]
    if stacked is not None:  # the first stack, as «U+0301 ×50»
        names.append(f"U+{ord(stacked.group()[-1]):04X} ×{len(stacked.group())}")
        text = _STACKED.sub(r"\1", text)
    detail = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
    return text, detail


# At most this many problems of one code in one file, then one «more_problems»: a key
# repeated 27,000 times made 27,000 warnings (5.9 MB of `kiosk check` output).
MAX_PER_FILE_AND_CODE = 20


def cap_problems(problems: list[Problem]) -> list[Problem]:
    """`problems` in their order, with at most MAX_PER_FILE_AND_CODE of each code in each
    file; the rest of each such run is told as one «more_problems» after its last one kept.
    Linear; the list itself when nothing is cut."""
    counts: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.path, problem.code)
        counts[key] = counts.get(key, 0) + 1
    if all(count <= MAX_PER_FILE_AND_CODE for count in counts.values()):
        return problems
    kept: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for problem in problems:
        key = (problem.path, problem.code)
        number = seen[key] = seen.get(key, 0) + 1
        if number <= MAX_PER_FILE_AND_CODE:
            kept.append(problem)
        if number == MAX_PER_FILE_AND_CODE and counts[key] > number:
            kept.append(Problem(problem.path, problem.line, problem.severity, "more_problems", {
                "count": str(counts[key] - number), "code": problem.code,
                "shown": str(MAX_PER_FILE_AND_CODE)}))
    return kept


# The kiosk logs a load's problems (at start and after each reload): at most this many lines
# for one load; `kiosk check` lists them all.
MAX_LOGGED = 200


def problems_to_log(problems: Sequence[Problem],
                    before: Iterable[Problem] = ()) -> tuple[list[Problem], int, int]:
    """What a load's log says: the problems not already in the last load's (`before`: each
    reload would log the whole list again), at most MAX_LOGGED of them. Returns those, how
    many more new ones there are, and how many are as before."""
    known = set(before)
    new = [problem for problem in problems if problem not in known]
    unchanged = sum(1 for problem in problems if problem in known) if known else 0
    return new[:MAX_LOGGED], max(0, len(new) - MAX_LOGGED), unchanged


def yaml_hint(detail: str, lang: Language) -> str:
    for fragment, ru, en in YAML_HINTS:
        if fragment in detail:
            return ru if lang == "ru" else en
    return DEFAULT_YAML_HINT[0] if lang == "ru" else DEFAULT_YAML_HINT[1]

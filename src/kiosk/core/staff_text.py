"""Words of the staff screens (PIN pad, staff menu, diagnostics), Russian and English."""

from __future__ import annotations

from kiosk.core.content.problems import Language
from kiosk.core.i18n import pick

STAFF_STRINGS: dict[str, tuple[str, str]] = {
    "pin_title": ("Вход для сотрудников", "Staff sign-in"),
    "pin_hint": ("Введите ПИН-код", "Enter the PIN"),
    "pin_wrong": ("Неверный ПИН-код. Осталось попыток: {tries}",
                  "Wrong PIN. Tries left: {tries}"),
    "pin_locked": ("Слишком много неверных попыток. Подождите {minutes} мин.",
                   "Too many wrong tries. Wait {minutes} min."),
    # Whoever opens the pad reads these, visitors too: who to ask, not a command (IT's is in
    # docs/staff.md and in the log, with the kiosk's state folder).
    "pin_locked_hours": (
        "Слишком много неверных попыток. Подождите {hours} ч или попросите ИТ-службу задать "
        "ПИН-код заново.",
        "Too many wrong tries. Wait {hours} h, or ask IT to set the PIN again.",
    ),
    "pin_not_set": (
        "ПИН-код ещё не задан, поэтому меню сотрудников закрыто. Попросите ИТ-службу "
        "задать его.",
        "No PIN has been set, so the staff menu is closed. Ask IT to set one.",
    ),
    "pin_clear": ("Стереть", "Clear"),
    "pin_cancel": ("Отмена", "Cancel"),
    "pin_enter": ("Войти", "Sign in"),
    "staff_title": ("Меню сотрудников", "Staff menu"),
    "staff_reload": ("Перечитать материалы", "Reload content"),
    "staff_problems": ("Замечания к материалам", "Content problems"),
    "staff_problems_short": ("Замечания", "Problems"),  # the tab on a 4:3 or 5:4 screen
    "staff_diagnostics": ("Диагностика", "Diagnostics"),
    "staff_pattern": ("Проверка экрана", "Screen test"),
    "staff_restart": ("Перезапустить киоск", "Restart the kiosk"),
    "staff_exit": ("Выйти из киоска", "Quit the kiosk"),
    "staff_back": ("Вернуться к заставке", "Back to the kiosk"),
    "staff_confirm": ("Нажмите ещё раз, чтобы подтвердить", "Press again to confirm"),
    "staff_reloading": ("Материалы перечитываются…", "Reloading the content…"),
    "staff_reloaded": (
        "Материалы перечитаны в {time}. Они появятся на экране, когда вы выйдете из меню.",
        "Content reloaded at {time}. It shows once you leave this menu.",
    ),
    "staff_no_problems": ("Замечаний нет: материалы в порядке.",
                          "No problems: the content is fine."),
    "staff_problems_count": ("Ошибок: {errors}, предупреждений: {warnings}",
                             "Errors: {errors}, warnings: {warnings}"),
    "pattern_hint": ("Коснитесь экрана, чтобы вернуться", "Touch the screen to go back"),
    "diag_version": ("Версия программы: {version}", "Version: {version}"),
    "diag_uptime": ("Работает без перезапуска: {uptime}", "Running for: {uptime}"),
    "diag_memory": ("Память: {mb} МБ ({kind})", "Memory: {mb} MB ({kind})"),
    "diag_memory_own": ("Память: {mb} МБ ({kind}), из них собственная {own} МБ",
                        "Memory: {mb} MB ({kind}), of which {own} MB is the kiosk's own"),
    "diag_content": ("Материалы: {root}", "Content: {root}"),
    "diag_content_version": ("Версия материалов: {version}, загружены {when}",
                             "Content version: {version}, loaded {when}"),
    "diag_counts": ("Страниц: {pages}, историй: {stories}, картинок для раскраски: {colouring}",
                    "Pages: {pages}, stories: {stories}, colouring pictures: {colouring}"),
    "diag_problems": ("Ошибок в материалах: {errors}, предупреждений: {warnings}",
                      "Content errors: {errors}, warnings: {warnings}"),
    "diag_safe_mode": ("БЕЗОПАСНЫЙ РЕЖИМ: {reason}", "SAFE MODE: {reason}"),
    "diag_errors": ("Последние ошибки и предупреждения:", "Recent errors and warnings:"),
    "diag_no_errors": ("Ошибок и предупреждений не было.", "No errors or warnings so far."),
    "diag_screen": ("Экран: {width}×{height}", "Screen: {width}×{height}"),
    # The settings files of this computer (kiosk.core.machine), for diagnostics and check.
    "diag_settings_from": ("Настройки этого компьютера: {keys} — из {path}",
                           "This computer's settings: {keys} — from {path}"),
    "diag_settings_empty": ("Настройки этого компьютера: {path} прочитан, своих значений в нём "
                            "нет", "This computer's settings: {path} read, it sets nothing"),
    "diag_settings_missing": ("Настройки этого компьютера: файла {path} нет",
                              "This computer's settings: there is no {path}"),
    "diag_settings_broken": ("Настройки этого компьютера: {path} не прочитан, в нём ошибка; "
                             "действуют настройки из kiosk.yaml материалов",
                             "This computer's settings: {path} has an error and was not read; "
                             "the content's kiosk.yaml applies"),
    # Whether the screen is on, why and how it goes dark (kiosk.core.service.screen_report).
    "diag_screen_on": ("Экран включён — {why}", "Screen on — {why}"),
    "diag_screen_off": ("Экран выключен — {why}", "Screen off — {why}"),
    "diag_screen_method": ("Гашение экрана: {method}", "Screen off by: {method}"),
    "screen_method_dpms": ("DPMS, компьютер выключает монитор",
                           "DPMS, the computer powers the monitor down"),
    "screen_method_wayland": ("Wayland, выход выключает композитор",
                              "Wayland, the compositor turns the output off"),
    "screen_method_black": ("чёрный экран, сам монитор включён",
                            "a black screen, the monitor itself stays on"),
    "screen_why_always_open": ("часы работы не заданы, экран не гаснет",
                               "no opening hours set: the screen never goes dark"),
    "screen_why_open": ("по расписанию: центр открыт", "on schedule: the centre is open"),
    "screen_why_open_until": ("по расписанию: центр открыт {until}",
                              "on schedule: the centre is open {until}"),
    "screen_why_before_opening": ("по расписанию: скоро открытие",
                                  "on schedule: the centre opens soon"),
    "screen_why_before_opening_at": ("по расписанию: центр откроется {at}",
                                     "on schedule: the centre opens {at}"),
    "screen_why_touched": ("разбужен касанием", "woken by a touch"),
    "screen_why_touched_until": ("разбужен касанием {until}", "woken by a touch {until}"),
    "screen_why_closed_day": ("центр закрыт: нерабочий день",
                              "the centre is closed: a day off"),
    "screen_why_after_hours": ("центр закрыт: нерабочее время",
                               "the centre is closed: after hours"),
    "screen_why_visitor": (
        "центр закрыт, но киоском ещё пользуются: экран погаснет, когда посетитель уйдёт",
        "the centre is closed, but someone is still using the kiosk: the screen goes dark "
        "when they leave"),
    "screen_why_wakes": ("{why}; включится {at}", "{why}; on again {at}"),
}


def st(key: str, lang: Language, **args: object) -> str:
    return pick(STAFF_STRINGS, key, lang, **args)

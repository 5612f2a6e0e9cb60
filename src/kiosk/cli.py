"""`kiosk [run] | check | preview | stats | set-pin`: the one command staff and installers use."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.core.content.problems import Language
from kiosk.core.paths import default_content
from kiosk.core.service import heap
from kiosk.core.service.exit_codes import EXIT_CRASH
from kiosk.core.service.logsetup import LEVEL_ENV, LEVELS, resolve_level, setup_logging

if TYPE_CHECKING:
    from kiosk.core.content.model import Content, Poster
    from kiosk.core.content.problems import Problem
    from kiosk.core.machine import SettingsPath
    from kiosk.core.pin import PinStore
    from kiosk.ui.main_window import KioskWindow

log = logging.getLogger(__name__)
COMMANDS = ("run", "check", "preview", "stats", "set-pin", "editor", "editor-user")
CONTENT_HELP = ("папка с материалами (по умолчанию — $KIOSK_CONTENT, а если она не задана, "
                "материалы-образец из комплекта программы)")


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"размер пишется как 1920x1080, а не «{text}»") from None
    if not (320 <= width <= 7680 and 320 <= height <= 7680):
        raise argparse.ArgumentTypeError("ширина и высота — от 320 до 7680 точек")
    return width, height


def parse_moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"момент пишется как \"2026-08-22 10:00\", а не «{text}»") from None


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"дата пишется как 2026-08-22, а не «{text}»") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Киоск для зон ожидания центров госуслуг «Мои Документы».")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(dest="command")

    run = commands.add_parser("run", help="показать киоск (по умолчанию)")
    run.add_argument("--content", type=Path, help=CONTENT_HELP)
    run.add_argument("--windowed", action="store_true", help="в окне, а не на весь экран")
    run.add_argument("--size", type=parse_size, help="размер окна, например 1080x1920")
    run.add_argument("--lang", choices=("ru", "en"), help="язык по умолчанию")
    run.add_argument("--state-dir", type=Path, help=STATE_DIR_HELP)
    run.add_argument("--status-file", type=Path,
                     help="файл статуса для Prometheus (по умолчанию, а также если его "
                          "папки нет, — kiosk.prom в папке состояния)")
    run.add_argument("--cursor", choices=("auto", "hide", "show"), default="auto",
                     help="указатель мыши: auto — скрыт, если подключён сенсорный экран")

    check = commands.add_parser("check", help="проверить папку с материалами")
    check.add_argument("content", type=Path, nargs="?", help=CONTENT_HELP)
    check.add_argument("--lang", choices=("ru", "en"), default="ru", help="язык сообщений")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json — для программ и конвейеров публикации")

    preview = commands.add_parser("preview", help="нарисовать все экраны в PNG")
    preview.add_argument("content", type=Path, nargs="?", help=CONTENT_HELP)
    preview.add_argument("--out", type=Path, required=True, help="куда сложить картинки")
    preview.add_argument("--size", type=parse_size, default=None,
                         help="например 1920x1080; без него — оба положения экрана рядом")
    preview.add_argument("--lang", choices=("ru", "en"),
                         help="язык экранов и листа с картинками (index.html)")
    preview.add_argument("--at", type=parse_moment, metavar='"ГГГГ-ММ-ДД ЧЧ:ММ"',
                         help="показать материалы по расписанию на этот момент (время центра)")
    preview.add_argument("--high-contrast", action="store_true",
                         help="экраны посетителя в режиме крупного контрастного текста")

    stats = commands.add_parser("stats", help="показать анонимную статистику использования")
    stats.add_argument("--from", dest="from_date", type=parse_day, metavar="ГГГГ-ММ-ДД",
                       help="с этого дня включительно")
    stats.add_argument("--to", dest="to_date", type=parse_day, metavar="ГГГГ-ММ-ДД",
                       help="по этот день включительно")
    stats.add_argument("--csv", action="store_true", help="CSV с заголовком, для программ")
    stats.add_argument("--db", type=Path, help="файл статистики (по умолчанию stats.sqlite3 в "
                                               "папке состояния)")
    stats.add_argument("--state-dir", type=Path, help=STATE_DIR_HELP)


    set_pin = commands.add_parser("set-pin", help="задать ПИН-код меню сотрудников")
    set_pin.add_argument("--state-dir", type=Path,
                         help=f"папка состояния киоска, та же, что у «kiosk run» (у киоска из "
                              f"пакета — {PACKAGE_STATE_DIR}; от root при установленном "
                              f"пакете её нужно указать: здесь или в $KIOSK_STATE_DIR)")
    set_pin.add_argument("--pin-stdin", action="store_true",
                         help="прочитать ПИН-код из первой строки ввода (для скриптов)")
    editor = commands.add_parser(
        "editor", help="редактор материалов для сотрудников: веб-страницы в браузере")
    editor.add_argument("--content", type=Path, help=CONTENT_HELP)
    editor.add_argument("--centre", type=Path, metavar="ПАПКА",
                        help="папка материалов центра: единственная, куда пишет редактор "
                             "(по умолчанию $KIOSK_CENTRE_CONTENT)")
    editor.add_argument("--listen", default=None, metavar="АДРЕС:ПОРТ",
                        help="где принимать браузеры (по умолчанию 127.0.0.1:8080)")
    editor.add_argument("--state-dir", type=Path, help=STATE_DIR_HELP)
    # Staff accounts of the editor (kiosk.editor.auth): h7-auth's block.
    editor_user = commands.add_parser(
        "editor-user", help="учётные записи сотрудников для входа в редактор")
    editor_user.add_argument("action", choices=("add", "remove", "list"),
                             help="add — добавить или сменить пароль, remove — удалить, "
                                  "list — показать имена")
    editor_user.add_argument("name", nargs="?", metavar="ИМЯ",
                             help="имя для входа: латинские буквы, цифры, точка, дефис")
    editor_user.add_argument("--state-dir", type=Path,
                             help="папка состояния редактора, та же, что у «kiosk editor» "
                                  "(на компьютере киоска — /var/lib/kiosk-editor)")
    editor_user.add_argument("--log-level", choices=tuple(LEVELS),
                             help=f"подробность журнала (по умолчанию ${LEVEL_ENV} или info)")
    for command in (run, check, preview, stats, set_pin, editor):
        command.add_argument("--log-level", choices=tuple(LEVELS),
                             help=f"подробность журнала (по умолчанию ${LEVEL_ENV} или info)")
    for command in (run, check, preview):
        command.add_argument("--settings", type=Path, action="append", metavar="ФАЙЛ",
                             help=SETTINGS_HELP)
        command.add_argument("--centre", type=Path, metavar="ПАПКА", help=CENTRE_HELP)
    return parser


CENTRE_HELP = ("собственная папка материалов центра рядом с общей папкой головного офиса "
               "(по умолчанию $KIOSK_CENTRE_CONTENT; без неё — только общие материалы)")
# The state folder of the packaged kiosk (deploy/kiosk.service's KIOSK_STATE_DIR).
PACKAGE_STATE_DIR = "/var/lib/kiosk"
PACKAGE_EDITOR_DIR = "/var/lib/kiosk-editor"  # deploy/kiosk-editor.service's --state-dir


def _root_beside_the_package(state_dir: Path | None, package_dir: str) -> bool:
    """Run as root with no state folder named, on a computer with the package installed (its
    folder is there): root's own folder would be written, which no packaged kiosk or editor
    reads. In a clone, root's own is the folder `kiosk run` as root uses: that is right."""
    return (state_dir is None and not os.environ.get("KIOSK_STATE_DIR")
            and os.geteuid() == 0 and os.path.isdir(package_dir))
STATE_DIR_HELP = ("папка состояния киоска (по умолчанию $KIOSK_STATE_DIR или "
                  "~/.local/state/kiosk)")
SETTINGS_HELP = ("настройки этого компьютера поверх kiosk.yaml материалов; можно несколько, "
                 "каждый следующий главнее (по умолчанию /etc/kiosk/kiosk.yaml или "
                 "$KIOSK_MACHINE_SETTINGS, затем ~/.config/kiosk/kiosk.yaml или "
                 "$KIOSK_USER_SETTINGS)")


def main(argv: Sequence[str] | None = None,
         on_window: Callable[[KioskWindow], None] | None = None) -> int:
    """`on_window`: given the window `kiosk run` shows, as soon as it is made (benchmarks watch
    its first frame through it: bench/startup.py)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in (*COMMANDS, "-h", "--help", "--version"):
        args_list.insert(0, "run")
    if args_list[0] != "run":
        heap.resume_collections()  # paused by kiosk.entry for `kiosk run`'s start only
    args = build_parser().parse_args(args_list)
    if args.command in ("run", "check", "preview", "editor") and args.content is None:
        args.content = default_content()
    if getattr(args, "centre", None) is None \
            and args.command in ("run", "check", "preview", "editor"):
        from kiosk.core.paths import default_centre

        args.centre = default_centre()
    level, wrong_level = resolve_level(args.log_level)
    if not logging.getLogger().handlers:  # as basicConfig: whoever embeds us keeps theirs
        setup_logging(None, level)  # stderr (the journal) only; `kiosk run` adds its files
    if wrong_level is not None:
        log.warning("%s", wrong_level)
    if args.command == "run":
        # Until its first frame (kiosk.ui.app.run resumes them there); kiosk.entry, the
        # command's first line, paused them already.
        heap.pause_collections()
    try:
        return _command(args, level, on_window)
    except Exception:
        return crashed(args.command, getattr(args, "lang", None))
    finally:
        heap.resume_collections()


def crashed(command: str, lang: Language | None) -> int:
    """An exception nobody caught ends the command (exceptions in Qt slots and event-loop
    callbacks are logged where they happen and the kiosk goes on: kiosk.ui.app): logged with
    its traceback, and a status of its own, so that neither the service nor a publishing
    pipeline takes it for content with errors."""
    log.critical("kiosk %s crashed (a fault of the program, not of the content): exit status "
                 "%d", command, EXIT_CRASH, exc_info=True)
    if command in ("check", "preview"):  # staff at a desk, or a publishing script
        print("The program failed: this is not a mistake in the content. Tell IT and attach "
              "the text above." if lang == "en" else "Сбой программы: это не ошибка в "
              "материалах. Сообщите в ИТ-службу и приложите текст выше.", file=sys.stderr)
    return EXIT_CRASH


def folders_problem(content: Path | None, centre: Path | None) -> str | None:
    """Why head office's folder and the centre's cannot be used together (Russian, then
    English), or None: the same folder, or one inside the other (the editor would write into
    head office's files, or head office's sync with --delete would wipe the centre's)."""
    if content is None or centre is None:
        return None
    shared, own = content.resolve(), centre.resolve()
    if shared == own or shared in own.parents or own in shared.parents:
        return (f"Папка материалов центра ({centre}) и папка головного офиса ({content}) — "
                "одна и та же папка или одна внутри другой. Укажите для центра отдельную "
                "папку рядом, например /srv/kiosk/centre.\n"
                f"The centre's folder ({centre}) and head office's folder ({content}) are the "
                "same folder or one is inside the other. Give the centre a folder of its own "
                "next to it, e.g. /srv/kiosk/centre.")
    return None


def _command(args: argparse.Namespace, log_level: int,
             on_window: Callable[[KioskWindow], None] | None = None) -> int:
    from kiosk.core.machine import default_settings_paths

    if args.command in ("run", "check", "preview", "editor"):
        problem = folders_problem(args.content, args.centre)
        if problem:
            print(problem, file=sys.stderr)
            return 2

    # The settings files of this computer, read over the content's kiosk.yaml.
    machine = default_settings_paths(getattr(args, "settings", None))
    if args.command == "check":
        # `kiosk check | head` must not end in a traceback when head stops reading.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        return check(args.content, args.lang, args.format, machine, centre=args.centre)
    if args.command == "preview":
        return preview(args.content, args.out, args.size, args.lang, args.at,
                       args.high_contrast, machine, centre=args.centre)
    if args.command == "stats":
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        return stats(args.db, args.state_dir, args.from_date, args.to_date, args.csv)
    if args.command == "set-pin":
        return set_pin(args.state_dir, args.pin_stdin)
    if args.command == "editor-user":
        return editor_user(args.action, args.name, args.state_dir)
    if args.command == "editor":
        from kiosk.editor.app import serve_from_cli

        return serve_from_cli(args.content, args.centre, args.state_dir, args.listen)
    from kiosk.core.content.index import first_read_parses

    if first_read_parses(args.content, centre=args.centre):
        from kiosk.core.content.sandbox import shared_sandbox

        # The child that parses content files imports its modules on the other core while
        # this process imports Qt and the screens. With an index, a start with nothing
        # changed parses nothing (kiosk.core.content.kept): the child starts if a file did change.
        # (kiosk.ui.app.run asks again: it is started once.)
        shared_sandbox().prestart()
    from kiosk.ui.app import run
    from kiosk.ui.service.lockdown import CursorMode

    def pins() -> PinStore:
        """The staff PIN's store, made when first asked for: after the first frame (the
        status file's first write), or at a touch before it."""
        from kiosk.core.paths import state_dir
        from kiosk.core.pin import PinStore

        store = PinStore(state_dir(args.state_dir))
        if not store.is_set():
            log.warning("no staff PIN is set: the staff menu stays closed until "
                        "`kiosk set-pin --state-dir %s` is run", store.directory)
        return store

    return run(args.content, args.windowed, args.size, args.lang, state_dir=args.state_dir,
               status_file=args.status_file, pins=pins, cursor=CursorMode(args.cursor),
               log_level=log_level, machine=machine, centre=args.centre, on_window=on_window)


def set_pin(state_dir: Path | None, from_stdin: bool) -> int:
    """Ask for the PIN twice (or read it once from stdin) and keep only its hash."""
    import getpass

    from kiosk.core.paths import state_dir as resolve_state_dir
    from kiosk.core.pin import MAX_DIGITS, MIN_DIGITS, PinStore, valid_pin

    if _root_beside_the_package(state_dir, PACKAGE_STATE_DIR):
        # root's own folder (/root/.local/state/kiosk) is no packaged kiosk's: the PIN would
        # be «saved» where no running kiosk looks. The package's is /var/lib/kiosk.
        print(f"ПИН-код не изменён: команда запущена от root без папки состояния, и код "
              f"попал бы в {resolve_state_dir(None)}, где киоск его не ищет. Для киоска из "
              f"пакета:\n    kiosk set-pin --state-dir {PACKAGE_STATE_DIR}\nДля киоска, "
              f"установленного иначе, укажите его папку состояния в --state-dir или в "
              f"переменной KIOSK_STATE_DIR.", file=sys.stderr)
        return 2
    store = PinStore(resolve_state_dir(state_dir))
    rule = f"ПИН-код — от {MIN_DIGITS} до {MAX_DIGITS} цифр."
    if from_stdin:
        pin = sys.stdin.readline().strip()
        again = pin
    else:
        try:
            pin = getpass.getpass(f"Новый ПИН-код ({MIN_DIGITS}–{MAX_DIGITS} цифр): ")
            again = getpass.getpass("Ещё раз: ")
        except (EOFError, KeyboardInterrupt):
            print("\nПИН-код не изменён.", file=sys.stderr)
            return 1
    if not valid_pin(pin):
        print(f"{rule} ПИН-код не изменён.", file=sys.stderr)
        return 1
    if pin != again:
        print("ПИН-коды не совпали. ПИН-код не изменён.", file=sys.stderr)
        return 1
    try:
        store.set_pin(pin)
        # Run as root on the kiosk's /var/lib/kiosk: the files stay the kiosk's to read.
        _owned_like(store.directory, (store.pin_file, store.tries_file))
    except OSError as error:
        print(f"Не удалось записать {store.pin_file}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"ПИН-код сохранён (только его хеш) в {store.pin_file}. Запущенный киоск "
          f"примет его сразу, перезапуск не нужен.")
    return 0


def editor_user(action: str, name: str | None, state_dir: Path | None) -> int:
    """`kiosk editor-user add|remove|list [NAME]`: the editor's staff accounts (only a hash of
    each password is kept). The password is asked twice (at a terminal) or read from the first
    two lines of the input (for scripts). Run as root for a state folder of another user, the
    files stay that user's (the editor must read them)."""
    import getpass

    from kiosk.core.paths import state_dir as resolve_state_dir
    from kiosk.editor.auth import (
        ACCOUNTS_FILE,
        Accounts,
        name_problem,
        normal_name,
        password_problem,
    )
    from kiosk.editor.config import EditorConfig

    if _root_beside_the_package(state_dir, PACKAGE_EDITOR_DIR):
        # As set-pin: root's own folder is no packaged editor's.
        print(f"Учётные записи не изменены: команда запущена от root без папки состояния, и "
              f"они попали бы в {resolve_state_dir(None)}, где редактор их не ищет. Для "
              f"редактора из пакета:\n    kiosk editor-user {action}"
              f"{' ' + name if name else ''} --state-dir {PACKAGE_EDITOR_DIR}\nДля "
              f"редактора, установленного иначе, укажите его папку состояния в --state-dir "
              f"или в переменной KIOSK_STATE_DIR.", file=sys.stderr)
        return 2
    root = resolve_state_dir(state_dir)
    folder = EditorConfig(content=root, centre=root, state_dir=root).editor_state
    accounts = Accounts(folder / ACCOUNTS_FILE)
    if action == "list":
        names = accounts.names()
        print("\n".join(names) if names else f"Учётных записей нет ({accounts.path}).")
        return 0
    if not name:
        print("Укажите имя: kiosk editor-user add ИМЯ", file=sys.stderr)
        return 2
    name = normal_name(name)
    if action == "remove":
        if not accounts.remove(name):
            print(f"Учётной записи «{name}» нет.", file=sys.stderr)
            return 1
        print(f"Учётная запись «{name}» удалена. Открытые ею сеансы закончатся не позже чем "
              f"через 30 минут без действий.")
        return 0
    problem = name_problem(name)
    if problem:
        print(f"Имя «{name}» не подходит: {problem}.", file=sys.stderr)
        return 1
    try:
        if sys.stdin.isatty():
            password = getpass.getpass(f"Пароль для «{name}»: ")
            again = getpass.getpass("Ещё раз: ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
            again = sys.stdin.readline().rstrip("\r\n")
    except (EOFError, KeyboardInterrupt):
        print("\nУчётная запись не изменена.", file=sys.stderr)
        return 1
    problem = password_problem(password)
    if problem:
        print(f"{problem[0].upper()}{problem[1:]}. Учётная запись не изменена.", file=sys.stderr)
        return 1
    if password != again:
        print("Пароли не совпали. Учётная запись не изменена.", file=sys.stderr)
        return 1
    existed = name in accounts.names()
    try:
        accounts.add(name, password)
        _owned_like(root, (folder, accounts.path))
    except OSError as error:
        print(f"Не удалось записать {accounts.path}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Пароль «{name}» сменён." if existed else
          f"Учётная запись «{name}» добавлена (хранится только хеш пароля в {accounts.path}). "
          f"Редактор примет её сразу, перезапуск не нужен.")
    return 0


def _owned_like(root: Path, paths: tuple[Path, ...]) -> None:
    """Run as root on a state folder of another user (/var/lib/kiosk-editor): what was made
    here becomes that user's too, or the editor could not read its accounts."""
    if os.geteuid() != 0:
        return
    owner = root.stat()
    if owner.st_uid == 0:
        return
    for path in paths:
        if path.exists():
            os.chown(path, owner.st_uid, owner.st_gid)


def _offscreen_application() -> None:
    """Decoding images and laying out text need Qt, but never a screen. Qt's own messages
    about damaged files would only repeat ours in programmers' words: they go to the debug
    log."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    from kiosk.ui.app import create_application

    qt_log = logging.getLogger("qt")

    def to_debug_log(kind: QtMsgType, context: object, message: str) -> None:
        qt_log.debug("%s", message)

    qInstallMessageHandler(to_debug_log)
    create_application()


def check(content_dir: Path, lang: Language, output: str = "text",
          machine: tuple[SettingsPath, ...] = (), centre: Path | None = None) -> int:
    _offscreen_application()
    from kiosk.core.content.merge import origin_counts, origin_label, origin_lines, origin_of
    from kiosk.core.service.diagnostics import settings_lines

    content = checked_content(content_dir, machine, centre)
    # Sorted by file and line, so each file's messages read top to bottom like the file.
    problems = sorted(content.problems, key=lambda p: p.sort_key)
    errors = sum(p.is_error for p in content.problems)
    warnings = sum(not p.is_error and not p.is_consequence for p in content.problems)
    if output == "json":
        print(json.dumps({
            "errors": errors,
            "warnings": warnings,
            "pages": len(content.pages),
            "stories": len(content.stories),
            "colouring": len(content.colouring),
            "posters": len(content.posters),
            "notices": len(content.notices),
            "problems": [{"path": p.path, "line": p.line, "severity": p.severity.value,
                          "code": p.code, "message": p.message(lang),
                          "origin": origin_of(content, p.path) or None} for p in problems],
            # Head office's folder and the centre's (kiosk.core.content.merge): what each gave.
            **origin_counts(content),
            # Where each setting came from (a key not here has its default), and the
            # settings files of this computer that were looked for.
            "origins": dict(content.settings.origins),
            "settings_files": [{"path": f.path, "state": f.state,
                                "keys": list(content.settings.keys_from(f.path))}
                               for f in content.settings.files],
        }, ensure_ascii=False, indent=2))
        return 1 if errors else 0
    for problem in problems:
        origin = origin_of(content, problem.path)
        print(f"{origin_label(origin, lang)}: {problem.format(lang)}" if origin
              else problem.format(lang))
    for line in settings_lines(content.settings, lang, missing=False):
        print(line)
    if lang == "ru":
        print(f"Ошибок: {errors}, предупреждений: {warnings}. Страниц юбилейной истории: "
              f"{len(content.pages)}, историй: {len(content.stories)}, картинок для раскраски: "
              f"{len(content.colouring)}, плакатов: {len(content.posters)}, объявлений: "
              f"{len(content.notices)}.")
    else:
        print(f"Errors: {errors}, warnings: {warnings}. Anniversary pages: {len(content.pages)}, "
              f"stories: {len(content.stories)}, colouring pictures: {len(content.colouring)}, "
              f"posters: {len(content.posters)}, notices: {len(content.notices)}.")
    for line in origin_lines(content, lang):
        print(line)
    return 1 if errors else 0


def checked_content(content_dir: Path, machine: tuple[SettingsPath, ...] = (),
                    centre: Path | None = None) -> Content:
    """The content with every problem `kiosk check` finds: the loader's (with each colouring
    picture tried as a child would colour it), text too long for its screen, posters, the
    centre's name on the attract band, clips, closed days. `kiosk preview` shows the same
    (kiosk.ui.preview): one list, so the contact sheet never says less than the check.
    Needs the offscreen application (`_offscreen_application`)."""
    from kiosk.core.content.loader import load_content
    from kiosk.ui.attract.poster_check import poster_fit_problems
    from kiosk.ui.colouring.line_art import line_art_problem
    from kiosk.ui.fit_check import centre_name_problems, text_fit_problems
    from kiosk.ui.resources import probe_image

    # One process a core for a large folder, at most four (each holds Qt: ~100 MB).
    content = load_content(content_dir, probe_image, line_art_problem,
                           workers=min(4, os.cpu_count() or 1), machine=machine,
                           centre=centre)
    # The posters are checked here while worker processes measure the stories' texts.
    posters: list[Problem] = []
    texts = text_fit_problems(content, lambda: posters.extend(poster_fit_problems(content)))
    content = replace(content, problems=(*content.problems, *texts, *posters,
                                         *centre_name_problems(content)))
    # Each clip played to its end in a child process, a core at a time, all within a minute;
    # what was found is remembered while the file stays the same (kiosk.ui.video.probe).
    if content.clips():
        from kiosk.ui.video.probe import clip_problems

        content = replace(content, problems=(*content.problems, *clip_problems(content)))
    return replace(content, problems=(*content.problems, *_closed_days_problems(content),
                                      *_ended_problems(content),
                                      *_ahead_problems(content)))


def _ended_problems(content: Content) -> list[Problem]:
    """Items whose show_until has passed, from today (the centre's date)."""
    from kiosk.core.schedules.schedule import ended_problems

    def side_file(poster: Poster) -> str:  # where its show_until is written
        sides = [poster.source.with_name(poster.id + suffix) for suffix in (".yaml", ".yml")]
        return str(next((side for side in sides if side.is_file()), poster.source))

    today = content.settings.local_time(dt.datetime.now(dt.UTC)).date()
    items = [(str(page.source), page.schedule) for page in content.pages]
    items += [(str(story.source), story.schedule) for story in content.stories]
    items += [(str(notice.source), notice.schedule) for notice in content.notices]
    items += [(side_file(poster), poster.schedule) for poster in content.posters
              if poster.schedule.end is not None]
    return ended_problems(items, today)


def _ahead_problems(content: Content) -> list[Problem]:
    """Stories dated after today (the centre's date)."""
    from kiosk.core.schedules.schedule import dated_ahead

    today = content.settings.local_time(dt.datetime.now(dt.UTC)).date()
    return dated_ahead([(str(story.source), story.date) for story in content.stories], today)


def _closed_days_problems(content: Content) -> list[Problem]:
    """closed_days that keep the screen dark for long, from today (the centre's date)."""
    from kiosk.core.content.loader import SETTINGS_FILE
    from kiosk.core.schedules.opening import closed_days_problems

    settings = content.settings
    today = settings.local_time(dt.datetime.now(dt.UTC)).date()
    return closed_days_problems(settings.opening, today, settings.origins.get(
        "closed_days", str(content.root / SETTINGS_FILE)))


def preview(content_dir: Path, out: Path, size: tuple[int, int] | None, lang: Language | None,
            at: dt.datetime | None = None, high_contrast: bool = False,
            machine: tuple[SettingsPath, ...] = (), centre: Path | None = None) -> int:
    # A folder that cannot be made or written to is the user's mistake (a wrong --out), not
    # a crash: said before the content is read, and again if writing in it fails.
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _out_unusable(out, error, lang)
    _offscreen_application()
    from kiosk.ui.preview import preview as render

    try:
        shots = render(content_dir, out, size, lang, at, high_contrast, machine, centre=centre,
                       check=checked_content)
    except OSError as error:
        if error.filename is None or not Path(os.fsdecode(error.filename)).is_relative_to(out):
            raise
        return _out_unusable(out, error, lang)
    sheet = out / "index.html"
    print(f"Done: {len(shots)} screens. Open {sheet}" if lang == "en"
          else f"Готово, экранов: {len(shots)}. Откройте {sheet}")
    return 0


def _out_unusable(out: Path, error: OSError, lang: Language | None) -> int:
    reason = error.strerror or str(error)
    print(f"The pictures cannot be put in the folder {out}: {reason}. Choose another with "
          f"--out." if lang == "en" else f"Картинки не сложить в папку {out}: {reason}. "
          f"Укажите другую в --out.", file=sys.stderr)
    return 2


def stats(db: Path | None, state: Path | None, from_date: dt.date | None,
          to_date: dt.date | None, as_csv: bool) -> int:
    import csv

    from kiosk.core import paths
    from kiosk.core.service.stats import EVENT_NAMES_RU, StatsStore, StatsUnavailable

    path = db if db is not None else paths.stats_db(paths.state_dir(state))
    try:
        rows = StatsStore(path).counts(from_date, to_date)
    except StatsUnavailable as exc:
        print(f"Статистику не прочитать: {exc}", file=sys.stderr)
        return 1
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["day", "hour", "event", "count"])
        for row in rows:
            writer.writerow([row.day.isoformat(), row.hour, row.event.value, row.count])
        return 0
    period = (f"с {from_date.isoformat() if from_date else 'начала'} "
              f"по {to_date.isoformat() if to_date else 'сегодня'}")
    if not rows:
        print(f"Статистика {period}: событий нет.")
        return 0
    width = max(len(name) for name in EVENT_NAMES_RU.values())
    print(f"Статистика {period} (время центра)")
    print(f"{'День':<10}  {'Час':<11}  {'Событие':<{width}}  {'Сколько':>7}")
    for row in rows:
        hours = f"{row.hour:02d}:00–{row.hour:02d}:59"
        print(f"{row.day.isoformat():<10}  {hours:<11}  {EVENT_NAMES_RU[row.event]:<{width}}  "
              f"{row.count:>7}")
    print()
    print("Итого:")
    totals: dict[str, int] = {}
    for row in rows:
        totals[EVENT_NAMES_RU[row.event]] = totals.get(EVENT_NAMES_RU[row.event], 0) + row.count
    for name in EVENT_NAMES_RU.values():
        if name in totals:
            print(f"  {name:<{width}}  {totals[name]:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

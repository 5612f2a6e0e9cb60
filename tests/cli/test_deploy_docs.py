"""What docs/deploy.md tells a technician to run, run for real: the publishing loop over the
centres, the publishing script, and the units the guide describes."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "deploy.md"
PUBLISH = REPO / "deploy" / "publish-content.sh"


def guide_block(heading: str) -> str:
    """The first ```sh block after `heading` in the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    after = text[text.index(heading):]
    match = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert match is not None
    return match.group(1)


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)


def test_the_rsync_loop_updates_every_centre_in_the_list(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "log"
    stub(bin_dir, "kiosk", "exit 0\n")
    # rsync talks to its own ssh through pipes and never reads its input: it only copies.
    stub(bin_dir, "rsync", f'for a; do last=$a; done; echo "rsync ${{last%%:*}}" >> {log}\n')
    # ssh sends what it reads on its input to the far end, as the real one does (not with -n).
    stub(bin_dir, "ssh", f"""n=no
for a; do case $a in -n) n=yes;; root@*) host=$a;; esac; done
[ $n = yes ] || cat > /dev/null
echo "ssh $host" >> {log}
""")
    (tmp_path / "content-2026-11-27").mkdir()
    hosts = ["kiosk-01.centre.local", "kiosk-02.centre.local", "kiosk-03.centre.local"]
    (tmp_path / "centres.txt").write_text("\n".join(hosts) + "\n", encoding="utf-8")
    loop = guide_block("### Вариант А")
    result = subprocess.run(["sh", "-c", loop], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert log.read_text(encoding="utf-8").split("\n")[:-1] == [
        line for host in hosts for line in (f"rsync root@{host}", f"ssh root@{host}")]


def test_no_example_in_the_guide_edits_a_release_in_place() -> None:
    # Every fenced block: what lies between an opening fence and its closing one.
    parts = re.split(r"^```.*$", GUIDE.read_text(encoding="utf-8"), flags=re.MULTILINE)
    blocks = parts[1::2]
    assert len(blocks) > 20 and any("rsync" in block for block in blocks)
    assert not any("--inplace" in block for block in blocks)
    # … and the guide says why: a release shares its unchanged files with the one before.
    assert "Версии в `releases/` не правят на месте" in GUIDE.read_text(encoding="utf-8")
    assert "--inplace" not in PUBLISH.read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("rsync") is None, reason="rsync is not installed")
def test_an_unchanged_folder_is_not_published_again(tmp_path: Path) -> None:
    root = tmp_path / "srv"
    root.mkdir()
    source = tmp_path / "incoming"
    (source / "stories").mkdir(parents=True)
    (source / "stories" / "a.md").write_text("a", encoding="utf-8")
    fake_kiosk = tmp_path / "kiosk"
    fake_kiosk.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    fake_kiosk.chmod(0o755)

    def publish() -> str:
        result = subprocess.run(["sh", str(PUBLISH), str(source), str(root)],
                                capture_output=True, text=True, timeout=60,
                                env={**os.environ, "KIOSK": str(fake_kiosk)})
        assert result.returncode == 0, result.stderr
        return result.stdout

    def releases() -> list[str]:
        return sorted(p.name for p in (root / "releases").iterdir()
                      if not p.name.startswith("."))

    publish()
    assert len(releases()) == 1
    for _ in range(3):  # a daily timer on a folder nothing changed in
        assert "nothing to publish" in publish()
    assert len(releases()) == 1
    os.utime(source / "stories" / "a.md", (1, 1))  # a new time alone is no change
    assert "nothing to publish" in publish()
    (source / "stories" / "b.md").write_text("b", encoding="utf-8")
    while releases()[0] == publish_stamp():  # a new release needs a new second
        pass
    publish()
    assert len(releases()) == 2
    assert (root / "content" / "stories" / "b.md").is_file()


def publish_stamp() -> str:
    return subprocess.run(["date", "+%Y%m%d-%H%M%S"], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_the_units_run_head_offices_and_the_centres_folders_and_agree_with_the_guide() -> None:
    for unit in ("deploy/kiosk.service", "deploy/x11/kiosk.service"):
        text = (REPO / unit).read_text(encoding="utf-8")
        (line,) = [row for row in text.splitlines() if row.startswith("ExecStart=")]
        args = build_parser().parse_args(shlex.split(line.removeprefix("ExecStart="))[1:])
        assert (args.content, args.centre) == (Path("/srv/kiosk/content"),
                                               Path("/srv/kiosk/centre")), unit
    # The guide: the X session starts its user unit, «enable» is not needed: nothing to enable.
    x11 = (REPO / "deploy/x11/kiosk.service").read_text(encoding="utf-8").splitlines()
    assert "[Install]" not in x11 and not any(row.startswith("WantedBy=") for row in x11)
    # The package enables the Wayland units (debian/rules) and says so, as the guide does.
    wayland = (REPO / "deploy/kiosk.service").read_text(encoding="utf-8")
    assert "installs and enables" in wayland and "WantedBy=kiosk-compositor.service" in wayland


def test_the_status_file_drop_in_keeps_the_units_own_command() -> None:
    """Its «ExecStart=» replaces the unit's whole line: copied as it was, without
    `--centre`, it dropped the centre's own content without a word."""
    unit = (REPO / "deploy/kiosk.service").read_text(encoding="utf-8")
    (shipped,) = [row for row in unit.splitlines() if row.startswith("ExecStart=")]
    block = guide_block("## 5. Мониторинг")
    (drop_in,) = [row.removeprefix("#   ") for row in block.splitlines()
                  if row.startswith("#   ExecStart=/")]
    assert drop_in == f"{shipped} --status-file /var/lib/prometheus/node-exporter/kiosk.prom"


@pytest.mark.parametrize(("document", "heading"), [("README.md", "### Для ИТ"),
                                                   ("docs/deploy.md", "## 1. Установка")],
                         ids=["README", "deploy"])
def test_the_quick_install_sets_the_pin_and_checks_what_the_service_shows(
        document: str, heading: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text[text.index(heading):], re.DOTALL)
    assert block is not None
    commands = [shlex.split(line.split("#")[0]) for line in block.group(1).splitlines()]
    # As root, without its folder, the PIN would go where the packaged kiosk never looks.
    assert ["kiosk", "set-pin", "--state-dir", "/var/lib/kiosk"] in commands
    (check,) = [words for words in commands if words[:2] == ["kiosk", "check"]]
    unit = (REPO / "deploy/kiosk.service").read_text(encoding="utf-8")
    (line,) = [row for row in unit.splitlines() if row.startswith("ExecStart=")]
    shown = build_parser().parse_args(shlex.split(line.removeprefix("ExecStart="))[1:])
    checked = build_parser().parse_args(check[1:])
    assert (checked.content, checked.centre) == (shown.content, shown.centre)


def test_every_guide_a_packaged_guide_sends_it_to_is_packaged() -> None:
    """dh_installdocs puts debian/kiosk.docs in /usr/share/doc/kiosk/, side by side: a guide
    there that names another (`security.md`, [staff.md](staff.md)) finds it there too."""
    packaged = (REPO / "debian/kiosk.docs").read_text(encoding="utf-8").split()
    names = {Path(doc).name for doc in packaged}
    missing = []
    for doc in packaged:
        if not doc.startswith("docs/"):
            continue  # the README names docs/… of the repository
        text = (REPO / doc).read_text(encoding="utf-8")
        for link, quoted in re.findall(r"\]\(([\w-]+\.md)\)|`([\w-]+\.md)`", text):
            name = link or quoted
            if (REPO / "docs" / name).is_file() and name not in names:
                missing.append(f"{doc}: {name}")
    assert not missing
    assert {"deploy.md", "security.md", "staff.md"} <= names

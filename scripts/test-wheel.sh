#!/usr/bin/env bash
# The kiosk as IT installs it, tested outside the repository (`make test-wheel`, CI):
#
#   1. build the sdist from this tree, and the wheel from the sdist (python -m build), into
#      dist/; the wheel must carry every module, asset and content file that git tracks,
#      and nothing else (no editor's backup, no untracked file);
#   2. a fresh venv in a temporary folder outside the repository: the locked dependencies
#      (requirements/run.txt, --require-hashes), then the wheel (--no-deps);
#   3. from another temporary folder, with nothing of the repository on the path:
#      `kiosk check` (the bundled content: exit 0), `kiosk preview --out DIR` (non-empty
#      PNGs), and `kiosk run --windowed` offscreen, stopped with SIGTERM once its first frame
#      is up (its log line «showing …»): exit 0.
#
# PYTHON: a Python with `build` and setuptools (the .venv of `make`); builds without isolation,
# so the only downloads are the locked dependencies (from pip's cache after the first run).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-$repo/.venv/bin/python}
case "$python" in /*) ;; */*) python=$PWD/$python ;; esac  # the script changes folders
work=$(mktemp -d "${TMPDIR:-/tmp}/kiosk-wheel.XXXXXX")
case "$work" in "$repo"/*) echo "test-wheel: $work is inside the repository" >&2; exit 2;; esac
trap 'rm -rf "$work"' EXIT
started=$(date +%s.%N)

step() { printf '\n== %s\n' "$*"; }
elapsed() { "$python" -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" \
    "$1" "$(date +%s.%N)"; }

step "build: sdist, then the wheel from the sdist ($("$python" -m build --version | cut -d' ' -f1-2))"
mkdir -p "$repo/dist"
rm -f "$repo"/dist/kiosk-*.whl "$repo"/dist/kiosk-*.tar.gz
"$python" -m build --no-isolation --outdir "$repo/dist" "$repo" > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
if grep -E "WARNING|SetuptoolsDeprecationWarning" "$work/build.log" >&2; then
    echo "test-wheel: the build warns (above)" >&2; exit 1
fi
grep -E "^\* (Building|Creating)" "$work/build.log" || true
wheel=$(ls "$repo"/dist/kiosk-*.whl)
sdist=$(ls "$repo"/dist/kiosk-*.tar.gz)
ls -l "$sdist" "$wheel" | awk '{print $5, $NF}'

step "the wheel against the files git tracks"
(cd "$repo" && "$python" - "$wheel" <<'EOF'
import os, subprocess, sys, zipfile
from pathlib import PurePosixPath
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
tracked = subprocess.run(["git", "ls-files", "-z", "src/kiosk", "assets", "content"],
                         capture_output=True, check=True).stdout.decode().split("\0")
wanted = set()
for name in filter(os.path.lexists, filter(None, tracked)):  # not those deleted, uncommitted
    path = PurePosixPath(name)
    if path.parts[0] == "src":
        # Modules, py.typed and the editor's templates and static files; the links to
        # assets/ and content/ stand for the folders listed below.
        if not os.path.islink(name):
            wanted.add(str(path.relative_to("src")))
    else:
        wanted.add(str(PurePosixPath("kiosk", path)))
missing = sorted(wanted - names)
extra = sorted(n for n in names - wanted if not n.startswith("kiosk-"))  # kiosk-*.dist-info
for label, group in (("assets", "kiosk/assets/"), ("content", "kiosk/content/")):
    print(f"{label}: {sum(n.startswith(group) for n in names)} files")
print(f"modules: {sum(n.endswith('.py') for n in names)}")
print("licences:", *sorted(n for n in names if "LICENSE" in n.upper()), sep="\n  ")
if extra:  # a stray file (an editor's kiosk.yaml~, a new module not yet added to git)
    print("in the wheel, not tracked by git (delete it, or git add it):", *extra, sep="\n  ")
if missing:
    print("tracked by git, missing from the wheel:", *missing, sep="\n  ")
sys.exit(1 if extra or missing else 0)
EOF
)

step "a fresh venv outside the repository: requirements/run.txt --require-hashes, the wheel --no-deps"
t=$(date +%s.%N)
"$python" -m venv "$work/venv"
venv_python="$work/venv/bin/python"
"$venv_python" -m pip install --quiet --disable-pip-version-check --require-hashes \
    -r "$repo/requirements/run.txt"
"$venv_python" -m pip install --quiet --disable-pip-version-check --no-deps "$wheel"
echo "installed in $(elapsed "$t")"

mkdir -p "$work/elsewhere" "$work/state" "$work/cache"
cd "$work/elsewhere"
# Nothing of the repository nor of this computer may leak in: no PYTHONPATH, no repository
# folder as the cwd, no settings files of this computer (set but empty: none), its own state
# and cache folders (the content index).
unset PYTHONPATH KIOSK_CONTENT
export QT_QPA_PLATFORM=offscreen KIOSK_STATE_DIR="$work/state" KIOSK_CACHE_DIR="$work/cache" \
    XDG_CACHE_HOME="$work/cache" KIOSK_MACHINE_SETTINGS='' KIOSK_USER_SETTINGS=''
"$venv_python" - <<'EOF'
import sys
from pathlib import Path
import kiosk
from kiosk.cli import default_content
from kiosk.ui.resources import assets_dir
venv = Path(sys.prefix).resolve()
for what, path in (("code", Path(kiosk.__file__).resolve()),
                   ("fonts", assets_dir() / "fonts" / "PTSans-Regular.ttf"),
                   ("default content", default_content() / "kiosk.yaml")):
    print(f"{what}: {path}")
    if not path.is_file() or not path.is_relative_to(venv):
        sys.exit(f"test-wheel: the {what} are not the installed package's")
EOF

step "kiosk check (no folder named: the bundled content)"
"$work/venv/bin/kiosk" check
echo "exit status 0"

step "kiosk preview --out $work/preview"
"$work/venv/bin/kiosk" preview --out "$work/preview" --size 1920x1080
"$venv_python" - "$work/preview" <<'EOF'
import sys
from pathlib import Path
shots = sorted(Path(sys.argv[1]).glob("*.png"))
empty = [p.name for p in shots if p.stat().st_size == 0]
print(f"{len(shots)} PNGs, {sum(p.stat().st_size for p in shots) // 1024} KB; empty: {empty or 'none'}")
sys.exit(1 if not shots or empty else 0)
EOF

step "kiosk run --windowed (offscreen), SIGTERM after its first frame"
"$venv_python" - "$work/venv/bin/kiosk" <<'EOF'
import signal, subprocess, sys, threading, time
started = time.monotonic()
with subprocess.Popen([sys.argv[1], "run", "--windowed", "--size", "1920x1080"],
                      stderr=subprocess.PIPE, text=True) as kiosk:
    assert kiosk.stderr is not None
    deadline = threading.Timer(120, kiosk.kill)  # a kiosk that never shows is killed
    deadline.start()
    shown = False
    for line in kiosk.stderr:  # the log line written once the content is on screen
        if " showing " in line:
            shown = True
            print(f"first frame after {time.monotonic() - started:.1f} s: {line.strip()}")
            break
    deadline.cancel()
    if not shown:
        sys.exit(f"test-wheel: the kiosk ended (status {kiosk.wait()}) before showing anything")
    kiosk.send_signal(signal.SIGTERM)
    try:
        rest = kiosk.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        kiosk.kill()
        sys.exit("test-wheel: the kiosk did not stop within 30 s of SIGTERM")
print(f"exit status {kiosk.returncode} after SIGTERM")
if kiosk.returncode:
    print(rest[-3000:], file=sys.stderr)
sys.exit(kiosk.returncode)
EOF

step "done in $(elapsed "$started"): the wheel's files, its install, check, preview and run"
echo "test-wheel: 5 passed, 0 failed"

"""A pretend electronic queue on 127.0.0.1: calls a ticket every few seconds.

    python scripts/queue_demo_server.py [--port 8765] [--every 6]

Then, in the content folder's kiosk.yaml:

    queue:
      source: http://127.0.0.1:8765/calls.json

It answers GET /calls.json in the kiosk's JSON format (docs/queue.md) with the last 10 calls.
It listens on 127.0.0.1 only. Ctrl+C stops it (and the kiosk should carry on unbothered).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LETTERS = "АБВГ"
calls: list[dict[str, str]] = []
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path.split("?")[0] != "/calls.json":
            self.send_error(404)
            return
        with lock:
            body = json.dumps({"calls": calls[-10:]}, ensure_ascii=False, indent=1).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per call is enough, not one per poll


def caller(every: float) -> None:
    numbers = itertools.count(17)
    while True:
        call = {"ticket": f"{random.choice(LETTERS)}{next(numbers):03d}",
                "window": str(random.randint(1, 30)),
                "called_at": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        with lock:
            calls.append(call)
        print(f"{call['called_at']}  talon {call['ticket']} -> window {call['window']}",
              flush=True)
        time.sleep(every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--every", type=float, default=6.0, help="seconds between calls")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    threading.Thread(target=caller, args=(args.every,), daemon=True).start()
    # SIGTERM (kill, systemd) ends it like Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"queue demo on http://127.0.0.1:{args.port}/calls.json", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

"""An adapter for another queue system: it publishes CSV with a header line,

    Талон;Окно;Вызван
    А017;12;27.11.2026 11:02:03

in Windows-1251. Run this file to see it parse a sample:

    .venv/bin/python docs/examples/queue_adapter.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from kiosk.core.queue import Call, QueueAdapter, QueueFormatError, clean_text, parse_calls


class CsvQueueAdapter(QueueAdapter):
    name = "csv-example"  # what kiosk.yaml says: format: csv-example

    def parse(self, payload: bytes) -> list[Call]:
        rows = list(csv.reader(io.StringIO(self.decode(payload)), delimiter=";"))
        if not rows or [cell.strip().lower() for cell in rows[0]][:2] != ["талон", "окно"]:
            raise QueueFormatError("no header line «Талон;Окно;Вызван»")
        calls = []
        for number, row in enumerate(rows[1:], start=2):
            if len(row) < 3:
                self.skip(f"line {number}: three columns expected")
                continue
            try:
                called_at = dt.datetime.strptime(row[2].strip(), "%d.%m.%Y %H:%M:%S")
                calls.append(Call(clean_text(row[0], "ticket"), clean_text(row[1], "window"),
                                  called_at.replace(tzinfo=self.zone)))
            except ValueError as exc:
                self.skip(f"line {number}: {exc}")
        return calls  # oldest first; the kiosk sorts by time anyway


if __name__ == "__main__":
    sample = "Талон;Окно;Вызван\nА017;12;27.11.2026 11:02:03\nБ004;3;вчера\n".encode("cp1251")
    calls, skipped = parse_calls(CsvQueueAdapter(), sample)
    for call in calls:
        print(f"{call.ticket} -> {call.window} at {call.called_at:%H:%M:%S}")
    for reason in skipped:
        print(f"skipped {reason}")

"""Running unattended under systemd: readiness and the watchdog (`sdnotify`), logs
(`logsetup`, `journal`, `recent_log`), the status file and diagnostics (`status`,
`diagnostics`, `screen_report`), memory (`heap`, `memory`), crash-loop safe mode (`safemode`),
exit codes, and anonymous usage counters (`stats`).
"""

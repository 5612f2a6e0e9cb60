"""The kiosk's unattended duties on the Qt event loop: the watchdog and status
(`operations`), the display's power and sleep at night (`display_power`, `sleep`), the screen
followed when it turns (`screen_follow`), nothing a visitor does leaving the kiosk
(`lockdown`), content watched and reloaded (`watcher`, `reloader`), usage counted
(`stats_recorder`).
"""

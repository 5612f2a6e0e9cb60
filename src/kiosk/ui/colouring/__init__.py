"""The colouring page on screen: the canvas and its paint box (`screen`), where its controls
go (`layout`), the picker (`picker`, `coloured_preview`), pictures decoded for the engine
(`line_art`) and prepared ahead in the attract loop (`ahead`). Imported at the first visit,
not at start-up.
"""

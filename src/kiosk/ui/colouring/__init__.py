"""The colouring page on screen: the canvas and its paint box (`screen`), where its controls
go (`layout`), the picker (`picker`, `coloured_preview`), pictures decoded for the engine
(`line_art`) and prepared ahead in the attract loop (`ahead`). The canvas and the picker wait
for the first visit; `ahead` and `layout` come at start-up, to prepare the pictures.
"""

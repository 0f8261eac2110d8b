"""Handouts for clients: the education leaflet and (with the handouts issue) aftercare PDFs.

May import store, ranking, bodymap and kb; never web or cli.
"""

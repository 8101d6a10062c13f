"""The app: the session explorer page, shared widgets, offline charts and the Voilà server side.

- :mod:`~empathy_explorer.app.explorer` -- the session explorer (notebook 07).
- :mod:`~empathy_explorer.app.widgets` -- quizzes, controls and the demo layout of every lesson page.
- :mod:`~empathy_explorer.app.charts` -- the offline chart bundle (no CDN), the chart panel and chart
  factories.
- :mod:`~empathy_explorer.app.pages` -- the learning path (titles, tracks, minutes, order) that the page
  template's header reads; imported by the Voilà server, so it imports nothing heavy.
- :mod:`~empathy_explorer.app.serving` -- the Voilà kernel manager and the page template
  (``voila_template/``).
"""

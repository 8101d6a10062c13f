"""The app: the session explorer page, shared widgets, offline charts and the Voilà server side.

- :mod:`~empathy_explorer.app.explorer` -- the session explorer (notebook 07), a package: state, controls,
  texts, uploads and the page.
- :mod:`~empathy_explorer.app.jobs` -- the long job with progress bar and cancel (surrogate tests,
  resampling) that every page shares.
- :mod:`~empathy_explorer.app.widgets` -- quizzes, controls and the demo layout of every lesson page.
- :mod:`~empathy_explorer.app.charts` -- the offline chart bundle (no CDN), the chart panel and chart
  factories (including the explorer's figure).
- :mod:`~empathy_explorer.app.pages` -- the learning path (titles, tracks, minutes, order) that the page
  template's header reads; imported by the Voilà server, so it imports nothing heavy.
- :mod:`~empathy_explorer.app.serving` -- the Voilà kernel manager and the page template
  (``voila_template/``).
"""

"""Games that make your own synchrony data: the mirror game and joint tapping (page 08).

- :mod:`.rounds` -- write and read the round CSV file (format version 1), one file per round.
- :mod:`.virtual` -- virtual partners (smooth random leader, follower with delay and gain, tapper with
  phase correction) and rounds played by virtual players only (simulated).
- :mod:`.analysis` -- movement analysis (who led, by how much, is it more than chance, jitter); it
  re-exports :mod:`.tapping` (inter-tap intervals, asynchrony, lag-1 cross-correlations, phase correction).
- :mod:`.capture` -- the capture widget: two tracks and a tapping pad, drawn in the browser (offline).
- :mod:`.pooling` -- pool a class's rounds and test real pairs against pseudo-pairs (page 09); it imports
  :mod:`.class_files` (reading a class's uploads), :mod:`.class_sync` (one round's synchrony),
  :mod:`.class_results` (what the analysis returns) and :mod:`.simulated_class` (a simulated class).
"""

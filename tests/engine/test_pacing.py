"""Chunks of steps sized to a duration from the time the last chunk took."""

from nnplay.engine.pacing import Pace


def test_the_next_chunk_is_sized_to_the_duration_asked():
    pace = Pace(0.05, first=100, most=1000)
    assert pace.size == 100
    pace.took(100, 0.1)       # twice too long: half as many
    assert pace.size == 50
    pace.took(50, 0.0001)     # far too short: as many as allowed
    assert pace.size == 1000
    pace.took(1000, 1e9)      # never fewer than one
    assert pace.size == 1
    pace.took(0, 0.0)         # nothing learnt from an empty chunk
    assert pace.size == 1

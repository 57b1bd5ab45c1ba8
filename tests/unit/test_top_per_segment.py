"""The candidates' top-k per segment with float32 ranks, as the engine passes them at national scale."""
import numpy as np

from gandeng.matching.candidates import PRESELECT_FROM, _top_per_segment


def _brute_force(segment, rank, k):
    best = {}
    for index in np.argsort(-rank.astype(np.float64), kind="stable"):
        chosen = best.setdefault(int(segment[index]), [])
        if len(chosen) < k:
            chosen.append(int(index))
    return sorted(i for chosen in best.values() for i in chosen)


def test_top_rank_of_the_last_segment_is_kept_when_float32_rounds_it_past_the_last_bin():
    # Ranks from 0.05 to 0.62 in float32: (0.62 - 0.05) * (32 - 1e-6) / (0.62 - 0.05) rounds to
    # 32.0, one past the last histogram bin; in the last segment that made a 100k x 50k run fail.
    rng = np.random.default_rng(5)
    n_segments, size = 40, PRESELECT_FROM + 5_000
    segment = np.sort(rng.integers(0, n_segments, size))
    rank = rng.random(size).astype(np.float32) * np.float32(0.5) + np.float32(0.1)
    rank[0], rank[-1] = np.float32(0.05), np.float32(0.62)  # the top rank sits in the last segment
    assert rank.dtype == np.float32 and segment[-1] == n_segments - 1

    kept = _top_per_segment(segment, rank, 3, n_segments)

    assert sorted(kept.tolist()) == _brute_force(segment, rank, 3)
    assert size - 1 in kept.tolist()

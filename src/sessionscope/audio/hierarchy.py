"""The few clustering primitives the diarization needs, in numpy: no SciPy import in `run`.

SciPy's ``cluster.hierarchy`` and ``optimize`` (with ``scipy.fft``) cost about 0.56 CPU s of imports per
process (0.75 s with numpy against numpy's 0.19 s, ``benchmarks/results/scipy_imports_r18_dspeed.json``) for
three calls on matrices of a few hundred rows at most. These give the same results as SciPy's
``linkage`` (centroid / euclidean and average / cosine), ``fcluster`` (``distance`` and ``maxclust``) and
``linear_sum_assignment``: the same merge order and distances (the same Lance-Williams updates, float for float;
pairwise distances to the last bit or two), the same flat-cluster numbering (SciPy's tree walk) and the same
assignment (Crouse's shortest augmenting path, SciPy's order of search). Only exact ties can be broken
differently (``tests/test_r18_dspeed.py`` compares them with SciPy).
"""

from __future__ import annotations

import numpy as np


def _square_euclidean(x: np.ndarray) -> np.ndarray:
    n = len(x)
    d = np.full((n, n), np.inf)
    for i in range(n - 1):
        diff = x[i + 1:] - x[i]
        d[i, i + 1:] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    iu = np.triu_indices(n, 1)
    d[iu[1], iu[0]] = d[iu]
    return d


def _square_cosine(x: np.ndarray) -> np.ndarray:
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    d = 1.0 - (x @ x.T) / np.outer(norms, norms)
    d = np.clip(d, 0.0, 2.0)
    np.fill_diagonal(d, np.inf)
    return d


def linkage(x: np.ndarray, method: str) -> np.ndarray:
    """The (n-1) × 4 linkage matrix of observations ``x`` (n × d), as SciPy's ``linkage(x, method, metric)``
    gives it for ``method`` "centroid" (euclidean distances, merges in the order made, not sorted) or "average"
    (cosine distances, merges sorted by distance). Node ``n + k`` is the cluster made by row ``k``."""
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    if n < 2:
        raise ValueError("linkage needs at least 2 observations")
    if method == "centroid":
        d = _square_euclidean(x)
    elif method == "average":
        d = _square_cosine(x)
    else:
        raise ValueError(f"unsupported linkage method {method!r}")
    size = np.ones(n, dtype=np.int64)
    ids = np.arange(n)
    z = np.zeros((n - 1, 4))
    nn_val = d.min(axis=1)
    nn_idx = d.argmin(axis=1)
    for k in range(n - 1):
        a = int(np.argmin(nn_val))
        b = int(nn_idx[a])
        x_, y_ = (a, b) if a < b else (b, a)  # the merged cluster takes the higher slot, as SciPy's
        dist = d[x_, y_]
        nx, ny = int(size[x_]), int(size[y_])
        if method == "centroid":
            z[k] = (min(ids[x_], ids[y_]), max(ids[x_], ids[y_]), dist, nx + ny)
        else:  # slots, named by SciPy's label after sorting
            z[k] = (x_, y_, dist, nx + ny)
        alive = size > 0
        alive[x_] = alive[y_] = False
        dxi, dyi = d[x_, alive], d[y_, alive]
        if method == "centroid":
            with np.errstate(invalid="ignore"):
                new = np.sqrt((((nx * dxi * dxi) + (ny * dyi * dyi)) - (nx * ny * dist * dist) / (nx + ny)) / (nx + ny))
            new[np.isnan(new)] = np.inf  # SciPy never merges along a NaN distance
        else:
            new = (nx * dxi + ny * dyi) / (nx + ny)
        d[y_, alive] = new
        d[alive, y_] = new
        d[x_, :] = np.inf
        d[:, x_] = np.inf
        size[x_], size[y_], ids[y_] = 0, nx + ny, n + k
        nn_val[x_] = np.inf
        stale = alive & ((nn_idx == x_) | (nn_idx == y_))
        stale[y_] = True
        rows = np.flatnonzero(stale)
        nn_val[rows] = d[rows].min(axis=1)
        nn_idx[rows] = d[rows].argmin(axis=1)
        closer = alive & ~stale & (d[:, y_] < nn_val)
        nn_val[closer] = d[closer, y_]
        nn_idx[closer] = y_
    if method == "average":
        z = _relabel(z[np.argsort(z[:, 2], kind="mergesort")], n)
    return z


def _relabel(z: np.ndarray, n: int) -> np.ndarray:
    """SciPy's ``label``: rows hold the slots (a point of each cluster) merged; row k makes node n + k, and each row
    gets the ids of the clusters that hold its two points at that time."""
    parent = np.arange(2 * n - 1)

    def find(i: int) -> int:
        root = i
        while parent[root] != root:
            root = int(parent[root])
        while parent[i] != root:  # path compression
            parent[i], i = root, int(parent[i])
        return root

    out = z.copy()
    for k in range(len(z)):
        ra, rb = find(int(z[k, 0])), find(int(z[k, 1]))
        out[k, 0], out[k, 1] = min(ra, rb), max(ra, rb)
        parent[ra] = parent[rb] = n + k
    return out


def _max_dist(z: np.ndarray, n: int) -> np.ndarray:
    """Per node (row), the largest merge distance in its subtree."""
    md = np.zeros(len(z))
    for k in range(len(z)):
        m = z[k, 2]
        for c in (int(z[k, 0]), int(z[k, 1])):
            if c >= n and md[c - n] > m:
                m = md[c - n]
        md[k] = m
    return md


def fcluster_distance(z: np.ndarray, t: float) -> np.ndarray:
    """SciPy's ``fcluster(z, t, criterion="distance")``: flat clusters 1..k."""
    n = len(z) + 1
    return _flat_walk(z, _max_dist(z, n), t, n)


def fcluster_maxclust(z: np.ndarray, k: int) -> np.ndarray:
    """SciPy's ``fcluster(z, k, criterion="maxclust")``: at most ``k`` flat clusters 1..k."""
    n = len(z) + 1
    if k >= n:
        return np.arange(1, n + 1)
    md = _max_dist(z, n)
    lo, hi = -1, n - 2
    while hi - lo > 1:  # SciPy's bisection over the nodes' distances
        mid = (lo + hi) >> 1
        if _flat_walk(z, md, md[mid], n).max() > k:
            lo = mid
        else:
            hi = mid
    return _flat_walk(z, md, md[hi], n)


def _flat_walk(z: np.ndarray, md: np.ndarray, cutoff: float, n: int) -> np.ndarray:
    """Flat clusters 1..k: the largest subtrees whose ``md`` is at most ``cutoff``, numbered in SciPy's walk
    (a node's inner children, left first, before its leaves; iterative: no recursion limit)."""
    t = np.zeros(n, dtype=int)
    count = 0
    stack: list[tuple[int, int, bool]] = [(2 * n - 2, 0, False)]
    while stack:
        node, num, done = stack.pop()
        row = node - n
        left, right = int(z[row, 0]), int(z[row, 1])
        if not done:
            if num == 0 and md[row] <= cutoff:
                count += 1
                num = count
            stack.append((node, num, True))
            for child in (right, left):
                if child >= n:
                    stack.append((child, num, False))
            continue
        for child in (left, right):
            if child < n:
                if num == 0:
                    count += 1
                    t[child] = count
                else:
                    t[child] = num
    return t


def _augmenting_path(cl: list[list[float]], u: list[float], v: list[float], path: list[int], row4col: list[int],
                     cur: int) -> tuple[int, float, list[float], list[bool], list[bool]]:
    """Crouse's shortest augmenting path from row ``cur``: (sink column, its cost, the path costs, rows and
    columns reached). Columns are searched from the last, and among equal costs an unassigned one is taken."""
    nr, nc = len(cl), len(v)
    inf = float("inf")
    shortest = [inf] * nc
    sr, sc = [False] * nr, [False] * nc
    remaining = list(range(nc - 1, -1, -1))
    min_val, i, sink = 0.0, cur, -1
    while sink == -1:
        index, lowest = -1, inf
        sr[i] = True
        row, ui = cl[i], u[i]
        for it, j in enumerate(remaining):
            r = min_val + row[j] - ui - v[j]
            if r < shortest[j]:
                path[j] = i
                shortest[j] = r
            if shortest[j] < lowest or (shortest[j] == lowest and row4col[j] == -1):
                lowest, index = shortest[j], it
        min_val = lowest
        if min_val == inf:
            raise ValueError("cost matrix is infeasible")
        j = remaining[index]
        if row4col[j] == -1:
            sink = j
        else:
            i = row4col[j]
        sc[j] = True
        remaining[index] = remaining[-1]
        remaining.pop()
    return sink, min_val, shortest, sr, sc


def linear_sum_assignment(cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the least-cost one-to-one assignment (SciPy's ``linear_sum_assignment``, minimising):
    Crouse's shortest augmenting path, row by row, with SciPy's order of search and tie rules."""
    c = np.asarray(cost, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("cost must be a 2-d matrix")
    nr, nc = c.shape
    if nr == 0 or nc == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    transpose = nc < nr
    if transpose:
        c = c.T
        nr, nc = nc, nr
    if np.isnan(c).any() or (c == -np.inf).any():
        raise ValueError("cost matrix is invalid")
    cl = c.tolist()
    u, v = [0.0] * nr, [0.0] * nc
    path, col4row, row4col = [-1] * nc, [-1] * nr, [-1] * nc
    for cur in range(nr):
        sink, min_val, shortest, sr, sc = _augmenting_path(cl, u, v, path, row4col, cur)
        u[cur] += min_val
        for i in range(nr):
            if sr[i] and i != cur:
                u[i] += min_val - shortest[col4row[i]]
        for j in range(nc):
            if sc[j]:
                v[j] -= min_val - shortest[j]
        j = sink
        while True:
            i = path[j]
            row4col[j] = i
            col4row[i], j = j, col4row[i]
            if i == cur:
                break
    rows = np.arange(nr, dtype=np.int64)
    cols = np.asarray(col4row, dtype=np.int64)
    if transpose:
        order = np.argsort(cols, kind="stable")
        return cols[order], rows[order]
    return rows, cols

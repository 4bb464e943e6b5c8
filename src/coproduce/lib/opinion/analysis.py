"""PCA, k-means, group labels and the per-statement statistics. See the package docstring for the method."""

from __future__ import annotations

import itertools
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from coproduce.lib.opinion.matrix import CHUNK_ROWS, VoteMatrix

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

Z_90 = 1.2815515655446004  # one-sided 90 % critical value of the standard normal
MIN_K, MAX_K = 2, 5
MIN_PEOPLE_TO_SPLIT = 4  # fewer clustered participants than this: one group
SILHOUETTE_SAMPLE = 3000  # above this many people, the silhouette is measured on a fixed random sample
SILHOUETTE_TIE = 0.01  # silhouettes closer than this count as equal; the smaller k wins
PICK_MAX = 5  # representative statements per group, consensus statements (as Polis)
LIST_MAX = 10  # group-aware consensus and divisive statements
SEED = 20240611
KMEANS_SAMPLE = 20000
KMEANS_RESTARTS = ((300, 10),)  # up to 300 people 10 restarts, then 3
KMEANS_TOLERANCE = 1e-4  # as scikit-learn: stop when centres move less than this x the mean variance
JSON_VERSION = 1


@dataclass(frozen=True)
class GroupCounts:
    agree: int
    disagree: int
    passed: int
    seen: int

    @property
    def agree_probability(self) -> float:
        """Share agreeing with a Laplace prior: (agree + 1) / (seen + 2)."""
        return (self.agree + 1) / (self.seen + 2)

    @property
    def disagree_probability(self) -> float:
        return (self.disagree + 1) / (self.seen + 2)


@dataclass(frozen=True)
class StatementStats:
    """Counts for one statement: everyone who voted, then one entry per group (clustered people only)."""

    statement: str
    agree: int
    disagree: int
    passed: int
    seen: int
    groups: tuple[GroupCounts, ...] = ()
    group_consensus: float = 0.0  # product over groups of the agree probability
    divisiveness: float = 0.0  # variance over groups of the agree probability
    extremity: float = 0.0  # how far someone agreeing with only this statement lands from the centre

    @property
    def agree_probability(self) -> float:
        return (self.agree + 1) / (self.seen + 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "agree": self.agree,
            "disagree": self.disagree,
            "pass": self.passed,
            "seen": self.seen,
            "groups": [[g.agree, g.disagree, g.passed, g.seen] for g in self.groups],
            "group_consensus": self.group_consensus,
            "divisiveness": self.divisiveness,
            "extremity": self.extremity,
        }

    @classmethod
    def from_json(cls, statement: str, data: Mapping[str, Any]) -> StatementStats:
        return cls(
            statement=statement,
            agree=int(data["agree"]),
            disagree=int(data["disagree"]),
            passed=int(data["pass"]),
            seen=int(data["seen"]),
            groups=tuple(GroupCounts(*(int(v) for v in g)) for g in data.get("groups", ())),
            group_consensus=float(data.get("group_consensus", 0.0)),
            divisiveness=float(data.get("divisiveness", 0.0)),
            extremity=float(data.get("extremity", 0.0)),
        )


@dataclass(frozen=True)
class Repness:
    """Why a statement stands for a group (Polis's "representativeness")."""

    statement: str
    direction: str  # "agree" or "disagree"
    ratio: float  # P(direction | group) / P(direction | everyone else)
    probability: float  # P(direction | group), with a Laplace prior
    z: float  # two-proportion z: group against everyone else
    p_value: float  # one-sided, from z
    probability_z: float  # one-proportion z: is the group's share above one half
    n_success: int
    n_trials: int
    best_agree: bool = False  # Polis puts the group's best agreed statement first

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "direction": self.direction,
            "ratio": self.ratio,
            "probability": self.probability,
            "z": self.z,
            "p_value": self.p_value,
            "probability_z": self.probability_z,
            "n_success": self.n_success,
            "n_trials": self.n_trials,
            "best_agree": self.best_agree,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Repness:
        return cls(
            statement=str(data["statement"]),
            direction=str(data["direction"]),
            ratio=float(data["ratio"]),
            probability=float(data["probability"]),
            z=float(data["z"]),
            p_value=float(data["p_value"]),
            probability_z=float(data["probability_z"]),
            n_success=int(data["n_success"]),
            n_trials=int(data["n_trials"]),
            best_agree=bool(data.get("best_agree", False)),
        )


@dataclass(frozen=True)
class Analysis:
    k: int
    silhouettes: dict[int, float]
    why_k: str
    labels: dict[str, int]
    groups: list[list[str]]
    coordinates: dict[str, tuple[float, float]]
    excluded: list[str]
    stats: dict[str, StatementStats]
    representative: list[list[Repness]]
    consensus: list[str]
    group_consensus: list[str]
    divisive: list[str]
    consensus_disagree: list[str] = field(default_factory=list)
    excluded_statements: list[str] = field(default_factory=list)
    min_votes: int = 7
    explained_variance: tuple[float, float] = (0.0, 0.0)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": JSON_VERSION,
            "groups": [list(g) for g in self.groups],
            "consensus": list(self.consensus),
            "representative": [[r.statement for r in reps] for reps in self.representative],
            "divisive": list(self.divisive),
            "group_consensus": list(self.group_consensus),
            "consensus_disagree": list(self.consensus_disagree),
            "k": self.k,
            "silhouettes": {str(k): v for k, v in self.silhouettes.items()},
            "why_k": self.why_k,
            "labels": dict(self.labels),
            "coordinates": {p: [x, y] for p, (x, y) in self.coordinates.items()},
            "excluded": list(self.excluded),
            "excluded_statements": list(self.excluded_statements),
            "min_votes": self.min_votes,
            "explained_variance": list(self.explained_variance),
            "representative_details": [[r.to_json() for r in reps] for reps in self.representative],
            "stats": {s: st.to_json() for s, st in self.stats.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Analysis:
        if data.get("version", JSON_VERSION) != JSON_VERSION:
            raise ValueError(f"unknown analysis version {data.get('version')!r}")
        ev = data.get("explained_variance", (0.0, 0.0))
        return cls(
            k=int(data["k"]),
            silhouettes={int(k): float(v) for k, v in data["silhouettes"].items()},
            why_k=str(data["why_k"]),
            labels={str(p): int(g) for p, g in data["labels"].items()},
            groups=[[str(p) for p in g] for g in data["groups"]],
            coordinates={str(p): (float(xy[0]), float(xy[1])) for p, xy in data["coordinates"].items()},
            excluded=[str(p) for p in data["excluded"]],
            stats={str(s): StatementStats.from_json(str(s), st) for s, st in data["stats"].items()},
            representative=[[Repness.from_json(r) for r in reps] for reps in data["representative_details"]],
            consensus=[str(s) for s in data["consensus"]],
            group_consensus=[str(s) for s in data["group_consensus"]],
            divisive=[str(s) for s in data["divisive"]],
            consensus_disagree=[str(s) for s in data.get("consensus_disagree", ())],
            excluded_statements=[str(s) for s in data.get("excluded_statements", ())],
            min_votes=int(data.get("min_votes", 7)),
            explained_variance=(float(ev[0]), float(ev[1])),
        )


# --------------------------------------------------------------------------------------------- entry point


def analyse(
    matrix: VoteMatrix,
    *,
    previous: Mapping[str, int] | None = None,
    min_votes: int = 7,
    excluded_statements: Collection[str] = (),
) -> Analysis:
    """Opinion groups, representative, consensus and divisive statements for one vote matrix."""
    values = matrix.values
    n_people, n_statements = values.shape
    excluded_set = {str(s) for s in excluded_statements}
    statement_ok = np.array([s not in excluded_set for s in matrix.statements], dtype=bool)

    # Counts over everyone (also gives each statement's mean vote and each person's number of votes).
    agree, disagree, seen = _counts(values, np.zeros(n_people, dtype=np.int64), 1)
    agree, disagree, seen = agree[0], disagree[0], seen[0]
    active = statement_ok & (seen > 0)
    all_votes = _count_rows(values, np.ones(n_statements, dtype=bool))
    votes_each = _count_rows(values, active)
    # Polis zeroes moderated-out statements (that had votes) rather than dropping them, so in its sparsity
    # scaling they count as statements and as "voted" by everyone: sqrt((S + Z) / (votes + Z)).
    zeroed = int((~statement_ok & (seen > 0)).sum())

    # Who is clustered: Polis's rule (votes on any statement), lowered when there are few statements.
    threshold = max(1, min(min_votes, int((seen > 0).sum())))
    clustered = all_votes >= threshold
    excluded_people = [p for p, keep in zip(matrix.participants, clustered, strict=True) if not keep]

    mean = np.zeros(n_statements, dtype=np.float64)
    np.divide(agree - disagree, seen, out=mean, where=seen > 0)
    centred = _centred(values, active, mean)
    components, explained = _pca(centred)
    projection = _project(centred, components, votes_each, zeroed)
    del centred
    scaled_extremity = np.zeros(n_statements, dtype=np.float64)
    if components.size:
        norms = np.linalg.norm(components, axis=0)
        scaled_extremity[active] = np.abs(1.0 - mean[active]) * norms * math.sqrt(int(active.sum()))

    rows = np.flatnonzero(clustered)
    points = projection[rows]
    k, ordered, silhouettes, why_k = _choose_k(points)
    clustered_ids = [matrix.participants[i] for i in rows]
    labels_arr = _stable_labels(ordered, k, clustered_ids, previous)

    group_of_row = np.full(n_people, -1, dtype=np.int64)
    group_of_row[rows] = labels_arr
    g_agree, g_disagree, g_seen = _counts(values, group_of_row, k)

    labels = {p: int(g) for p, g in zip(clustered_ids, labels_arr.tolist(), strict=True)}
    groups: list[list[str]] = [[] for _ in range(k)]
    for p, g in labels.items():
        groups[g].append(p)
    coordinates = {p: (float(x), float(y)) for p, (x, y) in zip(clustered_ids, points.tolist(), strict=True)}

    # Per-group agree probabilities (Laplace prior), group-aware consensus and divisiveness.
    pa_group = (g_agree + 1.0) / (g_seen + 2.0)  # (k, S)
    gac = pa_group.prod(axis=0) if k else np.zeros(n_statements)
    divisiveness = pa_group.var(axis=0) if k >= 2 else np.zeros(n_statements)

    stats = {}
    for j, sid in enumerate(matrix.statements):
        groups_counts = tuple(
            GroupCounts(
                int(g_agree[g, j]),
                int(g_disagree[g, j]),
                int(g_seen[g, j] - g_agree[g, j] - g_disagree[g, j]),
                int(g_seen[g, j]),
            )
            for g in range(k)
        )
        stats[sid] = StatementStats(
            statement=sid,
            agree=int(agree[j]),
            disagree=int(disagree[j]),
            passed=int(seen[j] - agree[j] - disagree[j]),
            seen=int(seen[j]),
            groups=groups_counts,
            group_consensus=float(gac[j]),
            divisiveness=float(divisiveness[j]),
            extremity=float(scaled_extremity[j]),
        )

    selectable = statement_ok & (seen > 0)
    representative = [
        _representative(g, g_agree, g_disagree, g_seen, selectable, matrix.statements) for g in range(k)
    ]
    consensus, consensus_disagree = _consensus(agree, disagree, seen, pa_group, selectable, matrix.statements)
    group_seen_all = (g_seen > 0).all(axis=0) if k else np.zeros(n_statements, dtype=bool)
    gac_ok = selectable & group_seen_all
    group_consensus = _top(gac, gac_ok, matrix.statements, LIST_MAX)
    divisive = _top(divisiveness, gac_ok, matrix.statements, LIST_MAX) if k >= 2 else []

    return Analysis(
        k=k,
        silhouettes=silhouettes,
        why_k=why_k,
        labels=labels,
        groups=groups,
        coordinates=coordinates,
        excluded=excluded_people,
        stats=stats,
        representative=representative,
        consensus=consensus,
        group_consensus=group_consensus,
        divisive=divisive,
        consensus_disagree=consensus_disagree,
        excluded_statements=[s for s in matrix.statements if s in excluded_set],
        min_votes=min_votes,
        explained_variance=explained,
    )


# ------------------------------------------------------------------------------------------------ counting


def _count_rows(values: F32, columns: npt.NDArray[np.bool_]) -> I64:
    counts = np.empty(values.shape[0], dtype=np.int64)
    all_columns = bool(columns.all())
    for start in range(0, values.shape[0], CHUNK_ROWS):
        block = values[start : start + CHUNK_ROWS]
        if not all_columns:
            block = block[:, columns]
        counts[start : start + len(block)] = block.shape[1] - np.isnan(block).sum(axis=1)
    return counts


def _counts(values: F32, group_of_row: I64, n_groups: int) -> tuple[F64, F64, F64]:
    """Agree, disagree and seen counts per (group, statement); rows with group -1 are left out."""
    n_statements = values.shape[1]
    totals = np.zeros((3, max(n_groups, 0), n_statements), dtype=np.float64)
    whole = n_groups == 1 and bool((group_of_row == 0).all())
    for g in range(n_groups):
        rows = None if whole else np.flatnonzero(group_of_row == g)
        count = values.shape[0] if rows is None else len(rows)
        for start in range(0, count, CHUNK_ROWS):
            block = (
                values[start : start + CHUNK_ROWS]
                if rows is None
                else values[rows[start : start + CHUNK_ROWS]]
            )
            totals[0, g] += np.count_nonzero(block == 1, axis=0)
            totals[1, g] += np.count_nonzero(block == -1, axis=0)
            totals[2, g] += block.shape[0] - np.count_nonzero(np.isnan(block), axis=0)
    return totals[0], totals[1], totals[2]


# ----------------------------------------------------------------------------------------------------- PCA


COVARIANCE_MAX_STATEMENTS = 800


def _centred(values: F32, active: npt.NDArray[np.bool_], mean: F64) -> F32:
    """Mean-imputed, centred copy of the active columns: a vote minus the statement's mean, 0 when missing."""
    columns = np.flatnonzero(active)
    out = np.empty((values.shape[0], len(columns)), dtype=np.float32)
    mu = mean[columns].astype(np.float32)
    all_columns = len(columns) == values.shape[1]
    for start in range(0, values.shape[0], CHUNK_ROWS):
        block = values[start : start + CHUNK_ROWS]
        if not all_columns:
            block = block[:, columns]
        target = out[start : start + len(block)]
        np.subtract(block, mu, out=target)
        np.copyto(target, np.float32(0.0), where=np.isnan(block))
    return out


def _pca(centred: F32) -> tuple[F64, tuple[float, float]]:
    """The first two principal axes (as rows over active statements) and their share of the variance."""
    n_active = centred.shape[1]
    if n_active == 0 or centred.shape[0] < 2:
        return np.zeros((2, n_active)), (0.0, 0.0)
    total = float(np.einsum("ij,ij->", centred, centred, dtype=np.float64))
    if n_active <= COVARIANCE_MAX_STATEMENTS:
        cov = np.zeros((n_active, n_active), dtype=np.float64)
        for start in range(0, centred.shape[0], CHUNK_ROWS):
            block = centred[start : start + CHUNK_ROWS]
            cov += block.T @ block  # float32 products of chunks, summed in float64
        eigenvalues, eigenvectors = np.linalg.eigh(cov)
        top = np.argsort(eigenvalues)[::-1][:2]
        axes = eigenvectors[:, top].T
        lam = eigenvalues[top]
    else:
        axes, lam = _subspace_iteration(centred)
    if axes.shape[0] < 2:
        axes = np.vstack([axes, np.zeros((2 - axes.shape[0], n_active))])
        lam = np.concatenate([lam, np.zeros(2 - len(lam))])
    # A fixed sign, so that the map does not flip between refreshes: the largest loading is positive.
    for i in range(2):
        if axes[i, np.argmax(np.abs(axes[i]))] < 0:
            axes[i] = -axes[i]
    explained = (float(lam[0] / total) if total else 0.0, float(lam[1] / total) if total else 0.0)
    return axes, explained


def _subspace_iteration(centred: F32, width: int = 8, iterations: int = 40) -> tuple[F64, F64]:
    """Top two right singular vectors of a tall matrix by block power iteration (fixed seed), stopping when
    the top two eigenvalues settle (relative change below 1e-6; float32 data), at most 40 rounds."""
    n = centred.shape[1]
    width = min(width, n)
    rng = np.random.default_rng(SEED)
    basis = np.linalg.qr(rng.standard_normal((n, width)))[0].astype(np.float32)
    previous = np.zeros(2)
    for _ in range(iterations):
        left = centred @ basis  # (P, width)
        gram = left.T.astype(np.float64) @ left.astype(np.float64)
        eigenvalues, vectors = np.linalg.eigh(gram)
        order = np.argsort(eigenvalues)[::-1]
        eigenvalues, vectors = eigenvalues[order], vectors[:, order]
        if np.allclose(eigenvalues[:2], previous, rtol=1e-6, atol=0):
            break
        previous = eigenvalues[:2]
        basis = _orthonormal((centred.T @ left).astype(np.float64)).astype(np.float32)
    axes = (basis.astype(np.float64) @ vectors[:, :2]).T
    return axes, eigenvalues[:2]


def _orthonormal(block: F64) -> F64:
    """Orthonormal columns spanning ``block`` (CholeskyQR twice; only width x width factorisations)."""
    for _ in range(2):
        gram = block.T @ block
        gram += np.eye(len(gram)) * (1e-12 * max(float(np.trace(gram)), 1e-300))
        block = block @ np.linalg.inv(np.linalg.cholesky(gram)).T
    return block


def _project(centred: F32, axes: F64, votes_each: I64, zeroed: int) -> F64:
    """Each participant's coordinates, scaled by sqrt(statements / statements they voted on) (see ``zeroed``)."""
    n_active = centred.shape[1]
    if n_active == 0:
        return np.zeros((centred.shape[0], 2), dtype=np.float64)
    out = (centred @ axes.T.astype(np.float32)).astype(np.float64)
    scale = np.sqrt((n_active + zeroed) / np.maximum(1, votes_each + zeroed))
    projected: F64 = out * scale[:, None]
    return projected


# ------------------------------------------------------------------------------------------------- k-means


FAR = 1e30  # where the unused centres of a smaller k sit in a batch: never the nearest


def _kmeans(points: F64, ks: Sequence[int], rng: np.random.Generator) -> dict[int, I64]:
    """Lloyd's k-means for every k in ``ks`` from several k-means++ starts each, all run at once (arrays of
    shape starts x n x max k; a smaller k's unused centres sit far away). Per k, the start with the smallest
    within-group sum of squares that uses all k groups wins. Above KMEANS_SAMPLE people the starts run on a
    fixed random sample, and each winner is then refined on everyone."""
    n = len(points)
    if n > KMEANS_SAMPLE:
        sample = np.sort(rng.choice(n, KMEANS_SAMPLE, replace=False))
        on_sample = _kmeans(points[sample], ks, rng)
        starts = [
            (k, np.stack([points[sample][on_sample[k] == g].mean(axis=0) for g in range(k)])) for k in ks
        ]
    else:
        restarts = next((r for limit, r in KMEANS_RESTARTS if n <= limit), 3)
        starts = [(k, _kmeans_plus_plus(points, k, rng)) for k in ks for _ in range(restarts)]
    k_max = max(ks)
    centres = np.full((len(starts), k_max, points.shape[1]), FAR)
    for i, (k, c) in enumerate(starts):
        centres[i, :k] = c
    labels, inertia = _lloyd(points, centres)
    best: dict[int, I64] = {}
    for k in ks:
        runs = [i for i, (kk, _) in enumerate(starts) if kk == k]
        full = [i for i in runs if len(np.unique(labels[i])) == k] or runs
        best[k] = labels[min(full, key=lambda i: (inertia[i], i))]
    return best


def _lloyd(points: F64, centres: F64) -> tuple[I64, F64]:
    """Lloyd iterations for a batch of starts; a start leaves the batch once its labels stop changing or no
    centre moves more than KMEANS_TOLERANCE of the points' variance (as scikit-learn's ``tol``). Returns every
    start's labels and within-group sum of squares."""
    restarts, k = centres.shape[0], centres.shape[1]
    n, dims = points.shape
    centres = centres.copy()
    labels = np.full((restarts, n), -1, dtype=np.int64)
    tiled = [np.tile(points[:, d], restarts) for d in range(dims)]
    tolerance = KMEANS_TOLERANCE * float(points.var(axis=0).mean())
    active = np.arange(restarts)
    for _ in range(300):
        if not len(active):
            break
        new_labels = _sq_distances(points, centres[active]).argmin(axis=2)
        changed = (new_labels != labels[active]).any(axis=1)
        labels[active] = new_labels
        active, new_labels = active[changed], new_labels[changed]
        m = len(active)
        flat = (new_labels + (np.arange(m) * k)[:, None]).ravel()
        counts = np.bincount(flat, minlength=m * k).reshape(m, k)
        moved = np.empty((m, k, dims))
        for d in range(dims):
            moved[:, :, d] = np.bincount(flat, weights=tiled[d][: m * n], minlength=m * k).reshape(m, k)
        moved /= np.maximum(counts, 1)[:, :, None]
        empty = counts == 0
        moved[empty] = centres[active][empty]
        shift = np.where(empty, 0.0, ((moved - centres[active]) ** 2).sum(axis=2)).max(axis=1)
        centres[active] = moved
        active = active[shift > tolerance]
    distances = _sq_distances(points, centres)
    labels = distances.argmin(axis=2)
    inertia = np.take_along_axis(distances, labels[:, :, None], axis=2)[:, :, 0].sum(axis=1)
    return labels, inertia


def _kmeans_plus_plus(points: F64, k: int, rng: np.random.Generator) -> F64:
    centres = np.empty((k, points.shape[1]))
    centres[0] = points[rng.integers(len(points))]
    closest = ((points - centres[0]) ** 2).sum(axis=1)
    for i in range(1, k):
        total = closest.sum()
        if total <= 0:
            centres[i] = points[rng.integers(len(points))]
        else:
            cumulative = np.cumsum(closest)
            pick = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            centres[i] = points[min(pick, len(points) - 1)]
        closest = np.minimum(closest, ((points - centres[i]) ** 2).sum(axis=1))
    return centres


def _sq_distances(points: F64, centres: F64) -> F64:
    """Squared distances, shape (restarts, n, k): |x|^2 + |c|^2 - 2 x.c, one coordinate at a time."""
    out: F64 = (centres**2).sum(axis=2)[:, None, :] + (points**2).sum(axis=1)[None, :, None]
    for d in range(points.shape[1]):
        out -= 2.0 * points[None, :, None, d] * centres[:, None, :, d]
    return out


def _distance_matrix(points64: F64) -> npt.NDArray[np.float32]:
    points = points64.astype(np.float32)
    diff = points[:, None, 0] - points[None, :, 0]
    total = diff * diff
    for d in range(1, points.shape[1]):
        diff = points[:, None, d] - points[None, :, d]
        total += diff * diff
    return np.sqrt(total, out=total)


def silhouette(points: F64, labels: I64, distances: npt.NDArray[np.float32] | None = None) -> float:
    """Mean silhouette width (Rousseeuw 1987): for each person (b - a) / max(a, b), where a is the mean distance
    to the others in their group and b to the people of the nearest other group; 0 for someone alone."""
    n = len(points)
    if len(np.unique(labels)) < 2 or n < 3:
        return 0.0
    if distances is None:
        distances = _distance_matrix(points)
    k = int(labels.max()) + 1
    onehot = np.zeros((n, k), dtype=np.float32)
    onehot[np.arange(n), labels] = 1.0
    sums = (distances @ onehot).astype(np.float64)
    sizes = onehot.sum(axis=0).astype(np.float64)
    own = sizes[labels]
    a = np.where(own > 1, sums[np.arange(n), labels] / np.maximum(own - 1, 1), 0.0)
    other = sums / np.where(sizes > 0, sizes, np.inf)
    other[np.arange(n), labels] = np.inf
    b = other.min(axis=1)
    width = np.where(own > 1, (b - a) / np.maximum(np.maximum(a, b), 1e-300), 0.0)
    return float(width.mean())


def _choose_k(points: F64) -> tuple[int, I64, dict[int, float], str]:
    """k, labels numbered by size, silhouettes and the reason. The points are sorted first (rounded to 1e-9),
    so that the result does not depend on the order of the participants."""
    rounded = np.round(points, 9)
    order = np.lexsort((rounded[:, 1], rounded[:, 0])) if len(points) else np.zeros(0, dtype=np.int64)
    k, sorted_labels, silhouettes, why = _choose_k_sorted(rounded[order])
    labels = np.empty(len(points), dtype=np.int64)
    labels[order] = _order_by_size(sorted_labels, k)
    return k, labels, silhouettes, why


def _choose_k_sorted(points: F64) -> tuple[int, I64, dict[int, float], str]:
    n = len(points)
    if n == 0:
        return 0, np.zeros(0, dtype=np.int64), {}, "Nobody has voted enough yet to be placed in a group."
    distinct = len(np.unique(np.round(points, 9), axis=0))
    if n < MIN_PEOPLE_TO_SPLIT or distinct < 2:
        why = (
            f"Only {n} {'person has' if n == 1 else 'people have'} voted enough to be placed, so everyone is in "
            f"one group (at least {MIN_PEOPLE_TO_SPLIT} are needed to look for groups)."
            if n < MIN_PEOPLE_TO_SPLIT
            else "Everyone placed voted the same way, so there is one group."
        )
        return 1, np.zeros(n, dtype=np.int64), {}, why
    rng = np.random.default_rng(SEED)
    sample = np.arange(n)
    if n > SILHOUETTE_SAMPLE:
        sample = np.sort(np.random.default_rng(SEED).choice(n, SILHOUETTE_SAMPLE, replace=False))
    silhouettes: dict[int, float] = {}
    distances = _distance_matrix(points[sample])
    candidates = _kmeans(points, range(MIN_K, min(MAX_K, distinct, n - 1) + 1), rng)
    for k, labels in candidates.items():
        silhouettes[k] = round(silhouette(points[sample], labels[sample], distances), 6)
    best_score = max(silhouettes.values())
    k = min(kk for kk, s in silhouettes.items() if s >= best_score - SILHOUETTE_TIE)
    listed = ", ".join(f"{kk} groups {s:.2f}" for kk, s in silhouettes.items())
    why = (
        f"{k} groups: people sit closest to their own group and furthest from the others with {k} "
        f"(silhouette {silhouettes[k]:.2f}; {listed})."
    )
    if silhouettes[k] < best_score:
        why += f" Within {SILHOUETTE_TIE} of the best, the smaller number of groups is chosen."
    if n > SILHOUETTE_SAMPLE:
        why += f" Silhouettes measured on a fixed sample of {SILHOUETTE_SAMPLE} of the {n} people."
    return k, candidates[k], silhouettes, why


def _order_by_size(labels: I64, k: int) -> I64:
    """Relabel so that group 0 is the largest (ties: the group with the first point in sorted order)."""
    if k <= 1:
        return np.zeros(len(labels), dtype=np.int64)
    sizes = np.bincount(labels, minlength=k)
    first = np.array([np.flatnonzero(labels == g)[0] if sizes[g] else len(labels) for g in range(k)])
    order = sorted(range(k), key=lambda g: (-sizes[g], first[g]))
    remap = np.empty(k, dtype=np.int64)
    remap[order] = np.arange(k)
    return remap[labels]


def _stable_labels(labels: I64, k: int, people: Sequence[str], previous: Mapping[str, int] | None) -> I64:
    """Give new groups the old labels of the people in them: the relabelling (a permutation of 0..k-1) that
    keeps the most people on their previous label, found exactly by trying every permutation (k <= 5)."""
    if not previous or k <= 1:
        return labels
    old = np.array([previous.get(p, -1) for p in people], dtype=np.int64)
    overlap = np.zeros((k, k), dtype=np.int64)
    known = (old >= 0) & (old < k)
    np.add.at(overlap, (labels[known], old[known]), 1)
    best = max(
        itertools.permutations(range(k)),
        key=lambda perm: sum(int(overlap[g, perm[g]]) for g in range(k)),
    )
    return np.asarray(best, dtype=np.int64)[labels]


# ---------------------------------------------------------------------------------------------- statistics


def _one_prop_z(success: F64, n: F64) -> F64:
    """Polis's one-proportion test that the share is above one half, with a pseudo-count of one."""
    s, m = success + 1.0, n + 1.0
    return 2.0 * np.sqrt(m) * (s / m - 0.5)


def _two_prop_z(s_in: F64, s_out: F64, n_in: F64, n_out: F64) -> F64:
    """Polis's two-proportion z test (group against everyone else), with pseudo-counts of one."""
    s1, s2, m1, m2 = s_in + 1.0, s_out + 1.0, n_in + 1.0, n_out + 1.0
    pooled = (s1 + s2) / (m1 + m2)
    denominator = np.sqrt(pooled * (1.0 - pooled) * (1.0 / m1 + 1.0 / m2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / m1 - s2 / m2) / denominator
    return np.where(denominator > 0, z, 0.0)


def p_value(z: float) -> float:
    """One-sided p-value of a z statistic."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _representative(
    g: int, agree: F64, disagree: F64, seen: F64, selectable: npt.NDArray[np.bool_], ids: Sequence[str]
) -> list[Repness]:
    na, nd, ns = agree[g], disagree[g], seen[g]
    oa, od, os_ = agree.sum(0) - na, disagree.sum(0) - nd, seen.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    ra, rd = pa / ((oa + 1) / (os_ + 2)), pd / ((od + 1) / (os_ + 2))
    pat, pdt = _one_prop_z(na, ns), _one_prop_z(nd, ns)
    rat, rdt = _two_prop_z(na, oa, ns, os_), _two_prop_z(nd, od, ns, os_)

    def make(j: int, direction: str, best_agree: bool = False) -> Repness:
        agree_side = direction == "agree"
        z = float(rat[j] if agree_side else rdt[j])
        return Repness(
            statement=ids[j],
            direction=direction,
            ratio=float(ra[j] if agree_side else rd[j]),
            probability=float(pa[j] if agree_side else pd[j]),
            z=z,
            p_value=p_value(z),
            probability_z=float(pat[j] if agree_side else pdt[j]),
            n_success=int(na[j] if agree_side else nd[j]),
            n_trials=int(ns[j]),
            best_agree=best_agree,
        )

    voted = selectable & (ns > 0)
    agree_sig = (pat > Z_90) & (rat > Z_90)
    disagree_sig = (pdt > Z_90) & (rdt > Z_90)
    significant = voted & (agree_sig | disagree_sig)
    use_agree = rat > rdt
    metric = np.where(use_agree, ra * rat * pa * pat, rd * rdt * pd * pdt)

    # Polis's "best agreed" statement: what the group agrees on most distinctively, or else most of all.
    eligible = voted & ((na + nd) > 0) & ((pat > Z_90) | ((ra > 1.0) & (pa > 0.5)))
    head: Repness | None = None
    if eligible.any():
        distinctive = eligible & (ra > 1.0)
        score = ra * rat * pa * pat if distinctive.any() else pa * pat
        pool = distinctive if distinctive.any() else eligible
        j = int(np.flatnonzero(pool)[np.argmax(score[pool])])
        head = make(j, "agree", best_agree=True)
    elif not significant.any() and voted.any():
        score = np.maximum(rat, rdt)
        j = int(np.flatnonzero(voted)[np.argmax(score[voted])])
        head = make(j, "agree" if use_agree[j] else "disagree")
    chosen = [head] if head else []
    order = np.flatnonzero(significant)
    order = order[np.argsort(-metric[order], kind="stable")]
    for j in order.tolist():
        if len(chosen) >= PICK_MAX:
            break
        if head and ids[j] == head.statement:
            continue
        chosen.append(make(j, "agree" if use_agree[j] else "disagree"))
    return chosen


def _consensus(
    agree: F64, disagree: F64, seen: F64, pa_group: F64, selectable: npt.NDArray[np.bool_], ids: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Polis's consensus: a majority of everyone agrees (disagrees), significantly at 90 %, ranked by
    probability x z; statements that every group leans towards (agree probability > 1/2) come first."""
    pa, pd = (agree + 1) / (seen + 2), (disagree + 1) / (seen + 2)
    pat, pdt = _one_prop_z(agree, seen), _one_prop_z(disagree, seen)
    every_group = (pa_group > 0.5).all(axis=0) if pa_group.size else np.ones(len(ids), dtype=bool)
    agree_ok = selectable & (pa > 0.5) & (pat > Z_90)
    disagree_ok = selectable & (pd > 0.5) & (pdt > Z_90)
    # Statements every group leans towards come first; then the others, each part by probability x z.
    agree_score = pa * pat + np.where(every_group, 1e9, 0.0)
    return _top(agree_score, agree_ok, ids, PICK_MAX), _top(pd * pdt, disagree_ok, ids, PICK_MAX)


def _top(score: F64, ok: npt.NDArray[np.bool_], ids: Sequence[str], limit: int) -> list[str]:
    candidates = np.flatnonzero(ok)
    order = candidates[np.argsort(-score[candidates], kind="stable")]
    return [ids[j] for j in order[:limit].tolist()]


def adjusted_rand_index(a: Sequence[int] | npt.ArrayLike, b: Sequence[int] | npt.ArrayLike) -> float:
    """Hubert and Arabie's adjusted Rand index of two labellings of the same items (1 = identical)."""
    x, y = np.asarray(a), np.asarray(b)
    if len(x) != len(y):
        raise ValueError("the two labellings have different lengths")
    n = len(x)
    if n < 2:
        return 1.0
    _, xi = np.unique(x, return_inverse=True)
    _, yi = np.unique(y, return_inverse=True)
    table = np.zeros((xi.max() + 1, yi.max() + 1), dtype=np.int64)
    np.add.at(table, (xi, yi), 1)

    def pairs(v: npt.NDArray[np.int64]) -> float:
        return float((v * (v - 1) // 2).sum())

    index = pairs(table)
    row, col = pairs(table.sum(1)), pairs(table.sum(0))
    expected = row * col / (n * (n - 1) / 2)
    maximum = (row + col) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)

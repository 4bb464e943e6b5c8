"""Opinion mapping for Polis-style conversations: pure NumPy, no Django.

People vote agree (+1), disagree (-1) or pass (0) on short statements. From those votes this package finds
opinion groups, the statements that stand for each group, the statements (nearly) everyone agrees with and
the ones that divide. The method follows Polis as published: Small, Bjorkegren, Erkkilä, Shaw and Megill,
"Polis: Scaling deliberation by mapping high dimensional opinion spaces", Recerca 26(2), 2021, and the
open-source Polis math code (``compdemocracy/polis``, ``math/src/polismath``), as ported by red-dwarf.

1. **Matrix.** One row per participant, one column per statement; a voter's latest vote on a statement
   counts (ties on time: the one given later). Missing votes are ``nan``. (:func:`build_matrix`,
   :func:`build_matrix_from_arrays` for millions of votes.)
2. **Who is placed.** Statements moderated out (``excluded_statements``) and statements nobody voted on are
   left out of the map. A participant is placed in a group once they voted on ``min_votes`` statements (Polis
   uses 7; votes on statements later moderated out count, as in Polis), or on every statement that has votes
   when there are fewer than ``min_votes`` of those. Others are listed in ``Analysis.excluded``: their votes
   still count in the overall totals and in consensus, not in any group.
3. **Map (PCA).** Each missing vote is replaced by the statement's mean vote (mean imputation), the columns are
   centred, and the first two principal components are found from everyone's votes: exactly, from the
   statement x statement covariance, up to 800 statements; above that by block power iteration with a fixed
   seed and a Rayleigh-Ritz step (one float32 centred copy of the matrix, no float64 copy). As in Polis, each
   person's coordinates are then multiplied by sqrt(statements / statements they voted on), so that people who
   voted on few statements are not all bunched in the middle. Polis zeroes moderated-out statements instead of
   dropping them, so in this factor they count both as statements and as voted on by everyone:
   sqrt((S + Z) / (n + Z)) with Z such statements (that had votes); we do the same, to place people as Polis.
4. **Groups (k-means).** The placed people's 2-D positions are split by k-means (k-means++ starts; 10 restarts up to 300 people, then 3;
   fixed seed; the split with the smallest within-group sum of squares wins; above 20,000 people the starts
   run on a fixed sample of 20,000 and the best is refined on everyone) for every
   k from 2 to 5, and the k with the highest silhouette is kept. Silhouettes within 0.01 of the best count as
   a tie and the smaller k wins. Above 3,000 people the silhouette is measured on a fixed random sample of
   3,000. With fewer than 4 people placed, or when all placed people sit on the same spot, there is one
   group; with nobody placed, none. ``why_k`` says which case applied, in plain words.
5. **Stable labels.** Groups are numbered by size (0 is the largest). With ``previous`` (participant ->
   label from the last analysis), the numbering instead keeps the most people on their old label: every
   permutation of 0..k-1 is tried (k <= 5) and the one with the greatest overlap wins.
6. **Representative statements** (Polis "repness"), per group and statement: P(agree) = (agree + 1) /
   (seen + 2) in the group (Laplace prior), likewise P(disagree); the ratio of that to the same probability
   among everyone else placed; a one-proportion z test that the group's share is above one half and a
   two-proportion z test of group against the rest (pseudo-counts of 1). A statement represents the group when
   both tests pass at 90 % (z > 1.2816) for agree or for disagree; they are ranked by ratio x z x P x z, after
   Polis's "best agreed" statement, at most 5 per group.
7. **Consensus.** Statements a majority of all voters agree with (P(agree) > 1/2 and the one-proportion test
   significant at 90 %), as in Polis, ranked by P(agree) x z, except that statements every group leans
   towards (each group's P(agree) > 1/2) come before the others; at most 5. ``consensus_disagree`` is the same
   for disagreement (Polis's ranking only).
8. **Group-aware consensus.** The product over groups of each group's P(agree) (Polis's
   ``group-aware-consensus``), best first, among statements every group has seen; at most 10.
9. **Divisive.** The variance over groups of each group's P(agree), largest first; at most 10.
10. **Priority** (:func:`priorities`): the order statements are shown in; see that function.
"""

from coproduce.lib.opinion.analysis import (
    Analysis,
    GroupCounts,
    Repness,
    StatementStats,
    adjusted_rand_index,
    analyse,
    silhouette,
)
from coproduce.lib.opinion.matrix import (
    AGREE,
    DISAGREE,
    PASS,
    VoteMatrix,
    build_matrix,
    build_matrix_from_arrays,
)
from coproduce.lib.opinion.priority import priorities

__all__ = [
    "AGREE",
    "DISAGREE",
    "PASS",
    "Analysis",
    "GroupCounts",
    "Repness",
    "StatementStats",
    "VoteMatrix",
    "adjusted_rand_index",
    "analyse",
    "build_matrix",
    "build_matrix_from_arrays",
    "priorities",
    "silhouette",
]

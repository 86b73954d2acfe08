//! The side model: it ranks whole (source, target) pairs of side
//! candidates, so that "no target" and "the same country on both sides"
//! compete with every pair of two countries on one scale.
//!
//! A pair's score is the sum of its parts, each a feature vector scored by
//! one class of the side model's weights:
//! - the source candidate's features under the source class;
//! - the target candidate's features under the target class (the source
//!   class again for a symmetric type, whose two parties play one part);
//! - features of the pair itself under the pair class: of "no target", of
//!   "the source's own country" (a sixth of annotated events are domestic:
//!   a president orders a ministry, police arrest protesters), or of two
//!   countries: whether each is named in the sentence, the order of their
//!   closest mentions and the dependency path between them, and their ranks
//!   in the document (`features::pair_features`; by cross-validation event
//!   F1 0.411 → 0.423, where only whether each was named had been a
//!   feature).
//!
//! It is trained as a structured perceptron: where the best pair under the
//! current weights is not the annotated one, the annotated pair's parts
//! gain and the guessed pair's parts lose.

use crate::features::{side_features, View};
use crate::model::{SIDE_NONE, SIDE_SOURCE, SIDE_TARGET};
use crate::roles::Side;
use annalist_models::hash::{f1, f2, f3, str_hash};
use std::ops::Range;

/// The class that scores pair features.
const PAIR: usize = SIDE_NONE;

/// Who the target of a pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The event has no target the text names.
    None,
    /// Another candidate.
    Other(usize),
    /// An actor of the source's own country.
    Same,
}

/// A source and a target among the side candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pair {
    pub source: usize,
    pub target: Target,
}

impl Pair {
    /// Whether two pairs name the same sides (either order where the type
    /// is symmetric).
    fn same_as(&self, other: &Pair, symmetric: bool) -> bool {
        if self == other {
            return true;
        }
        match (symmetric, self.target, other.target) {
            (true, Target::Other(a), Target::Other(b)) => a == other.source && b == self.source,
            _ => false,
        }
    }
}

/// The feature vectors of one event's side candidates.
#[derive(Debug, Clone, Default)]
pub struct SideFeatures {
    /// Each candidate's features.
    cands: Vec<Vec<u64>>,
    /// Features of "no target".
    none: Vec<u64>,
    /// Features of "the same country on both sides", per candidate.
    same: Vec<Vec<u64>>,
    /// Features of each pair of two countries (`a * n + b`): whether each
    /// is named in the sentence, and how their mentions relate.
    other: Vec<Vec<u64>>,
    symmetric: bool,
}

impl SideFeatures {
    /// Extracts the features of `sides` for an event of type `kind`
    /// triggered at `t`.
    pub(crate) fn new(
        v: &View<'_>,
        t: usize,
        kind: &str,
        symmetric: bool,
        sides: &[Side],
        range: &Range<usize>,
    ) -> SideFeatures {
        let ty = str_hash(kind);
        let mut cands = Vec::with_capacity(sides.len());
        let mut feats = Vec::with_capacity(48);
        for s in sides {
            side_features(v, t, kind, s, range, sides.len(), &mut feats);
            cands.push(feats.clone());
        }
        let here: Vec<bool> = sides.iter().map(|s| s.token.is_some()).collect();
        let named_here = here.iter().filter(|&&h| h).count().min(3) as u64;
        let none = vec![f1(150, ty), f2(159, named_here, ty)];
        let countries = sides.iter().filter(|s| s.distance.is_some()).count().min(4) as u64;
        let same = sides
            .iter()
            .map(|s| {
                let mut actors = s.here_actors.clone();
                actors.sort_unstable();
                actors.dedup();
                vec![
                    f1(151, ty),
                    f2(152, actors.len().min(3) as u64, ty),
                    f2(153, countries, ty),
                    f2(154, s.rank.min(3) as u64, ty),
                    f3(155, named_here, u64::from(s.token.is_some()), ty),
                    f2(156, u64::from(s.place), ty),
                ]
            })
            .collect();
        let n = sides.len();
        let mut other = Vec::with_capacity(n * n);
        for a in sides {
            for b in sides {
                other.push(crate::features::pair_features(v, ty, a, b, range));
            }
        }
        SideFeatures {
            cands,
            none,
            same,
            other,
            symmetric,
        }
    }

    /// The class that scores a target: the source class again for a
    /// symmetric type, whose two parties play one part.
    fn target_class(&self) -> usize {
        if self.symmetric {
            SIDE_SOURCE
        } else {
            SIDE_TARGET
        }
    }

    /// The parts of `pair`: feature vectors and the class that scores each.
    fn parts(&self, pair: Pair) -> Vec<(&[u64], usize)> {
        let target_class = self.target_class();
        let a = pair.source;
        let mut out = vec![(self.cands[a].as_slice(), SIDE_SOURCE)];
        match pair.target {
            Target::None => out.push((self.none.as_slice(), PAIR)),
            Target::Same => {
                out.push((self.cands[a].as_slice(), target_class));
                out.push((self.same[a].as_slice(), PAIR));
            }
            Target::Other(b) => {
                out.push((self.cands[b].as_slice(), target_class));
                let n = self.cands.len();
                out.push((self.other[a * n + b].as_slice(), PAIR));
            }
        }
        out
    }

    /// The best pair under `score` (a feature vector's score per class).
    pub(crate) fn best(&self, score: &mut dyn FnMut(&[u64]) -> [f32; 3]) -> Option<Pair> {
        let n = self.cands.len();
        if n == 0 {
            return None;
        }
        let target_class = self.target_class();
        let per: Vec<[f32; 3]> = self.cands.iter().map(|f| score(f)).collect();
        let none = score(&self.none)[PAIR];
        let mut best: Option<(Pair, f32)> = None;
        let mut offer = |p: Pair, s: f32| {
            if best.is_none_or(|(_, b)| s > b) {
                best = Some((p, s));
            }
        };
        for a in 0..n {
            let sa = per[a][SIDE_SOURCE];
            offer(
                Pair {
                    source: a,
                    target: Target::None,
                },
                sa + none,
            );
            let same = score(&self.same[a])[PAIR];
            offer(
                Pair {
                    source: a,
                    target: Target::Same,
                },
                sa + per[a][target_class] + same,
            );
            for (b, pb) in per.iter().enumerate() {
                if b == a {
                    continue;
                }
                let pair = score(&self.other[a * n + b])[PAIR];
                offer(
                    Pair {
                        source: a,
                        target: Target::Other(b),
                    },
                    sa + pb[target_class] + pair,
                );
            }
        }
        best.map(|(p, _)| p)
    }
}

/// One event's side candidates with the annotated pair, for training.
#[derive(Debug, Clone)]
pub struct SideExample {
    feats: SideFeatures,
    gold: Pair,
}

impl SideExample {
    pub(crate) fn new(feats: SideFeatures, gold: Pair) -> SideExample {
        SideExample { feats, gold }
    }
}

/// How many of `data`'s annotated pairs `weights` ranks best: the side
/// model's accuracy where the trigger and type are the annotated ones.
pub(crate) fn accuracy(
    weights: &annalist_models::perceptron::Weights,
    data: &[SideExample],
) -> (usize, usize) {
    let scale = weights.scale.max(f32::MIN_POSITIVE);
    let mut scores = [0i32; 3];
    let mut score = |f: &[u64]| {
        weights.score(f, &mut scores);
        scores.map(|s| s as f32 * scale)
    };
    let right = data
        .iter()
        .filter(|ex| {
            ex.feats
                .best(&mut score)
                .is_some_and(|p| p.same_as(&ex.gold, ex.feats.symmetric))
        })
        .count();
    (right, data.len())
}

/// Trains the side model's weights (3 classes) on `data` as a structured
/// perceptron, `epochs` passes in the order `shuffle` gives each pass.
pub(crate) fn fit(
    data: &[&SideExample],
    epochs: usize,
    shuffle: &mut dyn FnMut(&mut [usize]),
    prune: f32,
) -> annalist_models::perceptron::Weights {
    let mut p = annalist_models::perceptron::Averaged::new(3);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut buf = vec![0f32; 3];
    for _ in 0..epochs {
        shuffle(&mut order);
        for &i in &order {
            let ex = data[i];
            let mut score = |f: &[u64]| {
                p.score(f, &mut buf);
                [buf[0], buf[1], buf[2]]
            };
            let Some(guess) = ex.feats.best(&mut score) else {
                continue;
            };
            if !guess.same_as(&ex.gold, ex.feats.symmetric) {
                for (f, class) in ex.feats.parts(ex.gold) {
                    p.add(f, class, 1.0);
                }
                for (f, class) in ex.feats.parts(guess) {
                    p.add(f, class, -1.0);
                }
            }
            p.tick();
        }
    }
    p.finish(prune)
}

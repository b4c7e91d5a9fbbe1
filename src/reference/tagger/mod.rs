//! A small sequence tagger for reference strings: a linear-chain conditional random field over
//! hashed token features, trained by AdaGrad on the L2-penalised log-likelihood (with a margin at
//! part boundaries: softmax-margin) and decoded with Viterbi. Besides label-pair weights, each
//! pair of labels is also weighed by edge observations (what the token before looks like, this
//! token's shape, both together), so that "a title ends at this full stop" can be learnt as such.
//!
//! It labels each token as author, date, title, venue, volume, pages, DOI, citation number,
//! editor, publisher, location or other. The weights ship inside the binary (`tagger.bin`, written
//! by `refs-lab train`); nothing is downloaded.

use std::collections::HashSet;

use rayon::prelude::*;

use super::label::Label;
use super::tokenize::Token;

/// The labels, in model order: the parts of an entry, then the first and the last token of a
/// title and of a venue. Where those two parts begin and end is most of what the tagger gets
/// wrong, and their first and last tokens look their own way (a capital after a full stop, a
/// closing mark); labels of their own let the model weigh them apart. The names of [`Label`],
/// whose discriminants are these indices.
pub const LABELS: [&str; L] = {
    let mut names = [""; L];
    let mut l = 0;
    while l < L {
        names[l] = Label::ALL[l].name();
        l += 1;
    }
    names
};
/// The part each label belongs to; the tagger returns parts only, the first `PARTS` labels.
const PART_OF: [usize; L] = {
    let mut parts = [0; L];
    let mut l = 0;
    while l < L {
        parts[l] = Label::ALL[l].part().index();
        l += 1;
    }
    parts
};
/// Number of part labels.
pub const PARTS: usize = Label::PARTS;
const L: usize = Label::ALL.len();
/// Training runs, each over the examples in another order, whose weights are averaged: one run's
/// scores move by ±0.3 points of micro-F1 with the order alone.
const RUNS: u64 = 4;
/// Feature hash width: 2^BITS buckets.
const BITS: u32 = 16;
const MAGIC: &[u8; 8] = b"CSTAG004";
/// Emission features per token.
const KE: usize = 28;
/// Edge features per token: observations that weigh each pair of labels (previous, this).
const KT: usize = 3;
/// Features per token.
const K: usize = KE + KT;
/// Edge observation hash width.
const EDGE_BITS: u32 = 12;
const LL: usize = L * L;
/// Training cost of labelling a token at a part boundary (the gold part changes before or after
/// it) with another part: there a wrong label moves a boundary, and costs a field.
const BOUNDARY_COST: f32 = 1.0;
/// AdaGrad's base learning rate and the L2 penalty of the CRF training.
const RATE: f32 = 0.1;
const L2: f32 = 1e-4;
/// Hashes standing for the positions before the first and after the last token.
const BOS: u64 = 0x5bd1_e995_0000_0001;
const EOS: u64 = 0x5bd1_e995_0000_0002;

mod features;

use features::fnv;
#[cfg(test)]
use features::shape;
pub use features::{features, year_like};
pub(crate) use features::{is_month, is_single_capital, is_volume_marker};

/// Why a tagger model does not load.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The bytes do not start as a model does.
    #[error("not a clinsearch tagger model")]
    NotAModel,
    /// The model ends early.
    #[error("truncated tagger model")]
    Truncated,
    /// A row of weights lies outside its table.
    #[error("row index out of range in the tagger model")]
    RowOutOfRange,
}

/// Model weights as used for tagging: emission and edge weights are integer multiples of one
/// scale per table, stored in 16 bits in `tagger.bin`. Emission rows stay 16-bit in memory (half
/// the size: tagging loads 27 of them per token); edge rows are widened to 32 bits at load, which
/// spares the sign extension of 3 × 256 weights per token (measured: 7% fewer instructions).
pub struct Tagger {
    /// `weights[feature]`: the feature's weight for each label, as multiples of `weight_scale`.
    weights: Vec<Row>,
    weight_scale: f32,
    /// `transitions[prev * L + label]`; row `L` is the start.
    transitions: Vec<f32>,
    /// `edges[observation * L * L + prev * L + label]`, as multiples of `edge_scale` (each within
    /// 16 bits): label pairs weighed by what the token and the one before it look like.
    edges: Vec<i32>,
    edge_scale: f32,
    /// Hashes of the strings the model was trained on, to tell training data from new data.
    trained_on: HashSet<u64>,
}

/// Labels per emission row (at least `L`; padded if fewer), so that a row is 32 bytes and never
/// straddles a cache line.
const ROW: usize = 16;
const _: () = assert!(ROW >= L, "an emission row holds every label");

/// One feature's emission weights.
#[derive(Clone, Copy, Default)]
#[repr(C, align(32))]
struct Row([i16; ROW]);

/// Weights in full precision, while training.
struct Dense {
    /// `weights[feature * L + label]`.
    weights: Vec<f32>,
    /// As [`Tagger::transitions`].
    transitions: Vec<f32>,
    /// `edges[observation * L * L + prev * L + label]`.
    edges: Vec<f32>,
}

impl Tagger {
    /// A model that knows nothing.
    pub fn empty() -> Tagger {
        Tagger {
            weights: vec![Row::default(); 1 << BITS],
            weight_scale: 1.0,
            transitions: vec![0.0; (L + 1) * L],
            edges: vec![0; (1 << EDGE_BITS) * LL],
            edge_scale: 1.0,
            trained_on: HashSet::new(),
        }
    }

    /// Whether `text` was among the training strings.
    pub fn was_trained_on(&self, text: &str) -> bool {
        self.trained_on.contains(&fnv(0, text.as_bytes()))
    }

    /// Number of training strings.
    pub fn training_size(&self) -> usize {
        self.trained_on.len()
    }

    /// The most likely label of each token.
    pub fn tag(&self, text: &str, tokens: &[Token]) -> Vec<usize> {
        let feats = features(text, tokens);
        let mut labels = self.viterbi(&feats);
        labels.iter_mut().for_each(|l| *l = PART_OF[*l]);
        labels
    }

    /// Ask for the weight rows of a token's features ahead of their use: the emission table
    /// is larger than the processor's cache, and its rows are read in no order.
    #[inline(always)]
    #[cfg_attr(not(target_arch = "x86_64"), allow(unused_variables))]
    fn prefetch(&self, token: &[u32]) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            for &f in &token[..KE] {
                let row = &self.weights[f as usize] as *const Row as *const i8;
                // SAFETY: SSE is part of every x86-64 processor; a prefetch reads nothing.
                unsafe { _mm_prefetch::<_MM_HINT_T0>(row) };
            }
        }
    }

    /// Scores of each label at a token.
    #[inline(always)]
    fn emissions(&self, token: &[u32]) -> [f32; L] {
        let mut sum = [0i32; ROW];
        for &f in &token[..KE] {
            let row = &self.weights[f as usize].0;
            for (s, &w) in sum.iter_mut().zip(row) {
                *s += i32::from(w);
            }
        }
        std::array::from_fn(|l| sum[l] as f32 * self.weight_scale)
    }

    /// Best label sequence for flat features (`K` per token), through AVX2 where the processor
    /// has it: the same arithmetic, on eight labels at a time instead of four.
    fn viterbi(&self, feats: &[u32]) -> Vec<usize> {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2, checked just above.
            return unsafe { self.viterbi_avx2(feats) };
        }
        self.viterbi_with(feats)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn viterbi_avx2(&self, feats: &[u32]) -> Vec<usize> {
        self.viterbi_with(feats)
    }

    /// The Viterbi pass itself, inlined into each of [`Tagger::viterbi`]'s code paths.
    #[inline(always)]
    fn viterbi_with(&self, feats: &[u32]) -> Vec<usize> {
        let n = feats.len() / K;
        if n == 0 {
            return Vec::new();
        }
        let start = &self.transitions[LL..];
        let mut back = vec![[0u8; L]; n];
        let e0 = self.emissions(&feats[..K]);
        let mut score = [0f32; L];
        for l in 0..L {
            score[l] = e0[l] + start[l];
        }
        for (i, token) in feats.chunks_exact(K).enumerate().skip(1) {
            let e = self.emissions(token);
            if let Some(next) = feats.get((i + 1) * K..(i + 2) * K) {
                self.prefetch(next);
            }
            let edges: [&[i32]; KT] = std::array::from_fn(|k| {
                let o = token[KE + k] as usize;
                &self.edges[o * LL..o * LL + LL]
            });
            // For each label, the best previous label: the score of each (previous, this) pair
            // (its transition and edge weights) added to the scores so far, a row at a time.
            let mut best = [f32::NEG_INFINITY; L];
            let mut arg = [0u32; L];
            for (p, &prev) in score.iter().enumerate() {
                let row = p * L..p * L + L;
                let mut sum = [0i32; L];
                for edge in &edges {
                    for (s, &w) in sum.iter_mut().zip(&edge[row.clone()]) {
                        *s += w;
                    }
                }
                let trans: &[f32; L] = self.transitions[row].try_into().expect("a row");
                // Without branches, so that the labels are compared side by side.
                for l in 0..L {
                    let s = prev + (trans[l] + sum[l] as f32 * self.edge_scale);
                    let better = s > best[l];
                    best[l] = if better { s } else { best[l] };
                    arg[l] = if better { p as u32 } else { arg[l] };
                }
            }
            for l in 0..L {
                score[l] = best[l] + e[l];
            }
            back[i] = arg.map(|p| p as u8);
        }
        let mut l = (0..L)
            .max_by(|&a, &b| score[a].total_cmp(&score[b]))
            .unwrap_or(0);
        let mut out = vec![0; n];
        for i in (0..n).rev() {
            out[i] = l;
            l = back[i][l] as usize;
        }
        out
    }

    /// Train a linear-chain CRF on `(text, tokens, labels)` examples, labelled as
    /// [`Label::learnt`] says: the conditional log-likelihood with an L2 penalty, maximised by
    /// AdaGrad over shuffled examples, in [`RUNS`] runs of different orders (two at a time) whose
    /// weights are averaged.
    pub fn train(examples: &[(String, Vec<Token>, Vec<usize>)], epochs: usize) -> Tagger {
        let feats: Vec<Vec<u32>> = examples
            .iter()
            .map(|(t, toks, _)| features(t, toks))
            .collect();
        let gold: Vec<&[usize]> = examples.iter().map(|e| &e.2[..]).collect();
        let runs: Vec<Dense> = (0..RUNS)
            .into_par_iter()
            .map(|run| {
                let seed = 0x2545F4914F6CDD1D ^ run.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                Dense::train(&feats, &gold, epochs, seed)
            })
            .collect();
        let model = Dense::average(runs);
        let (weight_scale, weights) = quantize(&model.weights);
        let (edge_scale, edges) = quantize(&model.edges);
        let edges = edges.into_iter().map(i32::from).collect();
        Tagger {
            weights: padded_rows(&weights),
            weight_scale,
            transitions: model.transitions,
            edges,
            edge_scale,
            trained_on: examples
                .iter()
                .map(|(t, _, _)| fnv(0, t.as_bytes()))
                .collect(),
        }
    }

    /// Serialise: magic, transitions, training hashes, then the rows of emission and edge weights
    /// that are not all zero ([`write_rows`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        for t in &self.transitions {
            out.extend(t.to_le_bytes());
        }
        out.extend((self.trained_on.len() as u32).to_le_bytes());
        let mut hashes: Vec<u64> = self.trained_on.iter().copied().collect();
        hashes.sort_unstable();
        for h in hashes {
            out.extend(h.to_le_bytes());
        }
        let weights: Vec<&[i16]> = self.weights.iter().map(|r| &r.0[..L]).collect();
        write_rows(&mut out, self.weight_scale, &weights);
        let edges: Vec<i16> = self.edges.iter().map(|&e| e as i16).collect();
        let edges: Vec<&[i16]> = edges.chunks_exact(LL).collect();
        write_rows(&mut out, self.edge_scale, &edges);
        out
    }

    /// Read what [`Tagger::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let mut model = Tagger::empty();
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], ModelError> {
            let s = bytes.get(at..at + n).ok_or(ModelError::Truncated)?;
            at += n;
            Ok(s)
        };
        if take(8)? != MAGIC {
            return Err(ModelError::NotAModel);
        }
        for t in model.transitions.iter_mut() {
            *t = f32::from_le_bytes(take(4)?.try_into().unwrap());
        }
        let n = u32::from_le_bytes(take(4)?.try_into().unwrap()) as usize;
        for _ in 0..n {
            model
                .trained_on
                .insert(u64::from_le_bytes(take(8)?.try_into().unwrap()));
        }
        let mut weights = vec![0i16; (1 << BITS) * L];
        model.weight_scale = read_rows(&mut take, &mut weights, L)?;
        model.weights = padded_rows(&weights);
        let mut edges = vec![0i16; (1 << EDGE_BITS) * LL];
        model.edge_scale = read_rows(&mut take, &mut edges, LL)?;
        model.edges = edges.into_iter().map(i32::from).collect();
        Ok(model)
    }
}

impl Dense {
    /// A model whose weights are all zero.
    fn zeros() -> Dense {
        Dense {
            weights: vec![0.0; (1 << BITS) * L],
            transitions: vec![0.0; (L + 1) * L],
            edges: vec![0.0; (1 << EDGE_BITS) * LL],
        }
    }

    /// One training run over the examples in the order `seed` shuffles them to.
    fn train(feats: &[Vec<u32>], gold: &[&[usize]], epochs: usize, mut seed: u64) -> Dense {
        let mut model = Dense::zeros();
        let mut g2_w = vec![0f32; model.weights.len()];
        let mut g2_t = vec![0f32; model.transitions.len()];
        let mut g2_x = vec![0f32; model.edges.len()];
        let mut grad_p: Vec<[f32; LL]> = Vec::new();
        let mut order: Vec<usize> = (0..feats.len()).collect();
        let mut grad_e: Vec<[f32; L]> = Vec::new();
        let mut grad_t = vec![0f32; model.transitions.len()];
        for _ in 0..epochs {
            for i in (1..order.len()).rev() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                order.swap(i, (seed % (i as u64 + 1)) as usize);
            }
            for &k in &order {
                let gold = gold[k];
                let f = &feats[k];
                if f.is_empty() {
                    continue;
                }
                model.crf_gradient(f, gold, &mut grad_e, &mut grad_p);
                grad_t.iter_mut().for_each(|g| *g = 0.0);
                grad_t[LL..].copy_from_slice(&grad_e[0]);
                for (tf, grad) in f.chunks_exact(K).zip(&grad_p).skip(1) {
                    for (t, g) in grad_t.iter_mut().zip(grad) {
                        *t += g;
                    }
                    for &o in &tf[KE..] {
                        let row = o as usize * LL..o as usize * LL + LL;
                        adagrad(&mut model.edges[row.clone()], &mut g2_x[row], grad);
                    }
                }
                // Emission weights: the gradient of a token's label scores goes to each feature.
                for (tf, grad) in f.chunks_exact(K).zip(&grad_e) {
                    for &x in &tf[..KE] {
                        let row = x as usize * L..x as usize * L + L;
                        adagrad(&mut model.weights[row.clone()], &mut g2_w[row], grad);
                    }
                }
                adagrad(&mut model.transitions, &mut g2_t, &grad_t);
            }
        }
        model
    }

    /// The mean of the weights of several runs.
    fn average(runs: Vec<Dense>) -> Dense {
        let n = runs.len() as f32;
        let mut runs = runs.into_iter();
        let mut mean = runs.next().expect("one run at least");
        for run in runs {
            for (table, more) in [
                (&mut mean.weights, &run.weights),
                (&mut mean.transitions, &run.transitions),
                (&mut mean.edges, &run.edges),
            ] {
                table.iter_mut().zip(more).for_each(|(a, b)| *a += b);
            }
        }
        for table in [&mut mean.weights, &mut mean.transitions, &mut mean.edges] {
            table.iter_mut().for_each(|w| *w /= n);
        }
        mean
    }

    /// Scores of each (previous, this) label pair at a token.
    fn pairs(&self, token: &[u32]) -> [f32; LL] {
        let mut out: [f32; LL] = self.transitions[..LL]
            .try_into()
            .expect("L * L transitions");
        for &o in &token[KE..] {
            let row = &self.edges[o as usize * LL..o as usize * LL + LL];
            for (t, e) in out.iter_mut().zip(row) {
                *t += e;
            }
        }
        out
    }

    /// Scores of each label at a token.
    fn emissions(&self, token: &[u32]) -> [f32; L] {
        let mut out = [0f32; L];
        for &f in &token[..KE] {
            let row = &self.weights[f as usize * L..f as usize * L + L];
            for (o, w) in out.iter_mut().zip(row) {
                *o += w;
            }
        }
        out
    }

    /// Gradient of the negative log-likelihood of `gold` under the softmax-margin loss (Gimpel and
    /// Smith, 2010; costs [`BOUNDARY_COST`]): per token, expected minus observed
    /// label counts (`grad_e`) and label-pair counts with the token before (`grad_p`; the first
    /// token's is unused: its labels' gradient is also the start's).
    fn crf_gradient(
        &self,
        feats: &[u32],
        gold: &[usize],
        grad_e: &mut Vec<[f32; L]>,
        grad_p: &mut Vec<[f32; LL]>,
    ) {
        let n = feats.len() / K;
        let start = &self.transitions[LL..];
        let mut e: Vec<[f32; L]> = feats.chunks_exact(K).map(|t| self.emissions(t)).collect();
        // Softmax-margin: where the gold part changes, every label of another part scores
        // higher by the cost of its error, so the model learns those tokens with a margin.
        for i in 0..n {
            let part = PART_OF[gold[i]];
            let edge = |j: Option<usize>| {
                j.and_then(|j| gold.get(j))
                    .is_some_and(|&g| PART_OF[g] != part)
            };
            if edge(i.checked_sub(1)) || edge(Some(i + 1)) {
                for (score, &p) in e[i].iter_mut().zip(&PART_OF) {
                    if p != part {
                        *score += BOUNDARY_COST;
                    }
                }
            }
        }
        let t: Vec<[f32; LL]> = feats.chunks_exact(K).map(|t| self.pairs(t)).collect();
        let mut alpha = vec![[0f32; L]; n];
        let mut beta = vec![[0f32; L]; n];
        for l in 0..L {
            alpha[0][l] = start[l] + e[0][l];
        }
        for i in 1..n {
            for l in 0..L {
                alpha[i][l] =
                    log_sum_exp((0..L).map(|p| alpha[i - 1][p] + t[i][p * L + l])) + e[i][l];
            }
        }
        for i in (0..n - 1).rev() {
            for p in 0..L {
                beta[i][p] =
                    log_sum_exp((0..L).map(|l| t[i + 1][p * L + l] + e[i + 1][l] + beta[i + 1][l]));
            }
        }
        let z = log_sum_exp(alpha[n - 1].iter().copied());
        grad_e.clear();
        grad_e.resize(n, [0f32; L]);
        grad_p.clear();
        grad_p.resize(n, [0f32; LL]);
        for i in 0..n {
            for l in 0..L {
                grad_e[i][l] = (alpha[i][l] + beta[i][l] - z).exp();
            }
            grad_e[i][gold[i]] -= 1.0;
            if i > 0 {
                for p in 0..L {
                    for l in 0..L {
                        grad_p[i][p * L + l] =
                            (alpha[i - 1][p] + t[i][p * L + l] + e[i][l] + beta[i][l] - z).exp();
                    }
                }
                grad_p[i][gold[i - 1] * L + gold[i]] -= 1.0;
            }
        }
    }
}

/// Emission rows of `L` weights, padded to [`Row`]s.
fn padded_rows(flat: &[i16]) -> Vec<Row> {
    flat.chunks_exact(L)
        .map(|w| {
            let mut row = Row::default();
            row.0[..L].copy_from_slice(w);
            row
        })
        .collect()
}

/// A table as 16-bit multiples of one scale: the largest weight is `i16::MAX` steps.
fn quantize(table: &[f32]) -> (f32, Vec<i16>) {
    let scale = table.iter().fold(0f32, |m, w| m.max(w.abs())) / f32::from(i16::MAX);
    let scale = if scale > 0.0 { scale } else { 1.0 };
    (
        scale,
        table.iter().map(|w| (w / scale).round() as i16).collect(),
    )
}

/// Write the rows that are not all zero, each as its index and its 16-bit steps, after the scale
/// of one step.
fn write_rows(out: &mut Vec<u8>, scale: f32, rows: &[&[i16]]) {
    let kept: Vec<(usize, &&[i16])> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| row.iter().any(|&w| w != 0))
        .collect();
    out.extend(scale.to_le_bytes());
    out.extend((kept.len() as u32).to_le_bytes());
    for (index, row) in kept {
        out.extend((index as u32).to_le_bytes());
        for w in row.iter() {
            out.extend(w.to_le_bytes());
        }
    }
}

/// Read what [`write_rows`] wrote into `table` (rows of `width`); returns the scale.
fn read_rows<'a>(
    take: &mut impl FnMut(usize) -> Result<&'a [u8], ModelError>,
    table: &mut [i16],
    width: usize,
) -> Result<f32, ModelError> {
    let scale = f32::from_le_bytes(take(4)?.try_into().unwrap());
    let n = u32::from_le_bytes(take(4)?.try_into().unwrap()) as usize;
    for _ in 0..n {
        let index = u32::from_le_bytes(take(4)?.try_into().unwrap()) as usize;
        let row = table
            .get_mut(index * width..index * width + width)
            .ok_or(ModelError::RowOutOfRange)?;
        for w in row {
            *w = i16::from_le_bytes(take(2)?.try_into().unwrap());
        }
    }
    Ok(scale)
}

/// One AdaGrad step of the L2-penalised loss for the `weights` whose loss gradient is `grad`;
/// `g2` holds their sums of squared gradients.
fn adagrad(weights: &mut [f32], g2: &mut [f32], grad: &[f32]) {
    for ((w, g2), g) in weights.iter_mut().zip(g2).zip(grad) {
        let g = g + L2 * *w;
        if g != 0.0 {
            *g2 += g * g;
            *w -= RATE * g / (g2.sqrt() + 1e-6);
        }
    }
}

fn log_sum_exp(values: impl Iterator<Item = f32> + Clone) -> f32 {
    let max = values.clone().fold(f32::NEG_INFINITY, f32::max);
    if max == f32::NEG_INFINITY {
        return max;
    }
    max + values.map(|v| (v - max).exp()).sum::<f32>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::tokenize::tokenize;

    #[test]
    fn shapes() {
        for (word, want) in [
            ("Duman", "Xx"),
            ("RS", "XX"),
            ("2016", "dddd"),
            ("238–249", "ddd-ddd"),
        ] {
            assert_eq!(shape(word), want, "{word}");
        }
    }

    #[test]
    fn boundary_labels_belong_to_their_part() {
        // The order the built-in model was trained with.
        let model_order = [
            "author",
            "date",
            "title",
            "venue",
            "volume",
            "pages",
            "doi",
            "number",
            "editor",
            "publisher",
            "location",
            "other",
            "title-begin",
            "venue-begin",
            "title-end",
            "venue-end",
        ];
        assert_eq!(LABELS, model_order);
        for (l, &part) in PART_OF.iter().enumerate() {
            assert!(LABELS[l].starts_with(LABELS[part]), "{}", LABELS[l]);
            assert_eq!(l < PARTS, l == part, "{}", LABELS[l]);
        }
        let (title, venue, author) = (Label::Title, Label::Venue, Label::Author);
        assert_eq!(title.learnt(true, false), Label::TitleBegin);
        assert_eq!(LABELS[title.learnt(true, false).index()], "title-begin");
        assert_eq!(LABELS[title.learnt(true, true).index()], "title-begin");
        assert_eq!(LABELS[venue.learnt(false, true).index()], "venue-end");
        assert_eq!(venue.learnt(false, false), venue);
        assert_eq!(author.learnt(true, true), author);
        assert_eq!(Label::of_element("note"), Label::Other);
        assert_eq!(Label::of_element("container-title"), Label::Venue);
    }

    #[test]
    fn training_keeps_a_margin_at_part_boundaries() {
        // With all weights zero, every label is as likely as any other, except where the cost
        // of an error is added: at a boundary, the gold part's labels are less likely than inside
        // a part, so their gradient pulls harder.
        let model = Dense::zeros();
        let text = "Smith J Cats";
        let feats = features(text, &tokenize(text));
        let (author, title) = (Label::Author.index(), Label::Title.index());
        let (mut grad_e, mut grad_p) = (Vec::new(), Vec::new());
        model.crf_gradient(&feats, &[author, author, title], &mut grad_e, &mut grad_p);
        let gold_probability = |i: usize, l: usize| grad_e[i][l] + 1.0;
        assert!((gold_probability(0, author) - 1.0 / L as f32).abs() < 1e-4);
        for (i, l) in [(1, author), (2, title)] {
            assert!(gold_probability(i, l) < 0.5 / L as f32, "token {i}");
        }
    }

    #[test]
    fn learns_a_toy_pattern_and_round_trips() {
        let examples: Vec<(String, Vec<Token>, Vec<usize>)> = [
            "Smith J. 2001. Cats. Nature",
            "Jones K. 1999. Dogs. Science",
        ]
        .iter()
        .map(|s| {
            let t = tokenize(s);
            let labels = vec![0, 0, 0, 1, 1, 2, 2, 3];
            (s.to_string(), t, labels)
        })
        .collect();
        let model = Tagger::train(&examples, 5);
        let text = "Brown A. 2010. Birds. Cell";
        assert_eq!(model.tag(text, &tokenize(text)), [0, 0, 0, 1, 1, 2, 2, 3]);
        let copy = Tagger::from_bytes(&model.to_bytes()).unwrap();
        assert_eq!(copy.tag(text, &tokenize(text)), [0, 0, 0, 1, 1, 2, 2, 3]);
        assert!(copy.was_trained_on("Smith J. 2001. Cats. Nature"));
        assert!(Tagger::from_bytes(b"nope").is_err());
    }

    #[test]
    fn the_fast_path_labels_as_the_portable_one() {
        let model = Tagger::from_bytes(include_bytes!("../tagger.bin")).unwrap();
        for text in [
            "Duman, R. S., Aghajanian, G. K., Sanacora, G., & Krystal, J. H. (2016). Synaptic \
             plasticity and depression. Nature Medicine, 22(3), 238-249.",
            "Lindholm ML, Traff S, et al. Ketamine in anaesthesia. Anesth Analg. \
             2009;108(2):508-12.",
            "[7] L. Bottou, “Large-scale machine learning,” in Proc. COMPSTAT, 2010, pp. 177–186.",
            "Stein, Stanley J. Vassouras, a Brazilian Coffee County. Cambridge: Harvard UP, 1957.",
        ] {
            let feats = features(text, &tokenize(text));
            let portable = model.viterbi_with(&feats);
            assert_eq!(model.viterbi(&feats), portable, "{text}");
            assert!(portable.iter().any(|&l| l != portable[0]), "{text}");
        }
    }

    #[test]
    fn the_built_in_model_reads_and_writes_the_same_bytes() {
        let bytes = include_bytes!("../tagger.bin");
        let model = Tagger::from_bytes(bytes).unwrap();
        assert!(
            model.to_bytes() == bytes,
            "tagger.bin changes in a round trip"
        );
    }
}

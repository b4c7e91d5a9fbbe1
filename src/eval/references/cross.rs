//! K-fold cross-validation of the tagger's training procedure.

use super::score::{score, timed};
use super::{train, Labelled, Report};
use crate::model::Reference;
use crate::reference::parse_with;

/// K-fold cross-validation: train a tagger on all folds but one, parse the held-out fold, and
/// score all held-out parses together. Every reference is parsed by a model that never saw it.
/// Each tagger learns from `share` (0 < share ≤ 1) of the other folds' references, spread
/// evenly over them: with shares below 1 the scores trace how accuracy grows with the amount
/// of labelled data.
pub fn cross_validate(data: &[Labelled], folds: usize, epochs: usize, share: f64) -> Report {
    let folds = folds.clamp(2, data.len().max(2));
    let mut parsed: Vec<Option<Reference>> = vec![None; data.len()];
    let mut elapsed = 0.0;
    for k in 0..folds {
        let train_data: Vec<Labelled> = data
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != k)
            .map(|(_, l)| l)
            .enumerate()
            .filter(|&(j, _)| evenly_kept(j, share))
            .map(|(_, l)| l.clone())
            .collect();
        let model = train(&train_data, epochs);
        let held_out: Vec<usize> = (k..data.len()).step_by(folds).collect();
        let inputs: Vec<&str> = held_out.iter().map(|&i| data[i].input.as_str()).collect();
        let (fold, seconds) = timed(&inputs, |input| parse_with(&model, input));
        for (i, r) in held_out.into_iter().zip(fold) {
            parsed[i] = Some(r);
        }
        elapsed += seconds;
    }
    let parsed: Vec<Reference> = parsed
        .into_iter()
        .map(|p| p.expect("every fold parsed"))
        .collect();
    score(data, &parsed, elapsed)
}

/// Whether the `j`th item of a list is among an evenly spread `share` of it: those at which
/// the running total `share × (j + 1)` reaches a new whole number.
fn evenly_kept(j: usize, share: f64) -> bool {
    (share * (j + 1) as f64).floor() > (share * j as f64).floor()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_of_the_training_data_is_spread_evenly() {
        let kept =
            |share: f64| -> Vec<usize> { (0..1000).filter(|&j| evenly_kept(j, share)).collect() };
        assert_eq!(kept(1.0).len(), 1000);
        assert_eq!(kept(0.25).len(), 250);
        assert_eq!(kept(0.5), (0..1000).skip(1).step_by(2).collect::<Vec<_>>());
        let gaps: Vec<usize> = kept(0.3).windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.iter().all(|&g| g == 3 || g == 4), "{gaps:?}");
    }
}

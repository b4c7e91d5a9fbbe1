//! Retrieval metrics as trec_eval computes them: nDCG@k with graded gains, recall@k, average
//! precision over the top 1000, and precision@k. Judgments of 0 are not relevant; queries without
//! judgments are skipped.

use std::collections::HashMap;

use serde::Serialize;

use crate::error::{Error, Result};

/// Relevance judgments: query id → document id → grade.
pub type Qrels = HashMap<String, HashMap<String, u32>>;
/// A run: query id → documents in rank order.
pub type Run = HashMap<String, Vec<String>>;

/// Mean scores over the judged queries of a run.
#[derive(Clone, Copy, Debug, Default, Serialize, PartialEq)]
pub struct Scores {
    /// Queries scored (those with at least one relevant judgment).
    pub queries: usize,
    /// nDCG@10.
    pub ndcg_10: f64,
    /// Recall@100.
    pub recall_100: f64,
    /// Mean average precision over the top 1000.
    pub map_1000: f64,
    /// Precision@10.
    pub p_10: f64,
}

/// nDCG@k of one ranking: DCG with gain = grade and discount log2(rank + 1), over the ideal DCG of
/// all judged documents.
pub fn ndcg(ranking: &[String], judged: &HashMap<String, u32>, k: usize) -> f64 {
    let dcg: f64 = ranking
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, d)| f64::from(*judged.get(d).unwrap_or(&0)) / (i as f64 + 2.0).log2())
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &g)| f64::from(g) / (i as f64 + 2.0).log2())
        .sum();
    if idcg == 0.0 {
        0.0
    } else {
        dcg / idcg
    }
}

/// Share of relevant documents found in the top k.
pub fn recall(ranking: &[String], judged: &HashMap<String, u32>, k: usize) -> f64 {
    let relevant = judged.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    relevant_in_top(ranking, judged, k) as f64 / relevant as f64
}

/// Precision at k (the divisor is k even when fewer are returned, as in trec_eval).
pub fn precision(ranking: &[String], judged: &HashMap<String, u32>, k: usize) -> f64 {
    relevant_in_top(ranking, judged, k) as f64 / k as f64
}

/// How many of the top k are judged relevant (grade above 0).
fn relevant_in_top(ranking: &[String], judged: &HashMap<String, u32>, k: usize) -> usize {
    ranking
        .iter()
        .take(k)
        .filter(|d| is_relevant(judged, d))
        .count()
}

/// Whether `document` is judged relevant (grade above 0).
fn is_relevant(judged: &HashMap<String, u32>, document: &str) -> bool {
    judged.get(document).is_some_and(|&g| g > 0)
}

/// Average precision over the top k, divided by the number of relevant documents.
pub fn average_precision(ranking: &[String], judged: &HashMap<String, u32>, k: usize) -> f64 {
    let relevant = judged.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let mut hits = 0;
    let mut sum = 0.0;
    for (i, d) in ranking.iter().take(k).enumerate() {
        if is_relevant(judged, d) {
            hits += 1;
            sum += hits as f64 / (i + 1) as f64;
        }
    }
    sum / relevant as f64
}

/// Mean scores of `run` over the queries of `qrels` that have a relevant judgment. A judged query
/// missing from the run scores 0.
pub fn evaluate(run: &Run, qrels: &Qrels) -> Scores {
    let mut s = Scores::default();
    let empty = Vec::new();
    for (query, judged) in qrels {
        if !judged.values().any(|&g| g > 0) {
            continue;
        }
        let ranking = run.get(query).unwrap_or(&empty);
        s.queries += 1;
        s.ndcg_10 += ndcg(ranking, judged, 10);
        s.recall_100 += recall(ranking, judged, 100);
        s.map_1000 += average_precision(ranking, judged, 1000);
        s.p_10 += precision(ranking, judged, 10);
    }
    if s.queries > 0 {
        let n = s.queries as f64;
        s.ndcg_10 /= n;
        s.recall_100 /= n;
        s.map_1000 /= n;
        s.p_10 /= n;
    }
    s
}

/// Read a qrels file: TSV `query-id corpus-id score`, with or without a header line; TREC
/// `qid 0 docid grade` lines also work.
pub fn read_qrels(text: &str) -> Result<Qrels> {
    let mut qrels = Qrels::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (q, d, g) = match fields.as_slice() {
            [] => continue,
            [q, d, g] => (q, d, g),
            [q, _, d, g] => (q, d, g),
            _ => {
                return Err(Error::Invalid(format!(
                    "line {}: expected query, document and grade",
                    i + 1
                )))
            }
        };
        match g.parse::<i64>() {
            Ok(g) => {
                qrels
                    .entry(q.to_string())
                    .or_default()
                    .insert(d.to_string(), g.max(0) as u32);
            }
            Err(_) if i == 0 => continue, // header
            Err(_) => {
                let reason = format!("line {}: grade {g:?} is not a number", i + 1);
                return Err(Error::Invalid(reason));
            }
        }
    }
    Ok(qrels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|(d, g)| (d.to_string(), *g)).collect()
    }

    fn ranking(docs: &[&str]) -> Vec<String> {
        docs.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn ndcg_by_hand() {
        // Relevant a (grade 2) at rank 2, b (grade 1) at rank 3; c judged 0.
        let j = judged(&[("a", 2), ("b", 1), ("c", 0)]);
        let r = ranking(&["x", "a", "b", "c"]);
        let dcg = 2.0 / 3f64.log2() + 1.0 / 4f64.log2();
        let idcg = 2.0 + 1.0 / 3f64.log2();
        assert!((ndcg(&r, &j, 10) - dcg / idcg).abs() < 1e-12);
        assert_eq!(ndcg(&ranking(&["a", "b"]), &j, 10), 1.0);
        assert_eq!(ndcg(&ranking(&["a", "b"]), &j, 0), 0.0);
    }

    #[test]
    fn recall_precision_and_ap_by_hand() {
        let j = judged(&[("a", 1), ("b", 1), ("c", 1), ("z", 0)]);
        let r = ranking(&["a", "x", "b", "z"]);
        assert_eq!(recall(&r, &j, 100), 2.0 / 3.0);
        assert_eq!(recall(&r, &j, 1), 1.0 / 3.0);
        assert_eq!(precision(&r, &j, 10), 0.2);
        // AP = (1/1 + 2/3) / 3
        assert!((average_precision(&r, &j, 1000) - (1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn evaluate_skips_unjudged_and_counts_missing_runs_as_zero() {
        let qrels = read_qrels("query-id\tcorpus-id\tscore\n1\ta\t1\n2\tb\t1\n3\tc\t0\n").unwrap();
        let run: Run = [("1".to_string(), ranking(&["a"]))].into_iter().collect();
        let s = evaluate(&run, &qrels);
        assert_eq!(s.queries, 2, "query 3 has no relevant document");
        assert_eq!(s.ndcg_10, 0.5);
        assert_eq!(s.p_10, 0.05);
        assert!(read_qrels("1 a x\n2 b y\n").is_err());
    }
}

//! Ranking quality against relevance judgements: MRR@k, nDCG@k and recall@k, as the
//! benchmarks report them. Grades are 0 (not relevant), 1 (helpful) and 2 (the answer).

use std::collections::HashMap;

/// The judgements of one query: document id → grade.
pub type Judgements = HashMap<String, u8>;

#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Quality {
    pub queries: usize,
    /// Mean reciprocal rank of the first relevant (grade ≥ 1) document in the top k.
    pub mrr: f64,
    /// Mean normalised discounted cumulative gain (gain 2^grade − 1).
    pub ndcg: f64,
    /// Mean share of the relevant documents found in the top k.
    pub recall: f64,
}

/// Scores for one ranked list.
pub fn score(ranked: &[String], judged: &Judgements, k: usize) -> (f64, f64, f64) {
    let top = &ranked[..ranked.len().min(k)];
    let grade = |id: &String| judged.get(id).copied().unwrap_or(0);
    let rr = top.iter().position(|id| grade(id) > 0).map_or(0.0, |p| 1.0 / (p as f64 + 1.0));
    let dcg: f64 = top.iter().enumerate().map(|(i, id)| gain(grade(id)) / (i as f64 + 2.0).log2()).sum();
    let mut ideal: Vec<u8> = judged.values().copied().filter(|g| *g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal.iter().take(k).enumerate().map(|(i, g)| gain(*g) / (i as f64 + 2.0).log2()).sum();
    let relevant = judged.values().filter(|g| **g > 0).count();
    let found = top.iter().filter(|id| grade(id) > 0).count();
    let ndcg = if idcg > 0.0 { dcg / idcg } else { 0.0 };
    let recall = if relevant > 0 { found as f64 / relevant as f64 } else { 0.0 };
    (rr, ndcg, recall)
}

fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

/// The mean over queries of [`score`].
pub fn mean<'a>(runs: impl IntoIterator<Item = (&'a [String], &'a Judgements)>, k: usize) -> Quality {
    let mut q = Quality::default();
    for (ranked, judged) in runs {
        let (rr, ndcg, recall) = score(ranked, judged, k);
        q.queries += 1;
        q.mrr += rr;
        q.ndcg += ndcg;
        q.recall += recall;
    }
    if q.queries > 0 {
        let n = q.queries as f64;
        q.mrr /= n;
        q.ndcg /= n;
        q.recall /= n;
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_answer_on_top_scores_one_everywhere() {
        let judged = Judgements::from([("a".to_owned(), 2)]);
        assert_eq!(score(&ids(&["a", "b"]), &judged, 10), (1.0, 1.0, 1.0));
    }

    #[test]
    fn the_answer_in_third_place_gives_a_third() {
        let judged = Judgements::from([("a".to_owned(), 2)]);
        let (rr, ndcg, recall) = score(&ids(&["x", "y", "a"]), &judged, 10);
        assert!((rr - 1.0 / 3.0).abs() < 1e-12);
        assert!((ndcg - 0.5).abs() < 1e-12, "1/log2(4) = 0.5, got {ndcg}");
        assert_eq!(recall, 1.0);
    }

    #[test]
    fn an_answer_below_the_cut_off_counts_as_not_found() {
        let judged = Judgements::from([("a".to_owned(), 2)]);
        let ranked: Vec<String> = (0..10).map(|i| i.to_string()).chain(["a".to_owned()]).collect();
        assert_eq!(score(&ranked, &judged, 10), (0.0, 0.0, 0.0));
    }
}

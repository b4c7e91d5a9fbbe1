//! Measuring clinsearch: retrieval quality on judged collections ([`retrieval`], with the
//! trec_eval metrics in [`metrics`]) and the reference parser against labelled references
//! ([`references`]).

pub mod metrics;
pub mod references;
pub mod retrieval;

pub use retrieval::{
    default_eval_index, evaluate_collection, read_queries, run_queries, write_trec, Evaluation,
    RUN_DEPTH,
};

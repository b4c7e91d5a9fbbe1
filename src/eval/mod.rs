//! Measuring clinsearch: retrieval quality on judged collections ([`retrieval`], with the
//! trec_eval metrics in [`metrics`]) and the reference parser against labelled references
//! ([`references`]), and the PDF reader against the publisher's XML ([`pdf`]).

pub mod metrics;
pub mod pdf;
pub mod references;
pub mod retrieval;

pub use retrieval::{
    default_eval_index, evaluate_collection, read_queries, run_queries, run_ranked, write_trec,
    Evaluation, RUN_DEPTH,
};

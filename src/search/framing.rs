//! Request framing in interactive queries: the words with which a question asked in prose
//! refers to the folder and to searching it, not to its topic. In "where do my articles talk
//! about NMDA?" only NMDA is the topic; searched as words, "articles" and "talk" match passages
//! that say "articles" or "talk". The frame is the run of such words that opens or closes the
//! query ("papers on ketamine", "NMDA in my articles", "what is dissociation").

use tantivy::tokenizer::TextAnalyzer;

use super::Searcher;
use crate::index::schema::{is_stop_word, tokens};

/// Words that ask: interrogatives, and pronouns of the person asking or asked. Not "who" (WHO),
/// "us" (US) or "i" (phase I).
const ASKING: &[&str] = &[
    "where", "what", "which", "how", "when", "why", "whether", "me", "my", "mine", "we", "our",
    "ours", "you", "your",
];

/// Verbs of saying and of searching.
const VERBS: &[&str] = &[
    "talk",
    "talks",
    "talking",
    "say",
    "says",
    "said",
    "mention",
    "mentions",
    "mentioned",
    "mentioning",
    "discuss",
    "discusses",
    "discussed",
    "discussing",
    "describe",
    "describes",
    "described",
    "find",
    "show",
    "search",
    "list",
    "look",
    "give",
    "tell",
];

/// Nouns for the documents searched. Alone beside the topic they may be part of it ("cohort
/// studies"), so they frame only with another framing or stop word ("studies of", "my papers").
const DOCUMENTS: &[&str] = &[
    "article",
    "articles",
    "paper",
    "papers",
    "publication",
    "publications",
    "document",
    "documents",
    "file",
    "files",
    "pdf",
    "pdfs",
    "literature",
    "study",
    "studies",
    "library",
    "folder",
    "collection",
];

/// Other words that only join a frame, beside the stop words (`is_stop_word`, which holds "do",
/// "is", "be"...): auxiliaries, prepositions and pronouns that the stop-word list keeps.
const JOINING: &[&str] = &[
    "did",
    "about",
    "regarding",
    "concerning",
    "anything",
    "something",
    "everything",
    "all",
    "any",
    "some",
];

/// How a word of the query takes part in a frame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Asks or names the act of searching: a run holding one is a frame.
    Asking,
    /// Names the documents: frames when its run has another word.
    Document,
    /// Joins a frame (a stop word, an auxiliary, a preposition, punctuation), frames nothing
    /// alone.
    Joining,
    /// The topic, or a word with query syntax.
    Topic,
}

/// The query without its request frame: without the leading and the trailing runs of plain
/// words (no field, quote, operator, group or wildcard) that frame the request, when a word of
/// the topic remains between them, and then without the question's closing punctuation. The
/// whole query when it has no frame.
pub(super) fn topic<'q>(query: &'q str, analyzer: &mut TextAnalyzer) -> &'q str {
    let words: Vec<(usize, &str)> = query
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - query.as_ptr() as usize, w))
        .collect();
    let roles: Vec<Role> = words.iter().map(|(_, w)| role(w, analyzer)).collect();
    let lead = roles.iter().take_while(|r| **r != Role::Topic).count();
    if lead == roles.len() {
        return query;
    }
    let trail = roles
        .iter()
        .rev()
        .take_while(|r| **r != Role::Topic)
        .count();
    let first = if frames(&roles[..lead]) { lead } else { 0 };
    let last = match frames(&roles[roles.len() - trail..]) {
        true => roles.len() - trail - 1,
        false => roles.len() - 1,
    };
    if first == 0 && last == roles.len() - 1 {
        return query;
    }
    let (start, _) = words[first];
    let (end, word) = words[last];
    // The question's closing punctuation went with its frame.
    query[start..end + word.len()]
        .trim_end_matches(|c: char| "?!.,;".contains(c) || c.is_whitespace())
}

impl Searcher {
    /// [`topic`] of an interactive query: what its lexical query is parsed from and its vector
    /// embedded from.
    pub(crate) fn topic_of<'q>(&self, query: &'q str) -> &'q str {
        topic(query, &mut self.text_analyzer.clone())
    }
}

/// Whether a run of framing and joining words frames the request.
fn frames(run: &[Role]) -> bool {
    run.contains(&Role::Asking) || (run.contains(&Role::Document) && run.len() > 1)
}

fn role(word: &str, analyzer: &mut TextAnalyzer) -> Role {
    let syntax = word.contains([':', '"', '*', '(', ')', '[', ']', '{', '}', '^', '~', '\\'])
        || word.starts_with(['+', '-'])
        || matches!(word, "AND" | "OR" | "NOT" | "&&" | "||");
    if syntax {
        return Role::Topic;
    }
    let bare = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let bare = bare.as_str();
    if ASKING.contains(&bare) || VERBS.contains(&bare) {
        Role::Asking
    } else if DOCUMENTS.contains(&bare) {
        Role::Document
    } else if bare.is_empty() || JOINING.contains(&bare) {
        Role::Joining
    } else {
        let tokens = tokens(analyzer, word);
        match !tokens.is_empty() && tokens.iter().all(|t| is_stop_word(t)) {
            true => Role::Joining,
            false => Role::Topic,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::text_analyzer;

    fn topic_of(query: &str) -> &str {
        topic(query, &mut text_analyzer())
    }

    #[test]
    fn a_question_about_the_folder_keeps_its_topic() {
        assert_eq!(topic_of("where do my articles talk about NMDA?"), "NMDA");
        assert_eq!(
            topic_of("Which papers mention dissociation"),
            "dissociation"
        );
        assert_eq!(
            topic_of("what is the half life of ketamine"),
            "half life of ketamine"
        );
        assert_eq!(topic_of("papers on esketamine"), "esketamine");
        assert_eq!(
            topic_of("NMDA antagonists in my articles"),
            "NMDA antagonists"
        );
        assert_eq!(
            topic_of("find me studies about suicidal  ideation, in my library"),
            "suicidal  ideation"
        );
    }

    #[test]
    fn words_of_the_topic_stay() {
        // A document noun alone is part of the topic.
        assert_eq!(topic_of("cohort studies"), "cohort studies");
        assert_eq!(topic_of("study design"), "study design");
        // Framing words between topic words, and queries of nothing else, stay.
        assert_eq!(
            topic_of("ketamine papers on dissociation"),
            "ketamine papers on dissociation"
        );
        assert_eq!(topic_of("where are my articles"), "where are my articles");
        // Words with query syntax are the user's: a phrase, a field, `+`, `-`, an operator.
        assert_eq!(topic_of("\"my articles\" NMDA"), "\"my articles\" NMDA");
        assert_eq!(topic_of("+papers NMDA"), "+papers NMDA");
        assert_eq!(topic_of("title:papers NMDA"), "title:papers NMDA");
        assert_eq!(topic_of("papers OR NMDA"), "papers OR NMDA");
        assert_eq!(
            topic_of("which papers discuss \"NMDA receptor\""),
            "\"NMDA receptor\""
        );
        assert_eq!(topic_of("NMDA?"), "NMDA?");
        assert_eq!(topic_of(""), "");
        assert_eq!(topic_of("where are my papers ?"), "where are my papers ?");
        assert_eq!(topic_of("papers on NMDA ?"), "NMDA");
    }
}

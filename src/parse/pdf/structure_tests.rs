//! Tests of the structure: headings, reference lists, the article's end.

use super::*;

#[test]
fn version_notes_leave_titles() {
    assert_eq!(
        strip_version_note("Longevity of sharks [v2; ref status: indexed, http://f1000r.es/4fj]"),
        "Longevity of sharks"
    );
    assert_eq!(
        strip_version_note("Gut flora [version 1; peer review: 2 approved]"),
        "Gut flora"
    );
    assert_eq!(
        strip_version_note("Arm [3] of a trial"),
        "Arm [3] of a trial"
    );
}

#[test]
fn entry_numbers() {
    assert_eq!(entry_number("[11]B. Bağış and H. Y. Bağış"), Some(11));
    assert_eq!(entry_number("[3] K. Koora"), Some(3));
    assert_eq!(entry_number("12. Smith J"), Some(12));
    assert_eq!(entry_number("7 Jones A"), Some(7));
    assert_eq!(entry_number("2016;17:44."), None);
    assert_eq!(entry_number("[12]"), None);
    // A word processor's label wider than its indent, set against the first word.
    assert_eq!(entry_number("10.Aebi H. E.. Catalase."), Some(10));
    assert_eq!(entry_number("12.de Britto CFA, Carvalho CMB"), Some(12));
    assert_eq!(entry_number("10.1016/j.fct.2004.08.012"), None);
    assert_eq!(
        GLUED_NUMBER.replace("10.Aebi H. E.", "$1 $2"),
        "10. Aebi H. E."
    );
}

/// A line of `text` at `y` on page 0 of a one-column page (left edge 50, right edge 550).
fn line(text: &str, y: f32, size: f32, font: &str, bold: bool) -> Line {
    Line {
        page: 0,
        x0: 50.0,
        y0: y,
        x1: 50.0 + (text.len() as f32 * 0.5 * size).min(500.0),
        y1: y + size,
        baseline: y + 0.8 * size,
        size,
        font: font.into(),
        bold,
        italic: false,
        text: text.into(),
        bold_lead: 0,
        column: 0,
        col_left: 50.0,
        col_right: 550.0,
        cell: None,
    }
}

/// A block of one line: text, size, font, bold.
type Spec = (&'static str, f32, &'static str, bool);

fn text(t: &'static str, size: f32, font: &'static str) -> Spec {
    (t, size, font, false)
}

fn bold(t: &'static str, size: f32) -> Spec {
    (t, size, "Bold", true)
}

fn caption(t: &'static str) -> Spec {
    (t, 8.0, "Caption", false)
}

fn entry(t: &'static str) -> Spec {
    (t, 6.0, "Ref", false)
}

const PARAGRAPH: &str = "The trial enrolled adults with chronic pain in twelve practices \
    and followed them for a year after the start of the treatment.";

/// The article of these blocks, one under the other; a line starting with one of `leads` has it
/// in bold (a run-in lead).
fn article_with_leads(blocks: &[Spec], leads: &[&str]) -> Article {
    let blocks = blocks
        .iter()
        .enumerate()
        .map(|(i, &(t, size, font, bold))| {
            let mut l = line(t, 60.0 + 20.0 * i as f32, size, font, bold);
            if let Some(lead) = leads.iter().find(|lead| t.starts_with(**lead)) {
                l.bold_lead = lead.len();
            }
            Block { lines: vec![l] }
        })
        .collect();
    article_of_blocks(blocks)
}

fn article_of(blocks: &[Spec]) -> Article {
    article_with_leads(blocks, &[])
}

/// The article of laid-out blocks.
fn article_of_blocks(blocks: Vec<Block>) -> Article {
    let layout = super::super::layout::of_blocks(blocks, vec![(600.0, 20000.0)]);
    article(&layout, "a", "a.pdf")
}

/// Eight one-line paragraphs in 10-point "Body", from `y` down, `step` apart.
fn body_blocks(y: f32, step: f32) -> Vec<Block> {
    (0..8)
        .map(|i| Block {
            lines: vec![line(PARAGRAPH, y + step * i as f32, 10.0, "Body", false)],
        })
        .collect()
}

fn headings(a: &Article) -> Vec<&str> {
    a.sections.iter().map(|s| s.heading.as_str()).collect()
}

/// The body of a test article: a title, a bold heading and paragraphs in 10-point "Body".
fn body() -> Vec<Spec> {
    let mut b = vec![
        bold("Shark tagging in the western North Atlantic", 20.0),
        bold("Methods", 11.0),
    ];
    b.extend([text(PARAGRAPH, 10.0, "Body"); 8]);
    b
}

/// A small-type heading and its paragraph, in the back matter's fonts.
fn small_section(heading: &'static str, paragraph: &'static str) -> [Spec; 2] {
    [
        text(heading, 7.5, "SmallBold"),
        text(paragraph, 7.5, "Small"),
    ]
}

const ABBREVIATIONS: &str = "RCT: randomised trial; GP: general practitioner";

#[test]
fn back_matter_headings_in_small_type() {
    let mut blocks = body();
    blocks.extend(small_section("Abbreviations", ABBREVIATIONS));
    blocks.extend(small_section(
        "Competing interests",
        "The authors declare none at all.",
    ));
    let want = ["Methods", "Abbreviations", "Competing interests"];
    assert_eq!(headings(&article_of(&blocks)), want);
    // One small line of its own font over a small paragraph is a label, not a style of headings.
    let mut blocks = body();
    blocks.extend(small_section("Abbreviations", ABBREVIATIONS));
    assert_eq!(headings(&article_of(&blocks)), ["Methods"]);
}

#[test]
fn figure_labels_are_no_headings() {
    let mut blocks = body();
    blocks.insert(4, text("B, C", 10.0, "Figure"));
    blocks.insert(5, text("17 H", 10.0, "Figure"));
    blocks.insert(6, bold("Results", 11.0));
    assert_eq!(headings(&article_of(&blocks)), ["Methods", "Results"]);
}

#[test]
fn link_labels_end_reference_entries() {
    assert!(is_link_labels("Publisher Full Text"));
    assert!(is_link_labels("[PubMed] [Google Scholar]"));
    assert!(is_link_labels("Crossref | PubMed | Web of Science ®"));
    assert!(!is_link_labels(
        "Smith J: PubMed in clinical practice. 2019."
    ));
    let mut blocks = body();
    blocks.extend([
        bold("References", 11.0),
        entry("Bishop SDH, Francis MP: Age and growth of the mako shark in New"),
        entry("Zealand. Mar Freshwater Res. 2006; 57: 143–154."),
        entry("Publisher Full Text"),
        entry("Kohler NE, Turner PA: Shark tagging: a review of conventional methods and"),
        entry("studies. Environ Biol Fish. 2001; 60: 191–223. PubMed Abstract"),
        entry("PubMed Abstract"),
        entry("Loefer JK, Sedberry GR: Life history of the Atlantic sharpnose shark"),
        entry("off the Southeastern United States. Fish Bull. 2003; 101: 75–88."),
    ]);
    let a = article_of(&blocks);
    let firsts: Vec<(&str, Option<u16>)> = a
        .references
        .iter()
        .map(|r| (r.authors[0].surname.as_str(), r.year))
        .collect();
    let want = [
        ("Bishop", Some(2006)),
        ("Kohler", Some(2001)),
        ("Loefer", Some(2003)),
    ];
    assert_eq!(firsts, want);
    assert!(a.references.iter().all(|r| !r.raw.contains("Full Text")));
}

#[test]
fn entries_set_apart_by_space() {
    // Steps of 7.2 points inside an entry, 9 between entries; a short line ending with a period
    // inside an entry ("Report 93/109.") does not end it.
    let entries: [&[&str]; 3] = [
        &[
            "Goldman KJ: Age and growth of fishes. In",
            "Asia Pacific. 2004; 97–132.",
        ],
        &[
            "Kalish J: School shark age",
            "(Kalish, JM Editor), Report 93/109.",
            "FRDC. 2001; 116–129.",
        ],
        &[
            "Kohler NE, Turner PA: Shark tagging: a review of",
            "studies. Fish. 2001; 60: 191–223.",
        ],
    ];
    let mut lines = Vec::new();
    let mut y = 100.0;
    for entry in entries {
        for t in entry {
            let mut l = line(t, y, 6.0, "Ref", false);
            l.x1 = if t.ends_with('.') { 200.0 } else { 540.0 };
            lines.push(l);
            y += 7.2;
        }
        y += 1.8;
    }
    let split: Vec<usize> = split_entries(&lines).iter().map(|e| e.len()).collect();
    assert_eq!(split, [2, 3, 2]);
    // Evenly spaced lines: entries by paragraphs.
    for (i, l) in lines.iter_mut().enumerate() {
        l.baseline = 100.0 + 7.2 * i as f32;
    }
    assert_eq!(split_entries(&lines).len(), 4);
}

#[test]
fn what_follows_the_article_keeps_its_text_without_headings() {
    let mut blocks = body();
    blocks.extend([
        bold("Appendix", 11.0),
        text(PARAGRAPH, 10.0, "Body"),
        bold("References", 11.0),
        entry("1. Kohler NE: Shark tagging. Environ Biol Fish. 2001; 60: 191–223."),
        entry("2. Bishop SDH: Age of sharks. Mar Freshwater Res. 2006; 57: 143–154."),
        entry("3. Loefer JK: Life history. Fish Bull. 2003; 101: 75–88."),
        // Referee reports: display styles that no heading of the article used.
        bold("Open Peer Review", 18.0),
        bold("Referee Report 29 January 2015", 14.0),
        text(
            "I think the changes made have strengthened the manuscript.",
            10.0,
            "Body",
        ),
        bold("Competing Interests", 14.0),
        text("No competing interests were disclosed.", 10.0, "Body"),
    ]);
    let a = article_of(&blocks);
    assert_eq!(headings(&a), ["Methods", "Appendix", "Open Peer Review"]);
    assert_eq!(a.references.len(), 3);
    let last = a.sections.last().unwrap();
    assert_eq!(last.passages.len(), 3, "{:?}", last.passages);
}

#[test]
fn run_in_leads_head_body_type_and_start_with_a_capital() {
    let mut blocks = body();
    // Front matter: an abstract in a font of its own, then a licence line in small type.
    blocks.splice(
        1..1,
        [
            bold("Abstract", 11.0),
            text(PARAGRAPH, 10.0, "Sans"),
            text(
                "Copyright: © 2015 Smith et al. This is an open access article.",
                7.5,
                "Body",
            ),
        ],
    );
    blocks.extend([
        text(
            "et al. (2019) found the same in a second cohort of patients.",
            10.0,
            "Body",
        ),
        text(
            "Design: A randomised trial in twelve general practices.",
            10.0,
            "Body",
        ),
        // Back matter in small type, after the body: a run-in heading.
        text(
            "Funding: The trial was funded by the National Institute.",
            7.5,
            "Body",
        ),
    ]);
    let a = article_with_leads(&blocks, &["Copyright:", "et al.", "Design:", "Funding:"]);
    let want = [
        "Abstract",
        "Methods",
        "Methods > Design",
        "Methods > Funding",
    ];
    assert_eq!(headings(&a), want);
}

#[test]
fn bold_leads_followed_by_a_sentence() {
    let with_lead = |t: &str, lead: &str| {
        let mut l = line(t, 100.0, 10.0, "Body", false);
        l.bold_lead = lead.len();
        lead_then_sentence(&l)
    };
    let arm = "Usual care control arm Usual care for this pragmatic study may consist of";
    assert!(with_lead(arm, "Usual care control arm "));
    // Emphasis inside a sentence, a single bold word, a lead cut at a comma: no heading.
    let emphasis = "Usual care arms were compared with the new treatment in all";
    assert!(!with_lead(emphasis, "Usual care "));
    assert!(!with_lead("Aspirin Use was rare in the cohort", "Aspirin "));
    let comma = "In the usual care arm, The patients were seen by their doctors";
    assert!(!with_lead(comma, "In the usual care arm, "));
}

#[test]
fn a_small_caption_runs_on_until_a_heading() {
    let mut blocks = body();
    blocks.extend([
        (
            "Figure 1. Sectioned vertebra from a shark",
            8.0,
            "Caption",
            true,
        ),
        text(
            "Specimen L5242. Consensus band count was twenty band pairs.",
            8.0,
            "Caption",
        ),
        text("Abbreviations", 8.0, "SmallBold"),
        text(
            "RCT: randomised controlled trial; GP: general practitioner",
            8.0,
            "Small",
        ),
        text("Funding", 8.0, "SmallBold"),
        text(
            "The trial was funded by the National Institute for Health.",
            8.0,
            "Small",
        ),
        text("References", 8.0, "SmallBold"),
        text(
            "1. Kohler NE: Shark tagging. Environ Biol Fish. 2001; 60: 191–223.",
            8.0,
            "Small",
        ),
    ]);
    let a = article_with_leads(&blocks, &["Specimen L5242."]);
    assert_eq!(headings(&a), ["Methods", "Abbreviations", "Funding"]);
    assert_eq!(a.references.len(), 1);
}

#[test]
fn bylines_with_name_particles_are_authors() {
    let people =
        parse_authors("Maarten Boers[2], Maurits W van Tulder[1] and Raymond W Ostelo[1,2]");
    let names: Vec<(&str, &str)> = people
        .iter()
        .map(|p| (p.surname.as_str(), p.initials.as_str()))
        .collect();
    assert_eq!(
        names,
        [("Boers", "M"), ("van Tulder", "MW"), ("Ostelo", "RW")]
    );
    // A lowercase word that is no particle is not a name.
    assert!(parse_authors("Maarten Boers, the trial group").is_empty());
}

const ABSTRACT: &str = "Small-bowel neoplasms are rare and often found late. We reviewed the \
    examinations of sixty-seven patients to measure how well magnetic resonance enteroclysis \
    finds them, and compared its readings with the histology of every lesion that was removed \
    at surgery or sampled at endoscopy.";

const AFFILIATIONS: &str = "1 Institute of Radiology, Second University of Naples, Piazza \
    Miraglia 2, 80138 Naples, Italy 2 Department of Radiology, San Paolo Hospital, Contrada \
    Caposcardicchio, 70123 Bari, Italy 3 Department of Internal Medicine, Jeju National \
    University School of Medicine, Jeju, Republic of Korea";

fn section_texts<'a>(a: &'a Article, heading: &str) -> Vec<&'a str> {
    a.passages()
        .filter(|(s, _)| s.heading == heading)
        .map(|(_, p)| p.text.as_str())
        .collect()
}

#[test]
fn a_long_list_of_affiliations_is_not_the_abstract() {
    assert!(words(AFFILIATIONS) > 40 && mostly_capitalised(AFFILIATIONS));
    assert!(!mostly_capitalised(ABSTRACT));
    let mut blocks = vec![
        bold("Small-Bowel Neoplasms: Role of MRI Enteroclysis", 18.0),
        text(AFFILIATIONS, 9.0, "Italic"),
        text(
            "Correspondence should be addressed to Angela Faggian",
            9.0,
            "Front",
        ),
        text(ABSTRACT, 9.0, "Front"),
        bold("1. Introduction", 12.0),
    ];
    blocks.extend([text(PARAGRAPH, 10.0, "Body"); 8]);
    let a = article_of(&blocks);
    assert_eq!(section_texts(&a, "Abstract"), [ABSTRACT]);
    assert_eq!(section_texts(&a, "1. Introduction").len(), 8);
}

#[test]
fn notes_set_under_the_abstract_in_smaller_type_are_left_out() {
    let licence = "© 2015 Lawton et al.; licensee BioMed Central. This is an Open Access article \
        distributed under the terms of the Creative Commons Attribution License.";
    let mut blocks = vec![
        bold("Emotion work in a randomised trial of diabetes education", 18.0),
        bold("Abstract", 10.3),
        text(ABSTRACT, 10.0, "Abs"),
        text(
            "Keywords: Qualitative research, Trial staff, Emotional labour, Emotion work, Type 1 \
            diabetes, Randomised controlled trial",
            10.0,
            "Abs",
        ),
        text("* Correspondence: j.lawton@ed.ac.uk 1 Centre for Population Health Sciences, University of Edinburgh", 7.5, "Abs"),
        text(licence, 7.0, "Abs"),
        bold("Background", 10.3),
    ];
    blocks.extend([text(PARAGRAPH, 9.8, "Body"); 8]);
    let leads = ["Keywords:"];
    let a = article_with_leads(&blocks, &leads);
    let abs: Vec<&str> = a
        .passages()
        .filter(|(s, _)| s.heading.starts_with("Abstract"))
        .map(|(_, p)| p.text.as_str())
        .collect();
    assert_eq!(abs.len(), 2, "{abs:?} {:?}", headings(&a));
    assert_eq!(abs[0], ABSTRACT);
    assert!(abs[1].contains("Qualitative research"));
    // Under the body's first heading, text in small type is no note.
    blocks.push(text(licence, 7.0, "Abs"));
    let a = article_with_leads(&blocks, &leads);
    assert_eq!(section_texts(&a, "Background").len(), 9);
}

#[test]
fn abstract_text_read_on_after_a_licence_note_stays() {
    let licence = "2015 The Authors. Published by the Royal Society under the terms of the \
        Creative Commons Attribution License.";
    let note = line(licence, 300.0, 8.5, "Sans", false);
    let rest = line(
        "almost complete changeover around days 20 to 30 postpartum, with the protein profile.",
        320.0,
        9.0,
        "Serif",
        false,
    );
    let mut blocks: Vec<Block> = [
        bold(
            "Prolonged transition time between colostrum and mature milk",
            20.0,
        ),
        text(ABSTRACT, 9.0, "Serif"),
    ]
    .iter()
    .enumerate()
    .map(|(i, &(t, size, font, b))| Block {
        lines: vec![line(t, 60.0 + 20.0 * i as f32, size, font, b)],
    })
    .collect();
    blocks.push(Block {
        lines: vec![note, rest],
    });
    blocks.push(Block {
        lines: vec![line("1. Introduction", 400.0, 12.0, "Bold", true)],
    });
    blocks.extend(body_blocks(420.0, 20.0));
    let a = article_of_blocks(blocks);
    let abs = section_texts(&a, "Abstract");
    assert_eq!(abs.len(), 2, "{abs:?}");
    assert!(abs[1].starts_with("almost complete changeover"));
}

#[test]
fn headings_may_start_with_a_symbol_in_mixed_case() {
    assert!(starts_heading("pH and temperature effect on activity"));
    assert!(starts_heading("cDNA synthesis by reverse transcription"));
    assert!(!starts_heading("et al. reported the same"));
    assert!(!starts_heading("and the remaining patients"));
    let mut blocks = body();
    blocks.push(bold("cDNA synthesis by reverse transcription", 11.0));
    blocks.extend([text(PARAGRAPH, 10.0, "Body"); 2]);
    assert_eq!(
        headings(&article_of(&blocks)),
        ["Methods", "cDNA synthesis by reverse transcription"]
    );
}

#[test]
fn a_heading_may_take_four_lines_of_a_narrow_column() {
    let mut blocks: Vec<Block> = vec![Block {
        lines: vec![line(
            "Shark tagging in the western North Atlantic",
            40.0,
            20.0,
            "Bold",
            true,
        )],
    }];
    let title = [
        "3.1 Effects of Metformin,",
        "Glibenclamide, and Repagli-",
        "nide on Serum Superoxide",
        "Dismutase Activity",
    ];
    blocks.push(Block {
        lines: title
            .iter()
            .enumerate()
            .map(|(i, t)| line(t, 80.0 + 14.0 * i as f32, 12.0, "Bold", true))
            .collect(),
    });
    blocks.extend(body_blocks(160.0, 14.0));
    assert_eq!(
        headings(&article_of_blocks(blocks)),
        ["3.1 Effects of Metformin, Glibenclamide, and Repaglinide on Serum Superoxide Dismutase Activity"]
    );
}

#[test]
fn a_short_item_of_a_numbered_list_is_no_heading() {
    let mut blocks = body();
    blocks.extend([
        text(
            "1. Since receiving your medication, have you started taking it?",
            10.0,
            "List",
        ),
        text(
            "2. Since receiving your medication, have you had any problems?",
            10.0,
            "List",
        ),
        text(
            "3. Since receiving your medication, have you developed symptoms?",
            10.0,
            "List",
        ),
        text("4. Would you like to speak to a pharmacist?", 10.0, "List"),
    ]);
    blocks.extend([text(PARAGRAPH, 10.0, "Body"); 2]);
    let a = article_of(&blocks);
    assert_eq!(headings(&a), ["Methods"]);
    // Numbered headings, with text between them, stay headings.
    let mut blocks = body();
    blocks.push(text("2. Results of the survey", 10.0, "List"));
    blocks.extend([text(PARAGRAPH, 10.0, "Body"); 2]);
    blocks.push(text("3. Discussion of the survey", 10.0, "List"));
    blocks.extend([text(PARAGRAPH, 10.0, "Body"); 2]);
    assert_eq!(
        headings(&article_of(&blocks)),
        [
            "Methods",
            "2. Results of the survey",
            "3. Discussion of the survey"
        ]
    );
}

#[test]
fn an_italic_heading_ranks_below_an_upright_one_of_its_size() {
    let one = |t: &str, y: f32, size: f32, font: &str, bold: bool, italic: bool| Block {
        lines: vec![Line {
            italic,
            ..line(t, y, size, font, bold)
        }],
    };
    let mut blocks = vec![
        one(
            "Shark tagging in the western North Atlantic",
            40.0,
            20.0,
            "Bold",
            true,
            false,
        ),
        one("Methods", 80.0, 11.0, "Bold", true, false),
        one(PARAGRAPH, 100.0, 10.0, "Body", false, false),
        one("Outcome assessment", 120.0, 9.5, "Sub", false, false),
        one("Primary outcome", 140.0, 9.5, "SubItalic", false, true),
    ];
    blocks.extend(body_blocks(160.0, 20.0));
    assert_eq!(
        headings(&article_of_blocks(blocks)),
        ["Methods", "Methods > Outcome assessment > Primary outcome"]
    );
}

#[test]
fn text_drawn_in_a_figure_joins_its_caption() {
    let mut blocks = body();
    blocks.extend([
        text("SDH A SDH B 1.6 1.4 1.2", 7.0, "Figure"),
        text("0.8 0.6 0.4 0.2 0 Mock p75ICD", 7.0, "Figure"),
        caption("Figure 2: Complex II activity of the subunits in transfected cells."),
        text(PARAGRAPH, 10.0, "Body"),
    ]);
    let a = article_of(&blocks);
    let methods = section_texts(&a, "Methods");
    assert_eq!(
        methods[8],
        "Figure 2: Complex II activity of the subunits in transfected cells. \
         SDH A SDH B 1.6 1.4 1.2 0.8 0.6 0.4 0.2 0 Mock p75ICD"
    );
    assert_eq!(methods.len(), 10);
    // Under a table's caption, the cells are the table's, whatever follows them.
    let mut blocks = body();
    blocks.extend([
        caption("Table 1: Patients at baseline, by arm of the trial."),
        text("Age, years 54 (12) 55 (11)", 7.0, "Table"),
        text("Women, n (%) 31 (52) 29 (48)", 7.0, "Table"),
        caption("Figure 1: Flow of the participants through the trial."),
    ]);
    let a = article_of(&blocks);
    let methods = section_texts(&a, "Methods");
    assert_eq!(
        methods[9..],
        [
            "Age, years 54 (12) 55 (11)",
            "Women, n (%) 31 (52) 29 (48)",
            "Figure 1: Flow of the participants through the trial."
        ]
    );
}

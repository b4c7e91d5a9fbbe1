//! Zotero data directories: the folder that holds `zotero.sqlite` and `storage/`. Each item of the
//! library is one article: its metadata from a read-only copy of the database (Zotero locks the
//! file while it runs), its full text from its attachment under `storage/<key>/`: a PDF through
//! the PDF reader, an HTML snapshot through the HTML reader, else the text Zotero extracted itself
//! (`.zotero-ft-cache`).

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rusqlite::{Connection, OpenFlags};

use super::export::{self, Record};
use super::extracted::parse_extracted;
use super::{html, pdf, ParseError, ParseOptions};
use crate::model::{Article, Format, Person};

/// The database file of a Zotero data directory.
pub const DATABASE: &str = "zotero.sqlite";

/// The text Zotero extracted from an attachment, in the attachment's folder.
const FULLTEXT_CACHE: &str = ".zotero-ft-cache";

/// Whether `path` names a Zotero database, which stands for its whole data directory.
pub fn is_database(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == DATABASE)
}

/// The database of the Zotero data directory `dir`, when it has one.
pub fn database_in(dir: &Path) -> Option<PathBuf> {
    let db = dir.join(DATABASE);
    db.is_file().then_some(db)
}

/// The files whose changes change what a library indexes: the database, its write-ahead log,
/// every file under `storage/`, and the linked files outside the data directory, in a stable
/// order.
pub fn library_files(db: &Path) -> Vec<PathBuf> {
    let mut files = vec![db.to_path_buf()];
    let wal = db.with_file_name(format!("{DATABASE}-wal"));
    if wal.is_file() {
        files.push(wal);
    }
    let storage = db.with_file_name("storage");
    let walker = walkdir::WalkDir::new(storage).sort_by_file_name();
    files.extend(
        walker
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(walkdir::DirEntry::into_path),
    );
    files.extend(linked_files(db));
    files
}

/// A fingerprint of the library's content: the xxh3 hash of the database's bytes, and the name,
/// size and modification time of every other file of [`library_files`].
pub fn fingerprint(db: &Path) -> std::io::Result<u64> {
    use std::io::Read;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut f = std::fs::File::open(db)?;
    let mut block = vec![0u8; 1 << 16];
    loop {
        match f.read(&mut block)? {
            0 => break,
            n => hasher.update(&block[..n]),
        }
    }
    for file in library_files(db).iter().skip(1) {
        let meta = std::fs::metadata(file)?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(&meta.len().to_le_bytes());
        hasher.update(&mtime.to_le_bytes());
    }
    Ok(hasher.digest())
}

/// A copy of the database in a folder of its own under the temporary directory, removed when
/// dropped.
struct DatabaseCopy(PathBuf);

impl DatabaseCopy {
    fn of(db: &Path) -> std::io::Result<DatabaseCopy> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "clinsearch-zotero-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        // (left by an earlier process of the same id that was killed)
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let copy = DatabaseCopy(dir);
        std::fs::copy(db, copy.0.join(DATABASE))?;
        let wal = db.with_file_name(format!("{DATABASE}-wal"));
        if wal.is_file() {
            std::fs::copy(wal, copy.0.join(format!("{DATABASE}-wal")))?;
        }
        Ok(copy)
    }
}

impl Drop for DatabaseCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An attachment file of an item.
#[derive(Debug)]
struct Attachment {
    /// Its folder, `storage/<key>/`.
    folder: PathBuf,
    /// The file, when the attachment has one (a linked URL has none).
    file: Option<PathBuf>,
    /// For a file linked from outside the data directory, its path as the database gives it.
    linked: Option<String>,
    /// Its MIME type.
    content_type: String,
}

impl Attachment {
    /// The order in which attachments are tried: PDFs, then web pages, then the rest.
    fn rank(&self) -> u8 {
        match self.content_type.as_str() {
            "application/pdf" => 0,
            "text/html" | "application/xhtml+xml" => 1,
            _ => 2,
        }
    }
}

/// An item of the library, as the database describes it.
#[derive(Debug, Default)]
struct Item {
    key: String,
    /// Standalone attachments (a PDF dropped into Zotero) are items with a file and no metadata.
    standalone: bool,
    fields: HashMap<String, String>,
    /// (creator type, person) in order.
    creators: Vec<(String, Person)>,
    tags: Vec<String>,
    attachments: Vec<Attachment>,
}

/// Read the Zotero library whose database is `db`, handing each item's article to `sink`
/// (from several threads); `file_id` is the database's id in the index. Returns the problems
/// that did not stop the library (an attachment that does not read).
pub fn read_library(
    db: &Path,
    file_id: &str,
    sink: &(dyn Fn(Article) + Sync),
    options: &ParseOptions,
) -> Result<Vec<String>, ParseError> {
    let invalid =
        |e: rusqlite::Error| ParseError::Invalid(format!("cannot read the Zotero database: {e}"));
    let copy = DatabaseCopy::of(db)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(copy.0.join(DATABASE), flags).map_err(invalid)?;
    if !has_column(&conn, "itemAttachments", "parentItemID").map_err(invalid)? {
        return Err(ParseError::Invalid(
            "a Zotero database older than Zotero 5 (its attachments have no parentItemID): \
             open the library once in Zotero 5 or later, which upgrades it"
                .into(),
        ));
    }
    let items = load_items(&conn, db).map_err(invalid)?;
    drop(conn);
    drop(copy);
    let problems = Mutex::new(Vec::new());
    use rayon::prelude::*;
    items.par_iter().for_each(|item| {
        let (article, mut found) = item_article(item, db, file_id, options);
        if let Some(article) = article {
            sink(article);
        }
        if !found.is_empty() {
            let mut all = problems.lock().unwrap_or_else(|e| e.into_inner());
            all.append(&mut found);
        }
    });
    let mut problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    problems.sort();
    Ok(problems)
}

/// Whether the database has a table of this name (older schemas lack some).
fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [name],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// Whether table `table` has a column `column` (false when there is no such table).
fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |row| row.get::<_, i64>(0),
    )
    .map(|n| n > 0)
}

/// The items of the library that are articles: not notes or annotations, not in the trash, not
/// feed items; and attachments with a parent item go with it.
fn load_items(conn: &Connection, db: &Path) -> rusqlite::Result<Vec<Item>> {
    let mut excluded = String::from("SELECT itemID FROM deletedItems");
    if has_table(conn, "feedItems")? {
        excluded.push_str(" UNION SELECT itemID FROM feedItems");
    }
    let mut items: HashMap<i64, Item> = HashMap::new();
    let mut attachments: Vec<(i64, Option<i64>, Attachment)> = Vec::new();
    let storage = db.with_file_name("storage");
    let base = OnceCell::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT i.itemID, i.key, t.typeName, a.parentItemID, a.contentType, a.path \
             FROM items i JOIN itemTypes t ON t.itemTypeID = i.itemTypeID \
             LEFT JOIN itemAttachments a ON a.itemID = i.itemID \
             WHERE i.itemID NOT IN ({excluded}) AND t.typeName NOT IN ('note', 'annotation') \
             ORDER BY i.itemID"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (id, key, kind): (i64, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
            if kind != "attachment" {
                items.insert(
                    id,
                    Item {
                        key,
                        ..Item::default()
                    },
                );
                continue;
            }
            let path: Option<String> = row.get(5)?;
            let folder = storage.join(&key);
            let (file, linked) = match path.as_deref() {
                Some(p) => match p.strip_prefix("storage:") {
                    Some(name) => (Some(folder.join(name)), None),
                    None => (linked_path(p, db, &base), Some(p.to_string())),
                },
                None => (None, None),
            };
            let attachment = Attachment {
                folder,
                file,
                linked,
                content_type: row.get::<_, Option<String>>(4)?.unwrap_or_default(),
            };
            attachments.push((id, row.get(3)?, attachment));
            items.entry(id).or_default().key = key;
        }
    }
    for (id, parent, attachment) in attachments {
        match parent {
            Some(parent) => {
                items.remove(&id);
                // (an attachment whose parent is in the trash goes with it)
                if let Some(item) = items.get_mut(&parent) {
                    item.attachments.push(attachment);
                }
            }
            None => {
                if let Some(item) = items.get_mut(&id) {
                    item.standalone = true;
                    item.attachments.push(attachment);
                }
            }
        }
    }
    let mut stmt = conn.prepare(
        "SELECT d.itemID, f.fieldName, v.value FROM itemData d \
         JOIN fields f ON f.fieldID = d.fieldID JOIN itemDataValues v ON v.valueID = d.valueID",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(item) = items.get_mut(&row.get::<_, i64>(0)?) {
            let value: rusqlite::types::Value = row.get(2)?;
            let value = match value {
                rusqlite::types::Value::Text(t) => t,
                rusqlite::types::Value::Integer(n) => n.to_string(),
                rusqlite::types::Value::Real(x) => x.to_string(),
                _ => continue,
            };
            item.fields.insert(row.get(1)?, value);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode, t.creatorType \
         FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID \
         JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID \
         ORDER BY ic.itemID, ic.orderIndex",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(item) = items.get_mut(&row.get::<_, i64>(0)?) {
            let first: String = row.get::<_, Option<String>>(1)?.unwrap_or_default();
            let last: String = row.get::<_, Option<String>>(2)?.unwrap_or_default();
            // fieldMode 1: a single-field name (an institution), kept whole.
            let person = if row.get::<_, Option<i64>>(3)? == Some(1) || first.trim().is_empty() {
                Some(Person {
                    surname: last.trim().to_string(),
                    initials: String::new(),
                })
                .filter(|p| !p.surname.is_empty())
            } else {
                export::person(&format!("{last}, {first}"))
            };
            if let Some(person) = person {
                item.creators.push((row.get(4)?, person));
            }
        }
    }
    let mut stmt = conn.prepare(
        "SELECT it.itemID, t.name FROM itemTags it JOIN tags t ON t.tagID = it.tagID \
         ORDER BY it.itemID, t.name",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if let Some(item) = items.get_mut(&row.get::<_, i64>(0)?) {
            item.tags.push(row.get(1)?);
        }
    }
    let mut items: Vec<(i64, Item)> = items.into_iter().collect();
    items.sort_by_key(|(id, _)| *id);
    Ok(items.into_iter().map(|(_, item)| item).collect())
}

/// The bibliographic record of an item's fields: the first of each list of Zotero fields that
/// the item has (a book section's container is its `bookTitle`, and so on).
fn record(item: &Item) -> Record {
    let field = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| item.fields.get(*n))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let extra = field(&["extra"]).unwrap_or_default();
    // Zotero keeps identifiers it has no field for in "Extra", one "Name: value" a line.
    let in_extra = |name: &str| {
        extra.lines().find_map(|line| {
            let (k, v) = line.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    };
    let mut record = Record {
        line: 0,
        title: field(&["title", "caseName", "nameOfAct", "subject", "shortTitle"]),
        journal: field(&[
            "publicationTitle",
            "proceedingsTitle",
            "bookTitle",
            "websiteTitle",
            "blogTitle",
            "university",
        ]),
        year: field(&["date"]).as_deref().and_then(export::first_year),
        doi: field(&["DOI"]).or_else(|| in_extra("DOI")),
        pmid: in_extra("PMID").filter(|p| p.bytes().all(|b| b.is_ascii_digit())),
        pmcid: in_extra("PMCID"),
        ..Record::default()
    };
    if let Some(abstract_note) = field(&["abstractNote"]) {
        record.push_abstract_text(&abstract_note);
    }
    let authors: Vec<&Person> = item
        .creators
        .iter()
        .filter(|(kind, _)| kind == "author")
        .map(|(_, p)| p)
        .collect();
    record.authors = if authors.is_empty() {
        item.creators.iter().map(|(_, p)| p.clone()).collect()
    } else {
        authors.into_iter().cloned().collect()
    };
    for tag in &item.tags {
        record.push_keyword(tag);
    }
    record
}

/// The article of an item: its record, with the full text of its best attachment when one
/// reads; and the problems met.
fn item_article(
    item: &Item,
    db: &Path,
    file_id: &str,
    options: &ParseOptions,
) -> (Option<Article>, Vec<String>) {
    let id = format!("{file_id}:{}", item.key);
    let shown = db.display().to_string();
    let mut problems = Vec::new();
    let meta = match record(item).into_article(1, file_id, &shown, Format::Zotero) {
        export::Made::Article(mut article) => {
            article.id = id.clone();
            Some(*article)
        }
        export::Made::Empty => None,
    };
    let full = full_text(item, &id, options, &mut problems);
    let article = match (meta, full) {
        (Some(meta), Some(full)) => Some(with_metadata(full, meta)),
        (Some(meta), None) => Some(meta),
        (None, Some(mut full)) => {
            full.format = Format::Zotero;
            Some(full)
        }
        (None, None) => {
            if !item.standalone {
                problems.push(format!(
                    "item {}: no title, no abstract and no attachment that reads, skipped",
                    item.key
                ));
            }
            None
        }
    };
    (article, problems)
}

/// The full text of the item's first attachment that reads, in the order of
/// [`Attachment::rank`]; Zotero's own extracted text stands in for a file that does not read, or
/// that gives less than a tenth of that text (a PDF whose text layer the reader cannot use).
fn full_text(
    item: &Item,
    id: &str,
    options: &ParseOptions,
    problems: &mut Vec<String>,
) -> Option<Article> {
    let mut attachments: Vec<&Attachment> = item.attachments.iter().collect();
    attachments.sort_by_key(|a| a.rank());
    for attachment in attachments {
        let cache = attachment.folder.join(FULLTEXT_CACHE);
        let cached = std::fs::read(&cache)
            .ok()
            .and_then(|b| super::decode(&b).ok().map(|t| t.into_owned()))
            .filter(|t| !t.trim().is_empty());
        let read = attachment
            .file
            .as_deref()
            .filter(|f| f.is_file())
            .map(|file| read_attachment(file, &attachment.content_type, id, options));
        let from_cache = |text: &str| parse_extracted(text, id, &cache.display().to_string());
        if let (None, Some(linked)) = (&read, &attachment.linked) {
            problems.push(format!(
                "item {}: {}",
                item.key,
                missing_link(attachment, linked)
            ));
        }
        match (read, cached) {
            (Some(Ok(article)), Some(text)) if 10 * text_len(&article) < text.len() => {
                return Some(from_cache(&text))
            }
            (Some(Ok(article)), _) if text_len(&article) > 0 => return Some(article),
            (Some(Err(e)), cached) => {
                let file = attachment.file.as_deref().unwrap_or(Path::new(""));
                let fallback = if cached.is_some() {
                    "; Zotero's extracted text used instead"
                } else {
                    ""
                };
                problems.push(format!(
                    "item {}: attachment {}: {e}{fallback}",
                    item.key,
                    file.display()
                ));
                if let Some(text) = cached {
                    return Some(from_cache(&text));
                }
            }
            (_, Some(text)) => return Some(from_cache(&text)),
            _ => {}
        }
    }
    None
}

/// The file of an attachment linked from outside the data directory of `db`, from its path in
/// the database: absolute, or relative to the base directory Zotero's settings name
/// (`attachments:`; looked up once, in `base`).
fn linked_path(path: &str, db: &Path, base: &OnceCell<Option<PathBuf>>) -> Option<PathBuf> {
    match path.strip_prefix("attachments:") {
        Some(relative) => base
            .get_or_init(|| base_directory(db))
            .as_ref()
            .map(|b| b.join(relative)),
        None => Some(PathBuf::from(path)).filter(|p| p.is_absolute()),
    }
}

/// The files linked from outside the data directory of `db` that exist, read from the database
/// without a copy or a lock (`immutable`: a list that is stale while Zotero writes only makes a
/// run read the library again, or not yet).
fn linked_files(db: &Path) -> Vec<PathBuf> {
    let read = || -> rusqlite::Result<Vec<String>> {
        // (a URI's path: `%`, `?` and `#` escaped)
        let path = db.to_string_lossy();
        let path = path
            .replace('%', "%25")
            .replace('?', "%3f")
            .replace('#', "%23");
        let uri = format!("file:{path}?immutable=1");
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(uri, flags)?;
        let mut stmt = conn.prepare(
            "SELECT path FROM itemAttachments \
             WHERE path IS NOT NULL AND path NOT LIKE 'storage:%' ORDER BY path",
        )?;
        let paths = stmt.query_map([], |row| row.get::<_, String>(0))?;
        paths.collect()
    };
    let base = OnceCell::new();
    read()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| linked_path(p, db, &base))
        .filter(|f| f.is_file())
        .collect()
}

/// Why the file linked as `linked` was not read.
fn missing_link(attachment: &Attachment, linked: &str) -> String {
    match &attachment.file {
        Some(file) => format!("linked file {} not found", file.display()),
        None if linked.starts_with("attachments:") => format!(
            "linked file {linked:?} is relative to Zotero's base directory for linked files, \
             which no Zotero profile on this machine names (prefs.js, {BASE_PREF})"
        ),
        None => format!("linked file {linked:?} is not an absolute path"),
    }
}

/// Zotero's preference naming the base directory of linked files stored relative to it
/// (`attachments:` paths; Settings → Files and Folders → Linked Attachment Base Directory).
const BASE_PREF: &str = "extensions.zotero.baseAttachmentPath";

/// Zotero's preference naming a data directory other than the default `~/Zotero`.
const DATA_DIR_PREF: &str = "extensions.zotero.dataDir";

/// The base directory for linked files of the Zotero profile whose data directory holds `db`:
/// each profile's `prefs.js` under Zotero's profile folders (Linux `~/.zotero/zotero`, macOS
/// `~/Library/Application Support/Zotero/Profiles`, Windows `%APPDATA%\Zotero\Zotero\Profiles`).
fn base_directory(db: &Path) -> Option<PathBuf> {
    let data = db.parent()?.canonicalize().ok()?;
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from);
    let mut roots = Vec::new();
    if let Some(home) = &home {
        roots.push(home.join(".zotero/zotero"));
        roots.push(home.join("Library/Application Support/Zotero/Profiles"));
    }
    if let Some(appdata) = std::env::var_os("APPDATA") {
        roots.push(PathBuf::from(appdata).join("Zotero/Zotero/Profiles"));
    }
    let mut profiles: Vec<PathBuf> = roots
        .iter()
        .filter_map(|r| std::fs::read_dir(r).ok())
        .flat_map(|entries| entries.flatten().map(|e| e.path().join("prefs.js")))
        .collect();
    profiles.sort();
    profiles.into_iter().find_map(|prefs| {
        let text = std::fs::read_to_string(prefs).ok()?;
        let dir = string_pref(&text, DATA_DIR_PREF)
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join("Zotero")))?;
        let same = dir.canonicalize().ok()? == data;
        same.then(|| string_pref(&text, BASE_PREF).map(PathBuf::from))?
    })
}

/// The value of a string preference in a `prefs.js` (`user_pref("name", "value");`), its
/// JavaScript escapes undone.
fn string_pref(prefs: &str, name: &str) -> Option<String> {
    let key = format!("user_pref(\"{name}\",");
    let rest = prefs
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(key.as_str()))?;
    let mut chars = rest.trim_start().strip_prefix('"')?.chars();
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.push(chars.next()?),
            '"' => return Some(value),
            c => value.push(c),
        }
    }
    None
}

/// The length of an article's passage text, in bytes.
fn text_len(article: &Article) -> usize {
    article.passages().map(|(_, p)| p.text.len()).sum()
}

/// Read an attachment file by its type: PDF, HTML, or text.
fn read_attachment(
    file: &Path,
    content_type: &str,
    id: &str,
    options: &ParseOptions,
) -> Result<Article, ParseError> {
    let bytes = std::fs::read(file)?;
    let shown = file.display().to_string();
    if content_type == "application/pdf" || bytes.starts_with(b"%PDF-") {
        return pdf::parse_pdf(&bytes, id, &shown, options.pdf);
    }
    let source = super::decode(&bytes).map_err(ParseError::NotText)?;
    if content_type.contains("html") || html::sniff(source.trim_start()) {
        return Ok(html::parse_html(&source, id, &shown));
    }
    if content_type.starts_with("text/") {
        // Plain text, or text extracted from a PDF (see `parse_str`).
        let mut parsed = super::parse_str(&source, Format::Text, id, &shown)?;
        return Ok(parsed.articles.remove(0));
    }
    Err(ParseError::UnknownFormat(format!(" ({content_type})")))
}

/// The full-text article with the item's metadata: Zotero's title, authors, year, journal,
/// identifiers and tags, and its abstract when the full text has none.
fn with_metadata(mut full: Article, meta: Article) -> Article {
    full.id = meta.id;
    full.format = Format::Zotero;
    full.title = meta.title;
    if !meta.authors.is_empty() {
        full.authors = meta.authors;
    }
    full.year = meta.year.or(full.year);
    full.journal = meta.journal.or(full.journal);
    full.doi = meta.doi.or(full.doi);
    full.pmid = meta.pmid.or(full.pmid);
    full.pmcid = meta.pmcid.or(full.pmcid);
    let mut keywords = meta.keywords;
    let more: Vec<String> = full.keywords.drain(..).collect();
    for k in more {
        if !keywords.contains(&k) {
            keywords.push(k);
        }
    }
    full.keywords = keywords;
    if !full
        .sections
        .iter()
        .any(|s| s.heading.starts_with("Abstract"))
    {
        let abstracts = meta
            .sections
            .into_iter()
            .filter(|s| s.heading.starts_with("Abstract"));
        full.sections.splice(0..0, abstracts);
        for (ordinal, passage) in full
            .sections
            .iter_mut()
            .flat_map(|s| s.passages.iter_mut())
            .enumerate()
        {
            passage.ordinal = ordinal;
        }
    }
    full
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_preferences_are_read_with_their_escapes_undone() {
        let prefs = "// Mozilla User Preferences\n\
            user_pref(\"extensions.zotero.baseAttachmentPath\", \"C:\\\\Users\\\\ana\\\\Papers\");\n\
            user_pref(\"extensions.zotero.dataDir\", \"/home/ana/Zotero \\\"work\\\"\");\n\
            user_pref(\"extensions.zotero.lastViewedFolder\", 5);\n";
        assert_eq!(
            string_pref(prefs, BASE_PREF).as_deref(),
            Some(r"C:\Users\ana\Papers")
        );
        assert_eq!(
            string_pref(prefs, DATA_DIR_PREF).as_deref(),
            Some("/home/ana/Zotero \"work\"")
        );
        assert_eq!(
            string_pref(prefs, "extensions.zotero.lastViewedFolder"),
            None
        );
        assert_eq!(string_pref(prefs, "extensions.zotero.missing"), None);
    }
}

//! `clinsearch serve`: the JSON API on an ephemeral port, and the page in headless Chromium
//! (driven over WebDriver by chromedriver; skipped with a message when it is not installed).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A running `clinsearch serve` on the bundled corpus's text article (the counts below are its
/// own; tests/pdf.rs covers the PDFs); killed on drop.
struct Server {
    child: Child,
    url: String,
    dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/ketamine-standalone-vs-psychotherapy.txt");
        let out = Command::new(env!("CARGO_BIN_EXE_clinsearch"))
            .args(["index", corpus.to_str().unwrap(), "--index", "idx"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_clinsearch"))
            .args(["serve", "--addr", "127.0.0.1:0", "--index", "idx"])
            .current_dir(dir.path())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Server { child, url, dir }
    }

    /// GET `path`: the status and the JSON body.
    fn get(&self, path: &str) -> (u16, Value) {
        match ureq::get(&format!("{}{path}", self.url)).call() {
            Ok(r) => (r.status(), r.into_json().unwrap()),
            Err(ureq::Error::Status(code, r)) => (code, r.into_json().unwrap()),
            Err(e) => panic!("{path}: {e}"),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn years(hit: &Value) -> Vec<u64> {
    hit["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y.as_u64().unwrap())
        .collect()
}

#[test]
fn api_searches_filters_and_counts_years() {
    let server = Server::start();
    let (status, body) = server.get("/api/search?q=NMDA");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total"], 1);
    let hit = &body["hits"][0];
    assert!(hit["text"].as_str().unwrap().contains("NMDA"));
    assert_eq!(years(hit), [2016, 2020]);
    assert!(body["timings"]["search_ms"].as_f64().is_some());

    // The histogram counts every matching passage per cited year, whatever the year filter.
    let (_, all) = server.get("/api/search?q=ketamine&limit=100");
    let (_, narrowed) = server.get("/api/search?q=ketamine&year=2017&limit=100");
    assert_eq!(all["facets"], narrowed["facets"]);
    let bars = all["facets"]["years"].as_array().unwrap();
    assert_eq!(bars.first().unwrap()["year"], 2012);
    assert_eq!(bars.last().unwrap()["year"], 2021);
    let bar_2017 = bars.iter().find(|b| b["year"] == 2017).unwrap();
    assert_eq!(narrowed["total"], bar_2017["passages"]);
    for hit in narrowed["hits"].as_array().unwrap() {
        assert!(years(hit).contains(&2017));
    }
    assert!(narrowed["total"].as_u64() < all["total"].as_u64());

    // Paging, kinds, filters without a query.
    let (_, page) = server.get("/api/search?q=ketamine&limit=2&offset=2");
    assert_eq!(page["hits"].as_array().unwrap().len(), 2);
    assert_eq!(page["hits"][0]["rank"], 3);
    let (_, refs) = server.get("/api/search?kind=reference&author=Mathew");
    assert_eq!(refs["total"], 2);
    let (_, stats) = server.get("/api/stats");
    assert_eq!(stats["total"]["passages"], 8);
}

#[test]
fn api_refuses_bad_parameters_with_json_and_serves_nothing_else() {
    let server = Server::start();
    // Bad parameters are refused (400) and paths outside the API not found (404), with the
    // reason in JSON either way.
    let bad = [
        "/api/search?q=NMDA&limit=abc",
        "/api/search?q=NMDA&limit=100000",
        "/api/search?q=NMDA&offset=-1",
        "/api/search?q=NMDA&year=2020..2010",
        "/api/search?q=NMDA&year=soon",
        "/api/search?q=NMDA&kind=everything",
        "/api/search?q=NMDA%20AND",
        "/api/search?q=autor:x",
        "/api/search?q=%22unclosed",
    ];
    let outside = [
        "/index.html",
        "/Cargo.toml",
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/api",
        "/api/nothing",
        "/idx/meta.json",
    ];
    for (expected, paths) in [(400, &bad[..]), (404, &outside[..])] {
        for path in paths {
            let (status, body) = server.get(path);
            assert_eq!(status, expected, "{path}: {body}");
            assert!(
                body["error"].as_str().is_some_and(|e| !e.is_empty()),
                "{path}: {body}"
            );
        }
    }
    // Hostile queries: an answer or a 400, and the server lives on.
    for q in [
        "%F0%9F%98%80",
        "((((((",
        "year:[x%20TO%20y]",
        "%00%01",
        &"a".repeat(20_000),
    ] {
        let (status, _) = server.get(&format!("/api/search?q={q}"));
        assert!(status == 200 || status == 400, "{q}: {status}");
    }
    assert_eq!(server.get("/api/search?q=NMDA").0, 200);
    // The page itself.
    let page = ureq::get(&format!("{}/", server.url)).call().unwrap();
    assert_eq!(page.content_type(), "text/html");
    let html = page.into_string().unwrap();
    assert!(html.contains("<form") && !html.contains("http://") && !html.contains("https://"));
}

#[test]
fn new_commits_are_searched_without_a_restart() {
    let server = Server::start();
    assert_eq!(server.get("/api/search?q=zebrafish").1["total"], 0);
    let extra = server.dir.path().join("extra");
    std::fs::create_dir(&extra).unwrap();
    std::fs::write(
        extra.join("fish.md"),
        "# Fish\n\nZebrafish respond to ketamine (Smith, 2018).\n\n## References\n\nSmith, J. (2018). Fish. Journal, 1, 1-2.\n",
    )
    .unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/ketamine-standalone-vs-psychotherapy.txt");
    let out = Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args(["index", corpus.to_str().unwrap(), "extra", "--index", "idx"])
        .current_dir(server.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let started = Instant::now();
    loop {
        if server.get("/api/search?q=zebrafish").1["total"] == 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the new commit was not picked up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_binds_to_loopback_by_default() {
    let out = Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("[default: 127.0.0.1:7878]"));
}

/// A minimal WebDriver client: enough to drive one page.
struct Browser {
    driver: Child,
    base: String,
    session: String,
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    fn start() -> Option<Browser> {
        let (driver, chromium) = (
            Path::new("/usr/bin/chromedriver"),
            Path::new("/usr/bin/chromium"),
        );
        if !driver.exists() || !chromium.exists() {
            eprintln!(
                "skipping the browser test: /usr/bin/chromedriver or /usr/bin/chromium missing (apt-get install chromium chromium-driver)"
            );
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"]
            }
        }}});
        let mut browser = Browser {
            driver,
            base,
            session: String::new(),
        };
        browser.session = browser.post("/session", caps)["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.session)
        };
        let request = ureq::request(method, &url);
        let response = match body {
            Some(b) => request.send_json(b),
            None => request.call(),
        };
        match response {
            Ok(r) => r.into_json::<Value>().unwrap()["value"].clone(),
            Err(ureq::Error::Status(code, r)) => {
                panic!("{method} {path}: {code} {}", r.into_string().unwrap())
            }
            Err(e) => panic!("{method} {path}: {e}"),
        }
    }

    fn post(&self, path: &str, body: Value) -> Value {
        self.call("POST", path, Some(body))
    }

    fn find(&self, css: &str) -> String {
        let v = self.post("/element", json!({"using": "css selector", "value": css}));
        v[ELEMENT].as_str().unwrap().to_string()
    }

    fn script(&self, js: &str) -> Value {
        self.post("/execute/sync", json!({"script": js, "args": []}))
    }

    /// Wait until `js` (an expression) is true.
    fn wait_for(&self, js: &str) {
        let started = Instant::now();
        while self.script(&format!("return !!({js});")) != json!(true) {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "timed out waiting for {js}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let png = self.call("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

#[test]
fn the_page_searches_and_the_histogram_filters() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let server = Server::start();
    browser.post("/url", json!({"url": format!("{}/", server.url)}));

    // Type NMDA, see the NMDA passage.
    let q = browser.find("input[name=q]");
    browser.post(&format!("/element/{q}/value"), json!({"text": "NMDA"}));
    let go = browser.find("#go");
    browser.post(&format!("/element/{go}/click"), json!({}));
    browser.wait_for("document.querySelectorAll('li.hit').length > 0");
    let first = browser.script("return document.querySelector('li.hit').innerText;");
    assert!(first.as_str().unwrap().contains("NMDA"), "{first}");
    assert_eq!(
        browser.script("return document.querySelector('li.hit mark').textContent;"),
        json!("NMDA")
    );
    // Open a cited work: its full entry appears.
    let cite = browser.find("li.hit button.cite");
    browser.post(&format!("/element/{cite}/click"), json!({}));
    browser.wait_for("document.querySelector('li.hit .entry')");
    let entry = browser.script("return document.querySelector('li.hit .entry').textContent;");
    assert!(
        entry.as_str().unwrap().contains("Nature Medicine"),
        "{entry}"
    );
    browser.screenshot(&screenshots().join("nmda.png"));

    // A broader search, then a click on the 2017 bar narrows the list to passages citing 2017.
    browser.script("document.querySelector('input[name=q]').value = '';");
    browser.post(&format!("/element/{q}/value"), json!({"text": "ketamine"}));
    browser.post(&format!("/element/{go}/click"), json!({}));
    browser.wait_for("document.querySelector('.bar[data-year=\"2017\"]') && !document.querySelector('#status').textContent.startsWith('Searching')");
    let before = browser.script("return document.querySelectorAll('li.hit').length;");
    browser.screenshot(&screenshots().join("ketamine.png"));
    let bar = browser.find(".bar[data-year=\"2017\"]");
    browser.post(&format!("/element/{bar}/click"), json!({}));
    browser.wait_for("document.querySelector('input[name=year]').value === '2017' && document.querySelector('.bar.on') && !document.querySelector('#status').textContent.startsWith('Searching')");
    let after = browser
        .script("return [...document.querySelectorAll('li.hit .where')].map(e => e.textContent);");
    let after: Vec<String> = serde_json::from_value(after).unwrap();
    assert!(!after.is_empty());
    assert!(
        (after.len() as u64) < before.as_u64().unwrap(),
        "{after:?} vs {before}"
    );
    for where_ in &after {
        assert!(where_.contains("2017"), "{where_}");
    }
    browser.screenshot(&screenshots().join("year-2017.png"));
    eprintln!("screenshots in {}", screenshots().display());
}

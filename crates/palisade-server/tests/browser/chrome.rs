//! A real Chromium, driven through chromedriver (Debian's `chromium` and `chromium-driver`; `.ci/run`
//! installs them). Each test gets its own chromedriver on a free port and its own fresh profile.
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

pub struct Chrome {
    driver: Child,
    pub client: Client,
}

fn program(env: &str, default: &str) -> PathBuf {
    let path = PathBuf::from(std::env::var(env).unwrap_or_else(|_| default.to_owned()));
    assert!(
        path.exists(),
        "{} is missing: install Debian's chromium and chromium-driver (`apt-get install chromium chromium-driver`, \
         as .ci/run does), or point {env} at the program",
        path.display()
    );
    path
}

/// chromedriver's log of the browser's console (its `/se/log` extension), for CSP violations and
/// script errors.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"type": "browser"}).to_string()))
    }
}

impl Chrome {
    pub async fn start() -> Self {
        let chromium = program("PALISADE_CHROMIUM", "/usr/bin/chromium");
        let chromedriver = program("PALISADE_CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // Its own process group, so the browsers it starts go down with it (see Drop).
        let driver = Command::new(chromedriver)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                // As root Chromium needs --no-sandbox; the rest keeps it quiet and small in CI.
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--disable-extensions", "--window-size=1280,900"],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let caps = caps.as_object().unwrap().clone();
        let mut last = None;
        for _ in 0..100 {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => return Self { driver, client },
                Err(e) => last = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not answer: {last:?}");
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Waits (up to 10 s) for an element and returns it.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css}: {e}"))
    }

    /// Waits for the page's heading to read `text`.
    pub async fn heading(&self, text: &str) {
        for _ in 0..100 {
            if let Ok(h1) = self.client.find(Locator::Css("h1")).await {
                if h1.text().await.is_ok_and(|t| t.trim() == text) {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let source = self.client.source().await.unwrap_or_default();
        panic!(
            "no heading {text:?} on {}: {source}",
            self.client.current_url().await.unwrap()
        );
    }

    /// Types into the element (found as a person would: waiting for it).
    pub async fn type_into(&self, css: &str, text: &str) {
        self.wait_for(css).await.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
    }

    /// Types as a keyboard does: whatever has the focus gets the keys.
    pub async fn keys(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    pub async fn press(&self, key: Key) {
        self.keys(&char::from(key).to_string()).await;
    }

    /// Presses Tab until the focus is on an element matching `css` (at most 40 times).
    pub async fn tab_to(&self, css: &str) {
        for _ in 0..40 {
            self.press(Key::Tab).await;
            let focused = self
                .client
                .execute(
                    "return document.activeElement.matches(arguments[0]);",
                    vec![json!(css)],
                )
                .await
                .unwrap();
            if focused == json!(true) {
                return;
            }
        }
        panic!("Tab never reached {css}");
    }

    pub async fn source(&self) -> String {
        self.client.source().await.unwrap()
    }

    /// What the console said since the last call that is an error or a policy violation. A form
    /// shown again with what to fix (422) or a refused send (409) is a page doing its job: Chromium
    /// logs its status, which is not counted.
    pub async fn console_errors(&self) -> Vec<String> {
        let log = self.client.issue_cmd(BrowserLog).await.unwrap();
        let expected = |m: &str| {
            m.ends_with("status of 409 (Conflict)") || m.ends_with("status of 422 (Unprocessable Entity)")
        };
        let policy = |m: &str| m.contains("Content Security Policy");
        log.as_array()
            .into_iter()
            .flatten()
            .filter_map(|e: &Value| Some((e["level"].as_str()?, e["message"].as_str()?)))
            .filter(|(level, m)| (*level == "SEVERE" || policy(m)) && !expected(m))
            .map(|(_, m)| m.to_owned())
            .collect()
    }

    /// Saves a screenshot under docs/screenshots when PALISADE_WRITE_SCREENSHOTS is set (they are
    /// committed, and looked at); otherwise only checks that one can be taken.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        if std::env::var_os("PALISADE_WRITE_SCREENSHOTS").is_some() {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
    }
}

impl Chrome {
    /// Ends the browser session (chromedriver closes the browser); Drop cleans up after a panic.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        // chromedriver and every browser process it started (a failed test never closes its session).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

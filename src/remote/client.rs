//! One remote index: `clinsearch serve` on another machine (or process), called over HTTP with a
//! time-out and, when the server has one, its token.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a shard did not answer.
#[derive(Debug)]
pub enum ShardError {
    /// Unreachable, timed out, or failed inside: searching goes on without it.
    Down(String),
    /// It answered but refused the request (wrong token, a request it cannot read): an error.
    Refused(String),
}

/// A `clinsearch serve` reached over HTTP.
pub struct Remote {
    /// Base URL, without the trailing slash.
    pub url: String,
    agent: ureq::Agent,
    token: Option<String>,
}

impl Remote {
    /// A client of the server at `url` (`http://HOST:PORT`); every request gives up after
    /// `timeout`.
    pub fn new(url: &str, timeout: Duration, token: Option<String>) -> Remote {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(timeout)
            .timeout(timeout)
            .build();
        Remote {
            url: url.trim_end_matches('/').to_string(),
            agent,
            token,
        }
    }

    /// `GET path` (with its query string), read as JSON.
    pub fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ShardError> {
        let request = self.agent.get(&format!("{}{path}", self.url));
        self.answer(self.authorised(request).call())
    }

    /// `POST path` with a JSON body, read as JSON.
    pub fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ShardError> {
        let request = self.agent.post(&format!("{}{path}", self.url));
        self.answer(self.authorised(request).send_json(body))
    }

    fn authorised(&self, request: ureq::Request) -> ureq::Request {
        match &self.token {
            Some(token) => request.set("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }

    fn answer<T: DeserializeOwned>(
        &self,
        response: Result<ureq::Response, ureq::Error>,
    ) -> Result<T, ShardError> {
        match response {
            Ok(response) => response
                .into_json()
                .map_err(|e| ShardError::Down(format!("unreadable answer: {e}"))),
            Err(ureq::Error::Status(status, response)) => {
                let body: serde_json::Value = response.into_json().unwrap_or_default();
                let message = body["error"].as_str().unwrap_or("no message").to_string();
                match status {
                    400..=499 => Err(ShardError::Refused(format!("{status}: {message}"))),
                    _ => Err(ShardError::Down(format!("{status}: {message}"))),
                }
            }
            Err(ureq::Error::Transport(e)) => Err(ShardError::Down(e.to_string())),
        }
    }
}

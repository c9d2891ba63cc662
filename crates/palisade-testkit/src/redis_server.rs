//! A private Redis for a test: `redis-server` on a free port, keeping nothing on disk, stopped when
//! dropped. `PALISADE_TEST_REDIS_URL` points the tests at an existing server instead.
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct RedisServer {
    pub url: String,
    child: Option<Child>,
}

impl RedisServer {
    pub async fn start() -> Self {
        if let Ok(url) = std::env::var("PALISADE_TEST_REDIS_URL") {
            return Self { url, child: None };
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("redis-server could not be started ({e}); install it (Debian: apt-get install redis-server) or set PALISADE_TEST_REDIS_URL")
            });
        let server = Self {
            url: format!("redis://127.0.0.1:{port}"),
            child: Some(child),
        };
        let client = redis::Client::open(server.url.as_str()).expect("redis url");
        for _ in 0..200 {
            if let Ok(mut conn) = client.get_multiplexed_async_connection().await {
                if redis::cmd("PING").query_async::<String>(&mut conn).await.is_ok() {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("redis-server did not answer on {}", server.url);
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

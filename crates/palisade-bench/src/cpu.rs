//! Where the CPU goes during a measurement: the load generator (this process's threads, or pgbench as
//! its child), the Palisade server, and PostgreSQL (every `postgres` process). Read from /proc in
//! clock ticks (USER_HZ, 100 on Linux).
const TICK_US: f64 = 10_000.0;

#[derive(Clone, Copy, Debug, Default)]
pub struct Ticks {
    pub client: u64,
    pub server: u64,
    pub database: u64,
}

/// utime+stime (and, with `children`, cutime+cstime) of one process.
fn process_ticks(pid: &str, children: bool) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // The command name may contain spaces; fields resume after the closing parenthesis.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0;
    };
    let fields: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|f| f.parse().ok())
        .collect();
    match fields.as_slice() {
        [ut, st, cut, cst] => ut + st + if children { cut + cst } else { 0 },
        _ => 0,
    }
}

fn postgres_ticks() -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|pid| pid.bytes().all(|b| b.is_ascii_digit()))
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "postgres")
        })
        // Backends that exited (pgbench disconnects) are in the postmaster's reaped-children time.
        .map(|pid| process_ticks(&pid, true))
        .sum()
}

pub fn snapshot(server_pid: u32) -> Ticks {
    Ticks {
        client: process_ticks("self", true),
        server: process_ticks(&server_pid.to_string(), false),
        database: postgres_ticks(),
    }
}

/// CPU microseconds per request (or transaction), split by who spent it.
#[derive(Clone, Copy, Debug, Default)]
pub struct PerRequest {
    pub client_us: f64,
    pub server_us: f64,
    pub database_us: f64,
}

impl PerRequest {
    pub fn between(before: Ticks, after: Ticks, requests: f64) -> Self {
        if requests <= 0.0 {
            return Self::default();
        }
        let per = |a: u64, b: u64| a.saturating_sub(b) as f64 * TICK_US / requests;
        Self {
            client_us: per(after.client, before.client),
            server_us: per(after.server, before.server),
            database_us: per(after.database, before.database),
        }
    }
}

//! `palisade`: serve, migrate, and operator commands.
mod cli;
mod commands;
mod logging;

use clap::Parser;

use cli::{Cli, Command};

// glibc's allocator was a sixth of the server's CPU on a list page (malloc, free and
// malloc_consolidate under serialising 50 rows; BENCHMARKS.md); mimalloc's thread-local free lists
// cost a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    if let Command::Version = cli.command {
        println!("palisade {}", env!("CARGO_PKG_VERSION"));
        return std::process::ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::dispatch(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

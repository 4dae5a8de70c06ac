//! The `neighbourly` command: serve, migrate, seed the demo, and the other tools of `cli`.

use clap::Parser;
use neighbourly::cli::{self, Cli};
use neighbourly::config::Settings;

/// mimalloc instead of the system allocator: a request allocates many small, short-lived values
/// on several threads, where glibc's malloc spent a fifth of the server's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = Cli::parse();
    neighbourly::telemetry::init("info,actix_server=warn");
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("neighbourly: {e}");
            std::process::exit(2);
        }
    };
    let result = actix_web::rt::System::new().block_on(cli::run(cli, settings));
    if let Err(e) = result {
        eprintln!("neighbourly: {e}");
        std::process::exit(1);
    }
}

use clap::Parser;
use neighbourly::cli::{self, Cli};
use neighbourly::config::Settings;

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

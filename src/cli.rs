//! The command line: `serve`, `migrate`, `demo`, `report`, `backup`, `restore`, `admin`.

use std::io::BufRead;

use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::db;
use crate::domain::fields;
use crate::service::{self, Services};
use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "neighbourly",
    version,
    about = "Neighbourhood helper matching service"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP API (applies pending migrations first).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Matching without a database.
    Match {
        #[command(subcommand)]
        command: MatchCommand,
    },
    /// Fill the database with a believable neighbourhood around Peckham and Camberwell.
    Demo {
        /// Random seed, so that the same neighbourhood can be made again.
        #[arg(long, default_value_t = 2009)]
        seed: u64,
    },
    /// Reports.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Places from postcodes.
    Places {
        #[command(subcommand)]
        command: PlacesCommand,
    },
    /// Write a consistent copy of the SQLite database to FILE, also while the service runs.
    Backup { file: std::path::PathBuf },
    /// Put the copy FILE in place of the SQLite database; refused while the database is in use.
    Restore { file: std::path::PathBuf },
    /// Administrative tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Assign requests to helpers from a JSON file: the most requests, then the least distance.
    /// Prints `{"assignments", "unassigned", "total_distance_km"}`.
    Batch {
        #[arg(long)]
        input: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlacesCommand {
    /// Import the ONS Postcode Directory CSV (columns pcds, lat, long, doterm) or a plain
    /// postcode,lat,lon CSV; importing again updates.
    Import { file: std::path::PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The weekly report for an ISO week (the last complete week by default).
    Weekly {
        /// `2026-W47`.
        #[arg(long)]
        week: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
        format: ReportFormat,
        /// Also queue it by email to every coordinator (sent by a running server's outbox worker).
        #[arg(long)]
        send: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a coordinator account; the password is read from standard input.
    CreateCoordinator {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: Option<String>,
    },
}

pub type CliResult = Result<(), Box<dyn std::error::Error>>;

pub async fn run(cli: Cli, settings: Settings) -> CliResult {
    match cli.command {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let pool = db::connect(&settings.database.connect_options())?;
            drop(pool);
            println!("migrations applied");
            Ok(())
        }
        Command::Match {
            command: MatchCommand::Batch { input },
        } => {
            let text = std::fs::read_to_string(&input)
                .map_err(|e| format!("cannot read {}: {e}", input.display()))?;
            let instance = crate::matching::batch::parse_instance(&text)?;
            let plan = crate::matching::batch::plan(&instance);
            println!("{}", serde_json::to_string_pretty(&plan)?);
            Ok(())
        }
        Command::Report {
            command: ReportCommand::Weekly { week, format, send },
        } => {
            let week = week
                .map(|w| crate::reports::IsoWeek::parse(&w))
                .transpose()?;
            let week = service::reports::week_or_last(&settings, week, crate::db::now());
            let pool = db::connect(&settings.database.connect_options())?;
            let svc = Services::new(pool, std::sync::Arc::new(settings.clone()));
            let report =
                service::reports::weekly_report(&svc, service::Requester::CommandLine, week)
                    .map_err(|e| e.chain())?;
            match format {
                ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                ReportFormat::Csv => print!("{}", crate::reports::csv(&report)),
            }
            if send {
                let sent = service::reports::send_weekly_report(
                    &svc,
                    service::Requester::CommandLine,
                    week,
                )
                .map_err(|e| e.chain())?;
                eprintln!(
                    "queued the {week} report for {} coordinator(s)",
                    sent.queued
                );
            }
            Ok(())
        }
        Command::Places {
            command: PlacesCommand::Import { file },
        } => import_places(&settings, &file),
        Command::Backup { file } => {
            db::backup::backup(settings.database.url.expose(), &file)?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::Restore { file } => {
            db::backup::restore(settings.database.url.expose(), &file)?;
            println!("database restored from {}", file.display());
            Ok(())
        }
        Command::Demo { seed } => {
            let summary = crate::demo::fill(&settings, seed)?;
            println!("{summary}");
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::CreateCoordinator { email, name, phone },
        } => {
            let mut password = String::new();
            std::io::stdin().lock().read_line(&mut password)?;
            let id = create_coordinator(
                &settings,
                &email,
                &name,
                phone.as_deref(),
                password.trim_end_matches(['\r', '\n']),
            )?;
            println!("coordinator {id} created");
            Ok(())
        }
    }
}

async fn serve(settings: Settings) -> CliResult {
    let env = settings.environment;
    let (host, _) = (settings.server.host.clone(), settings.server.port);
    let app = Application::build(settings).await?;
    tracing::info!(
        environment = env.as_str(),
        "listening on http://{host}:{}",
        app.port()
    );
    app.run_until_stopped().await?;
    Ok(())
}

/// `neighbourly places import FILE`, with progress on standard error.
fn import_places(settings: &Settings, file: &std::path::Path) -> CliResult {
    let opened =
        std::fs::File::open(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let pool = db::connect(&settings.database.connect_options())?;
    let svc = Services::new(pool, std::sync::Arc::new(settings.clone()));
    let started = std::time::Instant::now();
    let report = service::places::import(&svc, service::Requester::CommandLine, opened, |rows| {
        eprintln!("{rows} rows read, {:.0} s", started.elapsed().as_secs_f64());
    })
    .map_err(|e| match e {
        service::Error::Invalid(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.chain(),
    })?;
    println!(
        "{} postcodes imported in {:.0} s; skipped: {} retired, {} with no position, {} that could not be read",
        report.imported,
        started.elapsed().as_secs_f64(),
        report.retired,
        report.without_position,
        report.bad
    );
    for (line, why) in &report.bad_lines {
        println!("  line {line}: {why}");
    }
    Ok(())
}

/// Create a coordinator account. Fails if the email is taken or a value is invalid.
pub fn create_coordinator(
    settings: &Settings,
    email: &str,
    name: &str,
    phone: Option<&str>,
    password: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    let email = fields::email(email).map_err(|m| format!("email {m}"))?;
    let name = fields::name(name).map_err(|m| format!("name {m}"))?;
    let phone = phone
        .map(fields::phone)
        .transpose()
        .map_err(|m| format!("phone {m}"))?;
    let password = fields::password(password).map_err(|m| format!("password {m}"))?;
    let pool = db::connect(&settings.database.connect_options())?;
    let svc = Services::new(pool, std::sync::Arc::new(settings.clone()));
    match service::accounts::create_coordinator(&svc, name, email.clone(), phone, &password) {
        Ok(id) => Ok(id.into_string()),
        Err(service::Error::Conflict(_)) => {
            Err(format!("an account with email {email} already exists").into())
        }
        Err(e) => Err(e.chain().into()),
    }
}

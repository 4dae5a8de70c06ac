//! The command line: `serve`, `migrate`, `admin create-coordinator`.

use std::io::BufRead;

use clap::{Parser, Subcommand};

use crate::auth::password::PasswordPolicy;
use crate::config::Settings;
use crate::db::{self, users::UserRow};
use crate::domain::fields;
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
            let pool = db::connect(&settings.database)?;
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
            let tz = crate::domain::availability::parse_timezone(&settings.reports.timezone)?;
            let week = match week {
                Some(w) => crate::reports::IsoWeek::parse(&w)?,
                None => crate::reports::IsoWeek::last_complete(chrono::Utc::now(), tz),
            };
            let pool = db::connect(&settings.database)?;
            let mut conn = pool.get()?;
            let report = crate::reports::build(&mut conn, week, tz)?;
            match format {
                ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                ReportFormat::Csv => print!("{}", crate::reports::csv(&report)),
            }
            if send {
                let n = db::write_tx(&mut conn, |c| {
                    crate::reports::queue_for_coordinators(c, &settings, week, false, db::now())
                })?;
                eprintln!("queued the {week} report for {n} coordinator(s)");
            }
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
    let policy = PasswordPolicy {
        memory_kib: settings.auth.argon2_memory_kib,
        iterations: settings.auth.argon2_iterations,
    };
    let hash = policy.hash(&password)?;
    let pool = db::connect(&settings.database)?;
    let mut conn = pool.get()?;
    if db::users::email_taken(&mut conn, &email)? {
        return Err(format!("an account with email {email} already exists").into());
    }
    let user = UserRow {
        id: db::new_id(),
        role: "coordinator".into(),
        name,
        email: Some(email),
        phone,
        password_hash: Some(hash),
        created_at: db::now(),
    };
    db::users::insert(&mut conn, &user)?;
    Ok(user.id)
}

//! Settings, loaded once at start: `config/default.toml`, then `config/$NEIGHBOURLY_ENV.toml`,
//! then `NEIGHBOURLY__SECTION__KEY` environment variables (and `DATABASE_URL`).

use std::fmt;
use std::path::Path;

use serde::Deserialize;

/// The placeholder secret that older settings files carried. It is never used to sign or accept
/// tokens unless `NEIGHBOURLY_ENV=development` is set explicitly, and refused in production.
pub const PLACEHOLDER_JWT_SECRET: &str = "development-placeholder-secret-change-me";

const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    Development,
    Test,
    Production,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Test => "test",
            Environment::Production => "production",
        }
    }

    fn parse(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "development" | "dev" | "" => Ok(Environment::Development),
            "test" => Ok(Environment::Test),
            "production" | "prod" => Ok(Environment::Production),
            other => Err(format!(
                "NEIGHBOURLY_ENV must be development, test or production, not {other:?}"
            )),
        }
    }
}

/// A string that never reaches a log.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    #[serde(skip, default = "default_env")]
    pub environment: Environment,
    /// Whether `NEIGHBOURLY_ENV` named the environment (development is also the default).
    #[serde(skip)]
    pub environment_explicit: bool,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub auth: AuthSettings,
    pub matching: MatchingSettings,
    pub email: EmailSettings,
    pub reports: ReportSettings,
    pub metrics: MetricsSettings,
    pub visits: VisitSettings,
    pub series: SeriesSettings,
    pub membership: MembershipSettings,
    pub events: EventSettings,
    #[serde(default)]
    pub requests: RequestSettings,
    #[serde(default)]
    pub circle: CircleSettings,
    #[serde(default)]
    pub push: PushSettings,
    #[serde(default)]
    pub console: ConsoleSettings,
    #[serde(default)]
    pub sms: SmsSettings,
}

/// Text messages: the gateway they go through (Kannel's `sendsms` interface), and what comes
/// back from it (replies and delivery reports, with `inbound_secret` in the query).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SmsSettings {
    /// `kannel`, or empty: no text is sent, and those who would have had one show in follow-ups.
    pub gateway: String,
    /// Kannel's smsbox `sendsms` address: `http://127.0.0.1:13013/cgi-bin/sendsms`.
    pub kannel_url: String,
    /// A `sendsms-user` of that smsbox.
    pub username: String,
    pub password: Secret,
    /// The sender the phones show: the Circle's number or a short name (at most 11 letters).
    pub from: String,
    /// The address the gateway reaches this service at, for delivery reports (`dlr-url`);
    /// empty: `server.public_url`.
    pub callback_url: String,
    /// Given by the gateway in the query of `/api/v1/sms/inbound` and `/api/v1/sms/delivery`.
    /// Empty: texts from the gateway are refused.
    pub inbound_secret: Secret,
    /// The most parts one text may take (160 characters a part, 153 when joined; 70 and 67
    /// when a character needs Unicode).
    pub max_segments: usize,
}

impl SmsSettings {
    /// Whether texts go to a gateway.
    pub fn enabled(&self) -> bool {
        !self.gateway.trim().is_empty()
    }

    fn validate(&self) -> Result<(), String> {
        if !(2..=10).contains(&self.max_segments) {
            return Err("sms.max_segments must be 2 to 10: the shortest texts need two parts when a name needs Unicode".into());
        }
        match self.gateway.trim() {
            "" => Ok(()),
            "kannel" => {
                let url = reqwest::Url::parse(&self.kannel_url).map_err(|_| {
                    "sms.kannel_url must be the smsbox's sendsms address, such as http://127.0.0.1:13013/cgi-bin/sendsms".to_string()
                })?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err("sms.kannel_url must start http:// or https://".into());
                }
                if self.inbound_secret.expose().len() < 16 {
                    return Err("sms.inbound_secret must be at least 16 characters: the gateway gives it when it posts replies and delivery reports".into());
                }
                Ok(())
            }
            other => Err(format!(
                "sms.gateway must be kannel or empty, not {other:?}"
            )),
        }
    }
}

impl Default for SmsSettings {
    fn default() -> Self {
        SmsSettings {
            gateway: String::new(),
            kannel_url: String::new(),
            username: String::new(),
            password: Secret::new(""),
            from: String::new(),
            callback_url: String::new(),
            inbound_secret: Secret::new(""),
            max_segments: 2,
        }
    }
}

/// The coordinators' console: map tiles to draw the map on, when a tile server can be reached.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConsoleSettings {
    /// An OpenStreetMap-style tile address with `{z}`, `{x}` and `{y}`, such as
    /// `https://tile.example.org/{z}/{x}/{y}.png`. Empty (the default): the console's map is
    /// drawn without tiles, asking no other host for anything.
    #[serde(default)]
    pub map_tiles_url: String,
    /// The tiles' attribution, shown on the map (OpenStreetMap's tiles require one).
    #[serde(default)]
    pub map_attribution: String,
}

impl ConsoleSettings {
    /// The tiles' origin (`https://tile.example.org`), for the console's Content Security
    /// Policy; `None` without tiles.
    pub fn tiles_origin(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.map_tiles_url.replace(['{', '}'], "")).ok()?;
        let origin = url.origin();
        origin.is_tuple().then(|| origin.ascii_serialization())
    }
}

/// Web Push: the VAPID key the service signs with (made once and kept in the database when not
/// given), and, for tests only, plain `http://127.0.0.1` endpoints.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PushSettings {
    /// The VAPID private key: a P-256 scalar, 32 bytes in base64url.
    pub vapid_private_key: Option<Secret>,
    /// Let `http://127.0.0.1:PORT/…` endpoints through (a push service run by the tests).
    #[serde(default)]
    pub allow_http_loopback: bool,
}

/// The Circle itself: its name and the number people ring (shown wherever a screen says to
/// ring), and its area: with both `centre` and `radius_km` set, every place given (a home, a
/// request, an event) must lie within `radius_km` of `centre`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct CircleSettings {
    /// "Peckham and Camberwell Circle".
    pub name: String,
    /// The coordinators' number, as people dial it: "020 7946 0999".
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Where the Circle is, in words: "Peckham and Camberwell".
    pub area_name: Option<String>,
    /// When someone answers: "Monday to Friday, 9am to 5pm".
    pub hours: Option<String>,
    /// The map a helper opens a visit's address in: an https address with `{address}` where the
    /// address goes (OpenStreetMap's search unless the Circle sets another).
    #[serde(default = "default_maps_url")]
    pub maps_url: String,
    pub centre: Option<crate::domain::Location>,
    pub radius_km: Option<f64>,
}

fn default_maps_url() -> String {
    "https://www.openstreetmap.org/search?query={address}".into()
}

impl Default for CircleSettings {
    fn default() -> Self {
        CircleSettings {
            name: "Neighbourly".into(),
            phone: None,
            email: None,
            area_name: None,
            hours: None,
            maps_url: default_maps_url(),
            centre: None,
            radius_km: None,
        }
    }
}

impl CircleSettings {
    pub fn area(&self) -> Option<crate::domain::CircleArea> {
        Some(crate::domain::CircleArea {
            centre: self.centre?,
            radius_km: self.radius_km?,
        })
    }
}

/// Tokens: how many minutes one is worth, and whether asking for help needs them.
#[derive(Debug, Clone, Deserialize)]
pub struct MembershipSettings {
    pub minutes_per_token: i32,
    pub tokens_required: bool,
    /// Members are reminded this many days before their membership ends.
    pub remind_days_before: i64,
}

/// Social events: how long before one starts those going are reminded.
#[derive(Debug, Clone, Deserialize)]
pub struct EventSettings {
    pub remind_hours_before: i64,
}

/// Standing requests: how far ahead occurrences are made, and how long the regular helper has
/// each one to themselves.
#[derive(Debug, Clone, Deserialize)]
pub struct SeriesSettings {
    pub weeks_ahead: i64,
    pub regular_first_hours: i64,
}

/// When, before a visit starts, its helper is asked to confirm, coordinators are alerted, and
/// an unconfirmed visit goes to others; and how close to the start a withdrawal counts as late.
#[derive(Debug, Clone, Deserialize)]
pub struct VisitSettings {
    pub confirm_ask_hours: i64,
    pub coordinator_alert_hours: i64,
    pub reoffer_hours: i64,
    pub late_withdrawal_hours: i64,
    /// A helper may say they have arrived this long before their planned start.
    #[serde(default = "default_check_in_early")]
    pub check_in_early_minutes: i64,
    /// "Nobody came" may be said this long after the helper's planned start.
    #[serde(default = "default_no_show_after")]
    pub no_show_after_minutes: i64,
    /// Coordinators are alerted, once, when a visit has started this long ago with no arrival.
    #[serde(default = "default_no_check_in_alert")]
    pub no_check_in_alert_minutes: i64,
}

fn default_no_check_in_alert() -> i64 {
    20
}

/// How soon and how far ahead help may be asked for.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct RequestSettings {
    /// A window must start at least this many minutes from now (0: any that has not started).
    pub min_notice_minutes: i64,
    /// A window may start at most this many days ahead.
    pub max_days_ahead: i64,
}

impl Default for RequestSettings {
    fn default() -> Self {
        RequestSettings {
            min_notice_minutes: 60,
            max_days_ahead: 90,
        }
    }
}

fn default_check_in_early() -> i64 {
    60
}

fn default_no_show_after() -> i64 {
    30
}

fn default_env() -> Environment {
    Environment::Development
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub host: String,
    pub port: u16,
    pub json_limit_bytes: usize,
    pub workers: usize,
    /// Where people reach this service, for links in emails (a password reset).
    pub public_url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: Secret,
    pub pool_size: u32,
    pub checkout_timeout_ms: u64,
    pub statement_timeout_ms: u64,
    pub sqlite_busy_timeout_ms: u64,
    /// The longest a write waits for its turn before the answer is 503 with `Retry-After`.
    pub write_wait_ms: u64,
}

impl DatabaseSettings {
    pub fn connect_options(&self) -> crate::db::ConnectOptions {
        crate::db::ConnectOptions {
            url: self.url.expose().to_string(),
            pool_size: self.pool_size,
            checkout_timeout_ms: self.checkout_timeout_ms,
            statement_timeout_ms: self.statement_timeout_ms,
            sqlite_busy_timeout_ms: self.sqlite_busy_timeout_ms,
            write_wait_ms: self.write_wait_ms,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    pub jwt_secret: Secret,
    pub issuer: String,
    pub audience: String,
    pub access_ttl_secs: i64,
    pub refresh_ttl_days: i64,
    /// How long "Keep me signed in on this phone" lasts from the last use, in days.
    #[serde(default = "default_remember_days")]
    pub remember_days: i64,
    /// A refresh token used again this soon after its first use (two tabs opening at once) is
    /// answered with new tokens of the same session rather than taken for a stolen one.
    #[serde(default = "default_reuse_grace_secs")]
    pub refresh_reuse_grace_secs: i64,
    pub login_max_failures: i64,
    pub login_failure_window_secs: i64,
    pub login_per_address_per_minute: u32,
    /// Sign-ups made without a bearer token, per client address an hour.
    pub signups_per_address_per_hour: u32,
    /// Password-reset requests and confirmations, per client address an hour.
    pub resets_per_address_per_hour: u32,
    /// Proxies whose `X-Forwarded-For` is believed (the client address is otherwise the peer's).
    #[serde(default)]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How many passwords are hashed or checked at once; the rest wait their turn (each takes
    /// `argon2_memory_kib` of memory). 0: one per CPU core.
    #[serde(default)]
    pub hashing_at_once: usize,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
}

fn default_remember_days() -> i64 {
    90
}

fn default_reuse_grace_secs() -> i64 {
    30
}

#[derive(Debug, Clone, Deserialize)]
pub struct MatchingSettings {
    /// How many helpers each new request is offered to at once.
    pub offers_per_request: usize,
    /// How long an offer stays open (it lapses sooner when the window is near).
    pub offer_ttl_minutes: i64,
    /// Minutes kept free before and after each job for travel.
    pub travel_buffer_minutes: i64,
    /// Jobs a helper may have in one ISO week.
    pub weekly_cap_jobs: usize,
    /// How many candidates coordinators see by default.
    pub candidates_limit: usize,
    /// How often lapsed offers and expired requests are swept, in seconds (0 turns it off).
    pub sweep_interval_secs: u64,
    /// The Circle's night (`"21:00-08:00"`, `""` for none): offers' time to answer counts only
    /// the hours outside it, and offers for visits more than 12 hours off wait for its end.
    #[serde(default = "default_quiet_hours")]
    pub quiet_hours: crate::domain::quiet::QuietSpan,
    pub weights: crate::matching::Weights,
}

fn default_quiet_hours() -> crate::domain::quiet::QuietSpan {
    crate::domain::quiet::QuietSpan::parse("21:00-08:00").unwrap_or_default()
}

impl MatchingSettings {
    pub fn limits(&self) -> crate::matching::eligibility::Limits {
        crate::matching::eligibility::Limits {
            travel_buffer_minutes: self.travel_buffer_minutes,
            weekly_cap_jobs: self.weekly_cap_jobs,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct EmailSettings {
    /// `smtp://host:port` (plain, a local relay), `smtp://host:587?tls=required` (STARTTLS) or
    /// `smtps://host:465` (implicit TLS). Empty: write `.eml` files to `mail_dir` instead.
    pub smtp_url: Secret,
    pub from: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
    pub mail_dir: String,
    /// Every send gives up after this long.
    pub send_timeout_secs: u64,
    /// Tries before a message is marked failed.
    pub max_attempts: i32,
    /// Wait before the second try; doubled each time, up to `backoff_max_secs`.
    pub backoff_base_secs: i64,
    pub backoff_max_secs: i64,
    /// How often the worker looks for due messages (0 turns the worker off).
    pub poll_interval_ms: u64,
    /// How long a worker may hold a message before another may take it over.
    pub lease_secs: i64,
    /// The bodies of emails sent (or given up on) are deleted this many days later.
    pub keep_sent_days: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ReportSettings {
    /// Weeks, and times in emails, are in this zone (an IANA name in the settings file).
    #[serde(deserialize_with = "time_zone")]
    pub timezone: chrono_tz::Tz,
    /// The weekly report goes out on this weekday (1 = Monday) at this local hour.
    pub send_weekday: u32,
    pub send_hour: u32,
    /// Send the weekly report on schedule.
    pub scheduled: bool,
}

/// Read an IANA time zone name once, when the settings load.
fn time_zone<'de, D: serde::Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
    let name = String::deserialize(d)?;
    crate::domain::availability::parse_timezone(&name).map_err(|why| {
        serde::de::Error::custom(format!("reports.timezone is not an IANA time zone: {why}"))
    })
}

#[derive(Debug, Clone, Deserialize)]
pub struct MetricsSettings {
    /// Serve `GET /metrics`.
    pub enabled: bool,
    /// 0: on the API's port; otherwise on this port only, on `host`.
    pub port: u16,
    /// Where the metrics port listens (127.0.0.1 by default, off the public network).
    pub host: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Invalid(String),
    #[error("could not read settings: {0}")]
    Load(#[from] config::ConfigError),
}

impl Settings {
    /// The rules of time for visits ([`crate::domain::actions`]), from `[visits]` and the
    /// Circle's time zone.
    pub fn time_rules(&self) -> crate::domain::actions::TimeRules {
        crate::domain::actions::TimeRules {
            check_in_early: chrono::Duration::minutes(self.visits.check_in_early_minutes.max(0)),
            no_show_after: chrono::Duration::minutes(self.visits.no_show_after_minutes.max(0)),
            tz: self.reports.timezone,
        }
    }

    /// The Circle's quiet hours, in its time zone.
    pub fn quiet_hours(&self) -> crate::domain::quiet::QuietHours {
        self.matching.quiet_hours.in_zone(self.reports.timezone)
    }

    /// How soon and how far ahead a request's window may start.
    pub fn notice(&self) -> crate::domain::window::Notice {
        crate::domain::window::Notice {
            min: chrono::Duration::minutes(self.requests.min_notice_minutes.max(0)),
            max_days_ahead: self.requests.max_days_ahead.clamp(1, 365),
        }
    }
}

impl Settings {
    /// Load settings for the environment named by `NEIGHBOURLY_ENV` (development by default),
    /// looking for files under `./config`.
    pub fn load() -> Result<Self, SettingsError> {
        let named = std::env::var("NEIGHBOURLY_ENV").unwrap_or_default();
        let env = Environment::parse(&named).map_err(SettingsError::Invalid)?;
        let mut settings = Self::load_from(Path::new("config"), env)?;
        settings.environment_explicit = !named.trim().is_empty();
        Ok(settings)
    }

    /// Whether the configured `auth.jwt_secret` is to be used as it is. Otherwise (none set, or
    /// the placeholder without an explicit development environment) the service signs with a
    /// random secret of its own, made on first start and kept in the database.
    pub fn configured_secret_usable(&self) -> bool {
        let secret = self.auth.jwt_secret.expose();
        if secret.is_empty() {
            return false;
        }
        secret != PLACEHOLDER_JWT_SECRET
            || (self.environment == Environment::Development && self.environment_explicit)
    }

    pub fn load_from(dir: &Path, env: Environment) -> Result<Self, SettingsError> {
        let mut builder = config::Config::builder()
            .add_source(config::File::from_str(
                DEFAULT_TOML,
                config::FileFormat::Toml,
            ))
            .add_source(config::File::from(dir.join("default.toml")).required(false))
            .add_source(
                config::File::from(dir.join(format!("{}.toml", env.as_str()))).required(false),
            )
            .add_source(
                config::Environment::with_prefix("NEIGHBOURLY")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("auth.trusted_proxies"),
            );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database.url", url)?;
        }
        let mut settings: Settings = builder.build()?.try_deserialize()?;
        settings.environment = env;
        settings.environment_explicit = true;
        settings.validate()?;
        Ok(settings)
    }

    /// Refuse settings that would be unsafe to run with.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let secret = self.auth.jwt_secret.expose();
        if self.environment != Environment::Development && !secret.is_empty() {
            if secret == PLACEHOLDER_JWT_SECRET {
                return Err(SettingsError::Invalid(
                    "auth.jwt_secret is the development placeholder; set NEIGHBOURLY__AUTH__JWT_SECRET to a secret of your own, or leave it unset to let the service make one".into(),
                ));
            }
            if secret.len() < 32 {
                return Err(SettingsError::Invalid(
                    "auth.jwt_secret must be at least 32 characters".into(),
                ));
            }
        }
        if !(1..=7).contains(&self.reports.send_weekday) || self.reports.send_hour > 23 {
            return Err(SettingsError::Invalid(
                "reports.send_weekday must be 1-7 and reports.send_hour 0-23".into(),
            ));
        }
        self.sms.validate().map_err(SettingsError::Invalid)?;
        if self.database.pool_size == 0 {
            return Err(SettingsError::Invalid(
                "database.pool_size must be at least 1".into(),
            ));
        }
        if self.membership.minutes_per_token < 1
            || !(0..=366).contains(&self.membership.remind_days_before)
            || !(0..=24 * 14).contains(&self.events.remind_hours_before)
        {
            return Err(SettingsError::Invalid(
                "membership.minutes_per_token must be at least 1, membership.remind_days_before 0-366 and events.remind_hours_before 0-336".into(),
            ));
        }
        if self.email.lease_secs <= self.email.send_timeout_secs as i64 {
            return Err(SettingsError::Invalid(
                "email.lease_secs must be longer than email.send_timeout_secs, or another worker could send a message again while it is being sent".into(),
            ));
        }
        let tiles = &self.console.map_tiles_url;
        if !tiles.is_empty()
            && (self.console.tiles_origin().is_none()
                || !["{z}", "{x}", "{y}"].iter().all(|p| tiles.contains(p))
                || !(tiles.starts_with("https://") || tiles.starts_with("http://")))
        {
            return Err(SettingsError::Invalid(
                "console.map_tiles_url must be an http(s) address with {z}, {x} and {y}, such as https://tile.example.org/{z}/{x}/{y}.png, or empty".into(),
            ));
        }
        let maps = &self.circle.maps_url;
        if !maps.starts_with("https://") || !maps.contains("{address}") {
            return Err(SettingsError::Invalid(
                "circle.maps_url must be an https address with {address} where the address goes, such as https://www.openstreetmap.org/search?query={address}".into(),
            ));
        }
        if self.server.json_limit_bytes == 0 {
            return Err(SettingsError::Invalid(
                "server.json_limit_bytes must be positive".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_tiles(url: &str) -> Settings {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
        let mut s = Settings::load_from(&dir, Environment::Test).expect("the test settings");
        s.console.map_tiles_url = url.to_string();
        s
    }

    #[test]
    fn map_tiles_are_an_http_address_with_z_x_and_y_or_nothing() {
        assert!(with_tiles("").validate().is_ok());
        let good = with_tiles("https://tile.example.org/{z}/{x}/{y}.png");
        assert!(good.validate().is_ok());
        assert_eq!(
            good.console.tiles_origin().as_deref(),
            Some("https://tile.example.org")
        );
        for bad in [
            "https://tile.example.org/tiles.png",
            "ftp://tile.example.org/{z}/{x}/{y}.png",
            "javascript:alert(1)//{z}{x}{y}",
            "tiles/{z}/{x}/{y}.png",
        ] {
            assert!(with_tiles(bad).validate().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_maps_address_is_https_with_the_address_in_it() {
        let mut s = with_tiles("");
        assert!(s.validate().is_ok(), "OpenStreetMap's search by default");
        for bad in [
            "http://maps.example.org/?q={address}",
            "https://maps.example.org/",
            "javascript:alert('{address}')",
        ] {
            s.circle.maps_url = bad.into();
            assert!(s.validate().is_err(), "{bad}");
        }
    }
}

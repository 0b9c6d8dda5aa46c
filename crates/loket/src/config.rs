//! Settings, from (highest first) command-line flags, `LOKET_*` environment variables, a TOML
//! file (`--config FILE`, or `loket.toml` in the data directory when present), and defaults.
//! One struct ([`SettingsArgs`]) is both the clap flags and the TOML file's shape, so a setting
//! cannot exist in one and be forgotten in the other.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};
use serde::Deserialize;

use crate::auth::sessions::AuthPolicy;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Settings that every subcommand understands. All optional here; defaults apply in [`Settings`].
#[derive(Args, Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SettingsArgs {
    /// TOML configuration file [default: <data-dir>/loket.toml, if it exists]
    #[arg(long, env = "LOKET_CONFIG", global = true, value_name = "FILE")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Address and port to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "LOKET_LISTEN", global = true, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Folder for the embedded SQLite database and other local data [default: ./loket-data]
    #[arg(long, env = "LOKET_DATA_DIR", global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL (postgres://user@host/db); without it Loket uses SQLite in the data directory
    #[arg(long, env = "LOKET_DATABASE_URL", global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Folder of the search index, a copy rebuilt from the database when missing; each loket
    /// process needs its own [default: <data-dir>/zoekindex]
    #[arg(long, env = "LOKET_SEARCH_DIR", global = true, value_name = "DIR")]
    pub search_dir: Option<PathBuf>,
    /// Dutch word list (hunspell .dic) that search splits compounds with and never "corrects";
    /// `none` for the built-in list alone [default: /usr/share/hunspell/nl.dic]
    #[arg(long, env = "LOKET_DICTIONARY", global = true, value_name = "FILE")]
    pub dictionary: Option<PathBuf>,
    /// Address users reach Loket at, e.g. https://kcc.gemeente.nl; https makes cookies Secure
    #[arg(long, env = "LOKET_PUBLIC_URL", global = true, value_name = "URL")]
    pub public_url: Option<String>,
    /// SMTP server for notifications, e.g. smtp://mail.gemeente.nl:587?tls=required [default: none, mail waits in the outbox]
    #[arg(long, env = "LOKET_SMTP_URL", global = true, value_name = "URL")]
    pub smtp_url: Option<String>,
    /// Sender of notifications, e.g. "Loket <loket@gemeente.nl>" [default: loket@localhost]
    #[arg(long, env = "LOKET_MAIL_FROM", global = true, value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// File holding a 256-bit key in base64 (`openssl rand -base64 32`) that seals the secrets
    /// Loket keeps for other systems, such as mailboxes' IMAP passwords [default: none, stored as given]
    #[arg(long, env = "LOKET_SECRET_KEY_FILE", global = true, value_name = "FILE")]
    pub secret_key_file: Option<PathBuf>,
    /// Log format [default: text]
    #[arg(long, env = "LOKET_LOG_FORMAT", global = true, value_name = "FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Log filter, e.g. "info" or "loket=debug,tower_http=info" [default: info]
    #[arg(long, env = "LOKET_LOG", global = true, value_name = "FILTER")]
    pub log: Option<String>,
    /// Largest request body accepted, in bytes [default: 1048576]
    #[arg(long, env = "LOKET_MAX_BODY_BYTES", global = true, value_name = "BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Seconds a request may take before it is answered with 503 [default: 30]
    #[arg(long, env = "LOKET_REQUEST_TIMEOUT_SECS", global = true, value_name = "SECS")]
    pub request_timeout_secs: Option<u64>,
    /// Database connections in the pool [default: 16]
    #[arg(long, env = "LOKET_DB_MAX_CONNECTIONS", global = true, value_name = "N")]
    pub db_max_connections: Option<u32>,
    /// Minutes without activity after which a session ends [default: 480]
    #[arg(long, env = "LOKET_SESSION_IDLE_MINUTES", global = true, value_name = "MIN")]
    pub session_idle_minutes: Option<i64>,
    /// Hours after which a session ends regardless of activity [default: 12]
    #[arg(long, env = "LOKET_SESSION_MAX_HOURS", global = true, value_name = "HOURS")]
    pub session_max_hours: Option<i64>,
    /// Failed logins for one user name before further attempts are refused [default: 5]
    #[arg(long, env = "LOKET_LOGIN_MAX_FAILURES", global = true, value_name = "N")]
    pub login_max_failures: Option<u32>,
    /// Minutes a failed login counts towards the limit [default: 15]
    #[arg(long, env = "LOKET_LOGIN_WINDOW_MINUTES", global = true, value_name = "MIN")]
    pub login_window_minutes: Option<i64>,
    /// Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated); without
    /// them the client address is the connection's, i.e. the proxy's [default: none]
    #[arg(
        long = "trusted-proxy",
        env = "LOKET_TRUSTED_PROXIES",
        global = true,
        value_name = "IP",
        value_delimiter = ','
    )]
    pub trusted_proxies: Option<Vec<IpAddr>>,
}

impl SettingsArgs {
    /// Fills every setting not given here from `other`.
    fn or(self, other: SettingsArgs) -> SettingsArgs {
        SettingsArgs {
            config: self.config.or(other.config),
            listen: self.listen.or(other.listen),
            data_dir: self.data_dir.or(other.data_dir),
            database_url: self.database_url.or(other.database_url),
            search_dir: self.search_dir.or(other.search_dir),
            dictionary: self.dictionary.or(other.dictionary),
            public_url: self.public_url.or(other.public_url),
            smtp_url: self.smtp_url.or(other.smtp_url),
            mail_from: self.mail_from.or(other.mail_from),
            secret_key_file: self.secret_key_file.or(other.secret_key_file),
            log_format: self.log_format.or(other.log_format),
            log: self.log.or(other.log),
            max_body_bytes: self.max_body_bytes.or(other.max_body_bytes),
            request_timeout_secs: self.request_timeout_secs.or(other.request_timeout_secs),
            db_max_connections: self.db_max_connections.or(other.db_max_connections),
            session_idle_minutes: self.session_idle_minutes.or(other.session_idle_minutes),
            session_max_hours: self.session_max_hours.or(other.session_max_hours),
            login_max_failures: self.login_max_failures.or(other.login_max_failures),
            login_window_minutes: self.login_window_minutes.or(other.login_window_minutes),
            trusted_proxies: self.trusted_proxies.or(other.trusted_proxies),
        }
    }
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub search_dir: Option<PathBuf>,
    /// None: the built-in word list only.
    pub dictionary: Option<PathBuf>,
    pub public_url: Option<String>,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Seals stored secrets (see `auth::secrets`).
    pub secret_key: Option<crate::auth::secrets::SecretKey>,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    pub db_max_connections: u32,
    pub auth: AuthPolicy,
    pub trusted_proxies: Vec<IpAddr>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_args(SettingsArgs::default()).expect("the defaults are valid")
    }
}

impl Settings {
    /// Resolves flags and environment (already in `args`, by clap) with the TOML file and defaults.
    pub fn resolve(args: SettingsArgs) -> anyhow::Result<Settings> {
        let data_dir = args.data_dir.clone().unwrap_or_else(|| PathBuf::from("./loket-data"));
        let file = match &args.config {
            Some(path) => Some(read_file(path)?),
            None => {
                let default = data_dir.join("loket.toml");
                if default.exists() { Some(read_file(&default)?) } else { None }
            }
        };
        let merged = match file {
            Some(file) => args.or(file),
            None => args,
        };
        Settings::from_args(merged)
    }

    fn from_args(a: SettingsArgs) -> anyhow::Result<Settings> {
        let listen = a.listen.as_deref().unwrap_or("127.0.0.1:8080");
        let listen: SocketAddr =
            listen.parse().with_context(|| format!("--listen: '{listen}' is not an address like 127.0.0.1:8080"))?;
        let defaults = AuthPolicy::default();
        positive("session_idle_minutes", a.session_idle_minutes, 60 * 24 * 30)?;
        positive("session_max_hours", a.session_max_hours, 24 * 90)?;
        positive("login_window_minutes", a.login_window_minutes, 60 * 24)?;
        positive("login_max_failures", a.login_max_failures.map(i64::from), 1000)?;
        positive("max_body_bytes", a.max_body_bytes.map(|n| n as i64), 1 << 30)?;
        positive("request_timeout_secs", a.request_timeout_secs.map(|n| n as i64), 3600)?;
        positive("db_max_connections", a.db_max_connections.map(i64::from), 1000)?;
        Ok(Settings {
            listen,
            data_dir: a.data_dir.unwrap_or_else(|| PathBuf::from("./loket-data")),
            database_url: a.database_url.filter(|u| !u.is_empty()),
            search_dir: a.search_dir,
            dictionary: match a.dictionary {
                Some(path) if path.as_os_str() == "none" => None,
                Some(path) => Some(path),
                None => Some(PathBuf::from(loket_search::analysis::SYSTEM_DICTIONARY)),
            },
            public_url: a.public_url,
            smtp_url: a.smtp_url.filter(|u| !u.is_empty()),
            mail_from: a.mail_from.unwrap_or_else(|| "Loket <loket@localhost>".into()),
            secret_key: match &a.secret_key_file {
                Some(path) => {
                    let text = std::fs::read_to_string(path)
                        .with_context(|| format!("--secret-key-file: cannot read {}", path.display()))?;
                    Some(
                        crate::auth::secrets::SecretKey::from_base64(&text)
                            .map_err(|e| anyhow::anyhow!("--secret-key-file {}: {e}", path.display()))?,
                    )
                }
                None => None,
            },
            log_format: a.log_format.unwrap_or_default(),
            log_filter: a.log.unwrap_or_else(|| "info".into()),
            max_body_bytes: a.max_body_bytes.unwrap_or(1024 * 1024),
            request_timeout: Duration::from_secs(a.request_timeout_secs.unwrap_or(30)),
            db_max_connections: a.db_max_connections.unwrap_or(16),
            auth: AuthPolicy {
                session_idle: a.session_idle_minutes.map_or(defaults.session_idle, chrono::Duration::minutes),
                session_max: a.session_max_hours.map_or(defaults.session_max, chrono::Duration::hours),
                max_failures: a.login_max_failures.unwrap_or(defaults.max_failures),
                failure_window: a.login_window_minutes.map_or(defaults.failure_window, chrono::Duration::minutes),
            },
            trusted_proxies: a.trusted_proxies.unwrap_or_default(),
        })
    }

    /// The database URL in force: the configured one, or SQLite in the data directory.
    pub fn database_url(&self) -> String {
        crate::store::database_url(self.database_url.as_deref(), &self.data_dir)
    }

    /// Where the search index lives.
    pub fn search_dir(&self) -> PathBuf {
        self.search_dir.clone().unwrap_or_else(|| self.data_dir.join("zoekindex"))
    }

    /// Cookies are marked Secure when users reach Loket over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

/// A setting that must lie between 1 and `max`: 0 or a negative number would silently switch a
/// safeguard off (a login window of 0 disables throttling) or lock everybody out.
fn positive(name: &str, value: Option<i64>, max: i64) -> anyhow::Result<()> {
    match value {
        Some(v) if !(1..=max).contains(&v) => anyhow::bail!("{name} must be between 1 and {max}, not {v}"),
        _ => Ok(()),
    }
}

fn read_file(path: &Path) -> anyhow::Result<SettingsArgs> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read configuration file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("configuration file {} is not valid", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_settings_loket_listens_locally_on_8080_with_sqlite_in_loket_data() {
        let s = Settings::default();
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.database_url(), "sqlite://./loket-data/loket.db");
        assert!(!s.secure_cookies());
    }

    #[test]
    fn flags_and_environment_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("loket.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:9000\"\nlog_format = \"json\"\npublic_url = \"https://kcc.example.nl\"\n",
        )
        .unwrap();
        let args = SettingsArgs { config: Some(file), listen: Some("127.0.0.1:7000".into()), ..Default::default() };
        let s = Settings::resolve(args).unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:7000");
        assert_eq!(s.log_format, LogFormat::Json);
        assert!(s.secure_cookies());
    }

    #[test]
    fn an_unknown_setting_in_the_file_is_an_error_not_silently_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("loket.toml");
        std::fs::write(&file, "lissen = \"0.0.0.0:9000\"\n").unwrap();
        let err = Settings::resolve(SettingsArgs { config: Some(file), ..Default::default() }).unwrap_err();
        assert!(format!("{err:#}").contains("lissen"));
    }

    #[test]
    fn a_setting_that_would_switch_a_safeguard_off_is_refused() {
        let args = SettingsArgs { login_window_minutes: Some(0), ..Default::default() };
        assert!(Settings::resolve(args).unwrap_err().to_string().contains("login_window_minutes"));
        let args = SettingsArgs { login_max_failures: Some(u32::MAX), ..Default::default() };
        assert!(Settings::resolve(args).is_err());
    }

    #[test]
    fn a_bad_listen_address_is_explained() {
        let err = Settings::resolve(SettingsArgs { listen: Some("overal".into()), ..Default::default() }).unwrap_err();
        assert!(err.to_string().contains("overal"));
    }
}

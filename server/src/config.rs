//! Configuration from the command line and environment. Every variable is listed in the README.

use std::net::SocketAddr;
use std::path::PathBuf;

use app::state::WebConfig;
use clap::Args;

/// Where the database comes from.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// Use this Postgres (production). When unset, Upstand runs its own cluster.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Where the private cluster keeps its data (used only without DATABASE_URL).
    #[arg(long, env = "UPSTAND_DATA_DIR", default_value = ".data")]
    pub data_dir: PathBuf,
    /// Port of the private cluster on 127.0.0.1.
    #[arg(long, env = "UPSTAND_PG_PORT", default_value_t = 54329)]
    pub pg_port: u16,
    /// Folder with the Postgres server programs (initdb, pg_ctl); found automatically if unset.
    #[arg(long, env = "UPSTAND_PG_BIN")]
    pub pg_bin: Option<PathBuf>,
    /// Largest number of pooled database connections.
    #[arg(long, env = "UPSTAND_DB_POOL", default_value_t = 16)]
    pub pool_size: u32,
}

/// How the web server behaves.
#[derive(Debug, Clone, Args)]
pub struct WebArgs {
    /// Address to listen on (overrides LEPTOS_SITE_ADDR).
    #[arg(long, env = "UPSTAND_ADDR")]
    pub addr: Option<SocketAddr>,
    /// Set when served over HTTPS: Secure, __Host- cookies and HSTS.
    #[arg(long, env = "UPSTAND_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Set when behind a reverse proxy that sets X-Forwarded-For.
    #[arg(long, env = "UPSTAND_TRUST_PROXY", default_value_t = false)]
    pub trust_proxy: bool,
    /// Multiplies every rate limit (keep 1 in production; browser tests raise it).
    #[arg(long, env = "UPSTAND_RATE_LIMIT_MULTIPLIER", default_value_t = 1)]
    pub rate_limit_multiplier: i32,
}

impl WebArgs {
    pub fn web_config(&self) -> WebConfig {
        WebConfig {
            secure_cookies: self.secure_cookies,
            trust_proxy: self.trust_proxy,
            rate_limit_multiplier: self.rate_limit_multiplier.max(1),
        }
    }
}

impl WebArgs {
    /// The settings from the environment alone (when `server` runs without a subcommand).
    pub fn default_from_env() -> Self {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            web: WebArgs,
        }
        <Only as clap::Parser>::parse_from(["server"]).web
    }
}

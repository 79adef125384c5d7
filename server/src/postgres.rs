//! A private Postgres cluster for running Upstand without a `DATABASE_URL`.
//!
//! The cluster lives under the data directory (`<data>/pg/data`), listens only on 127.0.0.1,
//! requires a password (generated once, kept in `<data>/pg/password`, readable only by its
//! owner) and keeps its data across restarts. Postgres refuses to run as root, so when we are
//! root the cluster belongs to, and runs as, the unprivileged `postgres` system user.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rand::distributions::{Alphanumeric, DistString};

const SYSTEM_USER: &str = "postgres";
const DATABASE: &str = "upstand";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("no Postgres server programs found (looked in UPSTAND_PG_BIN, PATH and /usr/lib/postgresql/*/bin); install them, e.g. `apt-get install postgresql`")]
    NoBinaries,
    #[error("running as root, but there is no `{SYSTEM_USER}` system user to run Postgres as")]
    NoSystemUser,
    #[error("{what} failed: {detail}")]
    Command { what: String, detail: String },
    #[error("io error at {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// A running private cluster; stop it with [`ManagedPostgres::stop`].
#[derive(Debug)]
pub struct ManagedPostgres {
    bin: PathBuf,
    pgdata: PathBuf,
    run_as_system_user: bool,
    /// URL of the app's database in this cluster.
    pub url: String,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ClusterError + '_ {
    move |source| ClusterError::Io { path: path.to_owned(), source }
}

fn is_root() -> bool {
    // The effective uid of this process, read without `unsafe`.
    fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
}

/// Finds the folder holding `initdb` and `pg_ctl`, newest major version first.
pub fn find_binaries(configured: Option<&Path>) -> Result<PathBuf, ClusterError> {
    let has = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = configured {
        return if has(dir) { Ok(dir.to_owned()) } else { Err(ClusterError::NoBinaries) };
    }
    let mut versioned: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| has(p))
        .collect();
    versioned.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    if let Some(best) = versioned.pop() {
        return Ok(best);
    }
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).find(|p| has(p)))
        .and_then(|p| p)
        .ok_or(ClusterError::NoBinaries)
}

impl ManagedPostgres {
    /// Creates the cluster if needed, starts it (or reuses one already running) and makes
    /// sure the app's database exists.
    pub fn start(data_dir: &Path, port: u16, bin: Option<&Path>) -> Result<Self, ClusterError> {
        let bin = find_binaries(bin)?;
        let run_as_system_user = is_root();
        if run_as_system_user && !system_user_exists() {
            return Err(ClusterError::NoSystemUser);
        }
        let root = absolute(&data_dir.join("pg"));
        let pgdata = root.join("data");
        fs::create_dir_all(&root).map_err(io_err(&root))?;
        let password_file = root.join("password");
        let this = |url: String| Self { bin: bin.clone(), pgdata: pgdata.clone(), run_as_system_user, url };

        if !pgdata.join("PG_VERSION").exists() {
            let password = Alphanumeric.sample_string(&mut rand::thread_rng(), 32);
            write_private(&password_file, &password)?;
            let pwfile = root.join("initdb-password");
            write_private(&pwfile, &password)?;
            if run_as_system_user {
                chown_to_system_user(&root)?;
            }
            tracing::info!(dir = %pgdata.display(), "creating a private Postgres cluster");
            let result = this(String::new()).run(
                "initdb",
                [
                    "-D".as_ref(),
                    pgdata.as_os_str(),
                    "-U".as_ref(),
                    "postgres".as_ref(),
                    "--auth-host=scram-sha-256".as_ref(),
                    "--auth-local=peer".as_ref(),
                    "--pwfile".as_ref(),
                    pwfile.as_os_str(),
                    "-E".as_ref(),
                    "UTF8".as_ref(),
                    "--locale=C.UTF-8".as_ref(),
                ],
            );
            let _ = fs::remove_file(&pwfile);
            result?;
        } else if run_as_system_user {
            chown_to_system_user(&root)?;
        }
        let password = fs::read_to_string(&password_file).map_err(io_err(&password_file))?;
        let url = format!("postgres://postgres:{}@127.0.0.1:{port}/{DATABASE}", password.trim());
        let cluster = this(url);

        if !cluster.is_running() {
            let log = root.join("server.log");
            let options = format!("-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories=''");
            tracing::info!(port, "starting the private Postgres cluster");
            cluster.run(
                "pg_ctl",
                [
                    "-D".as_ref(),
                    pgdata.as_os_str(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "-o".as_ref(),
                    OsStr::new(&options),
                    "start".as_ref(),
                ],
            )?;
        }
        Ok(cluster)
    }

    /// The URL of the cluster's maintenance database, for creating the app's database.
    pub fn admin_url(&self) -> String {
        self.url.rsplit_once('/').map(|(base, _)| format!("{base}/postgres")).unwrap_or_default()
    }

    fn is_running(&self) -> bool {
        self.run("pg_ctl", ["-D".as_ref(), self.pgdata.as_os_str(), "status".as_ref()]).is_ok()
    }

    /// Stops the cluster quickly and cleanly (open transactions are rolled back).
    pub fn stop(&self) {
        tracing::info!("stopping the private Postgres cluster");
        if let Err(e) = self.run(
            "pg_ctl",
            [
                "-D".as_ref(),
                self.pgdata.as_os_str(),
                "-m".as_ref(),
                "fast".as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        ) {
            tracing::warn!(error = %e, "stopping Postgres failed");
        }
    }

    fn run<'a>(
        &self,
        program: &str,
        args: impl IntoIterator<Item = &'a OsStr>,
    ) -> Result<Output, ClusterError> {
        let exe = self.bin.join(program);
        let mut cmd = if self.run_as_system_user {
            let mut c = Command::new("runuser");
            c.args(["-u", SYSTEM_USER, "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir("/");
        let out = cmd
            .output()
            .map_err(|e| ClusterError::Command { what: program.into(), detail: e.to_string() })?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(ClusterError::Command {
                what: program.into(),
                detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            })
        }
    }
}

/// Creates the app's database in the cluster if it isn't there yet.
pub async fn ensure_database(admin_url: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin_url).await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(DATABASE)
        .fetch_one(&mut conn)
        .await?;
    if !exists {
        // The name is our constant, not input; CREATE DATABASE takes no bind parameters.
        sqlx::query("CREATE DATABASE upstand").execute(&mut conn).await?;
    }
    Ok(())
}

fn system_user_exists() -> bool {
    Command::new("id").arg(SYSTEM_USER).output().map(|o| o.status.success()).unwrap_or(false)
}

fn chown_to_system_user(dir: &Path) -> Result<(), ClusterError> {
    let out = Command::new("chown")
        .args(["-R", &format!("{SYSTEM_USER}:{SYSTEM_USER}")])
        .arg(dir)
        .output()
        .map_err(|e| ClusterError::Command { what: "chown".into(), detail: e.to_string() })?;
    if !out.status.success() {
        return Err(ClusterError::Command {
            what: "chown".into(),
            detail: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io_err(dir))
}

fn write_private(path: &Path, contents: &str) -> Result<(), ClusterError> {
    fs::write(path, contents).map_err(io_err(path))?;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(io_err(path))
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_owned())
    }
}

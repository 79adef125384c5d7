//! `server`: runs Upstand and its chores. `server --help` lists the subcommands.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use leptos::config::get_configuration;
use sqlx::PgPool;
use tracing_subscriber::EnvFilter;

use server::assets::{self, Effort};
use server::config::{DbArgs, WebArgs};
use server::db::{self, DbHealth};
use server::postgres::{self, ManagedPostgres};
use server::seed;

/// mimalloc instead of glibc's allocator: rendering a page allocates and frees many small strings
/// across the runtime's threads, and glibc's malloc/free took a quarter of the server's CPU under
/// the benchmark.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", version, about = "Upstand: learning communities for peer-support programs")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default). Runs migrations first.
    Serve(WebArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Fill the database with demo content or with data at scale for benchmarks.
    Seed(seed::SeedArgs),
    /// Manage administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin account, or make an existing account an admin.
    Create {
        /// Email of the account.
        #[arg(long)]
        email: String,
        /// Display name for a new account.
        #[arg(long, default_value = "Administrator")]
        name: String,
        /// Password for a new account; read from UPSTAND_ADMIN_PASSWORD, or generated and
        /// printed once when unset.
        #[arg(long, env = "UPSTAND_ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("could not start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The database to use: `DATABASE_URL`, or the private cluster (started here).
async fn open_database(args: &DbArgs) -> Result<(String, Option<ManagedPostgres>), BoxError> {
    if let Some(url) = &args.database_url {
        return Ok((url.clone(), None));
    }
    let data_dir = args.data_dir.clone();
    let (port, bin) = (args.pg_port, args.pg_bin.clone());
    let cluster =
        tokio::task::spawn_blocking(move || ManagedPostgres::start(&data_dir, port, bin.as_deref()))
            .await??;
    if let Err(e) = postgres::ensure_database(&cluster.admin_url()).await {
        cluster.stop();
        return Err(e.into());
    }
    Ok((cluster.url.clone(), Some(cluster)))
}

async fn run(cli: Cli) -> Result<(), BoxError> {
    let (url, cluster) = open_database(&cli.db).await?;
    let pool = db::lazy_pool(&url, cli.db.pool_size)?;
    let result = match cli.command {
        None => serve(pool.clone(), WebArgs::default_from_env()).await,
        Some(Command::Serve(web)) => serve(pool.clone(), web).await,
        Some(Command::Migrate) => db::MIGRATOR.run(&pool).await.map_err(Into::into),
        Some(Command::Seed(args)) => match db::MIGRATOR.run(&pool).await {
            Ok(()) => seed::run(&pool, &args).await,
            Err(e) => Err(e.into()),
        },
        Some(Command::Admin { command: AdminCommand::Create { email, name, password } }) => {
            match db::MIGRATOR.run(&pool).await {
                Ok(()) => seed::create_admin(&pool, &email, &name, password).await,
                Err(e) => Err(e.into()),
            }
        }
    };
    pool.close().await;
    if let Some(cluster) = cluster {
        tokio::task::spawn_blocking(move || cluster.stop()).await?;
    }
    result
}

async fn serve(pool: PgPool, web: WebArgs) -> Result<(), BoxError> {
    let mut options = get_configuration(None)?.leptos_options;
    if let Some(addr) = web.addr {
        options.site_addr = addr;
    }
    let addr: SocketAddr = options.site_addr;
    let health = DbHealth::default();
    {
        let (pool, health) = (pool.clone(), health.clone());
        tokio::spawn(async move {
            db::migrate_with_retry(&pool, &health).await;
            db::watch(pool, health).await;
        });
    }
    let effort = if options.env == leptos::config::Env::PROD { Effort::Smallest } else { Effort::Quick };
    assets::precompress_in_background(assets::bundle_dir(&options), effort);
    let state = app::state::AppState::new(pool, web.web_config());
    let live = state.live.clone();
    let router = server::build_router(state, health, options);
    // Without TCP_NODELAY, a response written in two parts waits ~40 ms for a delayed ACK.
    let listener = axum::serve::ListenerExt::tap_io(tokio::net::TcpListener::bind(addr).await?, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY");
        }
    });
    tracing::info!("Upstand is listening on http://{addr}");
    println!("Upstand is running at http://{addr}  (Ctrl-C to stop)");
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // Open live-update streams never end by themselves; end them so shutdown can finish.
            live.close();
        })
        .await?;
    tracing::info!("shut down");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopping…");
}

//! Demo content and data at scale.
//!
//! `--demo` fills an empty database with people in every role and believable profiles, shaped
//! by the program's own description of how it learns. `--users N` adds N members for
//! benchmarks. Both run in one transaction each: a seed either lands whole or not at all.

use app::accounts::repo;
use app::auth::{password, Role};
use clap::Args;
use rand::distributions::{Alphanumeric, DistString};
use sqlx::PgPool;

/// Password of every demo account (shown in the README).
pub const DEMO_PASSWORD: &str = "upstand-demo-password";
/// Password of every account made by `--users`.
pub const SCALE_PASSWORD: &str = "upstand-scale-password";

#[derive(Debug, Clone, Args)]
pub struct SeedArgs {
    /// Demo people and profiles (only into a database with no accounts yet).
    #[arg(long)]
    pub demo: bool,
    /// Add this many members, for benchmarks.
    #[arg(long, value_name = "N")]
    pub users: Option<i64>,
    /// With --users: forum threads to add, spread over 20 communities.
    #[arg(long, value_name = "N", requires = "users")]
    pub threads: Option<i64>,
    /// With --threads: about this many forum posts.
    #[arg(long, value_name = "N", requires = "threads")]
    pub posts: Option<i64>,
    /// With --users: ideas to add to the idea board.
    #[arg(long, value_name = "N", requires = "users")]
    pub ideas: Option<i64>,
    /// With --ideas: about this many votes, most on a few popular ideas.
    #[arg(long, value_name = "N", requires = "ideas")]
    pub votes: Option<i64>,
}

struct DemoPerson {
    email: &'static str,
    name: &'static str,
    role: Role,
    department: &'static str,
    pronouns: &'static str,
    bio: &'static str,
}

const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        email: "admin@upstand.example",
        name: "Jordan Reyes",
        role: Role::Admin,
        department: "People & Culture",
        pronouns: "they/them",
        bio: "I coordinate our peer-support program. Ask me about **training dates**, the evaluation we run each quarter, or how to become a peer supporter.",
    },
    DemoPerson {
        email: "moderator@upstand.example",
        name: "Priya Natarajan",
        role: Role::Moderator,
        department: "Engineering",
        pronouns: "she/her",
        bio: "Peer supporter since the program began, and one of the moderators of our learning communities. I care about keeping this a calm, safe place to ask for help.",
    },
    DemoPerson {
        email: "sam@upstand.example",
        name: "Sam Okafor",
        role: Role::Member,
        department: "Customer Care",
        pronouns: "he/him",
        bio: "Newer peer supporter. Currently working through the *conflict resolution* workshop series and keen to hear how others handle difficult first conversations.",
    },
    DemoPerson {
        email: "lena@upstand.example",
        name: "Lena Fischer",
        role: Role::Member,
        department: "Finance",
        pronouns: "she/her",
        bio: "I proposed the buddy system for new hires. Happy to share what we learned from the pilot.",
    },
    DemoPerson {
        email: "tomas@upstand.example",
        name: "Tomás Álvarez",
        role: Role::Member,
        department: "Operations",
        pronouns: "",
        bio: "Night-shift supervisor. Interested in making peer support reachable for people who never work nine to five.",
    },
    DemoPerson {
        email: "aiko@upstand.example",
        name: "Aiko Tanaka",
        role: Role::Member,
        department: "Legal",
        pronouns: "she/her",
        bio: "Mentor in the program. I like turning what we learn in reflection sessions into small, practical experiments.",
    },
];

pub async fn run(pool: &PgPool, args: &SeedArgs) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    if !args.demo && args.users.is_none() {
        return Err("nothing to seed: pass --demo and/or --users N (see `server seed --help`)".into());
    }
    if args.demo {
        seed_demo(pool).await?;
    }
    if let Some(n) = args.users {
        if !(1..=10_000_000).contains(&n) {
            return Err("--users takes a number from 1 to 10000000".into());
        }
        let hash = password::hash(SCALE_PASSWORD.to_owned()).await.map_err(|e| e.to_string())?;
        let mut tx = pool.begin().await?;
        let added = repo::insert_users_at_scale(&mut tx, n, &hash).await?;
        tx.commit().await?;
        println!("added {added} members (member<N>@scale.example, password {SCALE_PASSWORD})");
    }
    if let Some(threads) = args.threads {
        let posts = args.posts.unwrap_or(threads * 20);
        if !(1..=10_000_000).contains(&threads) || !(threads..=100_000_000).contains(&posts) {
            return Err("--threads takes 1 to 10000000, and --posts at least as many as --threads".into());
        }
        let started = std::time::Instant::now();
        let mut tx = pool.begin().await?;
        app::forums::repo::insert_scale_content(&mut tx, 20, threads, posts).await?;
        tx.commit().await?;
        vacuum_analyze(pool).await?;
        println!("added {threads} threads and about {posts} posts in {:.1?}", started.elapsed());
    }
    if let Some(ideas) = args.ideas {
        let votes = args.votes.unwrap_or(ideas * 20);
        if !(1..=10_000_000).contains(&ideas) || !(0..=100_000_000).contains(&votes) {
            return Err("--ideas takes 1 to 10000000, and --votes 0 to 100000000".into());
        }
        let started = std::time::Instant::now();
        let mut tx = pool.begin().await?;
        app::ideas::repo::insert_scale_ideas(&mut tx, ideas, votes).await?;
        tx.commit().await?;
        vacuum_analyze(pool).await?;
        println!("added {ideas} ideas and about {votes} votes in {:.1?}", started.elapsed());
    }
    Ok(())
}

/// Leaves bulk-loaded tables as a running forum's are: statistics for the planner, the
/// visibility map and hint bits set, the GIN index's pending entries merged. Otherwise
/// autovacuum would do it later, in the middle of whatever is measured next, and the first
/// reads of each row would write.
async fn vacuum_analyze(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query("VACUUM (ANALYZE)").execute(pool).await?;
    Ok(())
}

async fn seed_demo(pool: &PgPool) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut tx = pool.begin().await?;
    if repo::count_users(&mut tx).await? > 0 {
        println!("demo: the database already has accounts; leaving it as it is");
        return Ok(());
    }
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await.map_err(|e| e.to_string())?;
    for p in PEOPLE {
        let id = repo::insert_user_with_role(&mut tx, p.email, p.name, &hash, p.role).await?;
        let bio_html = app::markdown::render(p.bio);
        repo::update_profile(
            &mut tx,
            id,
            &repo::ProfileUpdate {
                display_name: p.name,
                bio: p.bio,
                bio_html: &bio_html,
                department: p.department,
                pronouns: p.pronouns,
                time_zone: "Europe/London",
            },
        )
        .await?;
    }
    crate::seed_forums::seed_demo_forums(&mut tx).await?;
    crate::seed_ideas::seed_demo_ideas(&mut tx).await?;
    tx.commit().await?;
    println!(
        "demo: added {} people and forum communities; sign in as admin@upstand.example with password {DEMO_PASSWORD}",
        PEOPLE.len()
    );
    Ok(())
}

/// Creates an admin account, or promotes an existing one.
pub async fn create_admin(
    pool: &PgPool,
    email: &str,
    name: &str,
    password: Option<String>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let email = email.trim();
    app::accounts::policy::check_email(email)?;
    let mut tx = pool.begin().await?;
    if let Some(id) = repo::find_user_id_by_email(&mut tx, email).await? {
        repo::update_role(&mut tx, id, Role::Admin).await?;
        repo::insert_audit_entry(
            &mut tx,
            None,
            "role_changed",
            Some(id),
            serde_json::json!({ "to": "admin", "by": "command line" }),
        )
        .await?;
        tx.commit().await?;
        println!("{email} is now an admin");
        return Ok(());
    }
    app::accounts::policy::check_display_name(name)?;
    let (password, generated) = match password {
        Some(p) => {
            password::check_new(&p, &[name, email])?;
            (p, false)
        }
        None => (Alphanumeric.sample_string(&mut rand::thread_rng(), 20), true),
    };
    let hash = password::hash(password.clone()).await.map_err(|e| e.to_string())?;
    let id = repo::insert_user_with_role(&mut tx, email, name.trim(), &hash, Role::Admin).await?;
    repo::insert_audit_entry(
        &mut tx,
        None,
        "admin_created",
        Some(id),
        serde_json::json!({ "by": "command line" }),
    )
    .await?;
    tx.commit().await?;
    if generated {
        println!("created admin {email} with password: {password}\n(shown once; change it after signing in)");
    } else {
        println!("created admin {email}");
    }
    Ok(())
}

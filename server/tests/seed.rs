//! The seeder fills a fresh database with demo content for every area, and with scale data
//! whose kept-on-write counters agree with the rows they count.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use server::seed::{run, SeedArgs};
use sqlx::PgPool;

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap()
}

#[sqlx::test(migrator = "server::db::MIGRATOR")]
async fn demo_and_scale_content(pool: PgPool) {
    let args = SeedArgs {
        demo: true,
        users: Some(40),
        threads: Some(10),
        posts: Some(100),
        ideas: Some(30),
        votes: Some(400),
    };
    run(&pool, &args).await.unwrap();
    assert_eq!(count(&pool, "SELECT count(*) FROM users WHERE email LIKE '%@upstand.example'").await, 6);
    assert!(count(&pool, "SELECT count(*) FROM users").await >= 46);
    // Demo ideas cover the lifecycle, with one evaluated experiment for Lessons learned.
    let demo_lesson = "SELECT count(*) FROM ideas WHERE status = 'evaluated' AND results_learned IS NOT NULL
                       AND title = 'Buddy check-ins for new hires'";
    assert_eq!(count(&pool, demo_lesson).await, 1);
    let running = "SELECT count(*) FROM ideas WHERE status = 'running' AND owner_id IS NOT NULL";
    assert_eq!(count(&pool, running).await, 1);
    assert!(count(&pool, "SELECT count(*) FROM ideas").await >= 34);
    // Counters agree with the rows they stand for.
    let threads_off = "SELECT count(*) FROM threads t WHERE t.post_count <> (SELECT count(*) FROM posts p WHERE p.thread_id = t.id)
                       OR t.post_count = 0";
    assert_eq!(count(&pool, threads_off).await, 0);
    let communities_off = "SELECT count(*) FROM communities c
                           WHERE c.thread_count <> (SELECT count(*) FROM threads t WHERE t.community_id = c.id)
                              OR c.post_count <> (SELECT count(*) FROM posts p JOIN threads t ON t.id = p.thread_id
                                                  WHERE t.community_id = c.id)";
    assert_eq!(count(&pool, communities_off).await, 0);
    let mismatched = "SELECT count(*) FROM ideas i WHERE i.vote_count <> (SELECT count(*) FROM idea_votes v WHERE v.idea_id = i.id)";
    assert_eq!(count(&pool, mismatched).await, 0);
    let budgets = "SELECT count(*) FROM users u WHERE coalesce((SELECT open_votes FROM idea_vote_budgets b WHERE b.user_id = u.id), 0)
                   <> (SELECT count(*) FROM idea_votes v WHERE v.user_id = u.id AND v.open)";
    assert_eq!(count(&pool, budgets).await, 0);
    assert!(count(&pool, "SELECT count(*) FROM idea_votes").await > 100);
    // Votes on closed ideas are closed, and everyone's open votes fit the budget.
    let open_on_closed = "SELECT count(*) FROM idea_votes v JOIN ideas i ON i.id = v.idea_id
                          WHERE v.open AND i.status IN ('evaluated', 'declined', 'merged')";
    assert_eq!(count(&pool, open_on_closed).await, 0);
    let over =
        "SELECT count(*) FROM idea_vote_budgets WHERE open_votes > (SELECT vote_budget FROM idea_settings)";
    assert_eq!(count(&pool, over).await, 0);
    // Seeding demo content twice leaves the database as it is.
    run(&pool, &SeedArgs { demo: true, users: None, threads: None, posts: None, ideas: None, votes: None })
        .await
        .unwrap();
    assert_eq!(count(&pool, "SELECT count(*) FROM users WHERE email LIKE '%@upstand.example'").await, 6);
}

//! Demo ideas for the board, drawn from how the program learns: each at a different point of
//! its lifecycle, so the board, an experiment running and the Lessons learned page all have
//! something true-to-life to show.

use app::ideas::repo::{self, NewIdea, Results, StatusUpdate};
use app::ideas::types::{IdeaStatus, Recommendation};
use chrono::NaiveDate;
use sqlx::PgConnection;

struct DemoIdea {
    author: &'static str,
    title: &'static str,
    problem: &'static str,
    experiment: &'static str,
    hypothesis: &'static str,
    measure: &'static str,
    tags: &'static [&'static str],
    /// The moves it has made, each with its public note.
    moves: &'static [(IdeaStatus, &'static str)],
    voters: &'static [&'static str],
    comments: &'static [(&'static str, &'static str)],
}

const MODERATOR: &str = "moderator@upstand.example";

const IDEAS: &[DemoIdea] = &[
    DemoIdea {
        author: "lena@upstand.example",
        title: "Buddy check-ins for new hires",
        problem: "New colleagues often don't know who they can talk to when something at work feels wrong, and the first weeks are when habits of silence form.",
        experiment: "Pair each new hire with a trained peer supporter outside their team for **six weeks**: a 15-minute check-in once a week, no agenda required.",
        hypothesis: "We believe a weekly buddy check-in will help new hires raise concerns sooner.",
        measure: "A three-question survey in week 1 and week 6, and how many concerns new hires raise in their first three months compared with last year.",
        tags: &["onboarding", "buddies"],
        moves: &[
            (IdeaStatus::UnderReview, "Lots of support; the facilitators will look at training needs."),
            (IdeaStatus::Approved, "Approved for a six-week pilot with twelve pairs."),
            (IdeaStatus::Running, "Pilot started with the January intake."),
            (IdeaStatus::Evaluated, "Evaluated after six weeks; results below."),
        ],
        voters: &["sam@upstand.example", "tomas@upstand.example", "aiko@upstand.example"],
        comments: &[("sam@upstand.example", "I'd have loved this in my first month. Happy to be a buddy.")],
    },
    DemoIdea {
        author: "tomas@upstand.example",
        title: "A monthly reflection session for night shifts",
        problem: "Reflection sessions all happen during office hours, so people on evening and night shifts never get to share what they learn.",
        experiment: "Hold one reflection session a month at 21:00 for three months, run by two peer supporters who work nights.",
        hypothesis: "We believe an evening session will bring night-shift colleagues into the learning community.",
        measure: "Attendance, and whether night-shift colleagues start posting in the forums.",
        tags: &["reflection", "shifts"],
        moves: &[
            (IdeaStatus::UnderReview, "Checking room availability and who could facilitate."),
            (IdeaStatus::Approved, "Approved: Tomás and Aiko will facilitate."),
            (IdeaStatus::Running, "First session booked."),
        ],
        voters: &["aiko@upstand.example", "lena@upstand.example"],
        comments: &[("aiko@upstand.example", "I can co-facilitate the first two sessions.")],
    },
    DemoIdea {
        author: "aiko@upstand.example",
        title: "Five-minute scenario practice before team meetings",
        problem: "People say they know what to do when they see bullying, but freeze in the moment.",
        experiment: "Once a week, a team spends five minutes on one short scenario from the workshop series: what would you say?",
        hypothesis: "We believe short, regular practice will make bystanders more confident to speak up.",
        measure: "Confidence rating before and after eight weeks in three volunteer teams.",
        tags: &["workshops", "bystanders"],
        moves: &[(IdeaStatus::UnderReview, "Asking the workshop trainers for scenarios we can reuse.")],
        voters: &["sam@upstand.example", "lena@upstand.example", "tomas@upstand.example"],
        comments: &[],
    },
    DemoIdea {
        author: "sam@upstand.example",
        title: "Invite an outside expert to a Q&A on conflict resolution",
        problem: "Our peer supporters would like to learn from someone who has seen many workplaces.",
        experiment: "A one-hour online Q&A with an external conflict-resolution trainer, questions collected in the forum beforehand.",
        hypothesis: "We believe an outside perspective will give peer supporters new approaches they will try within a month.",
        measure: "A short follow-up asking what people tried afterwards.",
        tags: &["experts", "learning"],
        moves: &[],
        voters: &["aiko@upstand.example"],
        comments: &[],
    },
];

async fn user_id(conn: &mut PgConnection, email: &str) -> Result<i64, sqlx::Error> {
    app::accounts::repo::find_user_id_by_email(conn, email).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn seed_demo_ideas(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let render = app::markdown::render;
    let moderator = user_id(conn, MODERATOR).await?;
    for d in IDEAS {
        let author = user_id(conn, d.author).await?;
        let tags: Vec<String> = d.tags.iter().map(|t| (*t).to_owned()).collect();
        let (problem_html, experiment_html, measure_html) =
            (render(d.problem), render(d.experiment), render(d.measure));
        let id = repo::insert_idea(
            conn,
            &NewIdea {
                author_id: author,
                title: d.title,
                problem: d.problem,
                problem_html: &problem_html,
                experiment: d.experiment,
                experiment_html: &experiment_html,
                hypothesis: d.hypothesis,
                measure: d.measure,
                measure_html: &measure_html,
                tags: &tags,
            },
        )
        .await?;
        repo::set_follow(conn, id, author, true).await?;
        for email in d.voters {
            let voter = user_id(conn, email).await?;
            repo::insert_vote(conn, id, voter).await?;
            repo::set_follow(conn, id, voter, true).await?;
        }
        for (email, body) in d.comments {
            let who = user_id(conn, email).await?;
            repo::insert_comment(conn, id, who, body, &render(body)).await?;
        }
        let mut from = IdeaStatus::Proposed;
        for (to, note) in d.moves {
            match to {
                IdeaStatus::Evaluated => {
                    let (happened, data, learned) = (
                        "Twelve pairs met weekly; ten kept going for all six weeks.",
                        "\"I know who I could talk to\": 41% in week 1, 83% in week 6.",
                        "Buddies from **outside** the new hire's team worked best. Short, regular check-ins mattered more than long ones.",
                    );
                    repo::update_results(
                        conn,
                        id,
                        &Results {
                            happened,
                            happened_html: &render(happened),
                            data,
                            data_html: &render(data),
                            learned,
                            learned_html: &render(learned),
                            recommendation: Recommendation::Adopt,
                        },
                    )
                    .await?;
                    repo::close_votes(conn, id).await?;
                }
                IdeaStatus::Running => {
                    let update = StatusUpdate {
                        status: *to,
                        merged_into: None,
                        owner_id: Some(author),
                        started_on: NaiveDate::from_ymd_opt(2027, 1, 11),
                        planned_end: NaiveDate::from_ymd_opt(2027, 2, 19),
                    };
                    repo::update_status(conn, id, &update).await?;
                }
                _ => {
                    let update = StatusUpdate {
                        status: *to,
                        merged_into: None,
                        owner_id: None,
                        started_on: None,
                        planned_end: None,
                    };
                    repo::update_status(conn, id, &update).await?;
                }
            }
            repo::insert_status_change(conn, id, moderator, from, *to, note).await?;
            from = *to;
        }
    }
    Ok(())
}

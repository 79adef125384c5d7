//! Demo forum content, shaped by the program's own description of how it learns: a
//! community for new peer supporters, a reflection circle (anonymous posting allowed), a
//! space for workshops with outside experts, and a private facilitators' group.

use app::forums::repo::{self, NewCommunity, NewPost, NewThread};
use app::forums::types::{JoinPolicy, Visibility};
use sqlx::PgConnection;

struct DemoCommunity {
    slug: &'static str,
    name: &'static str,
    description: &'static str,
    colour: &'static str,
    visibility: Visibility,
    join_policy: JoinPolicy,
    allow_anonymous: bool,
    members: &'static [&'static str],
    threads: &'static [DemoThread],
}

struct DemoThread {
    title: &'static str,
    tags: &'static [&'static str],
    content_warning: Option<&'static str>,
    anonymous: bool,
    /// (author email, body); the first is the opening post.
    posts: &'static [(&'static str, &'static str)],
}

const COMMUNITIES: &[DemoCommunity] = &[
    DemoCommunity {
        slug: "new-peer-supporters",
        name: "New peer supporters",
        description: "First steps as a peer supporter: questions, worries and small wins. No question is too basic.",
        colour: "#2f6b5e",
        visibility: Visibility::Public,
        join_policy: JoinPolicy::Open,
        allow_anonymous: false,
        members: &["sam@upstand.example", "lena@upstand.example", "moderator@upstand.example"],
        threads: &[
            DemoThread {
                title: "How do you open a conversation when you notice someone is struggling?",
                tags: &["first-steps", "listening"],
                content_warning: None,
                anonymous: false,
                posts: &[
                    ("sam@upstand.example", "I've noticed a colleague going quiet in team meetings since a reorganisation. I want to check in without making it awkward. **How do you start?**"),
                    ("moderator@upstand.example", "What works for me: name what you noticed, not what you think it means. \"I noticed you've been quieter lately, how are things?\" Then mostly listen."),
                    ("aiko@upstand.example", "> name what you noticed, not what you think it means\n\nThis. And pick a private moment; a walk to get coffee is less intense than a meeting room."),
                    ("sam@upstand.example", "Thank you both. I tried the coffee walk today and it went well. They said nobody had asked before."),
                ],
            },
            DemoThread {
                title: "Reading list from the conflict resolution workshop",
                tags: &["workshops", "resources"],
                content_warning: None,
                anonymous: false,
                posts: &[
                    ("admin@upstand.example", "As promised, the reading list from last week's workshop:\n\n- *Crucial Conversations*, chapters 3–5\n- The program's guide to active listening\n- Notes from our external trainer on de-escalation\n\nAdd anything that helped you."),
                    ("lena@upstand.example", "The de-escalation notes were the most practical thing I've read this year."),
                ],
            },
        ],
    },
    DemoCommunity {
        slug: "reflection-circle",
        name: "Reflection circle",
        description: "Share experiences, challenges and successes, and reflect together. Anonymous posting is welcome here.",
        colour: "#6b4f8a",
        visibility: Visibility::Public,
        join_policy: JoinPolicy::Open,
        allow_anonymous: true,
        members: &["sam@upstand.example", "tomas@upstand.example", "aiko@upstand.example"],
        threads: &[DemoThread {
            title: "Something happened in a team meeting and I froze",
            tags: &["reflection"],
            content_warning: Some("describes being belittled at work"),
            anonymous: true,
            posts: &[
                ("tomas@upstand.example", "A senior colleague mocked my proposal in front of everyone. I froze and said nothing. I keep replaying it. Has anyone found a way to respond in the moment?"),
                ("aiko@upstand.example", "Freezing is a very normal reaction, and it doesn't mean you failed. Afterwards, writing down what happened (date, words, who was there) helped me a lot."),
                ("tomas@upstand.example", "Thank you. Writing it down is a good idea; I'll do that tonight."),
            ],
        }],
    },
    DemoCommunity {
        slug: "workshops-and-experts",
        name: "Workshops & outside experts",
        description: "Training, webinars and conferences, often with guest speakers who specialise in bullying prevention.",
        colour: "#9a5b13",
        visibility: Visibility::Public,
        join_policy: JoinPolicy::Open,
        allow_anonymous: false,
        members: &["lena@upstand.example"],
        threads: &[DemoThread {
            title: "Questions for next month's guest speaker",
            tags: &["workshops", "experts"],
            content_warning: None,
            anonymous: false,
            posts: &[
                ("admin@upstand.example", "Our guest next month researches bystander intervention. What would you like to ask her?"),
                ("lena@upstand.example", "How to support someone who doesn't want to make a formal complaint."),
            ],
        }],
    },
    DemoCommunity {
        slug: "facilitators",
        name: "Facilitators",
        description: "Private space for the people who run reflection sessions and training.",
        colour: "#1f5f8b",
        visibility: Visibility::Private,
        join_policy: JoinPolicy::Invite,
        allow_anonymous: false,
        members: &["admin@upstand.example", "moderator@upstand.example", "aiko@upstand.example"],
        threads: &[DemoThread {
            title: "What we learned from this quarter's evaluation",
            tags: &["evaluation"],
            content_warning: None,
            anonymous: false,
            posts: &[(
                "admin@upstand.example",
                "Headlines: reflection sessions are valued most; evening shifts feel left out. Proposal: try a monthly session at 21:00 and evaluate after three months.",
            )],
        }],
    },
];

async fn user_id(conn: &mut PgConnection, email: &str) -> Result<i64, sqlx::Error> {
    app::accounts::repo::find_user_id_by_email(conn, email).await?.ok_or(sqlx::Error::RowNotFound)
}

pub async fn seed_demo_forums(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    for c in COMMUNITIES {
        let community_id = repo::insert_community(
            conn,
            &NewCommunity {
                slug: c.slug,
                name: c.name,
                description: c.description,
                colour: c.colour,
                visibility: c.visibility,
                join_policy: c.join_policy,
                allow_anonymous: c.allow_anonymous,
            },
        )
        .await?;
        for email in c.members {
            if let Ok(id) = user_id(conn, email).await {
                repo::insert_member(conn, community_id, id).await?;
            }
        }
        for t in c.threads {
            let Some((first_author, _)) = t.posts.first() else { continue };
            let author_id = user_id(conn, first_author).await?;
            let tags: Vec<String> = t.tags.iter().map(|s| (*s).to_owned()).collect();
            let thread_id = repo::insert_thread(
                conn,
                &NewThread {
                    community_id,
                    author_id,
                    is_anonymous: t.anonymous,
                    title: t.title,
                    tags: &tags,
                    content_warning: t.content_warning,
                },
            )
            .await?;
            for (i, (email, body)) in t.posts.iter().enumerate() {
                let author = user_id(conn, email).await?;
                let alias =
                    if t.anonymous { Some(repo::alias_for(conn, thread_id, author).await?) } else { None };
                let html = app::markdown::render(body);
                let post = NewPost {
                    id: repo::next_post_id(conn).await?,
                    thread_id,
                    author_id: author,
                    anon_alias: alias,
                    body,
                    body_html: &html,
                    content_warning: if i == 0 { t.content_warning } else { None },
                    quoted_post_id: None,
                    title_for_search: (i == 0).then_some(t.title),
                };
                // Numbered and counted the way posting does, so the counters agree with the rows.
                repo::insert_numbered_post(conn, &post, i == 0).await?.ok_or(sqlx::Error::RowNotFound)?;
            }
        }
    }
    Ok(())
}

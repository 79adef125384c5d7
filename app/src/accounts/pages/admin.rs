//! The admin's list of people: roles, pauses (suspensions) and signing people out.
//! Every action here is checked again on the server; hiding it from others is a courtesy.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::accounts::api::{list_users, EndUserSessions, SetUserRole, SuspendUser, UnsuspendUser};
use crate::accounts::types::UserSummary;
use crate::auth::Role;
use crate::components::{urlencode, ErrorMessage, FormError, Loading};
use crate::error::AppError;

#[derive(Clone, Copy)]
struct AdminActions {
    role: ServerAction<SetUserRole>,
    suspend: ServerAction<SuspendUser>,
    unsuspend: ServerAction<UnsuspendUser>,
    end_sessions: ServerAction<EndUserSessions>,
}

impl AdminActions {
    fn version(&self) -> (usize, usize, usize, usize) {
        (
            self.role.version().get(),
            self.suspend.version().get(),
            self.unsuspend.version().get(),
            self.end_sessions.version().get(),
        )
    }

    /// The most recent error of any of the page's actions.
    fn error(self) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            let pick = |v: Option<Result<(), AppError>>| v.and_then(|r| r.err());
            pick(self.role.value().get())
                .or_else(|| pick(self.suspend.value().get()))
                .or_else(|| pick(self.unsuspend.value().get()))
                .or_else(|| pick(self.end_sessions.value().get()))
        })
    }
}

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let actions = AdminActions {
        role: ServerAction::new(),
        suspend: ServerAction::new(),
        unsuspend: ServerAction::new(),
        end_sessions: ServerAction::new(),
    };
    let query = use_query_map();
    let q = move || query.with(|p| p.get("q")).filter(|s| !s.is_empty());
    let after = move || query.with(|p| p.get("after")).and_then(|a| a.parse::<i64>().ok());
    let users =
        Resource::new(move || (q(), after(), actions.version()), |(q, after, _)| list_users(after, q));
    let error = actions.error();
    view! {
        <Title text="People · Admin · Upstand" />
        <section>
            <h1>"People"</h1>
            <form method="get" action="/admin/users" class="search-row" role="search">
                <label for="user-search">"Find by name or email"</label>
                <input id="user-search" type="search" name="q" value=move || q().unwrap_or_default() />
                <button type="submit" class="button">"Search"</button>
            </form>
            <FormError error show_field_errors=true />
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Err(e) => view! { <ErrorMessage error=e /> }.into_any(),
                        Ok(page) => {
                            let next = page.next_after.map(|n| {
                                let q = q().map(|q| format!("&q={}", urlencode(&q))).unwrap_or_default();
                                format!("/admin/users?after={n}{q}")
                            });
                            view! {
                                <table class="people">
                                    <caption class="visually-hidden">"Everyone with an account"</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Email"</th>
                                            <th scope="col">"Role"</th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col">"Actions"</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {page.users.into_iter().map(|u| view! { <UserRow user=u actions /> }).collect_view()}
                                    </tbody>
                                </table>
                                {next.map(|href| view! { <p><a href=href>"Next page"</a></p> })}
                            }
                            .into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UserRow(user: UserSummary, actions: AdminActions) -> impl IntoView {
    let id = user.id.to_string();
    let role_id = format!("role-{}", user.id);
    let suspended = user.suspended_until.filter(|t| *t > chrono::Utc::now());
    let status = match suspended {
        Some(t) => format!("Paused until {}", t.format("%-d %b %Y")),
        None => "Active".to_owned(),
    };
    let (id2, id3) = (id.clone(), id.clone());
    let name = user.display_name.clone();
    view! {
        <tr>
            <td>{user.display_name.clone()}</td>
            <td>{user.email.clone()}</td>
            <td>
                <ActionForm action=actions.role>
                    <input type="hidden" name="user_id" value=id.clone() />
                    <label class="visually-hidden" for=role_id.clone()>{format!("Role of {}", user.display_name)}</label>
                    <select id=role_id name="role">
                        {Role::ALL.into_iter().map(|r| view! {
                            <option value=r.as_str() selected=r == user.role>{r.label()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button small">"Change role"</button>
                </ActionForm>
            </td>
            <td>{status}</td>
            <td class="row-actions">
                {match suspended {
                    Some(_) => view! {
                        <ActionForm action=actions.unsuspend>
                            <input type="hidden" name="user_id" value=id2 />
                            <button type="submit" class="button small">"Lift pause"</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! { <SuspendForm user_id=user.id name=name action=actions.suspend /> }.into_any(),
                }}
                <ActionForm action=actions.end_sessions>
                    <input type="hidden" name="user_id" value=id3 />
                    <button type="submit" class="button small">"Sign out everywhere"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

#[component]
fn SuspendForm(user_id: i64, name: String, action: ServerAction<SuspendUser>) -> impl IntoView {
    let days_id = format!("days-{user_id}");
    let reason_id = format!("reason-{user_id}");
    view! {
        <details class="inline-details">
            <summary>{format!("Pause {name}")}</summary>
            <ActionForm action>
                <input type="hidden" name="user_id" value=user_id.to_string() />
                <label for=days_id.clone()>"Days"</label>
                <input id=days_id type="number" name="days" min="1" max="365" value="7" />
                <label for=reason_id.clone()>"Reason (they will see it)"</label>
                <input id=reason_id type="text" name="reason" maxlength="500" />
                <button type="submit" class="button small">"Pause account"</button>
            </ActionForm>
        </details>
    }
}

//! The signed-in person, shared with every component through context.
//!
//! Forms that change who is signed in (or their name) create their action with
//! [`Session::action`], so the person is fetched again whenever one completes. Actions are
//! created by the page that shows the form, inside `<Routes>`: that is where Leptos makes an
//! error carried back in the URL (after a no-JavaScript form post) available to them.

use leptos::prelude::*;
use server_fn::ServerFn;

use crate::auth::CurrentUser;
use crate::error::AppError;

#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Option<CurrentUser>>,
    changed: RwSignal<u64>,
}

impl Session {
    pub fn provide() {
        let changed = RwSignal::new(0u64);
        let user = Resource::new(
            move || changed.get(),
            |_| async move { crate::accounts::api::get_current_user().await.ok().flatten() },
        );
        provide_context(Session { user, changed });
    }

    /// A server action whose every completion refreshes the signed-in person.
    pub fn action<S>(self) -> ServerAction<S>
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        let action = ServerAction::<S>::new();
        let changed = self.changed;
        Effect::new(move |_| {
            if action.version().get() > 0 {
                changed.update(|n| *n += 1);
            }
        });
        action
    }
}

/// The session context; every page renders inside `App`, which provides it.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

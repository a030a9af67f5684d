//! The theme toggle: follow the system, or force light or dark. The choice is kept in
//! localStorage and applied as `data-theme` on `<html>`, which the stylesheet keys on.

use leptos::prelude::*;

const KEY: &str = "promplay.theme";
const CHOICES: [(&str, &str); 3] = [("auto", "Theme: system"), ("light", "Theme: light"), ("dark", "Theme: dark")];

fn apply(choice: &str) {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match choice {
            "light" | "dark" => root.set_attribute("data-theme", choice),
            _ => root.remove_attribute("data-theme"),
        };
    }
}

#[component]
pub fn ThemeToggle() -> impl IntoView {
    let initial = crate::local::get(KEY).filter(|c| CHOICES.iter().any(|(k, _)| k == c)).unwrap_or_else(|| "auto".into());
    apply(&initial);
    let choice = RwSignal::new(initial);
    let next = move |_| {
        let now = choice.get_untracked();
        let i = CHOICES.iter().position(|(k, _)| *k == now).map_or(0, |i| (i + 1) % CHOICES.len());
        let k = CHOICES[i].0;
        apply(k);
        crate::local::set(KEY, k);
        choice.set(k.to_string());
    };
    let label = move || choice.with(|c| CHOICES.iter().find(|(k, _)| k == c).map_or("Theme", |(_, l)| l));
    view! {
        <button id="theme-toggle" type="button" class="export" on:click=next>{label}</button>
    }
}

//! Reports a panic on the browser console (a wasm panic otherwise shows only "unreachable"),
//! without the console_error_panic_hook dependency.

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("promplay panicked: {info}").into());
    }));
}

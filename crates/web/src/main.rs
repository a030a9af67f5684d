//! The binary Trunk builds into the page: everything lives in the library so tests can mount it.

fn main() {
    web::start();
}

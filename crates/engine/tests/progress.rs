//! A long evaluation reports which node it is in and how many windows of a range function are
//! done, and reporting changes nothing in the result.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::cell::RefCell;
use std::rc::Rc;

use engine::{range_query, Options, Progress, ProgressHook, ProgressSink};
use model::Labels;

/// Records the nodes entered, the open nodes, and every window report with the innermost open
/// node; always due, so each opportunity is seen.
#[derive(Default)]
struct Recorder {
    nodes: RefCell<Vec<String>>,
    open: RefCell<Vec<String>>,
    windows: RefCell<Vec<(String, Progress)>>,
}

impl ProgressSink for Recorder {
    fn enter(&self, node: String) {
        self.nodes.borrow_mut().push(node.clone());
        self.open.borrow_mut().push(node);
    }
    fn leave(&self) {
        self.open.borrow_mut().pop();
    }
    fn due(&self) -> bool {
        true
    }
    fn windows(&self, p: Progress) {
        let node = self.open.borrow().last().cloned().unwrap_or_default();
        self.windows.borrow_mut().push((node, p));
    }
}

/// Three series of a counter, one sample a second for an hour.
fn store() -> tsdb::Storage {
    let mut db = tsdb::Storage::new();
    for job in ["a", "b", "c"] {
        let l = Labels::from_pairs([("__name__", "x_total"), ("job", job)]);
        for i in 0..3600i64 {
            db.append(&l, i * 1000, i as f64).unwrap();
        }
    }
    db
}

#[test]
fn reports_nodes_and_windows_without_changing_the_result() {
    let db = store();
    let q = "sum(quantile_over_time(0.5, x_total[10m]))";
    let plain = range_query(&db, q, 600_000, 3_600_000, 10_000, &Options::default()).unwrap();
    let rec = Rc::new(Recorder::default());
    let opts = Options { progress: Some(ProgressHook(rec.clone())), ..Options::default() };
    let watched = range_query(&db, q, 600_000, 3_600_000, 10_000, &opts).unwrap();
    assert_eq!(format!("{:?}", plain.value), format!("{:?}", watched.value));

    let nodes = rec.nodes.borrow();
    // The range selector is read by the function itself, not evaluated as a node.
    assert_eq!(*nodes, [q, "quantile_over_time(0.5, x_total[10m])", "0.5"]);
    // 3 series x 301 steps of windows, reported per series and every 64 windows within one.
    assert!(rec.open.borrow().is_empty(), "every node entered is left");
    let inner = "quantile_over_time(0.5, x_total[10m])";
    assert!(rec.windows.borrow().iter().all(|(node, _)| node == inner), "windows belong to the function");
    let windows: Vec<(usize, usize)> = rec.windows.borrow().iter().map(|(_, p)| (p.done, p.total)).collect();
    assert!(windows.iter().all(|&(_, total)| total == 3 * 301), "{windows:?}");
    assert!(windows.windows(2).all(|w| w[0].0 < w[1].0), "progress only moves forward: {windows:?}");
    assert_eq!(windows.first(), Some(&(0, 903)));
    assert_eq!(windows.last(), Some(&(2 * 301 + 255, 903)), "the last report is the third series' 256th window");
}

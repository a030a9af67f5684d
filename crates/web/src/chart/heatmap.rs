//! Classic histogram buckets as a heatmap: the series whose label set has `le`, grouped into
//! histograms by their other labels, one row per bucket and one column per step, each cell the
//! count in that bucket alone (the series are cumulative, so it is a difference).

use super::labels;
use super::model::{plot_area, view_range, Readout, Rect, TimeScale};
use super::ticks::{time_ticks, TimeTick};
use super::{ChartData, ChartSeries};

/// One histogram over time.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// `metric{labels other than le}`: which histogram this is.
    pub name: String,
    /// The rows' `le` as written, ascending by value, `+Inf` last.
    pub les: Vec<String>,
    /// The columns: every time any bucket has a point, ascending.
    pub times: Vec<i64>,
    /// Per column, per row: the count in that bucket alone; `None` where the bucket has no
    /// (finite) value at that time.
    pub counts: Vec<Vec<Option<f64>>>,
    /// The largest count, which gets full colour.
    pub max: f64,
}

/// An `le` bound: a float as Prometheus writes it, `+Inf` included.
pub fn parse_le(s: &str) -> Option<f64> {
    match s.trim() {
        "+Inf" | "Inf" | "+inf" | "inf" => Some(f64::INFINITY),
        t => t.parse::<f64>().ok().filter(|v| !v.is_nan()),
    }
}

/// A bucket series' bound: its value, its text, and the series' other labels.
type Bound = (f64, String, Vec<(String, String)>);

/// The bucket bound of a series, if it is a bucket series.
fn le_of(series_labels: &str) -> Option<Bound> {
    let mut pairs = labels::parse(series_labels)?;
    let at = pairs.iter().position(|(n, _)| n == "le")?;
    let (_, text) = pairs.remove(at);
    Some((parse_le(&text)?, text, pairs))
}

/// Whether the heatmap has anything to show.
pub fn has_buckets(data: &ChartData) -> bool {
    data.series.iter().any(|s| le_of(&s.labels).is_some())
}

/// Per-bucket counts from one column of cumulative counts (rows ascending by `le`). A bucket
/// lower than the one below it is raised to it first, as `histogram_quantile` does for
/// non-monotonic buckets, so no count is negative; a missing bucket is skipped and the next one
/// is taken relative to the last present one.
pub fn decumulate(cumulative: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut below = 0.0;
    cumulative
        .iter()
        .map(|c| {
            let c = (*c).filter(|v| v.is_finite())?;
            let c = c.max(below);
            let count = c - below;
            below = c;
            Some(count)
        })
        .collect()
}

/// The bucket series of `data` as heatmaps, one per histogram, ordered by name.
pub fn heatmaps(data: &ChartData) -> Vec<Heatmap> {
    type Row = (f64, String, Vec<(i64, f64)>);
    // Groups by name and rows by `le`, each kept ordered as they are inserted: few of each, and
    // no sort or map code in the wasm.
    let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
    for s in &data.series {
        let Some((le, text, rest)) = le_of(&s.labels) else {
            continue;
        };
        let name = ChartSeries {
            labels: labels::render(&rest),
            metric: s.metric.clone(),
            points: Vec::new(),
        }
        .name();
        let g = match groups.binary_search_by(|g| g.0.cmp(&name)) {
            Ok(g) => g,
            Err(g) => {
                groups.insert(g, (name, Vec::new()));
                g
            }
        };
        let rows = &mut groups[g].1;
        let at = rows.partition_point(|r| r.0 <= le);
        rows.insert(at, (le, text, s.ordered_points().collect()));
    }
    groups
        .into_iter()
        .map(|(name, rows)| {
            let mut times: Vec<i64> = Vec::new();
            for t in rows.iter().flat_map(|r| r.2.iter().map(|p| p.0)) {
                if let Err(i) = times.binary_search(&t) {
                    times.insert(i, t);
                }
            }
            let counts: Vec<Vec<Option<f64>>> = times
                .iter()
                .map(|t| {
                    let column: Vec<Option<f64>> = rows
                        .iter()
                        .map(|r| r.2.binary_search_by_key(t, |p| p.0).ok().map(|i| r.2[i].1))
                        .collect();
                    decumulate(&column)
                })
                .collect();
            let max = counts
                .iter()
                .flatten()
                .flatten()
                .fold(0.0, |m: f64, c| m.max(*c));
            Heatmap {
                name,
                les: rows.into_iter().map(|r| r.1).collect(),
                times,
                counts,
                max,
            }
        })
        .collect()
}

/// A cell to fill, in CSS pixels, with its colour intensity (count / the histogram's largest).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cell {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    pub intensity: f64,
}

/// The heatmaps laid out: histograms stacked top to bottom, each with its `+Inf` row on top.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatPlot {
    pub maps: Vec<Heatmap>,
    pub time: TimeScale,
    pub area: Rect,
    pub x_ticks: Vec<TimeTick>,
    step: i64,
    /// (histogram, row) of each row of the plot, top to bottom.
    slots: Vec<(usize, usize)>,
}

impl HeatPlot {
    pub fn new(data: &ChartData, zoom: Option<(i64, i64)>, width: f64, height: f64) -> HeatPlot {
        let maps = heatmaps(data);
        let (start, end) = view_range(data, zoom);
        let chars = maps
            .iter()
            .flat_map(|m| m.les.iter().map(String::len))
            .max()
            .unwrap_or(1);
        let area = plot_area(width, height, chars);
        let time = TimeScale {
            start,
            end,
            x: area.x,
            w: area.w,
        };
        let x_ticks = time_ticks(start, end, (area.w / 110.0).max(1.0) as usize);
        let slots = maps
            .iter()
            .enumerate()
            .flat_map(|(g, m)| (0..m.les.len()).rev().map(move |r| (g, r)))
            .collect();
        HeatPlot {
            maps,
            time,
            area,
            x_ticks,
            step: data.step_ms.max(1),
            slots,
        }
    }

    fn row_h(&self) -> f64 {
        self.area.h / self.slots.len().max(1) as f64
    }

    /// Each row's `le` and the vertical middle of the row.
    pub fn row_labels(&self) -> Vec<(f64, &str)> {
        let h = self.row_h();
        self.slots
            .iter()
            .enumerate()
            .map(|(i, &(g, r))| {
                (
                    self.area.y + (i as f64 + 0.5) * h,
                    self.maps[g].les[r].as_str(),
                )
            })
            .collect()
    }

    /// Each histogram's name and the top of its band.
    pub fn bands(&self) -> Vec<(f64, &str)> {
        let h = self.row_h();
        let mut top = self.area.y;
        self.maps
            .iter()
            .map(|m| {
                let band = (top, m.name.as_str());
                top += m.les.len() as f64 * h;
                band
            })
            .collect()
    }

    /// The non-empty cells inside the plot area. A cell spans a step centred on its time.
    pub fn cells(&self) -> Vec<Cell> {
        let h = self.row_h();
        let half = self.step / 2;
        let mut out = Vec::new();
        for (i, &(g, r)) in self.slots.iter().enumerate() {
            let m = &self.maps[g];
            for (t, column) in m.times.iter().zip(&m.counts) {
                let count = column.get(r).copied().flatten().unwrap_or(0.0);
                let x0 = self.time.px(t.saturating_sub(half)).max(self.area.x);
                let x1 = self.time.px(t.saturating_add(half)).min(self.area.right());
                if count <= 0.0 || m.max <= 0.0 || x1 <= x0 {
                    continue;
                }
                let y0 = self.area.y + i as f64 * h;
                out.push(Cell {
                    x0,
                    x1,
                    y0,
                    y1: y0 + h,
                    intensity: count / m.max,
                });
            }
        }
        out
    }

    /// The cell under (`px`, `py`): histogram, time, count and `le`.
    pub fn readout(&self, px: f64, py: f64) -> Option<Readout> {
        let h = self.row_h();
        let slot = ((py - self.area.y) / h).floor();
        if slot < 0.0 || px < self.area.x || px > self.area.right() {
            return None;
        }
        let &(g, r) = self.slots.get(slot as usize)?;
        let m = &self.maps[g];
        let t = self.time.time(px);
        let col = m
            .times
            .partition_point(|c| *c < t.saturating_sub(self.step / 2));
        let ct = *m.times.get(col)?;
        if ct.abs_diff(t) > self.step.unsigned_abs() / 2 {
            return None;
        }
        let value = m.counts.get(col)?.get(r).copied().flatten()?;
        let (x, y) = (self.time.px(ct), self.area.y + (slot + 0.5) * h);
        Some(Readout {
            series: g,
            t: ct,
            value,
            x,
            y,
            bucket: Some(m.les[r].clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(job: &str, le: &str, points: &[(i64, f64)]) -> ChartSeries {
        ChartSeries {
            labels: format!(r#"{{job="{job}", le="{le}"}}"#),
            metric: Some("req_bucket".into()),
            points: points.to_vec(),
        }
    }

    fn data(series: Vec<ChartSeries>) -> ChartData {
        ChartData {
            series,
            start_ms: 0,
            end_ms: 20_000,
            step_ms: 10_000,
        }
    }

    #[test]
    fn decumulates_cumulative_counts() {
        let c = |v: &[f64]| v.iter().map(|x| Some(*x)).collect::<Vec<_>>();
        assert_eq!(decumulate(&c(&[20.0, 100.0, 100.0])), c(&[20.0, 80.0, 0.0]));
        // Non-monotonic: the dip is raised to the bucket below (no negative counts).
        assert_eq!(decumulate(&c(&[5.0, 3.0, 8.0])), c(&[5.0, 0.0, 3.0]));
        // A missing bucket is skipped; the next is relative to the last present one.
        assert_eq!(
            decumulate(&[Some(2.0), None, Some(7.0)]),
            [Some(2.0), None, Some(5.0)]
        );
        assert_eq!(decumulate(&[Some(f64::NAN), Some(4.0)]), [None, Some(4.0)]);
    }

    #[test]
    fn buckets_group_by_the_other_labels_and_sort_by_le_with_inf_last() {
        let d = data(vec![
            bucket("a", "+Inf", &[(0, 100.0), (10_000, 110.0)]),
            bucket("a", "0.5", &[(0, 20.0), (10_000, 30.0)]),
            bucket("b", "1", &[(0, 1.0)]),
            bucket("a", "10", &[(0, 90.0), (10_000, 85.0)]),
            bucket("a", "1e0", &[(0, 50.0)]),
            ChartSeries {
                labels: r#"{job="a"}"#.into(),
                metric: Some("req_count".into()),
                points: vec![(0, 5.0)],
            },
        ]);
        assert!(has_buckets(&d));
        let maps = heatmaps(&d);
        assert_eq!(maps.len(), 2);
        let a = &maps[0];
        assert_eq!(a.name, r#"req_bucket{job="a"}"#);
        assert_eq!(a.les, ["0.5", "1e0", "10", "+Inf"]);
        assert_eq!(a.times, [0, 10_000]);
        assert_eq!(
            a.counts[0],
            [Some(20.0), Some(30.0), Some(40.0), Some(10.0)]
        );
        // At 10 s the le=1 bucket is missing: le=10 counts from le=0.5.
        assert_eq!(a.counts[1], [Some(30.0), None, Some(55.0), Some(25.0)]);
        assert_eq!(a.max, 55.0);
        assert_eq!(maps[1].name, r#"req_bucket{job="b"}"#);
        assert_eq!(maps[1].counts, [[Some(1.0)]]);
    }

    #[test]
    fn no_bucket_series_no_heatmap() {
        let d = data(vec![ChartSeries {
            labels: r#"{le="oops"}"#.into(),
            metric: None,
            points: vec![(0, 1.0)],
        }]);
        assert!(!has_buckets(&d));
        // Only `le`: the histogram is named by its metric alone.
        let only_le = ChartSeries {
            labels: r#"{le="1"}"#.into(),
            metric: Some("x_bucket".into()),
            points: vec![],
        };
        assert_eq!(heatmaps(&data(vec![only_le]))[0].name, "x_bucket");
        assert!(heatmaps(&d).is_empty());
        assert_eq!(parse_le("+Inf"), Some(f64::INFINITY));
        assert_eq!(parse_le("0.25"), Some(0.25));
        assert_eq!(parse_le("NaN"), None);
    }

    #[test]
    fn cells_and_readout_agree() {
        let d = data(vec![
            bucket("a", "1", &[(0, 20.0), (10_000, 0.0)]),
            bucket("a", "+Inf", &[(0, 100.0), (10_000, 40.0)]),
        ]);
        let p = HeatPlot::new(&d, None, 400.0, 200.0);
        assert_eq!(p.maps[0].name, "req_bucket{job=\"a\"}");
        let labels: Vec<&str> = p.row_labels().iter().map(|l| l.1).collect();
        assert_eq!(labels, ["+Inf", "1"]);
        let cells = p.cells();
        // le=1 at 10 s has count 0: not drawn.
        assert_eq!(cells.len(), 3);
        let top_first = cells
            .iter()
            .find(|c| c.y0 == p.area.y && c.x0 == p.area.x)
            .unwrap();
        assert_eq!(top_first.intensity, 1.0);
        let bottom_first = cells
            .iter()
            .find(|c| c.y0 > p.area.y && c.x0 == p.area.x)
            .unwrap();
        assert_eq!(bottom_first.intensity, 0.25);
        let r = p.readout(p.time.px(10_000) - 2.0, p.area.y + 1.0).unwrap();
        assert_eq!(
            (r.t, r.value, r.bucket.as_deref()),
            (10_000, 40.0, Some("+Inf"))
        );
        let r = p
            .readout(p.time.px(0) + 2.0, p.area.bottom() - 1.0)
            .unwrap();
        assert_eq!((r.t, r.value, r.bucket.as_deref()), (0, 20.0, Some("1")));
        assert_eq!(p.readout(p.area.x - 5.0, p.area.y + 1.0), None);
    }
}

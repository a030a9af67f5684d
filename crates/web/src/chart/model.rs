//! The line chart as numbers: which points are drawn where, where lines break, what the pointer
//! is over and which time range a drag selects. Drawing and hit-testing use this one mapping,
//! so what the read-out names is what is under the pointer.

use std::ops::Range;

use super::ticks::{linear_axis, log_axis, time_ticks, Axis, TimeTick};
use super::ChartData;

/// A rectangle in CSS pixels, origin top-left.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
}

/// Room around the plot area for the axes' labels (CSS px at the 11 px axis font).
pub const TOP: f64 = 8.0;
pub const RIGHT: f64 = 14.0;
pub const BOTTOM: f64 = 22.0;
/// Average advance of an axis-label character, to size the left margin from the longest label.
pub const CHAR_PX: f64 = 6.5;

/// The plot area below the top margin, left of the right one and right of labels `chars` wide.
pub fn plot_area(width: f64, height: f64, chars: usize) -> Rect {
    let left = 10.0 + chars as f64 * CHAR_PX;
    Rect {
        x: left,
        y: TOP,
        w: (width - left - RIGHT).max(1.0),
        h: (height - TOP - BOTTOM).max(1.0),
    }
}

/// Time <-> horizontal pixels over the shown range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    pub start: i64,
    pub end: i64,
    pub x: f64,
    pub w: f64,
}

impl TimeScale {
    pub fn px(&self, t: i64) -> f64 {
        self.x + t.saturating_sub(self.start) as f64 / self.span() * self.w
    }

    pub fn time(&self, px: f64) -> i64 {
        self.start
            .saturating_add(((px - self.x) / self.w * self.span()).round() as i64)
    }

    fn span(&self) -> f64 {
        self.end.saturating_sub(self.start).max(1) as f64
    }
}

/// The time range to show: the zoom if any, else the query's range, never empty (a one-step
/// range gets a step's width so its points are not all at one x).
pub fn view_range(data: &ChartData, zoom: Option<(i64, i64)>) -> (i64, i64) {
    let (start, end) = zoom.unwrap_or((data.start_ms, data.end_ms));
    if end > start {
        (start, end)
    } else {
        let half = data.step_ms.max(1000) / 2;
        (start.saturating_sub(half), start.saturating_add(half))
    }
}

/// How values are laid out on the value axis.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Options {
    /// Each series drawn on top of the ones before it (cumulative per timestamp).
    pub stacked: bool,
    /// Base-10 log scale; values that are not positive are not drawn.
    pub log: bool,
}

/// A drawn point: its time, where it is drawn (`y`, cumulative when stacked) and the series'
/// own value (what the read-out shows).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub t: i64,
    pub y: f64,
    pub value: f64,
}

/// One series' drawable points and the runs of them a line joins; a run of one is a dot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Line {
    pub points: Vec<Point>,
    pub segments: Vec<Range<usize>>,
}

/// The line chart laid out in a `width` x `height` CSS-pixel canvas.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// One per input series, same index.
    pub lines: Vec<Line>,
    pub time: TimeScale,
    pub y: Axis,
    pub area: Rect,
    pub x_ticks: Vec<TimeTick>,
    pub step: i64,
}

/// What is under the pointer: a series (or a heatmap group), a time, the value there and where
/// it is drawn; `bucket` is the heatmap row's `le`.
#[derive(Clone, Debug, PartialEq)]
pub struct Readout {
    pub series: usize,
    pub t: i64,
    pub value: f64,
    pub x: f64,
    pub y: f64,
    pub bucket: Option<String>,
}

impl Plot {
    pub fn new(
        data: &ChartData,
        opts: Options,
        zoom: Option<(i64, i64)>,
        width: f64,
        height: f64,
    ) -> Plot {
        let (start, end) = view_range(data, zoom);
        let step = data.step_ms;
        let lines = lines(data, opts, (start, end));
        let shown = lines
            .iter()
            .flat_map(|l| &l.points)
            .filter(|p| p.t >= start && p.t <= end)
            .map(|p| p.y);
        let y_target = ((height - TOP - BOTTOM) / 40.0).clamp(2.0, 10.0) as usize;
        let y = if opts.log {
            log_axis(shown, y_target)
        } else if opts.stacked {
            // Stacks grow from zero, as Prometheus's stacked graphs do.
            linear_axis(shown.chain([0.0]), y_target)
        } else {
            linear_axis(shown, y_target)
        };
        let area = plot_area(width, height, y.label_chars());
        let time = TimeScale {
            start,
            end,
            x: area.x,
            w: area.w,
        };
        let x_ticks = time_ticks(start, end, (area.w / 110.0).max(1.0) as usize);
        Plot {
            lines,
            time,
            y,
            area,
            x_ticks,
            step,
        }
    }

    /// The vertical pixel of a drawn value; `None` for one a log axis cannot show.
    pub fn y_px(&self, v: f64) -> Option<f64> {
        self.y
            .fraction(v)
            .map(|f| self.area.bottom() - f * self.area.h)
    }

    /// The drawn point nearest to (`px`, `py`) in pixels, over all series or only `only`.
    pub fn nearest(&self, px: f64, py: f64, only: Option<usize>) -> Option<Readout> {
        let mut best: Option<(f64, Readout)> = None;
        for (series, line) in self.lines.iter().enumerate() {
            if only.is_some_and(|o| o != series) {
                continue;
            }
            let t = self.time.time(px);
            let mid = line.points.partition_point(|p| p.t < t);
            // Walk outwards from the pointer's time; past the best horizontal distance no point
            // can be nearer.
            let mut consider = |i: usize| -> bool {
                let Some(p) = line.points.get(i) else {
                    return false;
                };
                let x = self.time.px(p.t);
                let dx2 = (x - px) * (x - px);
                if best.as_ref().is_some_and(|(d, _)| dx2 > *d) {
                    return false;
                }
                if let Some(y) = self.y_px(p.y) {
                    let d = dx2 + (y - py) * (y - py);
                    if best.as_ref().is_none_or(|(b, _)| d < *b) {
                        best = Some((
                            d,
                            Readout {
                                series,
                                t: p.t,
                                value: p.value,
                                x,
                                y,
                                bucket: None,
                            },
                        ));
                    }
                }
                true
            };
            for i in mid..line.points.len() {
                if !consider(i) {
                    break;
                }
            }
            for i in (0..mid).rev() {
                if !consider(i) {
                    break;
                }
            }
        }
        best.map(|(_, r)| r)
    }
}

/// Each series' drawable points. A line breaks where the series has no point at a step, at
/// NaN and ±Inf, and (log scale) at values that are not positive; it never interpolates across
/// them, as Prometheus's graph does not. Points up to one step outside `view` are kept so lines
/// run to the edges (drawing clips them).
fn lines(data: &ChartData, opts: Options, view: (i64, i64)) -> Vec<Line> {
    let step = data.step_ms;
    let reach = step.max(0);
    // Running sums by time, kept sorted (a map type would add its own code to the wasm).
    let mut stack: Vec<(i64, f64)> = Vec::new();
    data.series
        .iter()
        .map(|s| {
            let mut line = Line::default();
            let mut prev: Option<i64> = None;
            let mut run = 0;
            for (t, value) in s.ordered_points() {
                let y = if !value.is_finite() {
                    None
                } else if opts.stacked {
                    let i = match stack.binary_search_by_key(&t, |e| e.0) {
                        Ok(i) => i,
                        Err(i) => {
                            stack.insert(i, (t, 0.0));
                            i
                        }
                    };
                    stack[i].1 += value;
                    Some(stack[i].1)
                } else {
                    Some(value)
                };
                let y = y.filter(|y| y.is_finite() && (!opts.log || *y > 0.0));
                let in_view =
                    t >= view.0.saturating_sub(reach) && t <= view.1.saturating_add(reach);
                let (Some(y), true) = (y, in_view) else {
                    prev = None;
                    continue;
                };
                let joined = prev.is_some_and(|p| step <= 0 || t.saturating_sub(p) <= step);
                if !joined {
                    close(&mut line, &mut run);
                }
                line.points.push(Point { t, y, value });
                prev = Some(t);
            }
            close(&mut line, &mut run);
            line
        })
        .collect()
}

fn close(line: &mut Line, run: &mut usize) {
    if *run < line.points.len() {
        line.segments.push(*run..line.points.len());
    }
    *run = line.points.len();
}

/// A drag shorter than this is a click, not a zoom.
pub const MIN_DRAG_PX: f64 = 4.0;

/// The time range a drag from `px0` to `px1` selects: clamped to the plot, at least one step
/// (widened around its middle, kept inside the current view); `None` for a click.
pub fn zoom_range(scale: &TimeScale, px0: f64, px1: f64, step: i64) -> Option<(i64, i64)> {
    // NaN positions fail the comparison: no zoom.
    let dragged = (px1 - px0).abs() >= MIN_DRAG_PX;
    if !dragged {
        return None;
    }
    let clamp = |p: f64| p.clamp(scale.x, scale.x + scale.w);
    let (mut t0, mut t1) = (
        scale.time(clamp(px0.min(px1))),
        scale.time(clamp(px0.max(px1))),
    );
    let min = step.max(1);
    // Saturating: the view may be as wide as i64 allows.
    if t1.saturating_sub(t0) < min {
        t0 = t0
            .saturating_add(t1.saturating_sub(t0) / 2)
            .saturating_sub(min / 2);
        t1 = t0.saturating_add(min);
        if t0 < scale.start {
            (t0, t1) = (scale.start, scale.start.saturating_add(min));
        }
        if t1 > scale.end {
            (t0, t1) = (scale.end.saturating_sub(min).max(scale.start), scale.end);
        }
    }
    (t1 > t0).then_some((t0, t1))
}

/// Series colours by index: stable across redraws, toggles and zooms (d3's category10).
const PALETTE: [(u8, u8, u8); 10] = [
    (0x1f, 0x77, 0xb4),
    (0xff, 0x7f, 0x0e),
    (0x2c, 0xa0, 0x2c),
    (0xd6, 0x27, 0x28),
    (0x94, 0x67, 0xbd),
    (0x8c, 0x56, 0x4b),
    (0xe3, 0x77, 0xc2),
    (0x7f, 0x7f, 0x7f),
    (0xbc, 0xbd, 0x22),
    (0x17, 0xbe, 0xcf),
];

pub fn colour(series: usize) -> (u8, u8, u8) {
    PALETTE[series % PALETTE.len()]
}

/// The colour as CSS, for the legend swatch.
pub fn css_colour(series: usize) -> String {
    let (r, g, b) = colour(series);
    format!("#{r:02x}{g:02x}{b:02x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::ChartSeries;

    fn series(points: &[(i64, f64)]) -> ChartSeries {
        ChartSeries {
            labels: "{}".into(),
            metric: None,
            points: points.to_vec(),
        }
    }

    fn data(series: Vec<ChartSeries>) -> ChartData {
        ChartData {
            series,
            start_ms: 0,
            end_ms: 100_000,
            step_ms: 10_000,
        }
    }

    fn ys(line: &Line) -> Vec<f64> {
        line.points.iter().map(|p| p.y).collect()
    }

    #[test]
    fn missing_steps_and_non_finite_values_break_lines() {
        let d = data(vec![series(&[
            (0, 1.0),
            (10_000, 2.0),
            // 20 s missing: a gap, not a line from 2 to 4.
            (30_000, 4.0),
            (40_000, f64::NAN),
            (50_000, 6.0),
            (60_000, f64::INFINITY),
            (70_000, 8.0),
            (80_000, 9.0),
        ])]);
        let p = Plot::new(&d, Options::default(), None, 600.0, 300.0);
        let l = &p.lines[0];
        assert_eq!(ys(l), [1.0, 2.0, 4.0, 6.0, 8.0, 9.0]);
        assert_eq!(l.segments, [0..2, 2..3, 3..4, 4..6]);
        assert_eq!((p.y.min, p.y.max), (0.0, 10.0));
    }

    #[test]
    fn stacking_sums_per_timestamp_in_series_order() {
        let d = data(vec![
            series(&[(0, 1.0), (10_000, 2.0), (20_000, 3.0)]),
            // No point at 10 s: its own gap, and the third series stacks on the first alone.
            series(&[(0, 10.0), (20_000, 30.0)]),
            series(&[(0, 100.0), (10_000, 200.0), (20_000, f64::NAN)]),
        ]);
        let p = Plot::new(
            &d,
            Options {
                stacked: true,
                log: false,
            },
            None,
            600.0,
            300.0,
        );
        assert_eq!(ys(&p.lines[0]), [1.0, 2.0, 3.0]);
        assert_eq!(ys(&p.lines[1]), [11.0, 33.0]);
        assert_eq!(p.lines[1].segments, [0..1, 1..2]);
        assert_eq!(ys(&p.lines[2]), [111.0, 202.0]);
        // The read-out shows the series' own value, not the sum.
        assert_eq!(p.lines[2].points[1].value, 200.0);
        assert_eq!(p.y.min, 0.0);
        assert!(p.y.max >= 202.0);
    }

    #[test]
    fn log_scale_drops_non_positive_values() {
        let d = data(vec![series(&[
            (0, 0.0),
            (10_000, 0.5),
            (20_000, 50.0),
            (30_000, -2.0),
            (40_000, 5000.0),
        ])]);
        let p = Plot::new(
            &d,
            Options {
                stacked: false,
                log: true,
            },
            None,
            600.0,
            300.0,
        );
        assert_eq!(ys(&p.lines[0]), [0.5, 50.0, 5000.0]);
        assert_eq!(p.lines[0].segments, [0..2, 2..3]);
        assert_eq!((p.y.min, p.y.max), (0.1, 10_000.0));
        // Each decade gets the same height.
        let (a, b, c) = (
            p.y_px(1.0).unwrap(),
            p.y_px(10.0).unwrap(),
            p.y_px(100.0).unwrap(),
        );
        assert!(((a - b) - (b - c)).abs() < 1e-9 && a > b);
        assert_eq!(p.y_px(0.0), None);
    }

    #[test]
    fn zoom_limits_the_points_and_the_value_axis_to_the_view() {
        let d = data(vec![series(&[
            (0, 1000.0),
            (10_000, 1.0),
            (20_000, 2.0),
            (30_000, 3.0),
            (40_000, 5000.0),
        ])]);
        let p = Plot::new(&d, Options::default(), Some((20_000, 30_000)), 600.0, 300.0);
        // One step either side is kept for lines to run off the edges.
        assert_eq!(ys(&p.lines[0]), [1.0, 2.0, 3.0, 5000.0]);
        assert!(p.y.max < 10.0, "{:?}", p.y);
        assert_eq!((p.time.start, p.time.end), (20_000, 30_000));
        assert_eq!(p.time.px(20_000), p.area.x);
        assert_eq!(p.time.px(30_000), p.area.right());
    }

    #[test]
    fn nearest_point_is_found_in_pixels() {
        let d = data(vec![
            series(&[(0, 1.0), (10_000, 1.0), (20_000, 1.0)]),
            series(&[(0, 9.0), (10_000, 9.0), (20_000, 9.0)]),
        ]);
        let p = Plot::new(&d, Options::default(), None, 600.0, 300.0);
        let x = p.time.px(10_000);
        let y_top = p.y_px(9.0).unwrap();
        let r = p.nearest(x + 3.0, y_top + 5.0, None).unwrap();
        assert_eq!((r.series, r.t, r.value), (1, 10_000, 9.0));
        assert_eq!((r.x, r.y), (x, y_top));
        let r = p.nearest(x, p.area.bottom(), None).unwrap();
        assert_eq!(r.series, 0);
        // Highlighting a series makes the read-out follow it.
        let r = p.nearest(x, p.area.bottom(), Some(1)).unwrap();
        assert_eq!(r.series, 1);
        // Far right of the data: the last point.
        let r = p.nearest(p.area.right(), y_top, None).unwrap();
        assert_eq!((r.series, r.t), (1, 20_000));
        let empty = data(vec![series(&[])]);
        assert_eq!(
            Plot::new(&empty, Options::default(), None, 600.0, 300.0).nearest(100.0, 100.0, None),
            None
        );
    }

    #[test]
    fn drag_selects_a_clamped_range_of_at_least_one_step() {
        let s = TimeScale {
            start: 0,
            end: 100_000,
            x: 50.0,
            w: 500.0,
        };
        assert_eq!(zoom_range(&s, 100.0, 300.0, 1000), Some((10_000, 50_000)));
        // Right to left is the same range.
        assert_eq!(zoom_range(&s, 300.0, 100.0, 1000), Some((10_000, 50_000)));
        // Past the plot's edges: clamped to the view.
        assert_eq!(zoom_range(&s, 0.0, 900.0, 1000), Some((0, 100_000)));
        // A click is not a zoom.
        assert_eq!(zoom_range(&s, 100.0, 102.0, 1000), None);
        // Narrower than a step: widened to one step around the middle...
        assert_eq!(zoom_range(&s, 300.0, 305.0, 10_000), Some((45_500, 55_500)));
        // ...and kept inside the view at the edges.
        assert_eq!(
            zoom_range(&s, 545.0, 550.0, 10_000),
            Some((90_000, 100_000))
        );
        assert_eq!(zoom_range(&s, 50.0, 55.0, 10_000), Some((0, 10_000)));
    }

    #[test]
    fn view_is_never_empty() {
        let mut d = data(vec![]);
        d.end_ms = d.start_ms;
        assert_eq!(view_range(&d, None), (-5_000, 5_000));
        assert_eq!(view_range(&d, Some((10, 20))), (10, 20));
    }

    #[test]
    fn extreme_inputs_lay_out_without_panicking() {
        let d = ChartData {
            series: vec![
                series(&[(i64::MIN, f64::MAX), (0, -f64::MAX), (i64::MAX, 1e-320)]),
                series(&[(1, f64::MIN_POSITIVE), (2, 5.0)]),
            ],
            start_ms: i64::MIN,
            end_ms: i64::MAX,
            step_ms: i64::MAX,
        };
        for (stacked, log) in [(false, false), (true, false), (false, true), (true, true)] {
            let p = Plot::new(&d, Options { stacked, log }, None, 300.0, 200.0);
            assert!(p.y.min.is_finite() && p.y.max.is_finite(), "{:?}", p.y);
            let _ = p.nearest(150.0, 100.0, None);
            let _ = zoom_range(&p.time, 10.0, 200.0, d.step_ms);
        }
        // A canvas too small for its margins still gets a (tiny) plot area.
        let p = Plot::new(&d, Options::default(), None, 1.0, 1.0);
        assert!(p.area.w > 0.0 && p.area.h > 0.0);
    }

    #[test]
    fn palette_is_stable_and_distinct() {
        assert_eq!(css_colour(0), "#1f77b4");
        assert_eq!(colour(3), colour(13));
        let distinct: std::collections::BTreeSet<_> = (0..10).map(colour).collect();
        assert_eq!(distinct.len(), 10);
    }
}

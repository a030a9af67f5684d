//! Paints a laid-out chart on a canvas through plotters' canvas backend. Only plotters' drawing
//! area and basic elements are used, in CSS-pixel coordinates computed by `model`/`heatmap`:
//! its chart builder would lay labels out by measuring text (which panics in plotters' web font
//! code when there is no document body) and would need its own copy of the mapping that
//! hit-testing uses. Every function returns an error instead of panicking.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

use super::heatmap::HeatPlot;
use super::model::{colour, Plot, Rect};
use super::ticks::TimeTick;

type Area = DrawingArea<CanvasBackend, Shift>;

/// The heatmap's hue (the page's accent); a cell's count sets its opacity.
const HEAT: (u8, u8, u8) = (0xe6, 0x52, 0x2c);
const FONT: (&str, f64) = ("sans-serif", 11.0);

/// The canvas to draw on at `width` x `height` CSS pixels.
#[derive(Clone, Copy, Debug)]
pub struct Surface<'a> {
    pub canvas: &'a HtmlCanvasElement,
    pub width: f64,
    pub height: f64,
    /// `devicePixelRatio`: the backing store has this many device pixels per CSS pixel, so
    /// lines and text stay sharp on high-DPI screens.
    pub dpr: f64,
    /// Text and grid colour, from the page's CSS so both themes read well.
    pub ink: (u8, u8, u8),
}

/// Sizes the backing store, clears it and scales the context so everything after draws in CSS
/// pixels. Fails when the canvas has no 2d context (then the caller shows a message instead).
fn prepare(s: &Surface) -> Result<(CanvasRenderingContext2d, Area), String> {
    let dpr = if s.dpr.is_finite() && s.dpr > 0.0 {
        s.dpr
    } else {
        1.0
    };
    s.canvas.set_width((s.width * dpr).round().max(1.0) as u32);
    s.canvas
        .set_height((s.height * dpr).round().max(1.0) as u32);
    // The displayed size stays in CSS pixels whatever the stylesheet says.
    let style = s.canvas.style();
    let _ = style.set_property("width", &format!("{}px", s.width));
    let _ = style.set_property("height", &format!("{}px", s.height));
    let ctx: CanvasRenderingContext2d = s
        .canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .ok_or("this browser gave the chart no 2d canvas context")?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)
        .map_err(|_| "cannot scale the canvas")?;
    let backend =
        CanvasBackend::with_canvas_object(s.canvas.clone()).ok_or("no 2d canvas context")?;
    Ok((ctx, backend.into_drawing_area()))
}

fn err(e: impl std::fmt::Display) -> String {
    format!("drawing failed: {e}")
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

fn text_style(ink: (u8, u8, u8), h: HPos, v: VPos) -> TextStyle<'static> {
    FONT.into_font()
        .color(&RGBColor(ink.0, ink.1, ink.2))
        .pos(Pos::new(h, v))
}

fn stroke(c: (u8, u8, u8), alpha: f64, width: u32) -> ShapeStyle {
    ShapeStyle {
        color: RGBColor(c.0, c.1, c.2).mix(alpha),
        filled: false,
        stroke_width: width,
    }
}

/// Gridlines and labels: `rows` are (y, label) on the value axis, the time ticks below.
fn axes(
    root: &Area,
    s: &Surface,
    area: Rect,
    rows: &[(f64, &str)],
    time: &[(f64, &TimeTick)],
) -> Result<(), String> {
    let grid = stroke(s.ink, 0.15, 1);
    let left = text_style(s.ink, HPos::Right, VPos::Center);
    for (y, label) in rows {
        let y = px(*y);
        root.draw(&PathElement::new(
            vec![(px(area.x), y), (px(area.right()), y)],
            grid,
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            label.to_string(),
            (px(area.x) - 6, y),
            left.clone(),
        ))
        .map_err(err)?;
    }
    let below = text_style(s.ink, HPos::Center, VPos::Top);
    for (x, tick) in time {
        let x = px(*x);
        root.draw(&PathElement::new(
            vec![(x, px(area.y)), (x, px(area.bottom()))],
            grid,
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            tick.label.clone(),
            (x, px(area.bottom()) + 5),
            below.clone(),
        ))
        .map_err(err)?;
    }
    let frame = stroke(s.ink, 0.45, 1);
    let (l, b) = (px(area.x), px(area.bottom()));
    root.draw(&PathElement::new(
        vec![(l, px(area.y)), (l, b), (px(area.right()), b)],
        frame,
    ))
    .map_err(err)
}

/// Restricts drawing to the plot area, so lines running to the next point off-screen stop at
/// the edge; with a few pixels' slack above and below, so a line at the axis' top or bottom
/// value is not cut in half. Undone by `ctx.restore()`.
fn clip(ctx: &CanvasRenderingContext2d, area: Rect) {
    ctx.save();
    ctx.begin_path();
    ctx.rect(area.x, area.y - 3.0, area.w, area.h + 6.0);
    ctx.clip();
}

/// The line chart; with `highlight`, that series drawn on top and thicker, the others faint.
pub fn lines(s: &Surface, plot: &Plot, highlight: Option<usize>) -> Result<(), String> {
    let (ctx, root) = prepare(s)?;
    let rows: Vec<(f64, &str)> = plot
        .y
        .ticks
        .iter()
        .filter_map(|t| Some((plot.y_px(t.value)?, t.label.as_str())))
        .collect();
    let time: Vec<(f64, &TimeTick)> = plot
        .x_ticks
        .iter()
        .map(|t| (plot.time.px(t.ms), t))
        .collect();
    axes(&root, s, plot.area, &rows, &time)?;
    clip(&ctx, plot.area);
    let highlight = highlight.filter(|h| *h < plot.lines.len());
    let order = (0..plot.lines.len())
        .filter(|i| Some(*i) != highlight)
        .chain(highlight);
    let mut result = Ok(());
    for i in order {
        let (alpha, width) = match highlight {
            Some(h) if h == i => (1.0, 3),
            Some(_) => (0.2, 2),
            None => (1.0, 2),
        };
        let style = stroke(colour(i), alpha, width);
        let line = &plot.lines[i];
        for seg in &line.segments {
            let pts: Vec<(i32, i32)> = line.points[seg.clone()]
                .iter()
                .filter_map(|p| Some((px(plot.time.px(p.t)), px(plot.y_px(p.y)?))))
                .collect();
            // A lone point has no line to draw: a dot, as Prometheus's graph shows it.
            result = match pts.as_slice() {
                [one] => root.draw(&Circle::new(*one, 2, style.filled())),
                _ => root.draw(&PathElement::new(pts, style)),
            }
            .map_err(err);
            if result.is_err() {
                break;
            }
        }
    }
    ctx.restore();
    result
}

/// The heatmap: cells, `le` labels (thinned when rows are short), histogram names when there
/// are several.
pub fn heatmap(s: &Surface, plot: &HeatPlot) -> Result<(), String> {
    let (ctx, root) = prepare(s)?;
    let labels = plot.row_labels();
    let every = (14.0 / (plot.area.h / labels.len().max(1) as f64))
        .ceil()
        .max(1.0) as usize;
    let rows: Vec<(f64, &str)> = labels.into_iter().step_by(every).collect();
    let time: Vec<(f64, &TimeTick)> = plot
        .x_ticks
        .iter()
        .map(|t| (plot.time.px(t.ms), t))
        .collect();
    axes(&root, s, plot.area, &rows, &time)?;
    clip(&ctx, plot.area);
    let mut result = Ok(());
    for c in plot.cells() {
        let fill = RGBColor(HEAT.0, HEAT.1, HEAT.2)
            .mix(0.12 + 0.88 * c.intensity)
            .filled();
        result = root
            .draw(&Rectangle::new(
                [(px(c.x0), px(c.y0)), (px(c.x1), px(c.y1))],
                fill,
            ))
            .map_err(err);
        if result.is_err() {
            break;
        }
    }
    let bands = plot.bands();
    if result.is_ok() && bands.len() > 1 {
        let style = text_style(s.ink, HPos::Left, VPos::Top);
        for (y, name) in bands {
            let y = px(y);
            let rule = PathElement::new(
                vec![(px(plot.area.x), y), (px(plot.area.right()), y)],
                stroke(s.ink, 0.45, 1),
            );
            result = root
                .draw(&rule)
                .and_then(|_| {
                    root.draw(&Text::new(
                        name,
                        (px(plot.area.x) + 4, y + 2),
                        style.clone(),
                    ))
                })
                .map_err(err);
            if result.is_err() {
                break;
            }
        }
    }
    ctx.restore();
    result
}

/// A blank canvas with `text` in the middle (no data, nothing drawable).
pub fn message(s: &Surface, text: &str) -> Result<(), String> {
    let (_, root) = prepare(s)?;
    let style = text_style(s.ink, HPos::Center, VPos::Center);
    root.draw(&Text::new(
        text,
        (px(s.width / 2.0), px(s.height / 2.0)),
        style,
    ))
    .map_err(err)
}

/// `rgb(r, g, b)` or `rgba(r, g, b, a)` as the browser reports a computed colour; `None` for
/// anything else.
pub fn parse_css_rgb(css: &str) -> Option<(u8, u8, u8)> {
    let inner = css
        .trim()
        .strip_prefix("rgba(")
        .or_else(|| css.trim().strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let mut parts = inner.split(',').map(|p| p.trim().parse::<u8>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

/// The canvas's computed text colour, or a mid grey that reads on light and dark backgrounds.
pub fn ink(canvas: &HtmlCanvasElement) -> (u8, u8, u8) {
    web_sys::window()
        .and_then(|w| w.get_computed_style(canvas).ok().flatten())
        .and_then(|st| st.get_property_value("color").ok())
        .and_then(|c| parse_css_rgb(&c))
        .unwrap_or((110, 118, 130))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_computed_colours() {
        assert_eq!(super::parse_css_rgb("rgb(29, 35, 48)"), Some((29, 35, 48)));
        assert_eq!(super::parse_css_rgb("rgba(1, 2, 3, 0.5)"), Some((1, 2, 3)));
        assert_eq!(super::parse_css_rgb("#fff"), None);
        assert_eq!(super::parse_css_rgb("rgb(300, 0, 0)"), None);
    }
}

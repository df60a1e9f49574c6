//! Small SVG charts drawn on the server: readable without JavaScript,
//! printable, and styled by classes in app.css (the CSP forbids inline
//! styles). A chart library would bring a font stack and a raster backend
//! for three simple shapes; these stay short and testable.
//!
//! SVG elements are always written with a closing tag (`rect {}`): inside
//! HTML, a `<rect>` without one would swallow the elements after it.

use maud::{Markup, html};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 44.0;

/// One series of values, drawn in a class of its own (`series-0` ...).
pub struct Series<'a> {
    pub label: &'a str,
    pub values: Vec<i64>,
}

/// The smallest 1, 2 or 5 × 10ⁿ at or above `max`, so gridlines fall on
/// round numbers.
pub fn nice_max(max: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// How many gridlines above zero: each step a whole number.
fn ticks(max: i64) -> i64 {
    match max {
        0..=5 => max.max(1),
        _ if max % 4 == 0 => 4,
        _ => 5,
    }
}

/// Shows every n-th label so they do not overlap.
fn label_every(count: usize, room: f64, per_label: f64) -> usize {
    ((count as f64 * per_label / room).ceil() as usize).max(1)
}

fn frame(id: &str, title: &str, body: Markup) -> Markup {
    html! {
        figure.chart id=(id) {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-labelledby=(format!("{id}-title")) {
                title id=(format!("{id}-title")) { (title) }
                text.chart-title x=(WIDTH / 2.0) y="18" text-anchor="middle" { (title) }
                (body)
            }
        }
    }
}

/// Horizontal gridlines with their values, `ticks` of them above zero.
fn grid(max: i64, ticks: i64, suffix: &str) -> Markup {
    let plot = HEIGHT - TOP - BOTTOM;
    html! {
        @for i in 0..=ticks {
            @let y = HEIGHT - BOTTOM - plot * i as f64 / ticks as f64;
            line.grid x1=(LEFT) x2=(WIDTH - RIGHT) y1=(fmt(y)) y2=(fmt(y)) {}
            text.axis x=(LEFT - 6.0) y=(fmt(y + 4.0)) text-anchor="end" { (max * i / ticks) (suffix) }
        }
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// Vertical bars, one group per label, one bar per series, with a legend.
pub fn bars(id: &str, title: &str, labels: &[String], series: &[Series]) -> Markup {
    let max = nice_max(
        series
            .iter()
            .flat_map(|s| s.values.iter().copied())
            .max()
            .unwrap_or(0)
            .max(1),
    );
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / labels.len().max(1) as f64;
    let bar = (slot * 0.8 / series.len().max(1) as f64).clamp(1.0, 36.0);
    let group = bar * series.len() as f64;
    let every = label_every(labels.len(), plot_w, 58.0);
    let body = html! {
        (grid(max, ticks(max), ""))
        @for (si, s) in series.iter().enumerate() {
            g class=(format!("series-{si}")) {
                @for (i, v) in s.values.iter().enumerate() {
                    @let h = plot_h * *v as f64 / max as f64;
                    @let x = LEFT + slot * (i as f64 + 0.5) - group / 2.0 + bar * si as f64;
                    rect x=(fmt(x)) y=(fmt(HEIGHT - BOTTOM - h)) width=(fmt(bar)) height=(fmt(h)) {
                        title { (labels.get(i).map(String::as_str).unwrap_or("")) " · " (s.label) ": " (v) }
                    }
                }
            }
        }
        @for (i, label) in labels.iter().enumerate() {
            @if i % every == 0 {
                text.axis x=(fmt(LEFT + slot * (i as f64 + 0.5))) y=(fmt(HEIGHT - BOTTOM + 16.0)) text-anchor="middle" { (label) }
            }
        }
        (legend(series.iter().map(|s| s.label)))
    };
    frame(id, title, body)
}

fn legend<'a>(labels: impl Iterator<Item = &'a str>) -> Markup {
    html! {
        g.legend {
            @for (i, label) in labels.enumerate() {
                @let x = LEFT + 120.0 * i as f64;
                rect class=(format!("series-{i}")) x=(fmt(x)) y=(fmt(HEIGHT - 16.0)) width="10" height="10" {}
                text.axis x=(fmt(x + 14.0)) y=(fmt(HEIGHT - 7.0)) { (label) }
            }
        }
    }
}

/// Horizontal bars with their labels on the left and values on the right.
pub fn hbars(id: &str, title: &str, items: &[(String, i64)]) -> Markup {
    // Room for the longest label at 13 px: a Chinese character is about
    // twice as wide as a Latin letter.
    let width = |s: &str| s.chars().map(|c| if c.is_ascii() { 7.0 } else { 13.5 }).sum::<f64>();
    let longest = items.iter().map(|(l, _)| width(l)).fold(0.0, f64::max);
    let label_w = (longest + 12.0).clamp(120.0, 300.0);
    let max = nice_max(items.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1));
    let rows = items.len().max(1) as f64;
    let row_h = ((HEIGHT - TOP - 8.0) / rows).min(24.0);
    let plot_w = WIDTH - label_w - 60.0;
    let body = html! {
        g.series-0 {
            @for (i, (label, v)) in items.iter().enumerate() {
                @let y = TOP + row_h * i as f64;
                @let w = plot_w * *v as f64 / max as f64;
                text.axis x=(fmt(label_w - 6.0)) y=(fmt(y + row_h * 0.7)) text-anchor="end" { (label) }
                rect x=(fmt(label_w)) y=(fmt(y + row_h * 0.15)) width=(fmt(w)) height=(fmt(row_h * 0.7)) {
                    title { (label) ": " (v) }
                }
                text.value x=(fmt(label_w + w + 4.0)) y=(fmt(y + row_h * 0.7)) { (v) }
            }
        }
    };
    frame(id, title, body)
}

/// One point of a percent line.
pub struct Point {
    /// The percent in tenths (969 = 96.9%); `None` where there was nothing to divide.
    pub tenths: Option<i64>,
    /// Set while the value is provisional (cases still open), with what to say.
    pub note: Option<String>,
}

/// A line of percentages. A gap where there was nothing to divide; a
/// provisional point is drawn hollow, apart from the line, so a month whose
/// cases are still open never reads as a fall; `legend` explains it.
pub fn percent_line(id: &str, title: &str, labels: &[String], points: &[Point], legend: &str) -> Markup {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / labels.len().max(1) as f64;
    let point = |i: usize, t: i64| {
        (
            LEFT + slot * (i as f64 + 0.5),
            HEIGHT - BOTTOM - plot_h * t as f64 / 1000.0,
        )
    };
    // Consecutive final points form one segment of the line.
    let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, p) in points.iter().enumerate() {
        match (p.tenths, &p.note) {
            (Some(t), None) => segments.last_mut().expect("one segment").push(point(i, t)),
            _ if segments.last().is_some_and(|s| !s.is_empty()) => segments.push(Vec::new()),
            _ => {}
        }
    }
    let any_provisional = points.iter().any(|p| p.tenths.is_some() && p.note.is_some());
    let every = label_every(labels.len(), plot_w, 58.0);
    let body = html! {
        (grid(100, 4, "%"))
        g.series-0 {
            @for seg in segments.iter().filter(|s| !s.is_empty()) {
                polyline.line points=(seg.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")) {}
            }
            @for (i, p) in points.iter().enumerate() {
                @if let Some(t) = p.tenths {
                    @let (x, y) = point(i, t);
                    circle cx=(fmt(x)) cy=(fmt(y)) r="4" class=[p.note.as_ref().map(|_| "provisional")] {
                        title {
                            (labels.get(i).map(String::as_str).unwrap_or("")) ": " (t / 10) "." (t % 10) "%"
                            (p.note.as_deref().unwrap_or(""))
                        }
                    }
                }
            }
        }
        @if any_provisional {
            text.axis.provisional-legend x=(LEFT) y=(fmt(HEIGHT - 7.0)) { (legend) }
        }
        @for (i, label) in labels.iter().enumerate() {
            @if i % every == 0 {
                text.axis x=(fmt(LEFT + slot * (i as f64 + 0.5))) y=(fmt(HEIGHT - BOTTOM + 16.0)) text-anchor="middle" { (label) }
            }
        }
    };
    frame(id, title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_max(1), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(17), 20);
        assert_eq!(nice_max(480), 500);
        assert_eq!(nice_max(501), 1000);
    }

    #[test]
    fn gridlines_fall_on_whole_numbers() {
        for max in [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] {
            let t = ticks(max);
            assert_eq!(max % t, 0, "{max} in {t} steps");
        }
    }

    #[test]
    fn charts_carry_their_title_and_close_every_element() {
        let labels = vec!["2024-01".to_string(), "2024-02".to_string()];
        let svg = bars(
            "m",
            "每月案件",
            &labels,
            &[Series {
                label: "受理",
                values: vec![3, 5],
            }],
        )
        .into_string();
        assert!(svg.contains("<title id=\"m-title\">每月案件</title>"));
        assert_eq!(svg.matches("<rect").count(), svg.matches("</rect>").count());
        let points = [
            Point {
                tenths: Some(969),
                note: None,
            },
            Point {
                tenths: Some(0),
                note: Some("(暂,2件调解中)".into()),
            },
        ];
        let line = percent_line("t", "成功率", &labels, &points, "暂").into_string();
        assert!(line.contains("96.9%"));
        assert!(line.contains(r#"class="provisional""#) && line.contains("(暂,2件调解中)"));
        assert_eq!(line.matches("<polyline").count(), 1);
    }
}

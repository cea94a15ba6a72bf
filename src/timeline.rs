//! The Chronology's figure as geometry both renderers draw (the EPUB as SVG, the layout with
//! rules and glyphs): one row per event, its label above a line on a common date axis, the
//! record's date as a black bar (a square for a single day), each witness's dating as its
//! sigil, and a dated axis below. Black on white only, so it prints.

use crate::model::{PartialDate, Timeline};

/// Sizes of the drawing, in the units of its width (points in the PDF, SVG user units).
pub const ROW: f32 = 34.0;
pub const LABEL_SIZE: f32 = 9.0;
pub const SIGIL_SIZE: f32 = 9.0;
pub const TICK_SIZE: f32 = 7.5;
/// The side of the square that marks a record date of one day.
pub const MARK: f32 = 5.0;

/// What to draw, every position from the drawing's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub width: f32,
    pub height: f32,
    pub rows: Vec<Row>,
    /// The axis line's height; its ticks as `(x, label)`.
    pub axis_y: f32,
    pub ticks: Vec<(f32, String)>,
    /// The legend under the axis, on the baseline `legend_y`: a black square, then
    /// `legend[0]` from its x, and `legend[1]` from its x.
    pub legend: [(f32, String); 2],
    pub legend_y: f32,
}

/// One event.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// `1. Label`, set from the left edge with its baseline here.
    pub label: String,
    pub label_y: f32,
    /// The row's guide line.
    pub line_y: f32,
    /// The record's date, from `x0` to `x1` (equal for a single day).
    pub record: (f32, f32),
    /// The witnesses' datings: their sigla (those giving one date together), the date's
    /// span on the axis, and the baseline of the sigla (below the line, or higher, when
    /// they would overlap others).
    pub datings: Vec<(String, f32, f32, f32)>,
}

/// The left and right margins of the axis within the drawing.
const INSET: f32 = 26.0;

/// Lays out `timeline` on a drawing `width` wide.
pub fn plan(timeline: &Timeline, width: f32) -> Plan {
    let dates = timeline
        .events
        .iter()
        .flat_map(|e| std::iter::once(e.record).chain(e.datings.iter().map(|d| d.1)));
    let (mut first, mut last) = (i32::MAX, i32::MIN);
    for date in dates {
        let (a, b) = date.days();
        first = first.min(a);
        last = last.max(b);
    }
    if first > last {
        (first, last) = (0, 1);
    }
    let ticks_at = ticks(first, last);
    // The axis runs from a tick at or before the first date to one at or after the last.
    let start = ticks_at.first().map_or(first, |t| t.0.min(first));
    let end = ticks_at
        .last()
        .map_or(last, |t| t.0.max(last))
        .max(start + 1);
    let x = |day: i32| INSET + (width - 2.0 * INSET) * (day - start) as f32 / (end - start) as f32;
    let mut rows = Vec::new();
    for (i, event) in timeline.events.iter().enumerate() {
        let top = i as f32 * ROW;
        let line_y = top + ROW - 12.0;
        let (a, b) = event.record.days();
        // Witnesses giving one date share a label (`A C`); labels that would still
        // overlap go below the line, then above again, one step higher.
        let mut groups: Vec<(String, PartialDate)> = Vec::new();
        for (sigil, date) in &event.datings {
            match groups.iter_mut().find(|(_, d)| d == date) {
                Some((label, _)) => {
                    label.push(' ');
                    label.push_str(sigil);
                }
                None => groups.push((sigil.clone(), *date)),
            }
        }
        let levels = [
            line_y - 3.5,
            line_y + SIGIL_SIZE + 1.5,
            line_y - 3.5 - SIGIL_SIZE,
        ];
        let mut datings: Vec<(String, f32, f32, f32)> = Vec::new();
        for (label, date) in groups {
            let (a, b) = date.days();
            let (x0, x1) = (x(a), x(b));
            let centre = (x0 + x1) / 2.0;
            let half = SIGIL_SIZE * 0.4 * label.chars().count() as f32;
            let free = |y: f32| {
                !datings.iter().any(|d| {
                    let other = (d.1 + d.2) / 2.0;
                    let other_half = SIGIL_SIZE * 0.4 * d.0.chars().count() as f32;
                    (other - centre).abs() < half + other_half + 2.0 && (d.3 - y).abs() < 1.0
                })
            };
            let y = levels.into_iter().find(|&y| free(y)).unwrap_or(levels[0]);
            datings.push((label, x0, x1, y));
        }
        rows.push(Row {
            label: format!("{}. {}", event.key, event.label),
            label_y: top + LABEL_SIZE + 1.0,
            line_y,
            record: (x(a), x(b)),
            datings,
        });
    }
    let axis_y = timeline.events.len() as f32 * ROW + 4.0;
    Plan {
        width,
        height: axis_y + 2.0 * TICK_SIZE + 16.0,
        rows,
        axis_y,
        ticks: ticks_at.into_iter().map(|(d, l)| (x(d), l)).collect(),
        legend: [
            (MARK + 4.0, timeline.legend.0.clone()),
            (
                width * 0.4,
                format!("{}: {}", timeline.sigla.join(", "), timeline.legend.1),
            ),
        ],
        legend_y: axis_y + 2.0 * TICK_SIZE + 12.0,
    }
}

/// Ticks for the days `first..=last`: every day, week, month or year, or every few years,
/// whichever gives at most eight; each labelled with the date as precisely as its step needs.
fn ticks(first: i32, last: i32) -> Vec<(i32, String)> {
    let span = (last - first).max(1);
    let date = |day: i32| chrono::NaiveDate::from_num_days_from_ce_opt(day);
    let label = |d: chrono::NaiveDate, precision: u8| {
        use chrono::Datelike;
        let p = PartialDate {
            year: d.year(),
            month: (precision >= 2).then(|| d.month()),
            day: (precision >= 3).then(|| d.day()),
        };
        p.to_string()
    };
    let mut out = Vec::new();
    if span <= 60 {
        let step = [1, 2, 5, 7, 10]
            .into_iter()
            .find(|s| span / s <= 7)
            .unwrap_or(10);
        let mut day = first;
        while day < last + step {
            if let Some(d) = date(day) {
                out.push((day, label(d, 3)));
            }
            day += step;
        }
        return out;
    }
    use chrono::Datelike;
    let (Some(a), Some(b)) = (date(first), date(last)) else {
        return out;
    };
    let months = (b.year() - a.year()) * 12 + b.month() as i32 - a.month() as i32 + 1;
    if months <= 36 {
        let step = [1, 2, 3, 6, 12]
            .into_iter()
            .find(|s| months / s <= 7)
            .unwrap_or(12);
        let (mut y, mut m) = (a.year(), a.month() as i32);
        while let Some(d) = chrono::NaiveDate::from_ymd_opt(y, m as u32, 1) {
            out.push((d.num_days_from_ce(), label(d, 2)));
            if d > b {
                break;
            }
            m += step;
            while m > 12 {
                m -= 12;
                y += 1;
            }
        }
        return out;
    }
    let years = b.year() - a.year() + 1;
    let step = [1, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|s| years / s <= 7)
        .unwrap_or(100);
    let mut y = a.year() - a.year().rem_euclid(step);
    while let Some(d) = chrono::NaiveDate::from_ymd_opt(y, 1, 1) {
        out.push((d.num_days_from_ce(), label(d, 1)));
        if d > b {
            break;
        }
        y += step;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimelineEvent;

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    #[test]
    fn dates_are_placed_in_order_on_one_axis() {
        let timeline = Timeline {
            id: "t".into(),
            alt: "A timeline".into(),
            legend: ("Record".into(), "Witnesses".into()),
            sigla: vec!["A".into(), "B".into()],
            events: vec![
                TimelineEvent {
                    key: "1".into(),
                    label: "Outbreak".into(),
                    record: date("1666-09-02"),
                    datings: vec![
                        ("A".into(), date("1666-09-02")),
                        ("B".into(), date("1666-09-01")),
                    ],
                },
                TimelineEvent {
                    key: "2".into(),
                    label: "Stopped".into(),
                    record: date("1666-09-05"),
                    datings: vec![
                        ("A".into(), date("1666-09")),
                        ("B".into(), date("1666-09-05")),
                    ],
                },
            ],
        };
        let plan = plan(&timeline, 300.0);
        assert_eq!(plan.rows.len(), 2);
        let first = &plan.rows[0];
        assert!(
            first.datings[1].1 < first.datings[0].1,
            "B dates it a day early"
        );
        assert_eq!(plan.rows[1].datings.len(), 2);
        assert!((first.record.0 - first.datings[0].1).abs() < 0.01);
        let month = &plan.rows[1].datings[0];
        assert!(month.2 - month.1 > 100.0, "a month is a span");
        assert!(plan.ticks.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(plan.ticks.len() >= 2 && plan.ticks.len() <= 9);
        assert!(plan.ticks.iter().all(|t| t.0 >= 0.0 && t.0 <= 300.0));
    }
}

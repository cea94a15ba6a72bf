//! The Chronology's timeline as an SVG image, which its page shows with a short text
//! alternative and the table before it as its long description.

use super::xml::push_text;
use crate::model::Timeline;
use crate::timeline::{plan, LABEL_SIZE, MARK, SIGIL_SIZE, TICK_SIZE};

/// The drawing's width in SVG user units; it scales to the reading system's page.
const WIDTH: f32 = 480.0;

/// The file of the timeline's image in the EPUB.
pub(crate) fn file_name(timeline: &Timeline) -> String {
    format!("{}.svg", timeline.id)
}

/// The SVG document of `timeline`.
pub(crate) fn svg(timeline: &Timeline) -> String {
    let p = plan(timeline, WIDTH);
    let mut svg = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" role=\"img\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"serif\">\n",
        w = num(p.width),
        h = num(p.height)
    ));
    svg.push_str("<title>");
    push_text(&mut svg, &timeline.alt);
    svg.push_str("</title>\n<desc>");
    let events: Vec<String> = timeline
        .events
        .iter()
        .map(|e| {
            let datings: Vec<String> = e.datings.iter().map(|(s, d)| format!("{s} {d}")).collect();
            format!(
                "{}. {}: record {}; {}",
                e.key,
                e.label,
                e.record,
                datings.join(", ")
            )
        })
        .collect();
    push_text(&mut svg, &events.join(". "));
    svg.push_str("</desc>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    for row in &p.rows {
        text(
            &mut svg,
            0.0,
            row.label_y,
            LABEL_SIZE,
            "start",
            "",
            &row.label,
        );
        svg.push_str(&format!(
            "<line x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\" stroke=\"black\" stroke-width=\"0.3\" stroke-dasharray=\"1 2\"/>\n",
            y = num(row.line_y),
            w = num(p.width)
        ));
        let (x0, x1) = row.record;
        let width = (x1 - x0).max(MARK);
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"black\"/>\n",
            num((x0 + x1 - width) / 2.0),
            num(row.line_y - MARK / 2.0),
            num(width),
            num(MARK)
        ));
        for (sigil, x0, x1, y) in &row.datings {
            if x1 - x0 > 1.0 {
                svg.push_str(&format!(
                    "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"black\" stroke-width=\"1\"/>\n",
                    num(*x0),
                    num(*x1),
                    y = num(y + 2.0)
                ));
            }
            text(
                &mut svg,
                (x0 + x1) / 2.0,
                *y,
                SIGIL_SIZE,
                "middle",
                "bold",
                sigil,
            );
        }
    }
    svg.push_str(&format!(
        "<line x1=\"0\" y1=\"{y}\" x2=\"{w}\" y2=\"{y}\" stroke=\"black\" stroke-width=\"0.8\"/>\n",
        y = num(p.axis_y),
        w = num(p.width)
    ));
    for (x, label) in &p.ticks {
        svg.push_str(&format!(
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"black\" stroke-width=\"0.8\"/>\n",
            num(p.axis_y - 3.0),
            num(p.axis_y + 3.0),
            x = num(*x)
        ));
        text(
            &mut svg,
            *x,
            p.axis_y + 3.0 + TICK_SIZE * 1.2,
            TICK_SIZE,
            "middle",
            "",
            label,
        );
    }
    svg.push_str(&format!(
        "<rect x=\"0\" y=\"{}\" width=\"{m}\" height=\"{m}\" fill=\"black\"/>\n",
        num(p.legend_y - MARK),
        m = num(MARK)
    ));
    for (x, words) in &p.legend {
        text(&mut svg, *x, p.legend_y, TICK_SIZE, "start", "", words);
    }
    svg.push_str("</svg>\n");
    svg
}

fn text(out: &mut String, x: f32, y: f32, size: f32, anchor: &str, weight: &str, text: &str) {
    out.push_str(&format!(
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\"",
        num(x),
        num(y),
        num(size)
    ));
    if !weight.is_empty() {
        out.push_str(&format!(" font-weight=\"{weight}\""));
    }
    out.push('>');
    push_text(out, text);
    out.push_str("</text>\n");
}

/// A coordinate with at most two decimals, so that outputs are stable.
fn num(v: f32) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

//! Total-fit line breaking (Knuth–Plass) over boxes, glue and penalties.
//!
//! The breaker sees only widths; what the boxes hold is the paragraph builder's business.
//! Breaks are never overfull: a line whose material cannot shrink to the measure is not a
//! candidate. When no set of breaks meets the tolerance, a second pass accepts any loose line
//! (with emergency stretch), so a paragraph always breaks as long as each box fits.

/// One element of a paragraph, TeX style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Element {
    Box {
        width: f32,
    },
    Glue {
        width: f32,
        stretch: f32,
        shrink: f32,
    },
    /// A possible break costing `penalty`; `width` is added to the line when the break is
    /// taken (a hyphen). `flagged` marks hyphen breaks for the double-hyphen demerits.
    Penalty {
        width: f32,
        penalty: f32,
        flagged: bool,
    },
}

/// Penalty at or above which a break is forbidden; at or below minus it, forced.
pub(crate) const INFINITE_PENALTY: f32 = 10_000.0;

/// Tuning of the breaker.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    /// Badness ceiling for the first pass (TeX's `\tolerance` is 200, r ≈ 1.26).
    pub tolerance: f32,
    pub line_penalty: f32,
    /// Extra demerits when two consecutive lines end with a hyphen.
    pub double_hyphen_demerits: f32,
    /// Extra demerits when the next-to-last line ends with a hyphen.
    pub final_hyphen_demerits: f32,
    /// Extra demerits for adjacent lines of very different tightness.
    pub fitness_demerits: f32,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            tolerance: 400.0,
            line_penalty: 10.0,
            double_hyphen_demerits: 30_000.0,
            final_hyphen_demerits: 10_000.0,
            fitness_demerits: 10_000.0,
        }
    }
}

/// A chosen break: the element index where the line ends, and the line's adjustment ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Break {
    pub index: usize,
    pub ratio: f32,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    /// Element index of the break (the paragraph start uses `usize::MAX`).
    position: usize,
    line: usize,
    fitness: u8,
    flagged: bool,
    total_demerits: f32,
    ratio: f32,
    /// Sums of widths/stretch/shrink after the break (discardables skipped).
    width: f32,
    stretch: f32,
    shrink: f32,
    previous: Option<usize>,
}

/// Breaks `elements` into lines of `width` (the first line `first_width`). The elements must
/// end with a forced break. Returns the breaks in order; the last is the final element.
pub(crate) fn break_lines(
    elements: &[Element],
    first_width: f32,
    width: f32,
    tuning: &Tuning,
) -> Vec<Break> {
    let strict = Pass {
        tolerance: tuning.tolerance,
        emergency_stretch: 0.0,
        allow_overfull: false,
    };
    if let Some(breaks) = run_pass(elements, first_width, width, tuning, strict) {
        return breaks;
    }
    let loose = Pass {
        tolerance: f32::INFINITY,
        emergency_stretch: width * 0.1,
        allow_overfull: false,
    };
    if let Some(breaks) = run_pass(elements, first_width, width, tuning, loose) {
        return breaks;
    }
    // Only a box wider than the measure gets here; the paragraph builder splits such boxes.
    let rescue = Pass {
        allow_overfull: true,
        ..loose
    };
    run_pass(elements, first_width, width, tuning, rescue).unwrap_or_default()
}

#[derive(Debug, Clone, Copy)]
struct Pass {
    tolerance: f32,
    emergency_stretch: f32,
    allow_overfull: bool,
}

/// Ragged breaking: each line takes as much as fits at natural width (first fit). Returns
/// the element indices where lines end; the last is the final element.
pub(crate) fn first_fit(elements: &[Element], first_width: f32, width: f32) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut measure = first_width;
    // Width of the line so far, and the last break that kept it within the measure.
    let mut line = 0.0f32;
    let mut pending = 0.0f32;
    let mut candidate: Option<usize> = None;
    let mut line_start = 0;
    let mut i = 0;
    while i < elements.len() {
        match elements[i] {
            Element::Box { width: w } => {
                if line + pending + w > measure && candidate.is_some() {
                    let at = candidate.take().expect("checked");
                    breaks.push(at);
                    measure = width;
                    line = 0.0;
                    pending = 0.0;
                    i = at + 1;
                    line_start = i;
                    continue;
                }
                line += pending + w;
                pending = 0.0;
            }
            Element::Glue { width: w, .. } => {
                if i > line_start && matches!(elements[i - 1], Element::Box { .. }) {
                    candidate = Some(i);
                }
                if line > 0.0 {
                    pending += w;
                }
            }
            Element::Penalty {
                penalty, width: pw, ..
            } => {
                if penalty <= -INFINITE_PENALTY {
                    breaks.push(i);
                    measure = width;
                    line = 0.0;
                    pending = 0.0;
                    candidate = None;
                    line_start = i + 1;
                } else if penalty < INFINITE_PENALTY && line + pw <= measure {
                    candidate = Some(i);
                }
            }
        }
        i += 1;
    }
    breaks
}

/// The badness of a line with adjustment ratio `r`, TeX's 100·|r|³ capped at 10 000.
fn badness(ratio: f32) -> f32 {
    (100.0 * ratio.abs().powi(3)).min(10_000.0)
}

fn fitness_class(ratio: f32) -> u8 {
    if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    }
}

fn run_pass(
    elements: &[Element],
    first_width: f32,
    width: f32,
    tuning: &Tuning,
    pass: Pass,
) -> Option<Vec<Break>> {
    let last = elements.len().checked_sub(1)?;
    let mut nodes: Vec<Node> = vec![Node {
        position: usize::MAX,
        line: 0,
        fitness: 1,
        flagged: false,
        total_demerits: 0.0,
        ratio: 0.0,
        width: 0.0,
        stretch: 0.0,
        shrink: 0.0,
        previous: None,
    }];
    let mut active: Vec<usize> = vec![0];
    let (mut sum_w, mut sum_y, mut sum_z) = (0.0f32, 0.0f32, 0.0f32);

    for (i, element) in elements.iter().enumerate() {
        let (is_break, penalty, pen_width, flagged) = match *element {
            Element::Box { .. } => (false, 0.0, 0.0, false),
            Element::Glue { .. } => {
                let after_box = i > 0 && matches!(elements[i - 1], Element::Box { .. });
                (after_box, 0.0, 0.0, false)
            }
            Element::Penalty {
                width,
                penalty,
                flagged,
            } => (penalty < INFINITE_PENALTY, penalty, width, flagged),
        };
        if is_break {
            let forced = penalty <= -INFINITE_PENALTY;
            // Best new node per fitness class: (demerits, from active node, ratio).
            let mut best: [Option<(f32, usize, f32)>; 4] = [None; 4];
            let mut keep = Vec::with_capacity(active.len());
            for &a in &active {
                let node = &nodes[a];
                let measure = if node.line == 0 { first_width } else { width };
                let natural = sum_w - node.width + pen_width;
                let mut ratio = if natural < measure {
                    let stretch = sum_y - node.stretch + pass.emergency_stretch;
                    if stretch > 0.0 {
                        (measure - natural) / stretch
                    } else {
                        f32::INFINITY
                    }
                } else if natural > measure {
                    let shrink = sum_z - node.shrink;
                    if shrink > 0.0 {
                        (measure - natural) / shrink
                    } else {
                        f32::NEG_INFINITY
                    }
                } else {
                    0.0
                };
                if pass.allow_overfull {
                    ratio = ratio.max(-1.0);
                }
                // An overfull line deactivates its start; a forced break ends every start.
                if ratio >= -1.0 && !forced {
                    keep.push(a);
                }
                if ratio < -1.0 {
                    continue;
                }
                let bad = badness(ratio);
                if bad > pass.tolerance {
                    continue;
                }
                let mut demerits = (tuning.line_penalty + bad).powi(2);
                if penalty >= 0.0 {
                    demerits += penalty * penalty;
                } else if !forced {
                    demerits -= penalty * penalty;
                }
                if flagged && node.flagged {
                    demerits += tuning.double_hyphen_demerits;
                }
                if forced && node.flagged {
                    demerits += tuning.final_hyphen_demerits;
                }
                let fitness = fitness_class(ratio);
                if node.position != usize::MAX && fitness.abs_diff(node.fitness) > 1 {
                    demerits += tuning.fitness_demerits;
                }
                let total = node.total_demerits + demerits;
                let slot = &mut best[fitness as usize];
                if slot.is_none_or(|(d, _, _)| total < d) {
                    *slot = Some((total, a, ratio.min(f32::MAX)));
                }
            }
            active = keep;
            // Sums after the break skip the glue and penalties that follow it.
            let (after_w, after_y, after_z) = sums_after(elements, i, sum_w, sum_y, sum_z);
            for (fitness, slot) in best.iter().enumerate() {
                if let Some((total, from, ratio)) = *slot {
                    nodes.push(Node {
                        position: i,
                        line: nodes[from].line + 1,
                        fitness: fitness as u8,
                        flagged,
                        total_demerits: total,
                        ratio,
                        width: after_w,
                        stretch: after_y,
                        shrink: after_z,
                        previous: Some(from),
                    });
                    active.push(nodes.len() - 1);
                }
            }
            if active.is_empty() {
                return None;
            }
        }
        match *element {
            Element::Box { width } => sum_w += width,
            Element::Glue {
                width,
                stretch,
                shrink,
            } => {
                sum_w += width;
                sum_y += stretch;
                sum_z += shrink;
            }
            Element::Penalty { .. } => {}
        }
    }
    let best = active
        .iter()
        .copied()
        .filter(|&a| nodes[a].position == last)
        .min_by(|&a, &b| nodes[a].total_demerits.total_cmp(&nodes[b].total_demerits))?;
    let mut breaks = Vec::new();
    let mut cursor = Some(best);
    while let Some(n) = cursor {
        let node = &nodes[n];
        if node.position == usize::MAX {
            break;
        }
        breaks.push(Break {
            index: node.position,
            ratio: node.ratio,
        });
        cursor = node.previous;
    }
    breaks.reverse();
    Some(breaks)
}

/// The running sums as seen from the first element a line after break `i` will hold.
fn sums_after(elements: &[Element], i: usize, w: f32, y: f32, z: f32) -> (f32, f32, f32) {
    let (mut w, mut y, mut z) = (w, y, z);
    for element in &elements[i..] {
        match *element {
            Element::Box { .. } => break,
            Element::Glue {
                width,
                stretch,
                shrink,
            } => {
                w += width;
                y += stretch;
                z += shrink;
            }
            Element::Penalty { penalty, .. } => {
                if penalty <= -INFINITE_PENALTY && !std::ptr::eq(element, &elements[i]) {
                    break;
                }
            }
        }
    }
    (w, y, z)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words of the given widths separated by stretchable spaces, ending a paragraph.
    fn words(widths: &[f32]) -> Vec<Element> {
        let mut out = Vec::new();
        for (i, &w) in widths.iter().enumerate() {
            if i > 0 {
                out.push(Element::Glue {
                    width: 3.0,
                    stretch: 1.5,
                    shrink: 1.0,
                });
            }
            out.push(Element::Box { width: w });
        }
        finish(&mut out);
        out
    }

    fn finish(out: &mut Vec<Element>) {
        out.push(Element::Penalty {
            width: 0.0,
            penalty: INFINITE_PENALTY,
            flagged: false,
        });
        out.push(Element::Glue {
            width: 0.0,
            stretch: 1e6,
            shrink: 0.0,
        });
        out.push(Element::Penalty {
            width: 0.0,
            penalty: -INFINITE_PENALTY,
            flagged: false,
        });
    }

    /// Natural width, stretch and shrink of the line from `start` to break `end`.
    fn line_sums(elements: &[Element], start: usize, end: usize) -> (f32, f32, f32) {
        let mut sums = (0.0, 0.0, 0.0);
        let mut began = false;
        for element in &elements[start..end] {
            match *element {
                Element::Box { width } => {
                    began = true;
                    sums.0 += width;
                }
                Element::Glue {
                    width,
                    stretch,
                    shrink,
                } if began => {
                    sums.0 += width;
                    sums.1 += stretch;
                    sums.2 += shrink;
                }
                _ => {}
            }
        }
        if let Element::Penalty { width, .. } = elements[end] {
            sums.0 += width;
        }
        sums
    }

    #[test]
    fn no_line_is_overfull_and_last_line_is_ragged() {
        let widths: Vec<f32> = (0..300).map(|i| 10.0 + ((i * 37) % 23) as f32).collect();
        let elements = words(&widths);
        let breaks = break_lines(&elements, 200.0, 200.0, &Tuning::default());
        assert!(breaks.len() > 10);
        let mut start = 0;
        for (n, b) in breaks.iter().enumerate() {
            let (natural, _, shrink) = line_sums(&elements, start, b.index);
            assert!(natural - shrink <= 200.0 + 1e-3, "line {n} overfull");
            assert!(b.ratio >= -1.0);
            start = b.index + 1;
        }
        let last = breaks.last().unwrap();
        assert_eq!(last.index, elements.len() - 1);
        assert!(last.ratio.abs() < 0.01, "last line is set at natural width");
    }

    #[test]
    fn infeasible_paragraph_gets_loose_lines_not_overfull_ones() {
        // Two words that cannot share a line and cannot fill one: only loose lines exist.
        let elements = words(&[60.0, 150.0, 60.0]);
        let breaks = break_lines(&elements, 200.0, 200.0, &Tuning::default());
        assert!(breaks.iter().all(|b| b.ratio >= -1.0));
        assert_eq!(breaks.len(), 3);
    }

    #[test]
    fn hyphen_breaks_are_used_when_they_help_and_rarely_twice_in_a_row() {
        // Long words split in two halves by a flagged penalty.
        let mut elements = Vec::new();
        for i in 0..200 {
            if i > 0 {
                elements.push(Element::Glue {
                    width: 3.0,
                    stretch: 1.5,
                    shrink: 1.0,
                });
            }
            let w = 18.0 + ((i * 13) % 17) as f32;
            elements.push(Element::Box { width: w });
            elements.push(Element::Penalty {
                width: 3.0,
                penalty: 50.0,
                flagged: true,
            });
            elements.push(Element::Box { width: w });
        }
        finish(&mut elements);
        let breaks = break_lines(&elements, 150.0, 150.0, &Tuning::default());
        let hyphenated: Vec<bool> = breaks
            .iter()
            .map(|b| matches!(elements[b.index], Element::Penalty { flagged: true, .. }))
            .collect();
        let count = hyphenated.iter().filter(|h| **h).count();
        assert!(count > 0, "hyphenation is used");
        let doubles = hyphenated.windows(2).filter(|w| w[0] && w[1]).count();
        assert!(doubles * 4 <= count, "{doubles} double hyphens of {count}");
    }
}

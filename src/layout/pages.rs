//! Page building: body lines fill the text block from the top, the notes of the marks they
//! carry fill it from the foot, under a short rule.
//!
//! A page takes lines while the lines and the notes they call still fit: every note called on
//! the page must at least begin there, so the notes before it on the page (and any note
//! continued from the previous page) must be complete. The page then breaks at the last line
//! that allows a break (no orphan, no widow, no heading at the foot). When its last note
//! would have to continue overleaf, the page is laid out again a few lines shorter to keep
//! that note whole (giving up at most a few lines); the attempts are capped.

use std::collections::VecDeque;

use super::blocks::FlowItem;
use super::footnotes::NoteLines;
use super::geometry::Geometry;
use super::paragraph::{Frame, Line};
use super::{Item, Rule};

/// How many shorter layouts are tried to keep a page's last note whole.
const SETTLE_ATTEMPTS: usize = 4;

/// At most this many body lines are given up to keep a page's last note whole; beyond
/// that a gap at the foot of the text looks worse than a note continued overleaf.
const SETTLE_LINES: usize = 3;

/// The body of one page, before furniture.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageBody {
    /// Items in page coordinates.
    pub frame: Frame,
    /// The running head of the part this page belongs to.
    pub running_head: String,
    /// The page opens a part (no running head).
    pub opener: bool,
    /// Notes whose marks are on this page, and notes whose first line is.
    pub marks: Vec<usize>,
    pub notes_begun: Vec<usize>,
}

/// A footnote line waiting for a page: (note index, line index).
type NoteLine = (usize, usize);

/// Fills pages with the flow and its notes.
pub(crate) fn paginate(
    flow: &mut [FlowItem],
    notes: &mut NoteLines,
    geometry: &Geometry,
) -> Vec<PageBody> {
    let mut pages = Vec::new();
    let mut carry: VecDeque<NoteLine> = VecDeque::new();
    let mut running_head = String::new();
    let mut opener = false;
    let mut i = 0;
    loop {
        while let Some(FlowItem::NewPage { running_head: head }) = flow.get(i) {
            running_head = head.clone();
            opener = true;
            i += 1;
        }
        // The lines up to the next part.
        let stop = flow[i..]
            .iter()
            .position(|item| matches!(item, FlowItem::NewPage { .. }))
            .map_or(flow.len(), |p| i + p);
        if i >= stop && carry.is_empty() {
            break;
        }
        let page = Builder {
            flow: &flow[i..stop],
            notes,
            geometry,
        };
        let (count, placed, rest) = page.settle(&carry);
        let marks = page.called(count);
        let separation = page.separation();
        let mut body = compose(
            &mut flow[i..i + count],
            notes,
            &placed,
            geometry,
            separation,
        );
        body.marks = marks;
        body.running_head = running_head.clone();
        body.opener = opener;
        pages.push(body);
        carry = rest;
        opener = false;
        i += count;
    }
    pages
}

struct Builder<'a> {
    /// The lines from the page's first line to the end of its part.
    flow: &'a [FlowItem],
    notes: &'a NoteLines,
    geometry: &'a Geometry,
}

fn as_line(item: &FlowItem) -> (&Line, f32, bool) {
    match item {
        FlowItem::Line {
            line,
            space_before,
            keep_with_next,
            ..
        } => (line, *space_before, *keep_with_next),
        FlowItem::NewPage { .. } => unreachable!("parts are cut at page starts"),
    }
}

impl Builder<'_> {
    fn note_line(&self, (note, line): NoteLine) -> &Line {
        &self.notes[note]
            .as_ref()
            .expect("only set notes are called")[line]
    }

    fn note_len(&self, note: usize) -> usize {
        self.notes[note].as_ref().map_or(0, Vec::len)
    }

    /// Space between the body and the first note line (the rule sits in it).
    fn separation(&self) -> f32 {
        self.geometry.note_leading * 1.2
    }

    /// Height of lines `0..count`, space at the top of the page dropped, with the header
    /// the first line repeats.
    fn body_height(&self, count: usize) -> f32 {
        let header = match self.flow.first() {
            Some(FlowItem::Line {
                repeat: Some(header),
                ..
            }) if count > 0 => header.height,
            _ => 0.0,
        };
        header
            + (0..count)
                .map(|j| {
                    let (line, space, _) = as_line(&self.flow[j]);
                    line.frame.height + if j > 0 { space } else { 0.0 }
                })
                .sum::<f32>()
    }

    /// The notes called by lines `0..count`, in order, each once.
    fn called(&self, count: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for item in &self.flow[..count] {
            for &n in &as_line(item).0.notes {
                if self.notes.get(n).is_some_and(Option::is_some) && !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// The note lines waiting for this page: the carry, then the called notes.
    fn queue(&self, carry: &VecDeque<NoteLine>, called: &[usize]) -> Vec<NoteLine> {
        let mut queue: Vec<NoteLine> = carry.iter().copied().collect();
        for &n in called {
            queue.extend((0..self.note_len(n)).map(|l| (n, l)));
        }
        queue
    }

    /// The least note height lines `0..count` require: everything before the last called
    /// note, and that note's first line.
    fn minimum_notes(&self, carry: &VecDeque<NoteLine>, called: &[usize]) -> f32 {
        let Some(&last) = called.last() else {
            return carry
                .front()
                .map_or(0.0, |&l| self.separation() + self.note_line(l).frame.height);
        };
        let queue = self.queue(carry, called);
        let upto = queue
            .iter()
            .position(|&l| l == (last, 0))
            .map_or(0, |p| p + 1);
        self.separation()
            + queue[..upto]
                .iter()
                .map(|&l| self.note_line(l).frame.height)
                .sum::<f32>()
    }

    /// How many lines fit with the notes they call (at least one).
    fn fitting(&self, carry: &VecDeque<NoteLine>) -> usize {
        let available = self.geometry.body_height + 0.01;
        let mut count = 0;
        while count < self.flow.len() {
            let next = count + 1;
            let need = self.body_height(next) + self.minimum_notes(carry, &self.called(next));
            if need > available && count > 0 {
                break;
            }
            count = next;
        }
        count
    }

    /// Splits the note queue into what fits below `count` lines and what carries over.
    fn fill(
        &self,
        count: usize,
        carry: &VecDeque<NoteLine>,
    ) -> (Vec<NoteLine>, VecDeque<NoteLine>) {
        let queue = self.queue(carry, &self.called(count));
        let mut room = self.geometry.body_height + 0.01 - self.body_height(count);
        if !queue.is_empty() {
            room -= self.separation();
        }
        let mut placed = Vec::new();
        let mut rest = VecDeque::new();
        for l in queue {
            let height = self.note_line(l).frame.height;
            if rest.is_empty() && height <= room {
                room -= height;
                placed.push(l);
            } else {
                rest.push_back(l);
            }
        }
        (placed, rest)
    }

    /// Chooses how many lines the page takes and which note lines go with them.
    fn settle(&self, carry: &VecDeque<NoteLine>) -> (usize, Vec<NoteLine>, VecDeque<NoteLine>) {
        let fits = self.fitting(carry);
        let allowed = |count: usize| count == self.flow.len() || !as_line(&self.flow[count - 1]).2;
        let mut count = (1..=fits).rev().find(|&c| allowed(c)).unwrap_or(fits);
        let (mut placed, mut rest) = self.fill(count, carry);
        let split = |rest: &VecDeque<NoteLine>, called: &[usize]| {
            rest.iter().any(|(n, _)| called.contains(n))
        };
        if split(&rest, &self.called(count)) {
            // Lay out again, a line shorter each time, until the last note is whole.
            let mut shorter = count;
            for _ in 0..SETTLE_ATTEMPTS {
                shorter = match (1..shorter).rev().find(|&c| allowed(c)) {
                    Some(c) if c + SETTLE_LINES >= count => c,
                    _ => break,
                };
                let (p, r) = self.fill(shorter, carry);
                if !split(&r, &self.called(shorter)) {
                    (count, placed, rest) = (shorter, p, r);
                    break;
                }
            }
        }
        (count, placed, rest)
    }
}

/// Places the body lines and the note lines on a page, moving their items out of the flow.
fn compose(
    lines: &mut [FlowItem],
    notes: &mut NoteLines,
    placed: &[NoteLine],
    g: &Geometry,
    separation: f32,
) -> PageBody {
    let mut frame = Frame {
        width: g.width,
        height: g.height,
        items: Vec::new(),
    };
    let mut y = g.top;
    if let Some(FlowItem::Line {
        repeat: Some(header),
        ..
    }) = lines.first()
    {
        frame.place(Frame::clone(header), g.left, y);
        y += header.height;
    }
    for (j, item) in lines.iter_mut().enumerate() {
        let FlowItem::Line {
            line, space_before, ..
        } = item
        else {
            unreachable!("parts are cut at page starts");
        };
        if j > 0 {
            y += *space_before;
        }
        let height = line.frame.height;
        frame.place(std::mem::take(&mut line.frame), g.left, y);
        y += height;
    }
    let note_line = |notes: &mut NoteLines, (n, l): NoteLine| -> Frame {
        std::mem::take(&mut notes[n].as_mut().expect("only set notes are placed")[l].frame)
    };
    let height: f32 = placed
        .iter()
        .map(|&(n, l)| notes[n].as_ref().map_or(0.0, |lines| lines[l].frame.height))
        .sum();
    let mut y = g.bottom() - height;
    if !placed.is_empty() {
        frame.items.push(Item::Rule(Rule {
            x: g.left,
            y: y - separation * 0.55,
            width: g.measure * 0.3,
            thickness: 0.4,
        }));
    }
    for &l in placed {
        let line = note_line(notes, l);
        let height = line.height;
        frame.place(line, g.left, y);
        y += height;
    }
    PageBody {
        frame,
        running_head: String::new(),
        opener: false,
        marks: Vec::new(),
        notes_begun: placed.iter().filter(|l| l.1 == 0).map(|l| l.0).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::geometry::Paper;
    use crate::layout::Destination;

    fn line(name: String, height: f32, notes: Vec<usize>) -> Line {
        Line {
            frame: Frame {
                width: 100.0,
                height,
                items: vec![Item::Destination(Destination {
                    name,
                    x: 0.0,
                    y: 0.0,
                })],
            },
            notes,
        }
    }

    /// The line indices on each page, from the destinations named `l{i}`.
    fn lines_by_page(pages: &[PageBody]) -> Vec<Vec<usize>> {
        pages
            .iter()
            .map(|p| {
                p.frame
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Destination(d) => d.name.strip_prefix('l')?.parse().ok(),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn pages_break_only_where_lines_allow_it() {
        let g = Geometry::new(Paper::A4);
        let keep = |i: usize| i.is_multiple_of(7) || i % 7 == 5;
        let mut flow: Vec<FlowItem> = (0..400)
            .map(|i| FlowItem::Line {
                line: line(format!("l{i}"), g.leading, Vec::new()),
                space_before: 0.0,
                keep_with_next: keep(i),
                repeat: None,
            })
            .collect();
        let pages = paginate(&mut flow, &mut Vec::new(), &g);
        let by_page = lines_by_page(&pages);
        assert!(by_page.len() >= 9);
        let mut next = 0;
        for lines in &by_page {
            assert_eq!(lines.first(), Some(&next), "lines stay in order");
            let last = *lines.last().unwrap();
            assert!(
                last == 399 || !keep(last),
                "page ends after kept line {last}"
            );
            next = last + 1;
        }
    }

    #[test]
    fn notes_start_on_the_page_of_their_marks_and_continue_in_order() {
        let g = Geometry::new(Paper::A5);
        // Every third line calls a note of 1 to 12 lines.
        let mut notes: NoteLines = Vec::new();
        let mut flow = Vec::new();
        for i in 0..300 {
            let called = if i % 3 == 0 {
                let n = notes.len();
                let count = 1 + (i * 5) % 12;
                notes.push(Some(
                    (0..count)
                        .map(|k| line(format!("n{n}-{k}"), g.note_leading, Vec::new()))
                        .collect(),
                ));
                vec![n]
            } else {
                Vec::new()
            };
            flow.push(FlowItem::Line {
                line: line(format!("l{i}"), g.leading, called),
                space_before: 0.0,
                keep_with_next: false,
                repeat: None,
            });
        }
        let count = notes.len();
        let pages = paginate(&mut flow, &mut notes, &g);
        let mut seen = Vec::new();
        for page in &pages {
            for &n in &page.notes_begun {
                assert!(
                    page.marks.contains(&n),
                    "note {n} begins away from its mark"
                );
                seen.push(n);
            }
            // Every line lies inside the text block.
            assert!(page.frame.items.iter().all(|i| match i {
                Item::Destination(d) =>
                    d.y >= g.top - 0.01 && d.y + g.note_leading <= g.bottom() + 0.01,
                _ => true,
            }));
        }
        assert_eq!(
            seen,
            (0..count).collect::<Vec<_>>(),
            "every note once, in order"
        );
    }
}

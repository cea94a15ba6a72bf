//! Page building: body lines fill the text block from the top, the notes of the marks they
//! carry fill it from the foot, under a short rule.
//!
//! A page takes lines while the lines and the notes they call still fit: every note called on
//! the page must at least begin there, so the notes before it on the page (and any note
//! continued from the previous page) must be complete. The page then breaks at the last line
//! that allows a break (no orphan, no widow, no heading at the foot). Its last note may
//! continue overleaf; the page is set a few lines shorter to keep that note whole only when
//! that leaves no more than [`SETTLE_BLANK`] lines empty at the foot of the text (up to a
//! quarter of the page at the end of a part, where the alternative is a page of notes alone).
//! Notes still running at the end of a part are finished before the next part opens.
//!
//! In apparatus mode the foot holds two registers, each under its own rule: the critical
//! apparatus, then the footnotes. Each keeps its notes in order; a page that holds both
//! reserves the space between them wherever it reckons the notes' height.

use std::collections::VecDeque;

use super::blocks::FlowItem;
use super::footnotes::{NoteLines, Register};
use super::geometry::Geometry;
use super::paragraph::{Frame, Line};
use super::{Item, Rule};
use crate::page_list::PageStart;

/// The most empty space (in body lines) a page may leave above its notes to keep its last
/// note whole; beyond that a gap at the foot of the text looks worse than a note continued
/// overleaf.
const SETTLE_BLANK: f32 = 2.0;

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
    /// Where the page begins in the model: the place of its first line that knows one, or
    /// of the next such line of its part; `None` for a page after the part's last such
    /// line (notes continued from the page before).
    pub start: Option<PageStart>,
    /// The line numbers the margin prints (every `design.line-numbers`-th), each with the
    /// top of its line.
    pub line_numbers: Vec<(u32, f32)>,
}

/// A footnote line waiting for a page: (note index, line index).
type NoteLine = (usize, usize);

/// Fills pages with the flow and its notes.
pub(crate) fn paginate(
    flow: &mut Vec<FlowItem>,
    notes: &mut NoteLines,
    geometry: &Geometry,
) -> Vec<PageBody> {
    let mut pages = Vec::new();
    Pager::default().pages(flow, notes, geometry, true, &mut |page| pages.push(page));
    pages
}

/// Pagination that can run while the flow is still growing: a long part (the Points of
/// divergence of a large edition) is paged as its pieces are set, and the lines already
/// paged are dropped, so the part is never held whole.
#[derive(Default)]
pub(crate) struct Pager {
    /// The next page's first line.
    i: usize,
    /// The end of the part being paged: the next `NewPage`, once found.
    stop: Option<usize>,
    /// How far the flow has been searched for that `NewPage`.
    scanned: usize,
    /// The note lines continued from the page before.
    carry: VecDeque<NoteLine>,
    running_head: String,
    opener: bool,
}

impl Pager {
    /// Hands `page` the pages of the flow so far. With `complete`, the flow is whole and
    /// every page is made; otherwise only the pages whose content no later line can change
    /// (the lines after them fill more than two pages), and the lines paged are removed from
    /// `flow`. The pages are the same whether a flow is paged in one call or several.
    pub fn pages(
        &mut self,
        flow: &mut Vec<FlowItem>,
        notes: &mut NoteLines,
        geometry: &Geometry,
        complete: bool,
        page: &mut dyn FnMut(PageBody),
    ) {
        loop {
            if self.stop.is_some_and(|stop| self.i >= stop) && self.carry.is_empty() {
                // The part is done, notes included: open the next one.
                self.stop = None;
            }
            if self.stop.is_none() && self.carry.is_empty() {
                while let Some(FlowItem::NewPage { running_head: head }) = flow.get(self.i) {
                    self.running_head = head.clone();
                    self.opener = true;
                    self.i += 1;
                }
                self.scanned = self.scanned.max(self.i);
            }
            if self.stop.is_none() {
                let found = flow[self.scanned..]
                    .iter()
                    .position(|item| matches!(item, FlowItem::NewPage { .. }));
                match found {
                    Some(p) => self.stop = Some(self.scanned + p),
                    None => self.scanned = flow.len(),
                }
            }
            let stop = self.stop.unwrap_or(flow.len());
            if self.i >= stop && self.carry.is_empty() {
                break;
            }
            if self.stop.is_none() && !complete && !decided(&flow[self.i..stop], geometry) {
                break;
            }
            let i = self.i;
            let builder = Builder {
                flow: &flow[i..stop],
                notes,
                geometry,
            };
            let settled = builder.settle(&self.carry);
            let marks = builder.called(settled.count);
            let separation = builder.separation();
            let start = flow[i..stop].iter().find_map(|item| match item {
                FlowItem::Line { at, .. } => at.clone(),
                FlowItem::NewPage { .. } => None,
            });
            let mut body = compose(
                &mut flow[i..i + settled.count],
                notes,
                &settled.placed,
                geometry,
                separation,
            );
            body.marks = marks;
            body.start = start;
            body.running_head = self.running_head.clone();
            body.opener = self.opener;
            page(body);
            self.carry = settled.rest;
            self.opener = false;
            self.i += settled.count;
        }
        if !complete && self.i > 0 {
            flow.drain(..self.i);
            self.stop = self.stop.map(|stop| stop - self.i);
            self.scanned = self.scanned.saturating_sub(self.i);
            self.i = 0;
        }
    }
}

/// Whether the page beginning `lines` (the rest of its part so far, which more lines may
/// follow) is the same whatever follows: the lines fill more than two pages, so the page
/// ends among them, and one of them knows where it begins in the model.
fn decided(lines: &[FlowItem], geometry: &Geometry) -> bool {
    let mut height = 0.0;
    let mut knows = false;
    for item in lines {
        if let FlowItem::Line { line, at, .. } = item {
            height += line.frame.height;
            knows |= at.is_some();
            if knows && height > 2.0 * (geometry.body_height + 0.01) {
                return true;
            }
        }
    }
    false
}

struct Builder<'a> {
    /// The lines from the page's first line to the end of its part.
    flow: &'a [FlowItem],
    notes: &'a NoteLines,
    geometry: &'a Geometry,
}

/// A page's choice: how many lines it takes, the note lines it places, the note lines that
/// go overleaf, and the height left empty between them.
struct Settled {
    count: usize,
    placed: Vec<NoteLine>,
    rest: VecDeque<NoteLine>,
    blank: f32,
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
        &self.notes[note][line]
    }

    fn note_height(&self, note: usize) -> f32 {
        self.notes[note].iter().map(|l| l.frame.height).sum()
    }

    /// Space between the body and the first note line (the rule sits in it), and between
    /// the two registers.
    fn separation(&self) -> f32 {
        self.geometry.note_leading * 1.2
    }

    /// The space between the registers, when `notes` (carried and called) fill both.
    fn register_gap(&self, notes: impl IntoIterator<Item = usize>) -> f32 {
        let mut seen = [false; 2];
        for n in notes {
            seen[self.notes.register(n) as usize] = true;
        }
        if seen == [true, true] {
            self.separation()
        } else {
            0.0
        }
    }

    fn available(&self) -> f32 {
        self.geometry.body_height + 0.01
    }

    /// The height of the table header the first line repeats, if any.
    fn header_height(&self) -> f32 {
        match self.flow.first() {
            Some(FlowItem::Line {
                repeat: Some(header),
                ..
            }) => header.height,
            _ => 0.0,
        }
    }

    /// Height of line `j` where it stands on the page (space at the top of a page dropped).
    fn line_height(&self, j: usize) -> f32 {
        let (line, space, _) = as_line(&self.flow[j]);
        line.frame.height + if j > 0 { space } else { 0.0 }
    }

    /// Height of lines `0..count`, with the header the first line repeats.
    fn body_height(&self, count: usize) -> f32 {
        if count == 0 {
            return 0.0;
        }
        self.header_height() + (0..count).map(|j| self.line_height(j)).sum::<f32>()
    }

    /// The notes called by lines `0..count`, in order, each once.
    fn called(&self, count: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for item in &self.flow[..count] {
            for &n in &as_line(item).0.notes {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// How many lines fit with the least note height they require: the carried notes and
    /// every called note complete, except the last called note, of which one line is
    /// enough (with no note called, one carried line is enough). At least one line, unless
    /// the carried notes leave no room to begin the notes the first line calls: then the
    /// page holds notes only.
    fn fitting(&self, carry: &VecDeque<NoteLine>) -> usize {
        let available = self.available();
        let carried: f32 = carry.iter().map(|&l| self.note_line(l).frame.height).sum();
        let carried_first = carry
            .front()
            .map_or(0.0, |&l| self.separation() + self.note_line(l).frame.height);
        let mut body = self.header_height();
        let mut called: Vec<usize> = Vec::new();
        // Full heights of the called notes before the last one, and the last one's.
        let (mut complete, mut last_full, mut last_first) = (0.0f32, 0.0f32, 0.0f32);
        let mut count = 0;
        while count < self.flow.len() {
            body += self.line_height(count);
            for &n in &as_line(&self.flow[count]).0.notes {
                if called.contains(&n) {
                    continue;
                }
                called.push(n);
                complete += last_full;
                last_full = self.note_height(n);
                last_first = self.notes[n].first().map_or(0.0, |l| l.frame.height);
            }
            let notes = if called.is_empty() {
                carried_first
            } else {
                let gap =
                    self.register_gap(carry.iter().map(|l| l.0).chain(called.iter().copied()));
                self.separation() + gap + carried + complete + last_first
            };
            if body + notes > available {
                if count == 0 && !called.is_empty() && !carry.is_empty() {
                    return 0;
                }
                if count > 0 {
                    break;
                }
            }
            count += 1;
        }
        count
    }

    /// Lines `0..count` with as many note lines as fit below them, in order.
    fn fill(&self, count: usize, carry: &VecDeque<NoteLine>) -> Settled {
        let mut queue: Vec<NoteLine> = carry.iter().copied().collect();
        for n in self.called(count) {
            queue.extend((0..self.notes[n].len()).map(|l| (n, l)));
        }
        let mut room = self.available() - self.body_height(count);
        if !queue.is_empty() {
            room -= self.separation() + self.register_gap(queue.iter().map(|l| l.0));
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
        Settled {
            count,
            placed,
            rest,
            blank: room.max(0.0),
        }
    }

    /// Whether a note called on the page continues overleaf.
    fn splits_a_note(&self, settled: &Settled) -> bool {
        let called = self.called(settled.count);
        settled.rest.iter().any(|(n, _)| called.contains(n))
    }

    /// Chooses how many lines the page takes and which note lines go with them.
    fn settle(&self, carry: &VecDeque<NoteLine>) -> Settled {
        let fits = self.fitting(carry);
        if fits == 0 {
            return self.fill(0, carry);
        }
        let allowed = |count: usize| count == self.flow.len() || !as_line(&self.flow[count - 1]).2;
        let count = (1..=fits).rev().find(|&c| allowed(c)).unwrap_or(fits);
        let full = self.fill(count, carry);
        if !self.splits_a_note(&full) {
            return full;
        }
        // Shorter pages keep the last note whole if they leave little enough empty. At the
        // end of a part the alternative is a page of notes alone, so more may be given up.
        let limit = if count == self.flow.len() {
            self.geometry.body_height / 4.0
        } else {
            SETTLE_BLANK * self.geometry.leading
        };
        let height = self.body_height(count);
        for shorter in (1..count).rev().filter(|&c| allowed(c)) {
            if height - self.body_height(shorter) > limit {
                break;
            }
            let settled = self.fill(shorter, carry);
            if !self.splits_a_note(&settled) {
                if settled.blank <= limit {
                    return settled;
                }
                break;
            }
        }
        full
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
    let mut line_numbers = Vec::new();
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
        if let (Some(n), Some(step)) = (line.number, g.line_numbers) {
            if n.is_multiple_of(step) {
                line_numbers.push((n, y));
            }
        }
        frame.place(std::mem::take(&mut line.frame), g.left, y);
        y += height;
    }
    let note_line = |notes: &mut NoteLines, (n, l): NoteLine| -> Frame {
        std::mem::take(&mut notes[n][l].frame)
    };
    // The registers from the foot up: the footnotes at the foot, the apparatus above them,
    // each under its rule.
    let mut registers: Vec<(Register, Vec<NoteLine>)> = Vec::new();
    for &l in placed {
        let register = notes.register(l.0);
        match registers.iter_mut().find(|(r, _)| *r == register) {
            Some((_, lines)) => lines.push(l),
            None => registers.push((register, vec![l])),
        }
    }
    registers.sort_by_key(|(r, _)| *r);
    let mut bottom = g.bottom();
    for (_, lines) in registers.iter().rev() {
        let height: f32 = lines.iter().map(|&(n, l)| notes[n][l].frame.height).sum();
        let mut y = bottom - height;
        frame.items.push(Item::Rule(Rule {
            x: g.left,
            y: y - separation * 0.55,
            width: g.measure * 0.3,
            thickness: 0.4,
            tag: super::Tag::Artifact,
        }));
        bottom = y - separation;
        for &l in lines {
            let line = note_line(notes, l);
            let height = line.height;
            frame.place(line, g.left, y);
            y += height;
        }
    }
    PageBody {
        frame,
        running_head: String::new(),
        opener: false,
        marks: Vec::new(),
        notes_begun: placed.iter().filter(|l| l.1 == 0).map(|l| l.0).collect(),
        start: None,
        line_numbers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::geometry::Paper;
    use crate::layout::Destination;
    use crate::page_list::PageStart;

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
            ..Line::default()
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
                at: None,
            })
            .collect();
        let pages = paginate(&mut flow, &mut NoteLines::default(), &g);
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
        let mut notes: Vec<Vec<Line>> = Vec::new();
        let mut flow = Vec::new();
        for i in 0..300 {
            let called = if i % 3 == 0 {
                let n = notes.len();
                let count = 1 + (i * 5) % 12;
                notes.push(
                    (0..count)
                        .map(|k| line(format!("n{n}-{k}"), g.note_leading, Vec::new()))
                        .collect(),
                );
                vec![n]
            } else {
                Vec::new()
            };
            flow.push(FlowItem::Line {
                line: line(format!("l{i}"), g.leading, called),
                space_before: 0.0,
                keep_with_next: false,
                repeat: None,
                at: None,
            });
        }
        let count = notes.len();
        let pages = paginate(&mut flow, &mut NoteLines::footnotes(0, notes), &g);
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

    /// The `y` of the destinations named `{prefix}…` on a page.
    fn tops(page: &PageBody, prefix: char) -> Vec<f32> {
        page.frame
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Destination(d) if d.name.starts_with(prefix) => Some(d.y),
                _ => None,
            })
            .collect()
    }

    fn plain_line(i: usize, height: f32, notes: Vec<usize>) -> FlowItem {
        FlowItem::Line {
            line: line(format!("l{i}"), height, notes),
            space_before: 0.0,
            keep_with_next: false,
            repeat: None,
            at: None,
        }
    }

    fn note(n: usize, count: usize, g: &Geometry) -> Vec<Line> {
        (0..count)
            .map(|k| line(format!("n{n}-{k}"), g.note_leading, Vec::new()))
            .collect()
    }

    /// A flow of several parts with notes, keeps, lines of several heights and lines that
    /// know where they begin only now and then.
    fn varied_flow(g: &Geometry) -> (Vec<FlowItem>, Vec<Vec<Line>>) {
        let mut notes: Vec<Vec<Line>> = Vec::new();
        let mut flow = Vec::new();
        for i in 0..900 {
            if i == 0 || i == 350 || i == 351 || i == 700 {
                flow.push(FlowItem::NewPage {
                    running_head: format!("Part {i}"),
                });
            }
            let called = if i % 11 == 3 {
                notes.push(note(notes.len(), 1 + (i * 5) % 23, g));
                vec![notes.len() - 1]
            } else {
                Vec::new()
            };
            let height = g.leading * [1.0, 1.0, 2.5, 1.0, 4.0][i % 5];
            flow.push(FlowItem::Line {
                line: line(format!("l{i}"), height, called),
                space_before: if i % 13 == 0 { g.leading / 2.0 } else { 0.0 },
                keep_with_next: i % 7 == 2,
                repeat: None,
                // Long stretches (lines 400 to 599) know nothing.
                at: (i % 3 == 0 && !(400..600).contains(&i)).then_some(PageStart::Text {
                    section: 0,
                    block: i,
                    word: 0,
                }),
            });
        }
        (flow, notes)
    }

    #[test]
    fn a_flow_paged_as_it_grows_gives_the_pages_it_gives_whole() {
        let g = Geometry::new(Paper::A5);
        let (mut whole, notes) = varied_flow(&g);
        let expected = paginate(&mut whole, &mut NoteLines::footnotes(0, notes.clone()), &g);
        assert!(expected.len() > 40);
        for piece in [1, 7, 60, 333] {
            let (lines, _) = varied_flow(&g);
            let mut notes = NoteLines::footnotes(0, notes.clone());
            let (mut pager, mut flow, mut pages) = (Pager::default(), Vec::new(), Vec::new());
            let mut held = 0;
            let mut lines = lines.into_iter().peekable();
            while lines.peek().is_some() {
                flow.extend(lines.by_ref().take(piece));
                let complete = lines.peek().is_none();
                pager.pages(&mut flow, &mut notes, &g, complete, &mut |p| pages.push(p));
                held = held.max(flow.len());
            }
            assert_eq!(pages, expected, "paged {piece} lines at a time");
            if piece < 60 {
                // Only the stretch without places, and a few pages' lines, wait.
                assert!(held < 300, "{held} lines held at {piece} a time");
            }
        }
    }

    #[test]
    fn a_page_continues_its_last_note_rather_than_leave_its_foot_empty() {
        let g = Geometry::new(Paper::A4);
        // Every fifth line calls a note of 2 to 16 lines.
        let mut notes: Vec<Vec<Line>> = Vec::new();
        let mut flow = Vec::new();
        for i in 0..400 {
            let called = if i % 5 == 4 {
                notes.push(note(notes.len(), 2 + (i * 7) % 15, &g));
                vec![notes.len() - 1]
            } else {
                Vec::new()
            };
            flow.push(plain_line(i, g.leading, called));
        }
        let pages = paginate(&mut flow, &mut NoteLines::footnotes(0, notes), &g);
        assert!(pages.len() > 10);
        let separation = g.note_leading * 1.2;
        let mut continued = 0;
        for (p, page) in pages.iter().enumerate().rev().skip(1) {
            let (body, notes) = (tops(page, 'l'), tops(page, 'n'));
            let body_end = body.iter().fold(g.top, |a, &b| a.max(b + g.leading));
            let notes_top = notes.iter().fold(g.bottom(), |a, &b| a.min(b));
            let blank = notes_top - separation - body_end;
            assert!(
                blank <= 2.0 * g.leading + 0.01,
                "page {p} leaves {blank} pt empty above its notes"
            );
            let next_first_note = tops(&pages[p + 1], 'n').len() > pages[p + 1].notes_begun.len();
            continued += usize::from(next_first_note);
        }
        assert!(continued > 0, "some notes continue overleaf");
    }

    #[test]
    fn notes_longer_than_a_page_run_on_pages_of_their_own_and_end_with_their_part() {
        let g = Geometry::new(Paper::A5);
        let lines = vec![note(0, 120, &g), note(1, 3, &g), note(2, 2, &g)];
        let mut notes = NoteLines::footnotes(0, lines);
        let mut flow = vec![
            plain_line(0, g.leading, vec![0]),
            plain_line(1, g.leading, vec![1]),
            FlowItem::NewPage {
                running_head: "Next".into(),
            },
            plain_line(2, g.leading, vec![2]),
        ];
        let pages = paginate(&mut flow, &mut notes, &g);
        let page_of = |name: &str| {
            pages
                .iter()
                .position(|p| {
                    p.frame
                        .items
                        .iter()
                        .any(|i| matches!(i, Item::Destination(d) if d.name == name))
                })
                .unwrap()
        };
        assert_eq!(page_of("l0"), page_of("n0-0"));
        // Line 1 waits for the long note to end, on a page where its own note begins.
        assert!(page_of("l1") > page_of("l0") + 1);
        assert_eq!(page_of("l1"), page_of("n1-0"));
        assert!(page_of("n0-119") <= page_of("l1"));
        // The next part opens on a page of its own, after every note of the first.
        assert!(page_of("l2") > page_of("n1-2"));
        assert!(pages[page_of("l2")].opener);
        for page in &pages {
            for &n in &page.notes_begun {
                assert!(
                    page.marks.contains(&n),
                    "note {n} begins away from its mark"
                );
            }
        }
    }
}

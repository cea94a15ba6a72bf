//! Shaping words with harfrust (kerning, ligatures), per-character font fallback, and a cache
//! of shaped words so each distinct word is shaped once per face.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use harfrust::{Buffer, Direction, Script, ShapeOptions, ShapePlan};

use super::fonts::{FontBook, FontId};
use super::hyphenate::{word_breaks, Lang, WordBreak};

/// One glyph of a shaped word. Lengths are in ems of the font size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ShapedGlyph {
    pub font: FontId,
    pub id: u16,
    pub advance: f32,
    pub dx: f32,
    pub dy: f32,
    /// Byte offset in the word's text of the cluster this glyph belongs to.
    pub cluster: u32,
}

/// A word shaped in one style: glyphs in visual order, their text and total advance (ems).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shaped {
    pub text: Arc<str>,
    pub glyphs: Vec<ShapedGlyph>,
    pub width: f32,
}

impl Shaped {
    /// Whether the glyph sequence can be cut at byte `at` (no glyph spans it).
    pub fn can_cut_at(&self, at: u32) -> bool {
        self.glyphs.iter().any(|g| g.cluster == at)
    }

    /// Whether glyphs `range` come in right-to-left order (clusters falling): a word
    /// shaped right to left, whose pieces cannot be cut in logical order.
    pub fn is_right_to_left(&self, range: std::ops::Range<usize>) -> bool {
        self.glyphs[range]
            .windows(2)
            .any(|g| g[1].cluster < g[0].cluster)
    }

    /// The byte end of the cluster of glyph `i` (the next larger cluster, or the text end).
    pub fn cluster_end(&self, i: usize) -> u32 {
        let c = self.glyphs[i].cluster;
        self.glyphs
            .iter()
            .map(|g| g.cluster)
            .filter(|&k| k > c)
            .min()
            .unwrap_or(self.text.len() as u32)
    }
}

/// FNV-1a: the caches hash many short words, where SipHash's setup dominates. Lookups
/// only; nothing is written in hash order.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// Shapes text with caching. Errors carry the first character no bundled face covers.
pub(crate) struct Shaper<'a> {
    pub book: &'a FontBook,
    /// Shaped words by text, then by primary face.
    cache: FastMap<Arc<str>, Vec<(FontId, Arc<Shaped>)>>,
    /// Compiled shaping plans by face and segment properties (compiling one is costly).
    plans: Vec<(FontId, Direction, Option<Script>, ShapePlan)>,
    /// Hyphenation points by word, in the language `breaks_lang`.
    breaks: FastMap<Arc<str>, Arc<[WordBreak]>>,
    breaks_lang: Option<Lang>,
    buffer: Option<Buffer>,
}

impl<'a> Shaper<'a> {
    pub fn new(book: &'a FontBook) -> Shaper<'a> {
        Shaper {
            book,
            cache: FastMap::default(),
            plans: Vec::new(),
            breaks: FastMap::default(),
            breaks_lang: None,
            buffer: Some(Buffer::new()),
        }
    }

    /// Shapes `text` (no spaces expected) in the face `primary`, falling back per character.
    pub fn shape(&mut self, text: &str, primary: FontId) -> Result<Arc<Shaped>, char> {
        if let Some(hit) = self
            .cache
            .get(text)
            .and_then(|faces| faces.iter().find(|(f, _)| *f == primary))
        {
            return Ok(hit.1.clone());
        }
        let mut glyphs = Vec::new();
        let rtl = is_right_to_left_word(text);
        for (start, end, font) in self.font_runs(text, primary)? {
            if rtl {
                // Runs of another face in a right-to-left word (its final full stop, say)
                // stand to the left of what precedes them.
                let mut run = Vec::new();
                self.shape_run(&text[start..end], start as u32, font, rtl, &mut run);
                glyphs.splice(0..0, run);
            } else {
                self.shape_run(&text[start..end], start as u32, font, rtl, &mut glyphs);
            }
        }
        let width = glyphs.iter().map(|g| g.advance).sum();
        let key: Arc<str> = Arc::from(text);
        let shaped = Arc::new(Shaped {
            text: key.clone(),
            glyphs,
            width,
        });
        self.cache
            .entry(key)
            .or_default()
            .push((primary, shaped.clone()));
        Ok(shaped)
    }

    /// Where `word` may break (cached).
    pub fn word_breaks(&mut self, word: &str, lang: Lang) -> Arc<[WordBreak]> {
        if self.breaks_lang != Some(lang) {
            self.breaks.clear();
            self.breaks_lang = Some(lang);
        }
        if let Some(hit) = self.breaks.get(word) {
            return hit.clone();
        }
        let breaks: Arc<[WordBreak]> = word_breaks(word, lang).into();
        self.breaks.insert(Arc::from(word), breaks.clone());
        breaks
    }

    /// Splits text into maximal runs drawn by one face: `(start, end, face)`.
    fn font_runs(&self, text: &str, primary: FontId) -> Result<Vec<(usize, usize, FontId)>, char> {
        let mut runs: Vec<(usize, usize, FontId)> = Vec::new();
        for (i, c) in text.char_indices() {
            let font = if is_mark(c) || is_joiner(c) {
                // Combining marks stay with their base character's face, and joiners with
                // the letters they join or keep apart.
                runs.last().map(|r| r.2).unwrap_or(primary)
            } else {
                self.book.resolve(primary, c).ok_or(c)?
            };
            match runs.last_mut() {
                Some(run) if run.2 == font => run.1 = i + c.len_utf8(),
                _ => runs.push((i, i + c.len_utf8(), font)),
            }
        }
        Ok(runs)
    }

    fn shape_run(
        &mut self,
        text: &str,
        offset: u32,
        font: FontId,
        rtl: bool,
        out: &mut Vec<ShapedGlyph>,
    ) {
        let face = self.book.face(font);
        let shaper = face.shaper();
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.clear();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        if rtl {
            // The whole word runs right to left, its neutral characters (mirrored
            // brackets) included.
            buffer.set_direction(Direction::RightToLeft);
        }
        let em = face.units_per_em as f32;
        let (direction, script) = (buffer.direction(), buffer.script());
        let plan = match self
            .plans
            .iter()
            .position(|p| p.0 == font && p.1 == direction && p.2 == script)
        {
            Some(i) => i,
            None => {
                let plan = ShapePlan::new(&face.font, direction, script, None, &[]);
                self.plans.push((font, direction, script, plan));
                self.plans.len() - 1
            }
        };
        let options = ShapeOptions::new().plan(Some(&self.plans[plan].3));
        match harfrust::shape(&shaper, &mut buffer, options) {
            Ok(()) => {
                for (info, pos) in buffer.glyph_infos().iter().zip(buffer.glyph_positions()) {
                    out.push(ShapedGlyph {
                        font,
                        id: info.glyph_id as u16,
                        advance: pos.x_advance as f32 / em,
                        dx: pos.x_offset as f32 / em,
                        dy: pos.y_offset as f32 / em,
                        cluster: offset + info.cluster,
                    });
                }
            }
            Err(_) => {
                // Shaping refused the run (malformed tables): set nominal glyphs.
                for (i, c) in text.char_indices() {
                    let id = shaper
                        .nominal_glyph(c as u32)
                        .map(|g| g.to_u32())
                        .unwrap_or(0);
                    out.push(ShapedGlyph {
                        font,
                        id: id as u16,
                        advance: face.advance(id as u16) as f32 / em,
                        dx: 0.0,
                        dy: 0.0,
                        cluster: offset + i as u32,
                    });
                }
            }
        }
        self.buffer = Some(buffer);
    }
}

/// Shapers for threads that set text side by side: each takes one while it works, so every
/// cache stays warm across tasks and is never shared. Which shaper sets a task does not
/// change the result.
pub(crate) struct ShaperPool<'a> {
    book: &'a FontBook,
    idle: std::sync::Mutex<Vec<Shaper<'a>>>,
}

impl<'a> ShaperPool<'a> {
    pub fn new(book: &'a FontBook) -> ShaperPool<'a> {
        ShaperPool {
            book,
            idle: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` with an idle shaper (a new one when none is idle).
    pub fn with<R>(&self, f: impl FnOnce(&mut Shaper<'a>) -> R) -> R {
        let idle = self
            .idle
            .lock()
            .expect("no thread panics holding the pool")
            .pop();
        let mut shaper = idle.unwrap_or_else(|| Shaper::new(self.book));
        let result = f(&mut shaper);
        self.idle
            .lock()
            .expect("no thread panics holding the pool")
            .push(shaper);
        result
    }
}

/// Whether a word is written right to left: its first strong character is (Unicode bidi
/// classes R and AL).
fn is_right_to_left_word(word: &str) -> bool {
    use unicode_bidi::BidiClass::{AL, L, R};
    word.chars()
        .map(unicode_bidi::bidi_class)
        .find(|class| matches!(class, L | R | AL))
        .is_some_and(|class| class != L)
}

/// The zero-width non-joiner and joiner (Persian writes the first inside words).
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// Combining marks (general category M*) in the blocks the texts use.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

#[cfg(test)]
mod tests {
    use super::super::fonts::{
        tests::{book, FALLBACK},
        REGULAR,
    };
    use super::*;

    #[test]
    fn ligatures_and_kerning_are_applied() {
        let book = book();
        let mut shaper = Shaper::new(&book);
        let fi = shaper.shape("office", REGULAR).unwrap();
        assert!(fi.glyphs.len() < 6, "ffi ligature: {:?}", fi.glyphs);
        assert!(!fi.can_cut_at(2), "no cut inside the ligature");
        let av = shaper.shape("AV", REGULAR).unwrap();
        let a = shaper.shape("A", REGULAR).unwrap();
        let v = shaper.shape("V", REGULAR).unwrap();
        assert!(av.width < a.width + v.width, "kerning tightens AV");
    }

    #[test]
    fn missing_glyphs_fall_back_and_uncovered_characters_are_reported() {
        let book = book();
        let mut shaper = Shaper::new(&book);
        let shaped = shaper.shape("a█b", REGULAR).unwrap();
        let fonts: Vec<FontId> = shaped.glyphs.iter().map(|g| g.font).collect();
        assert_eq!(fonts, vec![REGULAR, FALLBACK, REGULAR]);
        assert!(shaped.glyphs.iter().all(|g| g.id != 0));
        assert_eq!(shaper.shape("x\u{1F600}", REGULAR), Err('\u{1F600}'));
    }
}

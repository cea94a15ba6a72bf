//! Exact anchoring: normalised text with a map back to raw offsets, occurrence search with
//! `before`/`after` context and word boundaries, and the closest passage for a failed anchor.
//!
//! Normalisation is Unicode NFC, every run of white space folded to one space, and curly and
//! straight quotes and apostrophes treated alike. Nothing fuzzier is ever used to attach a
//! note; edit distance only suggests where the editor may have meant.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// Text after normalisation, with the raw offset behind each normalised byte.
#[derive(Debug, Clone, Default)]
pub struct NormText {
    pub text: String,
    /// For each byte of `text`, the raw byte offset where its character's source begins.
    raw_start: Vec<u32>,
    raw_len: usize,
}

impl NormText {
    /// Normalises `raw`, keeping the map from normalised to raw offsets.
    pub fn new(raw: &str) -> NormText {
        let mut out = NormText {
            text: String::with_capacity(raw.len()),
            raw_start: Vec::with_capacity(raw.len()),
            raw_len: raw.len(),
        };
        let mut chars = raw.char_indices().peekable();
        let mut cluster = String::new();
        while let Some((start, c)) = chars.next() {
            let mark_follows = chars
                .peek()
                .is_some_and(|&(_, n)| !n.is_ascii() && canonical_combining_class(n) != 0);
            if c.is_ascii() && !mark_follows {
                out.push(fold(c), start);
                continue;
            }
            // A base character and its combining marks are normalised together.
            cluster.clear();
            cluster.push(c);
            while let Some(&(_, next)) = chars.peek() {
                if next.is_ascii() || canonical_combining_class(next) == 0 {
                    break;
                }
                cluster.push(next);
                chars.next();
            }
            for n in cluster.nfc() {
                out.push(fold(n), start);
            }
        }
        out
    }

    fn push(&mut self, c: char, raw_start: usize) {
        if c == ' ' && (self.text.is_empty() || self.text.ends_with(' ')) {
            return;
        }
        let at = u32::try_from(raw_start).unwrap_or(u32::MAX);
        self.raw_start.extend(std::iter::repeat_n(at, c.len_utf8()));
        self.text.push(c);
    }

    /// The raw byte range behind the normalised range `start..end` (`start < end`).
    pub fn raw_range(&self, start: usize, end: usize) -> (usize, usize) {
        let Some(&first) = self.raw_start.get(start) else {
            return (self.raw_len, self.raw_len);
        };
        let last = self.raw_start[end.clamp(start + 1, self.raw_start.len()) - 1];
        // The raw text behind the last character runs up to where the next one's begins.
        let raw_end = self.raw_start[end.min(self.raw_start.len())..]
            .iter()
            .find(|&&s| s > last)
            .map_or(self.raw_len, |&s| s as usize);
        (first as usize, raw_end)
    }
}

/// The normalised form of a single character (white space and quotes folded).
fn fold(c: char) -> char {
    match c {
        c if c.is_whitespace() => ' ',
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        c => c,
    }
}

/// Normalises a piece of YAML text the same way as the witness text, trimmed.
pub fn normalize(text: &str) -> String {
    NormText::new(text.trim()).text.trim().to_owned()
}

/// Where an anchor occurs in a normalised text, as normalised byte ranges. `blocks` holds the
/// start offsets of the blocks the text is made of (ascending, the first `0`); an occurrence
/// and its `before`/`after` context must lie within one block.
pub fn occurrences(
    hay: &str,
    blocks: &[usize],
    anchor: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    if anchor.is_empty() {
        return found;
    }
    let finder = memchr::memmem::Finder::new(anchor.as_bytes());
    let mut from = 0;
    while let Some(i) = finder.find(&hay.as_bytes()[from..]) {
        let start = from + i;
        let end = start + anchor.len();
        let b = blocks.partition_point(|&s| s <= start).saturating_sub(1);
        let block_start = blocks.get(b).copied().unwrap_or(0).min(start);
        let block_end = blocks.get(b + 1).copied().unwrap_or(hay.len()).max(end);
        let block = &hay[block_start..block_end];
        let (start_in, end_in) = (start - block_start, end - block_start);
        if at_word_boundaries(block, start_in, end_in, anchor)
            && before.is_none_or(|b| block[..start_in].trim_end().ends_with(b))
            && after.is_none_or(|a| block[end_in..].trim_start().starts_with(a))
        {
            found.push((start, end));
        }
        from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
    }
    found
}

/// An anchor that begins (ends) with a letter or digit must not begin (end) inside a word:
/// `198` never anchors in `1988`.
fn at_word_boundaries(hay: &str, start: usize, end: usize, anchor: &str) -> bool {
    let word = |c: char| c.is_alphanumeric();
    let starts_word = anchor.chars().next().is_some_and(word);
    let ends_word = anchor.chars().next_back().is_some_and(word);
    let before_ok = !starts_word || !hay[..start].chars().next_back().is_some_and(word);
    let after_ok = !ends_word || !hay[end..].chars().next().is_some_and(word);
    before_ok && after_ok
}

/// The passage of `hay` closest to `needle` by edit distance (free start and end in `hay`):
/// `(distance, start, end)` as normalised byte offsets. Long needles are compared by their
/// first 200 characters.
pub fn closest(hay: &str, needle: &str) -> Option<(usize, usize, usize)> {
    let needle: Vec<char> = needle.chars().take(200).collect();
    if needle.is_empty() || hay.is_empty() {
        return None;
    }
    let hay_chars: Vec<(usize, char)> = hay.char_indices().collect();
    // cost[i] = best distance of needle[..i] ending at the current hay position, with start.
    let mut prev: Vec<(usize, usize)> = (0..=needle.len()).map(|i| (i, 0)).collect();
    let mut best: Option<(usize, usize, usize)> = None;
    for (j, &(offset, hc)) in hay_chars.iter().enumerate() {
        let mut cur = vec![(0, j + 1); needle.len() + 1];
        for i in 1..=needle.len() {
            let sub = (
                prev[i - 1].0 + usize::from(needle[i - 1] != hc),
                prev[i - 1].1,
            );
            let del = (prev[i].0 + 1, prev[i].1);
            let ins = (cur[i - 1].0 + 1, cur[i - 1].1);
            cur[i] = sub.min(del).min(ins);
        }
        let (d, start_char) = cur[needle.len()];
        let end = offset + hc.len_utf8();
        let start = hay_chars.get(start_char).map_or(hay.len(), |c| c.0);
        if best.is_none_or(|b| d <= b.0) {
            best = Some((d, start, end));
        }
        prev = cur;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_whitespace_and_nfd_fold() {
        let t = NormText::new("He said:\n  \u{201C}Iran\u{2019}s  caf\u{0065}\u{0301}\u{201D}");
        assert_eq!(t.text, "He said: \"Iran's café\"");
        assert_eq!(normalize(" Iran's cafe\u{301} "), "Iran's café");
    }

    #[test]
    fn raw_range_maps_back_through_folding() {
        let raw = "a  b\u{2019}s cafe\u{301} end";
        let t = NormText::new(raw);
        let start = t.text.find("café").unwrap();
        let (rs, re) = t.raw_range(start, start + "café".len());
        assert_eq!(&raw[rs..re], "cafe\u{301}");
    }

    #[test]
    fn word_boundaries_and_context() {
        let hay = "In 1988 and 19888, in 1988 again";
        assert_eq!(occurrences(hay, &[0], "1988", None, None).len(), 2);
        assert_eq!(occurrences(hay, &[0], "198", None, None).len(), 0);
        let with_context = occurrences(hay, &[0], "1988", Some("in"), Some("again"));
        assert_eq!(with_context, vec![(22, 26)]);
        assert_eq!(occurrences(hay, &[0], ", in", None, None).len(), 1);
        // Context never reaches into the next block.
        let two = "ends in 1988\nagain 1988";
        assert_eq!(
            occurrences(two, &[0, 13], "1988", None, Some("again")).len(),
            0
        );
        assert_eq!(
            occurrences(two, &[0, 13], "1988", Some("again"), None),
            vec![(19, 23)]
        );
    }

    #[test]
    fn closest_finds_a_near_miss() {
        let hay = "On January 1, 1988, just a year and a half before";
        let (d, s, e) = closest(hay, "On January 1, 1989").unwrap();
        assert_eq!(d, 1);
        assert_eq!(&hay[s..e], "On January 1, 1988");
    }
}

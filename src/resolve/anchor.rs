//! Exact anchoring: normalised text with a map back to raw offsets, occurrence search with
//! `before`/`after` context and word boundaries, and the closest passage for a failed anchor.
//!
//! Normalisation is Unicode NFC, every run of white space folded to one space, and curly and
//! straight quotes and apostrophes treated alike. Nothing fuzzier is ever used to attach a
//! note; edit distance only suggests where the editor may have meant.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

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
        let mut at = 0;
        while at < raw.len() {
            // Most of a text is words of printable ASCII and single spaces, which normalise to
            // themselves: copied a run at a time.
            let run = plain_ascii_run(raw, at);
            if run > 0 {
                out.text.push_str(&raw[at..at + run]);
                out.raw_start
                    .extend((at..at + run).map(|i| u32::try_from(i).unwrap_or(u32::MAX)));
                at += run;
                continue;
            }
            let start = at;
            let c = raw[at..]
                .chars()
                .next()
                .expect("`at` is on a character boundary");
            at += c.len_utf8();
            let mark_follows = raw[at..]
                .chars()
                .next()
                .is_some_and(|n| !n.is_ascii() && canonical_combining_class(n) != 0);
            if !mark_follows
                && (c.is_ascii() || is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
            {
                out.push(fold(c), start);
                continue;
            }
            // A base character and its combining marks are normalised together.
            let mut end = at;
            for next in raw[at..].chars() {
                if next.is_ascii() || canonical_combining_class(next) == 0 {
                    break;
                }
                end += next.len_utf8();
            }
            at = end;
            for n in raw[start..end].nfc() {
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

/// The length of the run of `raw` from `at` that normalises to itself, character for
/// character: printable ASCII, and single spaces after it, but not a last character that
/// combining marks follow (it is normalised with them).
fn plain_ascii_run(raw: &str, at: usize) -> usize {
    let bytes = raw.as_bytes();
    let printable = |b: u8| (0x21..=0x7E).contains(&b);
    if !bytes.get(at).copied().is_some_and(printable) {
        return 0;
    }
    let mut end = at + 1;
    while let Some(&b) = bytes.get(end) {
        if printable(b) || (b == b' ' && printable(bytes[end - 1])) {
            end += 1;
        } else {
            break;
        }
    }
    let mark_follows = !bytes.get(end).is_none_or(u8::is_ascii)
        && raw[end..]
            .chars()
            .next()
            .is_some_and(|n| canonical_combining_class(n) != 0);
    if mark_follows {
        end -= 1;
    }
    end - at
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

/// Where an anchor occurs in a normalised text, as a normalised byte range: every occurrence,
/// overlapping ones included, at word boundaries, and (when given) right after `before` and
/// right before `after`, white space between them allowed.
///
/// Linear in the length of the text whatever the anchor and context, so that a long or
/// repetitive anchor cannot make a check hang.
pub fn occurrences(
    hay: &str,
    anchor: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Vec<(usize, usize)> {
    if anchor.is_empty() {
        return Vec::new();
    }
    let starts = find_all(hay, anchor);
    if starts.is_empty() {
        return Vec::new();
    }
    let before = before.filter(|b| !b.is_empty());
    let after = after.filter(|a| !a.is_empty());
    let before_ends: Option<Vec<usize>> =
        before.map(|b| find_all(hay, b).into_iter().map(|s| s + b.len()).collect());
    let after_starts: Option<Vec<usize>> = after.map(|a| find_all(hay, a));
    starts
        .into_iter()
        .map(|start| (start, start + anchor.len()))
        .filter(|&(start, end)| {
            at_word_boundaries(hay, start, end, anchor)
                && before_ends.as_ref().is_none_or(|ends| {
                    let at = hay[..start].trim_end().len();
                    ends.binary_search(&at).is_ok()
                })
                && after_starts.as_ref().is_none_or(|starts| {
                    let at = hay.len() - hay[end..].trim_start().len();
                    starts.binary_search(&at).is_ok()
                })
        })
        .collect()
}

/// How often one anchor occurs (at word boundaries, context not yet considered) in the blocks
/// of a witness.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hits {
    pub count: usize,
    /// The first few occurrences, as `(block, start, end)` in normalised offsets.
    pub first: Vec<(usize, usize, usize)>,
    /// Every block with at least one occurrence, in order.
    pub blocks: Vec<usize>,
}

/// Occurrences kept in [`Hits::first`]: enough to place a unique anchor and to show where an
/// ambiguous one occurs.
const FIRST_KEPT: usize = 3;

/// Up to this many anchors are searched for one at a time rather than with an automaton.
const ANCHORS_SEARCHED_ONE_BY_ONE: usize = 32;

/// Anchors searched for by one automaton.
const ANCHORS_PER_AUTOMATON: usize = 1000;

/// Finds every anchor of `anchors` (normalised, non-empty) in every block of `blocks` in one
/// pass over each block, so that the work grows with the text and the number of matches, not
/// with the product of notes and text.
pub fn find_many(blocks: &[&str], anchors: &[String]) -> Vec<Hits> {
    let mut hits = vec![Hits::default(); anchors.len()];
    let record = |hits: &mut Hits, b: usize, start: usize, end: usize| {
        hits.count += 1;
        if hits.first.len() < FIRST_KEPT {
            hits.first.push((b, start, end));
        }
        if hits.blocks.last() != Some(&b) {
            hits.blocks.push(b);
        }
    };
    // Each anchor on its own: one linear search per anchor over the text, with a vectorised
    // scan first that most texts fail.
    let one_by_one = |hits: &mut [Hits], patterns: &[String], base: usize| {
        for (i, anchor) in patterns.iter().enumerate() {
            let finder = memchr::memmem::Finder::new(anchor);
            for (b, hay) in blocks.iter().enumerate() {
                if finder.find(hay.as_bytes()).is_none() {
                    continue;
                }
                for (start, end) in occurrences(hay, anchor, None, None) {
                    record(&mut hits[base + i], b, start, end);
                }
            }
        }
    };
    // A few anchors (a witness usually has a dozen notes) are searched for one by one: a few
    // vectorised passes over the text are quicker than building an automaton and stepping it
    // through every byte.
    if anchors.len() <= ANCHORS_SEARCHED_ONE_BY_ONE {
        one_by_one(&mut hits, anchors, 0);
        return hits;
    }
    // Automatons of a bounded number of anchors each: building one takes time quadratic in
    // its number of anchors, searching with several only multiplies passes over the text.
    for (chunk, patterns) in anchors.chunks(ANCHORS_PER_AUTOMATON).enumerate() {
        let base = chunk * ANCHORS_PER_AUTOMATON;
        let automaton = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::NoncontiguousNFA))
            .build(patterns);
        match automaton {
            Ok(automaton) => {
                for (b, hay) in blocks.iter().enumerate() {
                    for m in automaton.find_overlapping_iter(*hay) {
                        let i = base + m.pattern().as_usize();
                        if at_word_boundaries(hay, m.start(), m.end(), &anchors[i]) {
                            record(&mut hits[i], b, m.start(), m.end());
                        }
                    }
                }
            }
            // Anchors too long for an automaton: one search each, still linear.
            Err(_) => one_by_one(&mut hits, patterns, base),
        }
    }
    hits
}

/// Start offsets of every occurrence of `needle` in `hay`, overlapping ones included, in
/// increasing order, in time linear in both (Knuth–Morris–Pratt over bytes). An occurrence of
/// valid UTF-8 in valid UTF-8 always begins and ends on character boundaries.
fn find_all(hay: &str, needle: &str) -> Vec<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Vec::new();
    }
    // Most texts do not hold the needle at all: the fast search says so.
    let Some(first) = hay.find(needle) else {
        return Vec::new();
    };
    let mut fail = vec![0usize; n.len()];
    let mut k = 0;
    for i in 1..n.len() {
        while k > 0 && n[i] != n[k] {
            k = fail[k - 1];
        }
        if n[i] == n[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut out = Vec::new();
    let mut k = 0;
    for (i, &b) in h.iter().enumerate().skip(first) {
        while k > 0 && b != n[k] {
            k = fail[k - 1];
        }
        if b == n[k] {
            k += 1;
        }
        if k == n.len() {
            out.push(i + 1 - n.len());
            k = fail[k - 1];
        }
    }
    out
}

/// An anchor that begins (ends) with a letter or digit must not begin (end) inside a word:
/// `198` never anchors in `1988`. No anchor begins or ends inside a character's cluster of
/// combining marks (`é` never anchors in `é̃`): its mark would land after marks it does not
/// quote.
pub(crate) fn at_word_boundaries(hay: &str, start: usize, end: usize, anchor: &str) -> bool {
    let word = |c: char| c.is_alphanumeric();
    let combining = |c: char| canonical_combining_class(c) != 0;
    let starts_word = anchor.chars().next().is_some_and(word);
    let ends_word = anchor.chars().next_back().is_some_and(word);
    let before_ok = !starts_word || !hay[..start].chars().next_back().is_some_and(word);
    let after_ok = !ends_word || !hay[end..].chars().next().is_some_and(word);
    let whole_clusters = !hay[start..].chars().next().is_some_and(combining)
        && !hay[end..].chars().next().is_some_and(combining);
    before_ok && after_ok && whole_clusters
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
        assert_eq!(occurrences(hay, "1988", None, None).len(), 2);
        assert_eq!(occurrences(hay, "198", None, None).len(), 0);
        let with_context = occurrences(hay, "1988", Some("in"), Some("again"));
        assert_eq!(with_context, vec![(22, 26)]);
        assert_eq!(occurrences(hay, ", in", None, None).len(), 1);
    }

    #[test]
    fn overlapping_and_repetitive_occurrences() {
        assert_eq!(find_all("aaaa", "aa"), vec![0, 1, 2]);
        assert_eq!(find_all("abababab", "abab"), vec![0, 2, 4]);
        assert_eq!(find_all("é é", "é"), vec![0, 3]);
        assert!(find_all("abc", "").is_empty());
        let hay = "a a a a";
        assert_eq!(occurrences(hay, "a a", None, None).len(), 3);
        assert_eq!(occurrences(hay, "a a", Some("a"), Some("a")), vec![(2, 5)]);
    }

    #[test]
    fn many_anchors_at_once_agree_with_one_at_a_time() {
        let blocks = ["In 1988 and 19888, in 1988 again", "a a a a", "café 1988"];
        let anchors: Vec<String> = ["1988", "a a", "in", "caf", "café"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // Few anchors are searched one by one, many with automatons: both agree.
        let mut many = anchors.clone();
        many.extend((0..2 * ANCHORS_SEARCHED_ONE_BY_ONE).map(|i| format!("x{i}")));
        assert_eq!(
            find_many(&blocks, &many)[..anchors.len()],
            find_many(&blocks, &anchors)
        );
        let hits = find_many(&blocks, &anchors);
        for (anchor, hits) in anchors.iter().zip(&hits) {
            let each: Vec<(usize, usize, usize)> = blocks
                .iter()
                .enumerate()
                .flat_map(|(b, hay)| {
                    occurrences(hay, anchor, None, None)
                        .into_iter()
                        .map(move |(s, e)| (b, s, e))
                })
                .collect();
            assert_eq!(hits.count, each.len(), "{anchor}");
            assert_eq!(hits.first, each[..each.len().min(3)], "{anchor}");
        }
        assert_eq!(hits[0].blocks, vec![0, 2]);
    }

    #[test]
    fn closest_finds_a_near_miss() {
        let hay = "On January 1, 1988, just a year and a half before";
        let (d, s, e) = closest(hay, "On January 1, 1989").unwrap();
        assert_eq!(d, 1);
        assert_eq!(&hay[s..e], "On January 1, 1988");
    }

    /// The character-by-character normalisation that [`NormText::new`] speeds up with runs
    /// of plain ASCII.
    fn reference(raw: &str) -> (String, Vec<u32>) {
        let mut out = NormText::default();
        let mut chars = raw.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let mut cluster = String::from(c);
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
        (out.text, out.raw_start)
    }

    proptest::proptest! {
        #[test]
        fn runs_normalise_like_characters(
            raw in "[a-c .,\n\t\u{301}\u{308}\u{2019}\u{212B}\u{e9}\u{3000}]{0,40}"
        ) {
            let t = NormText::new(&raw);
            proptest::prop_assert_eq!((t.text, t.raw_start), reference(&raw));
        }
    }
}

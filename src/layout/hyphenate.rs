//! Where a word may be hyphenated: the patterns of the text's language (hypher: English,
//! German, French, Spanish, Italian, Russian) on the word's letters of that language's
//! script, and the breaks after explicit hyphens and dashes. A language without patterns is
//! set unhyphenated, never with another language's patterns.

use hypher::hyphenate;
pub(crate) use hypher::Lang;

/// The patterns for a BCP 47 language tag, if Variorum has them.
pub(crate) fn language(tag: &str) -> Option<Lang> {
    let primary = crate::labels::primary_subtag(tag);
    let code: [u8; 2] = primary.as_bytes().try_into().ok()?;
    Lang::from_iso(code)
}

/// A possible break inside a word, as a byte offset into the word's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WordBreak {
    pub at: u32,
    /// True when the break adds a hyphen; false after an explicit hyphen or dash.
    pub adds_hyphen: bool,
}

/// Shortest word the patterns are applied to, in letters.
const MIN_WORD: usize = 5;

/// The break opportunities inside `word` (which holds no spaces), in order.
pub(crate) fn word_breaks(word: &str, lang: Lang) -> Vec<WordBreak> {
    let mut breaks = Vec::new();
    let mut segment_start = 0;
    for (i, c) in word.char_indices() {
        if matches!(c, '-' | '\u{2010}' | '–' | '—') {
            pattern_breaks(word, segment_start, i, lang, &mut breaks);
            let after = i + c.len_utf8();
            // Not at the very ends: "-word" or "word-" gain nothing from a break.
            if i > 0 && after < word.len() {
                breaks.push(WordBreak {
                    at: after as u32,
                    adds_hyphen: false,
                });
            }
            segment_start = after;
        }
    }
    pattern_breaks(word, segment_start, word.len(), lang, &mut breaks);
    breaks
}

/// Pattern breaks for the run of letters inside `word[start..end]`, ignoring the
/// punctuation around it (quotes, commas). Words with letters of another script than the
/// language's (a Russian name in English text) are left alone.
fn pattern_breaks(word: &str, start: usize, end: usize, lang: Lang, out: &mut Vec<WordBreak>) {
    let segment = &word[start..end];
    let Some(first) = segment.find(|c: char| c.is_alphabetic()) else {
        return;
    };
    let last = segment
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphabetic())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(first);
    let core = &segment[first..last];
    if core.chars().count() < MIN_WORD
        || !core.chars().all(|c| {
            if lang == Lang::Russian {
                is_cyrillic_letter(c)
            } else {
                c.is_ascii_alphabetic() || is_latin_letter(c)
            }
        })
        || core.chars().skip(1).any(|c| c.is_uppercase())
    {
        return;
    }
    let lower = core.to_lowercase();
    if lower.len() != core.len() {
        return;
    }
    let mut offset = start + first;
    let mut syllables = hyphenate(&lower, lang).peekable();
    while let Some(syllable) = syllables.next() {
        offset += syllable.len();
        if syllables.peek().is_some() {
            out.push(WordBreak {
                at: offset as u32,
                adds_hyphen: true,
            });
        }
    }
}

fn is_cyrillic_letter(c: char) -> bool {
    matches!(c as u32, 0x400..=0x4FF) && c.is_alphabetic()
}

fn is_latin_letter(c: char) -> bool {
    matches!(c as u32, 0xC0..=0x24F) && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(word: &str) -> String {
        cut_in(word, Lang::English)
    }

    fn cut_in(word: &str, lang: Lang) -> String {
        let mut out = String::new();
        let mut last = 0;
        for b in word_breaks(word, lang) {
            out.push_str(&word[last..b.at as usize]);
            out.push(if b.adds_hyphen { '|' } else { '/' });
            last = b.at as usize;
        }
        out.push_str(&word[last..]);
        out
    }

    #[test]
    fn patterns_and_explicit_hyphens() {
        assert_eq!(cut("extensive,"), "ex|ten|sive,");
        assert_eq!(cut("“hyphenation”"), "“hy|phen|ation”");
        assert_eq!(cut("well-known"), "well-/known");
        assert_eq!(cut("word"), "word");
        assert_eq!(cut("Горбачеву"), "Горбачеву");
        assert_eq!(cut("NATO-led"), "NATO-/led");
    }

    #[test]
    fn each_language_has_its_own_patterns() {
        assert_eq!(language("de-DE"), Some(Lang::German));
        assert_eq!(language("fa"), None);
        let de = cut_in("Donaudampfschifffahrtsgesellschaft", Lang::German);
        assert!(
            de.contains("dampf|schiff") || de.contains("schiff|fahrt"),
            "{de}"
        );
        assert_ne!(
            de,
            cut_in("Donaudampfschifffahrtsgesellschaft", Lang::English)
        );
        assert!(cut_in("Горбачеву", Lang::Russian).contains('|'));
        assert_eq!(cut_in("Горбачеву", Lang::English), "Горбачеву");
    }
}

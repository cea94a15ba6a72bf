//! Writing XML text safely: escaping for text and attribute values, and dropping characters
//! that XML 1.0 does not allow, so every document written is well-formed whatever the input.

/// Appends `text` escaped for use as element content.
pub(crate) fn push_text(out: &mut String, text: &str) {
    push_escaped(out, text, false);
}

/// Appends `text` escaped for use inside a double-quoted attribute value.
pub(crate) fn push_attr(out: &mut String, text: &str) {
    push_escaped(out, text, true);
}

/// `text` escaped for element content.
pub(crate) fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_text(&mut out, text);
    out
}

/// `text` escaped for a double-quoted attribute value.
pub(crate) fn attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_attr(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str, in_attr: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attr => out.push_str("&quot;"),
            // Attribute values are normalised by XML parsers: keep white space as written.
            '\n' if in_attr => out.push_str("&#10;"),
            '\t' if in_attr => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// Whether XML 1.0 allows `c` in a document (`Char` production).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            super::text("a < b & c > d \"q\""),
            "a &lt; b &amp; c &gt; d \"q\""
        );
        assert_eq!(
            super::attr("say \"hi\" & <go>"),
            "say &quot;hi&quot; &amp; &lt;go&gt;"
        );
        assert_eq!(
            super::text("bell\u{7}end\u{FFFF}"),
            "bell\u{FFFD}end\u{FFFD}"
        );
        assert_eq!(
            super::text("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
    }
}

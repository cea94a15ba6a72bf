//! The stylesheet: the fixed rules of `style.css`, then an `@font-face` rule per embedded
//! face and the font stack that names them ahead of the generic `serif`.

use super::fonts::EmbeddedFont;

const BASE: &str = include_str!("style.css");

/// The whole stylesheet for the embedded faces (none gives the base rules alone).
pub(crate) fn stylesheet(fonts: &[EmbeddedFont]) -> String {
    let mut css = String::from(BASE);
    let mut families: Vec<&str> = Vec::new();
    for font in fonts {
        css.push_str(&format!(
            "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: {}; src: url(\"{}\"); }}\n",
            css_string(&font.family),
            if font.bold { "bold" } else { "normal" },
            if font.italic { "italic" } else { "normal" },
            css_string(&font.href),
        ));
        if !families.contains(&font.family.as_str()) {
            families.push(&font.family);
        }
    }
    if !families.is_empty() {
        let stack: Vec<String> = families
            .iter()
            .map(|f| format!("\"{}\"", css_string(f)))
            .collect();
        css.push_str(&format!(
            "body {{ font-family: {}, serif; }}\n",
            stack.join(", ")
        ));
    }
    css
}

/// Text safe inside a double-quoted CSS string.
fn css_string(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .flat_map(|c| match c {
            '"' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect()
}

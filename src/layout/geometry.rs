//! Margins and the type scale, in PostScript points: proportionate to the paper unless the
//! edition's `design:` says otherwise.

pub use crate::model::Paper;
use crate::model::{Design, Paragraphs};

/// Where things go on a page and how big the type is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    /// The text block.
    pub left: f32,
    pub top: f32,
    pub measure: f32,
    pub body_height: f32,
    /// Body type size and baseline-to-baseline distance.
    pub size: f32,
    pub leading: f32,
    /// Note type size and leading.
    pub note_size: f32,
    pub note_leading: f32,
    /// Baseline of the running head and of the folio.
    pub head_baseline: f32,
    pub foot_baseline: f32,
    /// The text block's left edge on versos (even pages); `left` is that of rectos. The two
    /// differ in a two-sided design with `inner` and `outer` margins.
    pub verso_left: f32,
    pub running_heads: bool,
    pub paragraphs: Paragraphs,
    /// Every how many-th line of a witness's text the margin numbers (`design.line-numbers`).
    pub line_numbers: Option<u32>,
}

impl Geometry {
    /// The default design on `paper`.
    #[cfg(test)]
    pub fn new(paper: Paper) -> Geometry {
        Geometry::designed(paper, &Design::default()).expect("the default design fits any paper")
    }

    /// The geometry of `design` on `paper` (which the command line may have chosen over
    /// `design.paper`); an error when its margins leave no room for the text.
    pub fn designed(paper: Paper, design: &Design) -> Result<Geometry, String> {
        let (width, height) = paper.size();
        // Type scales with the paper width: 11 pt on A4, about 9.5 pt on A5.
        let size = design.size.unwrap_or(match width {
            w if w < 450.0 => 9.5,
            w if w < 560.0 => 10.0,
            _ => 11.0,
        });
        let leading = design.leading.unwrap_or((size * 1.3f32).round());
        let note_size = design
            .notes_size
            .unwrap_or((size * 0.8 * 2.0f32).round() / 2.0);
        let note_leading = (note_size * 1.25 * 2.0f32).round() / 2.0;
        // A measure of about 66 characters, centred; the block fills about 77% of the height.
        let m = design.margins;
        let mut measure = (size * 34.5).min(width * 0.7);
        let mut left = ((width - measure) / 2.0).round();
        let mut verso_left = left;
        if m.inner.is_some() || m.outer.is_some() {
            let side = left;
            left = m.inner.unwrap_or(side);
            verso_left = m.outer.unwrap_or(side);
            measure = width - left - verso_left;
        }
        let top = m.top.unwrap_or((height * 0.105).round());
        let room = match (m.top, m.bottom) {
            (None, None) => height * 0.77,
            (_, bottom) => height - top - bottom.unwrap_or((height * 0.125).round()),
        };
        let lines = (room / leading).floor();
        let fits_vertically = top - leading * 1.6 > size * 0.7
            && top + lines * leading + leading * 2.2 < height - size * 0.3;
        if measure < size * 10.0 || lines < 5.0 || !fits_vertically {
            return Err(format!(
                "the design's margins leave a text block of {measure:.0} × {:.0} pt on paper of \
                 {width:.0} × {height:.0} pt, too small for {size} pt type",
                room.max(0.0)
            ));
        }
        let body_height = lines * leading;
        Ok(Geometry {
            width,
            height,
            left,
            top,
            measure,
            body_height,
            size,
            leading,
            note_size,
            note_leading,
            head_baseline: top - leading * 1.6,
            foot_baseline: top + body_height + leading * 2.2,
            verso_left,
            running_heads: design.running_heads.unwrap_or(true),
            paragraphs: design.paragraphs.unwrap_or_default(),
            line_numbers: design.line_numbers,
        })
    }

    /// The bottom of the text block.
    pub fn bottom(&self) -> f32 {
        self.top + self.body_height
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_is_proportionate_and_inside_the_paper() {
        for paper in [Paper::A4, Paper::Letter, Paper::A5] {
            let g = Geometry::new(paper);
            assert!(g.left > 36.0 && g.left + g.measure < g.width - 36.0);
            assert!(g.head_baseline > 20.0 && g.foot_baseline < g.height - 20.0);
            assert!(g.note_size < g.size);
        }
        assert!(Geometry::new(Paper::A5).size < Geometry::new(Paper::A4).size);
        assert_eq!(Paper::parse("Letter"), Some(Paper::Letter));
    }
}

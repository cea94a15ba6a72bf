//! Paper sizes, margins and the type scale, in PostScript points, proportionate to the paper.

/// The paper sizes the PDF can be set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
    A5,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
            Paper::A5 => (419.53, 595.28),
        }
    }

    /// Parses `a4`, `letter` or `a5` (any case).
    pub fn parse(name: &str) -> Option<Paper> {
        match name.to_ascii_lowercase().as_str() {
            "a4" => Some(Paper::A4),
            "letter" => Some(Paper::Letter),
            "a5" => Some(Paper::A5),
            _ => None,
        }
    }
}

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
}

impl Geometry {
    pub fn new(paper: Paper) -> Geometry {
        let (width, height) = paper.size();
        // Type scales with the paper width: 11 pt on A4, about 9.5 pt on A5.
        let size = match paper {
            Paper::A5 => 9.5,
            Paper::A4 | Paper::Letter => 11.0,
        };
        let leading = (size * 1.3f32).round();
        let note_size = (size * 0.8 * 2.0f32).round() / 2.0;
        let note_leading = (note_size * 1.25 * 2.0f32).round() / 2.0;
        // A measure of about 66 characters, centred; the block fills about 77% of the height.
        let measure = (size * 34.5).min(width * 0.7);
        let left = ((width - measure) / 2.0).round();
        let top = (height * 0.105).round();
        let lines = ((height * 0.77) / leading).floor();
        let body_height = lines * leading;
        Geometry {
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
        }
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

//! The words Variorum itself writes ("Contents", "Witnesses", "Notes", …), in the edition's
//! language: a built-in table per language (English, German, French, Spanish, Italian,
//! Russian, Persian), with `labels:` under `edition:` replacing any of them.
//!
//! Call [`Labels::get`] with a [`Label`]; to add a word, add a variant, its key and a row.

use crate::diag::{Diagnostic, Diagnostics};
use crate::yaml::Node;

/// A word or phrase Variorum writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Label {
    Contents,
    Witnesses,
    /// Before a sigil: "Witness A".
    Witness,
    Notes,
    /// Before a section's title: "Notes on …".
    NotesOn,
    PointsOfDivergence,
    /// Before a publisher's name.
    PublishedBy,
    Readings,
    Cover,
    TitlePage,
    Discrepancy,
    Provenance,
    Emendation,
    Correction,
    Gloss,
    Bibliography,
    Index,
    Chronology,
    /// Column heads of the tables.
    Sigil,
    Note,
    /// Field names in the witnesses table.
    Author,
    Published,
    /// The parts of the Index, one per kind of entry.
    IndexOfPersons,
    IndexOfPlaces,
    IndexOfWorks,
    IndexOfSubjects,
    /// Column heads of the Chronology.
    Event,
    RecordDate,
}

/// Every label with its key in `labels:`, in table order.
const KEYS: &[(Label, &str)] = &[
    (Label::Contents, "contents"),
    (Label::Witnesses, "witnesses"),
    (Label::Witness, "witness"),
    (Label::Notes, "notes"),
    (Label::NotesOn, "notes-on"),
    (Label::PointsOfDivergence, "points-of-divergence"),
    (Label::PublishedBy, "published-by"),
    (Label::Readings, "readings"),
    (Label::Cover, "cover"),
    (Label::TitlePage, "title-page"),
    (Label::Discrepancy, "discrepancy"),
    (Label::Provenance, "provenance"),
    (Label::Emendation, "emendation"),
    (Label::Correction, "correction"),
    (Label::Gloss, "gloss"),
    (Label::Bibliography, "bibliography"),
    (Label::Index, "index"),
    (Label::Chronology, "chronology"),
    (Label::Sigil, "sigil"),
    (Label::Note, "note"),
    (Label::Author, "author"),
    (Label::Published, "published"),
    (Label::IndexOfPersons, "index-of-persons"),
    (Label::IndexOfPlaces, "index-of-places"),
    (Label::IndexOfWorks, "index-of-works"),
    (Label::IndexOfSubjects, "index-of-subjects"),
    (Label::Event, "event"),
    (Label::RecordDate, "record-date"),
];

/// The built-in tables: a language's primary subtag and its words in [`KEYS`] order.
const TABLES: &[(&str, [&str; 28])] = &[
    (
        "en",
        [
            "Contents",
            "Witnesses",
            "Witness",
            "Notes",
            "Notes on",
            "Points of divergence",
            "Published by",
            "Readings",
            "Cover",
            "Title page",
            "discrepancy",
            "provenance",
            "emendation",
            "correction",
            "gloss",
            "Bibliography",
            "Index",
            "Chronology",
            "Sigil",
            "Note",
            "Author",
            "Published",
            "Persons",
            "Places",
            "Works",
            "Subjects",
            "Event",
            "Record",
        ],
    ),
    (
        "de",
        [
            "Inhalt",
            "Textzeugen",
            "Textzeuge",
            "Anmerkungen",
            "Anmerkungen zu",
            "Abweichungen",
            "Erschienen bei",
            "Lesarten",
            "Umschlag",
            "Titelseite",
            "Abweichung",
            "Herkunft",
            "Emendation",
            "Korrektur",
            "Glosse",
            "Bibliographie",
            "Register",
            "Zeittafel",
            "Sigle",
            "Anm.",
            "Verfasser",
            "Erschienen",
            "Personen",
            "Orte",
            "Werke",
            "Sachen",
            "Ereignis",
            "Überlieferung",
        ],
    ),
    (
        "fr",
        [
            "Table des matières",
            "Témoins",
            "Témoin",
            "Notes",
            "Notes sur",
            "Points de divergence",
            "Publié par",
            "Leçons",
            "Couverture",
            "Page de titre",
            "divergence",
            "provenance",
            "émendation",
            "correction",
            "glose",
            "Bibliographie",
            "Index",
            "Chronologie",
            "Sigle",
            "Note",
            "Auteur",
            "Publié",
            "Personnes",
            "Lieux",
            "Œuvres",
            "Matières",
            "Événement",
            "Date attestée",
        ],
    ),
    (
        "es",
        [
            "Índice",
            "Testimonios",
            "Testimonio",
            "Notas",
            "Notas sobre",
            "Puntos de divergencia",
            "Publicado por",
            "Lecturas",
            "Cubierta",
            "Portada",
            "discrepancia",
            "procedencia",
            "enmienda",
            "corrección",
            "glosa",
            "Bibliografía",
            "Índice analítico",
            "Cronología",
            "Sigla",
            "Nota",
            "Autor",
            "Publicado",
            "Personas",
            "Lugares",
            "Obras",
            "Materias",
            "Suceso",
            "Fecha documentada",
        ],
    ),
    (
        "it",
        [
            "Indice",
            "Testimoni",
            "Testimone",
            "Note",
            "Note su",
            "Punti di divergenza",
            "Pubblicato da",
            "Lezioni",
            "Copertina",
            "Frontespizio",
            "discrepanza",
            "provenienza",
            "emendazione",
            "correzione",
            "glossa",
            "Bibliografia",
            "Indice analitico",
            "Cronologia",
            "Sigla",
            "Nota",
            "Autore",
            "Pubblicato",
            "Persone",
            "Luoghi",
            "Opere",
            "Argomenti",
            "Evento",
            "Data documentata",
        ],
    ),
    (
        "ru",
        [
            "Содержание",
            "Источники текста",
            "Источник",
            "Примечания",
            "Примечания к",
            "Расхождения",
            "Издатель:",
            "Чтения",
            "Обложка",
            "Титульный лист",
            "расхождение",
            "происхождение",
            "конъектура",
            "исправление",
            "глосса",
            "Библиография",
            "Указатель",
            "Хронология",
            "Шифр",
            "Прим.",
            "Автор",
            "Опубликовано",
            "Лица",
            "Места",
            "Произведения",
            "Предметы",
            "Событие",
            "Дата по источнику",
        ],
    ),
    (
        "fa",
        [
            "فهرست",
            "نسخه‌ها",
            "نسخهٔ",
            "یادداشت‌ها",
            "یادداشت‌های",
            "موارد اختلاف",
            "ناشر:",
            "ضبط‌ها",
            "جلد",
            "صفحهٔ عنوان",
            "اختلاف",
            "منشأ",
            "تصحیح قیاسی",
            "اصلاح",
            "توضیح",
            "کتاب‌نامه",
            "نمایه",
            "گاه‌شمار",
            "نشانه",
            "یادداشت",
            "نویسنده",
            "تاریخ انتشار",
            "اشخاص",
            "مکان‌ها",
            "آثار",
            "موضوع‌ها",
            "رویداد",
            "تاریخ سند",
        ],
    ),
];

/// The edition's generated words: its language's table and the editor's replacements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    table: &'static [&'static str; 28],
    overrides: Vec<(Label, String)>,
}

impl Default for Labels {
    fn default() -> Labels {
        Labels {
            table: &TABLES[0].1,
            overrides: Vec::new(),
        }
    }
}

impl Labels {
    /// The built-in words of `language` (a BCP 47 tag), or `None` when there is no table.
    pub fn for_language(language: &str) -> Option<Labels> {
        let primary = primary_subtag(language);
        TABLES
            .iter()
            .find(|(lang, _)| *lang == primary)
            .map(|(_, table)| Labels {
                table,
                overrides: Vec::new(),
            })
    }

    /// The word for `label`.
    pub fn get(&self, label: Label) -> &str {
        if let Some((_, text)) = self.overrides.iter().find(|(l, _)| *l == label) {
            return text;
        }
        let i = KEYS
            .iter()
            .position(|(l, _)| *l == label)
            .expect("every label has a key");
        self.table[i]
    }

    /// The label of a witness: "Witness A".
    pub fn witness(&self, sigil: &str) -> String {
        format!("{} {sigil}", self.get(Label::Witness))
    }

    /// The word for a note kind.
    pub fn kind(&self, kind: crate::model::NoteKind) -> &str {
        use crate::model::NoteKind;
        self.get(match kind {
            NoteKind::Discrepancy => Label::Discrepancy,
            NoteKind::Provenance => Label::Provenance,
            NoteKind::Emendation => Label::Emendation,
            NoteKind::Correction => Label::Correction,
            NoteKind::Gloss => Label::Gloss,
        })
    }
}

/// Whether text in the language `tag` runs right to left (Arabic, Persian, Hebrew, Urdu, …).
pub fn is_right_to_left(tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    lower
        .split('-')
        .any(|t| matches!(t, "arab" | "hebr" | "syrc" | "thaa"))
        || matches!(
            primary_subtag(tag).as_str(),
            "ar" | "fa" | "he" | "ur" | "ps" | "yi" | "sd" | "ug" | "ckb" | "dv" | "syr"
        )
}

/// The language subtag of a BCP 47 tag, lowercased (`de` of `de-AT`).
pub fn primary_subtag(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The labels of an edition in `language`, with `edition.labels` (when given) replacing
/// some; a language with no table gets English and a warning at `language_span`.
pub(crate) fn read(
    language: &str,
    language_span: crate::source::Span,
    node: Option<&Node>,
    diags: &mut Diagnostics,
) -> Labels {
    let mut labels = Labels::for_language(language).unwrap_or_else(|| {
        let known: Vec<&str> = TABLES.iter().map(|(l, _)| *l).collect();
        diags.push(
            Diagnostic::warning(format!(
                "Variorum has no words for the language `{language}`; its headings (\"Contents\", \"Notes\", …) are in English"
            ))
            .at(language_span, "no built-in labels")
            .hint(format!(
                "give them under `edition.labels:` (`contents: …`, `notes: …`); built in are {}",
                known.join(", ")
            )),
        );
        Labels::default()
    });
    let Some(node) = node else { return labels };
    let keys: Vec<&str> = KEYS.iter().map(|(_, k)| *k).collect();
    let Some(entries) = node.as_mapping("`edition.labels`", &keys, diags) else {
        return labels;
    };
    for (key, value) in entries {
        let label = KEYS
            .iter()
            .find(|(_, k)| *k == key.name)
            .map(|(l, _)| *l)
            .expect("as_mapping keeps only known keys");
        if let Some(text) = value.as_text(&format!("`labels.{}`", key.name), diags) {
            labels.overrides.push((label, text.trim().to_owned()));
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_have_their_words_and_overrides_win() {
        let de = Labels::for_language("de-AT").unwrap();
        assert_eq!(de.get(Label::Contents), "Inhalt");
        assert_eq!(de.witness("A"), "Textzeuge A");
        assert_eq!(
            Labels::for_language("fa").unwrap().get(Label::Notes),
            "یادداشت‌ها"
        );
        assert!(Labels::for_language("tlh").is_none());
        let mut labels = de;
        labels.overrides.push((Label::Contents, "Übersicht".into()));
        assert_eq!(labels.get(Label::Contents), "Übersicht");
        assert_eq!(
            Labels::default().get(Label::PointsOfDivergence),
            "Points of divergence"
        );
        assert_eq!(KEYS.len(), TABLES[0].1.len());
    }
}

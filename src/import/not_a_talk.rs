//! Which schedule entries are not talks: breaks and meals, found by their
//! type or title.

use super::model::Reason;

/// Words that make a title or type a break: matched as whole words,
/// ignoring case ("Coffee break", "Lunch", "BREAKFAST").
const BREAK_WORDS: &[&str] = &[
    "break",
    "breakfast",
    "lunch",
    "coffee",
    "dinner",
    "registration",
];

/// Whether an entry titled `title`, of type `kind` (if the source says),
/// is a break rather than a talk.
pub fn break_reason(title: &str, kind: Option<&str>) -> Option<Reason> {
    let is_break = |text: &str| {
        text.split(|c: char| !c.is_alphanumeric())
            .any(|word| BREAK_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)))
    };
    (kind.is_some_and(is_break) || is_break(title)).then_some(Reason::Break)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_and_meals_are_found_by_title_or_type() {
        assert_eq!(break_reason("Coffee Break", None), Some(Reason::Break));
        assert_eq!(break_reason("Lunch", None), Some(Reason::Break));
        assert_eq!(break_reason("Welcome", Some("break")), Some(Reason::Break));
        assert_eq!(break_reason("Breaking the monolith", None), None);
        assert_eq!(break_reason("Rust at scale", Some("Talk")), None);
    }
}

//! Doorstep words: two plain words for each assigned visit ("amber otter"), new for every visit,
//! that the helper says at the door so that the member knows it is really them. The list
//! (`doorstep_words.txt`, from the EFF's large wordlist) holds over 2,000 words of 3 to 7
//! letters, no two of which sound alike by [`sound`]; two different words are drawn from a
//! cryptographically secure generator (the thread's ChaCha, seeded by the operating system).

use std::sync::OnceLock;

use rand::seq::IndexedRandom;

const LIST: &str = include_str!("doorstep_words.txt");

/// The words, in the list's order.
pub fn list() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        LIST.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Two different words, "amber otter".
pub fn draw() -> String {
    let mut rng = rand::rng();
    let two: Vec<&&str> = list().choose_multiple(&mut rng, 2).collect();
    format!("{} {}", two[0], two[1])
}

/// A rough key of how an English word sounds when said quickly at a door: spellings that sound
/// alike are made one, and the vowels after the first letter dropped. Two words of the list
/// never share one.
pub fn sound(word: &str) -> String {
    let mut s = word.to_lowercase();
    for (from, to) in [
        ("tch", "ch"),
        ("ph", "f"),
        ("ck", "k"),
        ("wh", "w"),
        ("kn", "n"),
        ("wr", "r"),
        ("gn", "n"),
        ("mb", "m"),
        ("gh", ""),
        ("qu", "kw"),
        ("q", "k"),
        ("x", "ks"),
        ("dg", "j"),
        ("tion", "shun"),
        ("sion", "shun"),
        ("ce", "se"),
        ("ci", "si"),
        ("cy", "sy"),
        ("c", "k"),
        ("z", "s"),
        ("y", "i"),
        ("ee", "i"),
        ("ea", "i"),
        ("ie", "i"),
        ("oo", "u"),
        ("ou", "u"),
        ("ew", "u"),
        ("ue", "u"),
    ] {
        s = s.replace(from, to);
    }
    if s.len() > 3 && s.ends_with('e') {
        s.pop();
    }
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return s;
    };
    let first = if "aeiou".contains(first) { 'a' } else { first };
    let mut key = String::from(first);
    for c in chars.filter(|c| !"aeiouh".contains(*c)) {
        if !key.ends_with(c) {
            key.push(c);
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn over_two_thousand_plain_words_and_none_sounds_like_another() {
        let words = list();
        assert!(words.len() >= 2000, "{} words", words.len());
        let mut by_sound: HashMap<String, &str> = HashMap::new();
        for w in words {
            assert!(
                (3..=7).contains(&w.len()) && w.chars().all(|c| c.is_ascii_lowercase()),
                "{w}"
            );
            if let Some(other) = by_sound.insert(sound(w), w) {
                panic!("{w} sounds like {other}");
            }
        }
        assert_eq!(sound("phone"), sound("fone"));
        assert_eq!(sound("knight"), sound("nite"));
        assert_ne!(sound("amber"), sound("otter"));
    }

    #[test]
    fn draws_are_two_different_words_and_none_comes_more_than_chance_allows() {
        let draws = 10_000;
        let mut seen: HashMap<&str, u32> = HashMap::new();
        for _ in 0..draws {
            let words = draw();
            let (a, b) = words.split_once(' ').unwrap();
            assert_ne!(a, b);
            for w in [a, b] {
                let w = list()
                    .iter()
                    .find(|x| **x == w)
                    .expect("a word of the list");
                *seen.entry(w).or_default() += 1;
            }
        }
        // Each word is expected 2 × 10,000 / n times (about 9); as a Poisson count, 35 or more
        // for any of them has a chance below one in a million.
        let expected = 2.0 * draws as f64 / list().len() as f64;
        let most = seen.values().copied().max().unwrap();
        assert!(
            most < 35,
            "a word came {most} times (expected {expected:.1})"
        );
        // And most words came at all.
        assert!(
            seen.len() as f64 > list().len() as f64 * 0.95,
            "{}",
            seen.len()
        );
    }
}

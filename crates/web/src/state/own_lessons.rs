//! The learner's own lessons (opened from a file, the paste box or a link), kept in this
//! browser so the course overview lists them beside the built-in ones and opens them again.

use protocol::Lesson;

/// The most lessons kept: the oldest opened go first.
pub const MAX_OWN_LESSONS: usize = 20;
/// The most text kept in all (bytes), so the list leaves localStorage room for the workspace.
/// The newest lesson is kept whatever its size.
pub const MAX_OWN_BYTES: usize = 1 << 20;

/// An exercise as the overview lists it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnExercise {
    pub id: String,
    pub title: String,
}

/// One lesson: what the overview shows, and the text that opens it again.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnLesson {
    /// The front matter's id, also the key of the learner's progress.
    pub id: String,
    pub title: String,
    pub exercises: Vec<OwnExercise>,
    pub text: String,
}

/// Everything kept in localStorage (`promplay.lessons.own`, format version 1), newest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OwnLessons {
    pub lessons: Vec<OwnLesson>,
}

impl OwnLessons {
    pub fn get(&self, id: &str) -> Option<&OwnLesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// Puts a lesson just opened first, in place of one with the same id (an edited version),
    /// and drops the oldest beyond the limits.
    pub fn remember(&mut self, lesson: &Lesson, text: &str) {
        self.forget(&lesson.id);
        let exercises = lesson.exercises.iter().map(|e| OwnExercise { id: e.id.clone(), title: e.title.clone() }).collect();
        let own = OwnLesson { id: lesson.id.clone(), title: lesson.title.clone(), exercises, text: text.to_string() };
        self.lessons.insert(0, own);
        let mut bytes = 0;
        let keep = self
            .lessons
            .iter()
            .enumerate()
            .take_while(|(i, l)| {
                bytes += l.text.len();
                *i == 0 || (*i < MAX_OWN_LESSONS && bytes <= MAX_OWN_BYTES)
            })
            .count();
        self.lessons.truncate(keep);
    }

    /// Takes a lesson off the list (its progress stays, for when it is opened again); false
    /// when it was not there.
    pub fn forget(&mut self, id: &str) -> bool {
        let before = self.lessons.len();
        self.lessons.retain(|l| l.id != id);
        self.lessons.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::Exercise;

    fn lesson(id: &str, title: &str) -> Lesson {
        let exercises = vec![Exercise { id: "a".into(), title: "First".into(), ..Exercise::default() }];
        Lesson { id: id.into(), title: title.into(), exercises, ..Lesson::default() }
    }

    fn ids(own: &OwnLessons) -> Vec<&str> {
        own.lessons.iter().map(|l| l.id.as_str()).collect()
    }

    #[test]
    fn newest_first_and_an_edited_lesson_replaces_its_old_version() {
        let mut own = OwnLessons::default();
        own.remember(&lesson("one", "One"), "text 1");
        own.remember(&lesson("two", "Two"), "text 2");
        own.remember(&lesson("one", "One, edited"), "text 1b");
        assert_eq!(ids(&own), ["one", "two"]);
        let first = own.get("one").cloned().unwrap_or_default();
        assert_eq!((first.title.as_str(), first.text.as_str()), ("One, edited", "text 1b"));
        assert_eq!(first.exercises, vec![OwnExercise { id: "a".into(), title: "First".into() }]);
        assert!(own.forget("one"));
        assert!(!own.forget("one"));
        assert_eq!(ids(&own), ["two"]);
    }

    #[test]
    fn the_oldest_go_beyond_the_count_and_the_size() {
        let mut own = OwnLessons::default();
        for i in 0..=MAX_OWN_LESSONS {
            own.remember(&lesson(&i.to_string(), "t"), "x");
        }
        assert_eq!(own.lessons.len(), MAX_OWN_LESSONS);
        assert_eq!(own.lessons.last().map(|l| l.id.as_str()), Some("1"), "lesson 0 was the oldest");

        let half = "x".repeat(MAX_OWN_BYTES / 2);
        own.remember(&lesson("big1", "t"), &half);
        own.remember(&lesson("big2", "t"), &half);
        assert_eq!(ids(&own), ["big2", "big1"], "the small ones after them no longer fit");
        // The newest stays even alone over the limit.
        own.remember(&lesson("huge", "t"), &"x".repeat(MAX_OWN_BYTES + 1));
        assert_eq!(ids(&own), ["huge"]);
    }
}

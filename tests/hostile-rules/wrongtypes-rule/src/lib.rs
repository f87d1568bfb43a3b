//! A hostile rule: exports `keyaudit:rules/rule@0.2.0` with the right
//! function names and the wrong types.

wit_bindgen::generate!({ path: "wit", world: "rule-component" });

struct Hostile;

impl exports::keyaudit::rules::rule::Guest for Hostile {
    fn metadata() -> String {
        "not metadata".into()
    }

    fn evaluate(_account: String) -> u32 {
        0
    }
}

export!(Hostile);

//! Snapshots of the sentence splitter on hand-written news-like texts.

mod common;

macro_rules! snap {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_json_snapshot!(common::sentences($text));
        }
    };
}

snap!(
    abbreviations_inside_sentences,
    "Gen. Bagheri met Maj. Gen. Ortiz in Washington, D.C. on Monday. The two discussed trade with Acme Inc. and its partners. Talks resume at No. 5 Harbor Road."
);
snap!(
    quotes_closing_after_the_period,
    "“We are ready,” he said. “The plant will open soon.” Officials agreed. “Why now?” a reporter asked. Nobody answered."
);
snap!(
    lowercase_continuation,
    "The deal was signed by the U.S. and the EU. It takes effect at 5 p.m. The markets rose."
);
snap!(
    headline_and_dateline,
    "Iran opens drone plant in Dushanbe\n\nTEHRAN – A drone plant opened on Sunday in the Tajik capital. It is the first of its kind."
);
snap!(
    headline_on_a_single_line,
    "Ministers meet in Kabul\nThe foreign ministers of five countries met on Monday."
);
snap!(
    bullet_lists,
    "The ministers agreed on three points:\n- more trade\n- joint drills\n- safer borders\nThey will meet again in May."
);
snap!(
    numbered_lists,
    "The plan has two steps.\n1. Reduce tariffs\n2. Open the border crossings\nBoth start in June."
);
snap!(
    blank_lines_end_sentences,
    "A paragraph without a final period\n\nThe next paragraph starts here. It has two sentences."
);
snap!(
    ellipses_and_exclamations,
    "The crowd waited... and waited. Then it came! Everyone cheered?! Yes… truly."
);
snap!(
    separator_lines,
    "The first story ends here.\n***\nA second story begins."
);
snap!(
    picture_credits,
    "Soldiers at the border crossing Image: Defence Ministry. The crossing reopened on Friday."
);
snap!(
    reference_marks_stay_with_their_sentence,
    "The treaty was signed in 1921. [3] It lapsed in 1950.[4][5] Talks resumed."
);
snap!(
    elision_marks,
    "“The border is calm [...] Trade will resume soon,” the minister said."
);
snap!(
    salutations_and_sign_offs,
    "Dear Ms. Amini, The report is attached. Best regards, Omid Karimi"
);
snap!(
    weekday_date_line,
    "Tuesday, March 3, 2020 The foreign ministers met in Doha on Monday."
);
snap!(
    links_in_a_row,
    "Sources: https://example.org/a https://example.org/b More will follow."
);
snap!(
    weekday_date_line_after_a_headline,
    "Drone plant opens in Dushanbe Tuesday, March 3, 2020 A new plant opened on Monday."
);
snap!(
    missing_space_after_a_period,
    "The talks ended on Monday.The ministers left Doha."
);

//! Snapshots of the tokenizer on hand-written news-like sentences, one case
//! per phenomenon. Tokens are shown joined by " | " so that a change in any
//! boundary is easy to see in review.

mod common;

fn show(text: &str) -> String {
    common::tokens(text).join(" | ")
}

macro_rules! snap {
    ($name:ident, $text:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(show($text));
        }
    };
}

snap!(
    negation_clitics,
    "Officials didn't confirm why the envoys can't or won't travel, and I'm told they'll wait."
);
snap!(
    possessives_straight_and_curly,
    "Iran's envoy met the ministers' aides at Tajikistan’s embassy."
);
snap!(
    fused_words,
    "We cannot stay, and they're gonna leave because they wanna rest."
);
snap!(
    hyphenated_words,
    "The long-range, pro-Western e-mail campaign ended with a cease-fire in mid-2020."
);
snap!(
    titles_and_initialisms,
    "The U.S. Army, Gen. Rahimi, Maj. Ortiz and Dr. Amini met at No. 5 Harbor Road."
);
snap!(
    initials_in_names,
    "A report by J. K. Lindqvist and E. Moran appeared."
);
snap!(
    numbers_money_and_percent,
    "Exports rose 3.5 percent to $1,600 million, 12% above the 2,000.75 euros paid at 10:30 a.m. on May 3."
);
snap!(
    urls_and_emails,
    "Details are at https://example.org/news?id=5, or write to desk@example.com."
);
snap!(emoticons, "Great news :) see you soon :-(");
snap!(
    curly_quotes,
    "“Peace is possible,” he said. ‘Not yet,’ she replied."
);
snap!(
    dashes_and_ellipses,
    "The talks – which began in Geneva — collapsed... Then what… nobody knew -- or cared."
);
snap!(
    non_breaking_spaces,
    "Tehran\u{a0}and\u{a0}Kabul signed 10\u{a0}deals."
);
snap!(ordinals, "She finished 21st, he came 3rd on the 2nd day.");
snap!(
    phone_numbers_and_ranges,
    "Call 713-555-0100 about the 1990-1995 archive and the 5-3 win."
);
snap!(
    brackets_and_signs,
    "The agency (IRNA) said [sic] the #2 plant is 40°C hot; see a) and b)."
);
snap!(
    abbreviation_at_sentence_end,
    "He moved to the U.S. Then he left Acme Inc.. Nobody knew."
);
snap!(
    times_written_solid,
    "The raid began at 6:00am and ended by 5pm."
);
snap!(
    slashes,
    "Use and/or carefully, on 11/28/2000 at 24/7 rates."
);
snap!(
    missing_space_after_a_period,
    "The talks ended.The ministers left, said Mehrnews.Com and ASP.NET staff."
);
snap!(
    clitic_after_an_initialism,
    "It covers 25% of the U.K.'s exports, the U.S.’s and Acme Corp.'s too."
);

#include "pipeline/language_id.h"

#include <gtest/gtest.h>

namespace wirefeed {
namespace {

TEST(LanguageIdTest, RecognisesEnglishByItsFunctionWords) {
  EXPECT_TRUE(language_detector::looks_english(100, 20));
  EXPECT_FALSE(language_detector::looks_english(100, 5));
  EXPECT_FALSE(language_detector::looks_english(10, 10));  // too short to say
  const auto g = language_detector(1024).detect("", "text", 100, 25);
  EXPECT_EQ(g.code, "en");
  EXPECT_EQ(g.method, "function_words");
}

TEST(LanguageIdTest, AsksCld2WhenTheTextIsNotClearlyEnglish) {
  const std::string fr =
      "Le président français Emmanuel Macron a rencontré lundi à Moscou son homologue russe Vladimir Poutine, "
      "dans l'espoir de trouver une issue diplomatique à la crise ukrainienne. Les deux dirigeants ont parlé "
      "pendant plus de cinq heures au Kremlin.";
  const auto g = language_detector(1024).detect("Macron rencontre Poutine", fr, 40, 0);
  EXPECT_EQ(g.code, "fr");
  EXPECT_TRUE(g.reliable);
  EXPECT_EQ(g.method, "cld2");
}

TEST(LanguageIdTest, ReadsGermanAndSpanish) {
  EXPECT_EQ(language_detector(1024)
                .detect("", "Der französische Präsident Emmanuel Macron hat am Montag in Moskau den russischen "
                            "Präsidenten Wladimir Putin getroffen, um eine diplomatische Lösung der Krise zu finden.",
                        30, 0)
                .code,
            "de");
  EXPECT_EQ(language_detector(1024)
                .detect("", "El presidente francés Emmanuel Macron se reunió el lunes en Moscú con su homólogo ruso "
                            "Vladimir Putin para buscar una salida diplomática a la crisis de Ucrania.",
                        30, 0)
                .code,
            "es");
}

// A sentence is too little for a reliable guess, whatever CLD2 says.
TEST(LanguageIdTest, ASentenceIsNoReliableEvidence) {
  const auto g = language_detector(1024).detect("", "Paris a promis 100.000 soldats.", 5, 0);
  EXPECT_FALSE(g.reliable) << g.code;
}

TEST(LanguageIdTest, SaysUndWhenThereIsNothingToRead) {
  const auto g = language_detector(1024).detect("", "", 0, 0);
  EXPECT_EQ(g.code, "und");
  EXPECT_FALSE(g.reliable);
}

TEST(LanguageIdTest, CanonicalisesTags) {
  EXPECT_EQ(canonical_language_tag("en"), "en");
  EXPECT_EQ(canonical_language_tag("EN"), "en");
  EXPECT_EQ(canonical_language_tag("en_us"), "en-US");
  EXPECT_EQ(canonical_language_tag("eng"), "en");
  EXPECT_EQ(canonical_language_tag("iw"), "he");
  EXPECT_EQ(canonical_language_tag("zh-hant"), "zh-Hant");
  EXPECT_EQ(canonical_language_tag("not a tag!"), "");
}

}  // namespace
}  // namespace wirefeed

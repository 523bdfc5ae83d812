// `wirefeed check-config`: every error at once, librdkafka's verdict on kafka.consumer and
// kafka.producer included, and exit 2.
#include <filesystem>

#include <gtest/gtest.h>

#include "daemon/commands.h"

namespace wirefeed::commands {
namespace {

TEST(CheckConfigCommandTest, AValidFileIsOk) {
  testing::internal::CaptureStdout();
  EXPECT_EQ(check_config(cfg::load_from_string("kafka: {producer: {linger.ms: 20}}", {}, {}), false), exit_ok);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "configuration OK\n");
}

TEST(CheckConfigCommandTest, LibrdkafkaPropertiesItRejectsAreErrorsReportedTogether) {
  testing::internal::CaptureStderr();
  const int code = check_config(cfg::load_from_string("kafka:\n"
                                                      "  consumer: {session.timeout.ms: abc, not.a.property: 1}\n"
                                                      "  producer: {linger.ms: soon}\n",
                                                      {}, {}),
                                false);
  const auto err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(code, exit_bad_config);
  EXPECT_NE(err.find("invalid configuration (3 errors)"), std::string::npos) << err;
  EXPECT_NE(err.find("kafka.consumer: librdkafka property 'session.timeout.ms'"), std::string::npos) << err;
  EXPECT_NE(err.find("kafka.consumer: librdkafka property 'not.a.property'"), std::string::npos) << err;
  EXPECT_NE(err.find("kafka.producer: librdkafka property 'linger.ms'"), std::string::npos) << err;
}

// --print goes to a terminal or a CI log: no password in it.
TEST(CheckConfigCommandTest, PrintMasksSecrets) {
  const std::string sasl = "{security.protocol: sasl_plaintext, sasl.mechanism: PLAIN, sasl.username: wf, "
                           "sasl.password: s3cret}";
  testing::internal::CaptureStdout();
  EXPECT_EQ(check_config(cfg::load_from_string("kafka: {consumer: " + sasl + ", producer: " + sasl + "}", {}, {}), true),
            exit_ok);
  const auto out = testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
  EXPECT_NE(out.find("********"), std::string::npos) << out;
  EXPECT_NE(out.find("sasl.username: wf"), std::string::npos) << out;
}

// What `run` would refuse at start-up although every key is valid on its own: properties
// librdkafka checks against each other when it makes the client, and data files that do not load.
TEST(CheckConfigCommandTest, WhatRunWouldRefuseAtStartUpIsAnErrorToo) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(check_config(cfg::load_from_string("kafka: {consumer: {max.poll.interval.ms: 60000}}", {}, {}), false),
            exit_bad_config);
  auto err = testing::internal::GetCapturedStderr();
  // With the values of the properties librdkafka names, and where each comes from.
  EXPECT_NE(err.find("kafka.consumer: `max.poll.interval.ms`must be >= `session.timeout.ms` (kafka.consumer."
                     "max.poll.interval.ms is '60000'; session.timeout.ms is '300000', wirefeed's setting: "
                     "kafka.consumer.session.timeout.ms overrides it)"),
            std::string::npos)
      << err;

  // A secret's value is never shown, not even in librdkafka's complaint about it (this build of
  // librdkafka has no OIDC: the property is refused, by name).
  testing::internal::CaptureStderr();
  EXPECT_EQ(check_config(cfg::load_from_string("kafka: {consumer: {sasl.oauthbearer.client.secret: TOPSECRET123}, "
                                               "producer: {sasl.oauthbearer.client.secret: TOPSECRET123}}",
                                               {}, {}),
                         false),
            exit_bad_config);
  err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(err.find("TOPSECRET123"), std::string::npos) << err;
  EXPECT_NE(err.find("sasl.oauthbearer.client.secret is '********'"), std::string::npos) << err;

  // A rebalance's drain that outlasts max.poll.interval.ms.
  testing::internal::CaptureStderr();
  EXPECT_EQ(check_config(cfg::load_from_string("shutdown: {revoke_drain_timeout_ms: 30000}\n"
                                               "kafka: {consumer: {max.poll.interval.ms: 30000, session.timeout.ms: 30000}}",
                                               {}, {}),
                         false),
            exit_bad_config);
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("shutdown.revoke_drain_timeout_ms (30000) must be below kafka.consumer.max.poll.interval.ms (30000)"),
            std::string::npos)
      << err;

  testing::internal::CaptureStderr();
  EXPECT_EQ(check_config(cfg::load_from_string("extract: {ner_model: /nonexistent/ner.bin}", {}, {}), false),
            exit_bad_config);
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("/nonexistent/ner.bin"), std::string::npos) << err;
  // A relative one found nowhere: with the places looked at.
  testing::internal::CaptureStderr();
  EXPECT_EQ(check_config(cfg::load_from_string("extract: {ner_model: models/nothere.bin}", {}, {}), false), exit_bad_config);
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("(looked for models/nothere.bin at " + (std::filesystem::current_path() / "models/nothere.bin").string() +
                     ", "),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("/share/wirefeed/models/nothere.bin, "), std::string::npos) << err;

  // Beside librdkafka's verdict, not only once it is fixed.
  testing::internal::CaptureStderr();
  EXPECT_EQ(check_config(cfg::load_from_string("extract: {ner_model: /nonexistent/ner.bin}\n"
                                               "kafka: {producer: {linger.ms: soon}}",
                                               {}, {}),
                         false),
            exit_bad_config);
  err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("invalid configuration (2 errors)"), std::string::npos) << err;
  EXPECT_NE(err.find("/nonexistent/ner.bin"), std::string::npos) << err;

  // Not with a value out of its range in the config (it would be built: a learner of a terabyte;
  // a message size would be refused again as the fetch size wirefeed derives from it, and checked
  // against the in-flight budget).
  for (const char* yaml : {"normalize: {learner: {capacity: 1099511627776}}", "pipeline: {max_message_bytes: 999995905}"}) {
    testing::internal::CaptureStderr();
    EXPECT_EQ(check_config(cfg::load_from_string(yaml, {}, {}), false), exit_bad_config);
    err = testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("invalid configuration (1 error)"), std::string::npos) << err;
  }
}

}  // namespace
}  // namespace wirefeed::commands

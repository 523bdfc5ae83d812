#pragma once

#include <string>
#include <utility>
#include <variant>

namespace wirefeed {

// Why a message could not be processed. Travels as a value through the data path and ends as
// dead-letter headers; never thrown.
//   stage   - the stage that rejected the message ("decode", "normalize", ...)
//   reason  - a stable, low-cardinality code used as a metric label ("invalid_json", "oversized")
//   message - a human-readable detail for the operator
struct stage_error {
  std::string stage;
  std::string reason;
  std::string message;
};

// A value or a stage_error. Deliberately tiny: C++20 has no std::expected.
template <class T>
class result {
 public:
  result(T&& value) : v_(std::move(value)) {}              // NOLINT(google-explicit-constructor)
  result(const T& value) : v_(value) {}                    // NOLINT(google-explicit-constructor)
  result(stage_error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const stage_error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, stage_error> v_;
};

// The outcome of a stage that works in place: nothing, or why it rejected the article.
using status = result<std::monostate>;
inline status ok_status() { return std::monostate{}; }

}  // namespace wirefeed

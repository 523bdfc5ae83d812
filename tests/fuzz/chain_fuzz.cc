// libFuzzer target: see fuzz_targets.h. Built with -DWIREFEED_FUZZ=ON (clang); run by scripts/fuzz.sh.
#include "tests/fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wirefeed::fuzz::run_chain(data, size);
  return 0;
}

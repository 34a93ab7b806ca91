// libFuzzer target: retort.toml text -> config::ParseConfig, and the value parsers it uses for
// sizes and durations. Rejecting the input is fine; crashing, hanging or leaking is not.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  retort::Result<retort::config::Config> config = retort::config::ParseConfig(text, "retort.toml");
  if (config.ok()) {
    // Every value ParseConfig accepted must be one the rest of retort can read back.
    for (const std::string& duration : {config->lock_timeout, config->statement_timeout,
                                        config->lock_retry_base, config->lock_retry_max}) {
      if (!retort::config::ParseDurationMs(duration).ok()) __builtin_trap();
    }
    for (const std::string& bytes : {config->lint_warning_size, config->lint_error_size}) {
      if (!retort::config::ParseSizeBytes(bytes).ok()) __builtin_trap();
    }
  }
  (void)retort::config::ParseSizeBytes(text);
  (void)retort::config::ParseDurationMs(text);
  return 0;
}

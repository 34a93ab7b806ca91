// libFuzzer target: a database URL or libpq keyword/value string -> config::ToLibpqConninfo and
// config::RedactPassword.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/database_url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view url(reinterpret_cast<const char*>(data), size);
  (void)retort::config::RedactPassword(url);
  if (retort::config::IsEmbeddedUrl(url)) return 0;
  retort::Result<std::string> conninfo = retort::config::ToLibpqConninfo(url);
  if (conninfo.ok()) (void)retort::config::RedactPassword(*conninfo);
  return 0;
}

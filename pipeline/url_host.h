#pragma once

#include <string_view>

namespace wirefeed {

// The host of a URL ("https://user@www.example-news.com:443/x?y" -> "www.example-news.com"); ""
// without a "scheme://".
inline std::string_view url_host(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  url.remove_prefix(scheme + 3);
  url = url.substr(0, url.find_first_of("/?#"));
  if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  return url.substr(0, url.find(':'));
}

}  // namespace wirefeed

#pragma once

#include <optional>
#include <string_view>

namespace wirefeed {

// The UTF-8 text of a named HTML character reference, without '&' and ';' ("amp" -> "&",
// "eacute" -> "é"). Case-sensitive, as in HTML. The HTML 4 set plus &apos;; nothing for others.
std::optional<std::string_view> html_entity(std::string_view name);

}  // namespace wirefeed

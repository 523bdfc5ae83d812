#include "pipeline/article.h"

namespace wirefeed {

const char* to_string(removal_kind k) {
  switch (k) {
    case removal_kind::header: return "header";
    case removal_kind::navigation: return "navigation";
    case removal_kind::teaser: return "teaser";
    case removal_kind::promo: return "promo";
    case removal_kind::copyright: return "copyright";
    case removal_kind::contributor: return "contributor";
    case removal_kind::source_note: return "source_note";
    case removal_kind::caption: return "caption";
    case removal_kind::duplicate: return "duplicate";
    case removal_kind::byline: return "byline";
    case removal_kind::learned: return "learned";
  }
  return "unknown";
}

const char* to_string(published_source s) {
  switch (s) {
    case published_source::none: return "none";
    case published_source::feed: return "feed";
    case published_source::header: return "header";
    case published_source::dateline: return "dateline";
    case published_source::record_timestamp: return "record_timestamp";
  }
  return "unknown";
}

const char* to_string(language_source s) {
  switch (s) {
    case language_source::none: return "none";
    case language_source::declared: return "declared";
    case language_source::detected: return "detected";
  }
  return "unknown";
}

}  // namespace wirefeed

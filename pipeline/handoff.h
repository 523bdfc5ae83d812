#pragma once

#include <limits>

#include "pipeline/article.h"
#include "pipeline/error.h"
#include "pipeline/record.h"

namespace wirefeed {

// The record the extract role writes to `topics.extracted` and the cluster role reads back
// (pipeline.role; docs/clustering.md, "Scale-out"). Pure functions.
//
// Value: one JSON object, {"handoff": 1, "enriched": <encode_unclustered, as a string>, ...} plus
// exactly what the cluster stage reads: uri, headline, language, source (story::source_of), the
// record timestamp and publication time, the dateline's place (optional: records of earlier
// builds have none), terms, entities (kind, name, mention count), figures and quotes (text,
// speaker, whether named at the quote: "direct"), MinHash and paragraph fingerprints, the content key
// (a decimal string; absent from records of earlier builds: 0). Key = uri; partition and timestamp = the input
// record's, so the cluster role merges its partitions in the order the whole chain would.

// `max_document_bytes`: encode_unclustered's, so that the cluster role writes the enriched
// article the whole chain writes (cut as it would be).
output_record encode_handoff(const article& a, const input_record& input,
                             std::size_t max_document_bytes = std::numeric_limits<std::size_t>::max());

// The article the cluster stage needs, with `unclustered` set; its body holds only the figure and
// quote texts its spans point at. A record that is not a hand-off is a stage_error (reason
// "invalid_handoff").
result<article> decode_handoff(const input_record& record);

}  // namespace wirefeed

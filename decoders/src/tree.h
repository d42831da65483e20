// Helpers every protocol uses to build Decoded trees (internal to the decoders library).
#pragma once

#include <string>
#include <string_view>

#include "framescope/decoders/decoded.h"

namespace framescope::decoders::detail {

Node group(std::string name, SourceSpan span = {});
Node text(std::string name, std::string value, SourceSpan span = {});
Node number(std::string name, uint64_t value, SourceSpan span = {});
// A Value as a node: scalars as one node, arrays and maps as groups of their elements.
Node valueNode(std::string name, const Value& value);
// A Value in one line, truncated to `limit` characters ("…" appended when cut).
std::string shortJson(const Value& value, size_t limit = 60);
// Quoted and truncated, for summaries.
std::string quoted(std::string_view text, size_t limit = 40);
SourceSpan spanOf(size_t offset, size_t length);
// A Value's integer or string form as a pairing key fragment ("7", "abc"); empty when neither.
std::string keyText(const Value* value);
std::string hexPreview(std::string_view bytes, size_t limit = 32);
std::string plural(size_t n, std::string_view word);
// Drops every span (for trees built from bytes of earlier messages).
void clearSpans(Node& node);

}  // namespace framescope::decoders::detail

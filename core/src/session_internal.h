// Internals shared by the session's source files.
#pragma once

#include "framescope/session.h"

namespace framescope {

enum class CloseInput : uint8_t { SendClose, ReceiveClose, Fail };

// The close handshake's transition table (session.cpp).
SessionState nextCloseState(SessionState from, CloseInput input) noexcept;

}  // namespace framescope

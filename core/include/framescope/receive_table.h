// The receive state of a session as one table of (state, input) -> (state, action), like h11's and
// wsproto's: the fragmentation rules of RFC 6455 §5.4 in one place. Session drives it (session.cpp).
#pragma once

#include <cstdint>

namespace framescope {

// Idle: between frames, no fragmented message in progress. IdleFrame: a frame whose header was
// accepted in Idle is arriving. InMessage / InMessageFrame: the same with a fragmented data message
// in progress. Failed: the peer broke the protocol; nothing more is read.
enum class RxState : uint8_t { Idle, IdleFrame, InMessage, InMessageFrame, Failed };

enum class RxInput : uint8_t {
    StartHeader,         // the header of a text or binary frame (a message's first frame)
    ContinuationHeader,  // the header of a continuation frame
    ControlHeader,       // the header of a ping, pong or close frame
    FragmentDone,        // a data frame without FIN is complete
    FinalDone,           // a data frame with FIN is complete
    ControlDone,         // a control frame is complete
    Violation,           // any rule broken (header rules, sizes, UTF-8, inflation, close body)
};

enum class RxAction : uint8_t {
    None,
    BeginMessage,        // start reassembly for a new message, then receive its first frame
    ReceiveFrame,        // receive a frame's payload (a continuation or a control frame)
    KeepMessage,         // add the frame to the message; more frames follow
    EndMessage,          // add the frame and deliver the message
    DeliverControl,      // deliver the ping, pong or close
    RejectContinuation,  // RFC 6455 §5.4: a continuation with no message in progress
    RejectInterleaved,   // RFC 6455 §5.4: a new message before the previous one ended
    Fail,                // the session fails with the violation's close code
};

struct RxTransition {
    RxState to;
    RxAction action;
};

// Looks the pair up in the table. Pairs the table does not list cannot happen while the session
// follows it (e.g. a header while a frame is arriving): they give {Failed, Fail}.
RxTransition nextReceiveState(RxState from, RxInput input) noexcept;
const char* rxStateName(RxState state) noexcept;

}  // namespace framescope

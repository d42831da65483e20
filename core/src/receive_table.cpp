// The receive table (receive_table.h). Theory of operation: every frame is two inputs, its header
// (accepted or rejected by the fragmentation rules of RFC 6455 §5.4) and its completion (which says
// where the message stands). Rules that do not depend on the state (header bits, sizes, UTF-8,
// inflation) are checked by the session and enter as Violation. Anything not listed is impossible
// for a session that follows the table, and fails.
#include "framescope/receive_table.h"

namespace framescope {

namespace {

struct Row {
    RxState from;
    RxInput input;
    RxState to;
    RxAction action;
};

using S = RxState;
using I = RxInput;
using A = RxAction;

constexpr Row kReceiveTable[] = {
    // Between messages.
    {S::Idle, I::StartHeader, S::IdleFrame, A::BeginMessage},
    {S::Idle, I::ContinuationHeader, S::Failed, A::RejectContinuation},  // RFC 6455 §5.4
    {S::Idle, I::ControlHeader, S::IdleFrame, A::ReceiveFrame},
    {S::IdleFrame, I::FragmentDone, S::InMessage, A::KeepMessage},
    {S::IdleFrame, I::FinalDone, S::Idle, A::EndMessage},
    {S::IdleFrame, I::ControlDone, S::Idle, A::DeliverControl},
    // Inside a fragmented message; RFC 6455 §5.4: control frames may be injected between fragments.
    {S::InMessage, I::StartHeader, S::Failed, A::RejectInterleaved},  // RFC 6455 §5.4
    {S::InMessage, I::ContinuationHeader, S::InMessageFrame, A::ReceiveFrame},
    {S::InMessage, I::ControlHeader, S::InMessageFrame, A::ReceiveFrame},
    {S::InMessageFrame, I::FragmentDone, S::InMessage, A::KeepMessage},
    {S::InMessageFrame, I::FinalDone, S::Idle, A::EndMessage},
    {S::InMessageFrame, I::ControlDone, S::InMessage, A::DeliverControl},
    // Any rule broken, anywhere: the session fails (RFC 6455 §7.1.7). Failed is final.
    {S::Idle, I::Violation, S::Failed, A::Fail},
    {S::IdleFrame, I::Violation, S::Failed, A::Fail},
    {S::InMessage, I::Violation, S::Failed, A::Fail},
    {S::InMessageFrame, I::Violation, S::Failed, A::Fail},
    {S::Failed, I::Violation, S::Failed, A::None},
};

}  // namespace

RxTransition nextReceiveState(RxState from, RxInput input) noexcept {
    for (const Row& row : kReceiveTable) {
        if (row.from == from && row.input == input) return {row.to, row.action};
    }
    return {RxState::Failed, from == RxState::Failed ? RxAction::None : RxAction::Fail};
}

const char* rxStateName(RxState state) noexcept {
    switch (state) {
        case RxState::Idle:
            return "idle";
        case RxState::IdleFrame:
            return "frame arriving";
        case RxState::InMessage:
            return "in message";
        case RxState::InMessageFrame:
            return "frame arriving in message";
        case RxState::Failed:
            return "failed";
    }
    return "unknown";
}

}  // namespace framescope

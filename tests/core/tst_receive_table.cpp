// The receive table, case by case: every (state, input) pair and the (state, action) it gives.
#include <QTest>

#include "framescope/receive_table.h"

using namespace framescope;

Q_DECLARE_METATYPE(framescope::RxState)
Q_DECLARE_METATYPE(framescope::RxInput)
Q_DECLARE_METATYPE(framescope::RxAction)

namespace {

using S = RxState;
using I = RxInput;
using A = RxAction;

const char* inputName(RxInput input) {
    switch (input) {
        case I::StartHeader:
            return "start header";
        case I::ContinuationHeader:
            return "continuation header";
        case I::ControlHeader:
            return "control header";
        case I::FragmentDone:
            return "fragment done";
        case I::FinalDone:
            return "final done";
        case I::ControlDone:
            return "control done";
        case I::Violation:
            return "violation";
    }
    return "?";
}

}  // namespace

class TstReceiveTable : public QObject {
    Q_OBJECT

private slots:
    void transitions_data() {
        QTest::addColumn<RxState>("from");
        QTest::addColumn<RxInput>("input");
        QTest::addColumn<RxState>("to");
        QTest::addColumn<RxAction>("action");
        struct Case {
            S from;
            I input;
            S to;
            A action;
        };
        const Case cases[] = {
            {S::Idle, I::StartHeader, S::IdleFrame, A::BeginMessage},
            {S::Idle, I::ContinuationHeader, S::Failed, A::RejectContinuation},
            {S::Idle, I::ControlHeader, S::IdleFrame, A::ReceiveFrame},
            {S::Idle, I::FragmentDone, S::Failed, A::Fail},
            {S::Idle, I::FinalDone, S::Failed, A::Fail},
            {S::Idle, I::ControlDone, S::Failed, A::Fail},
            {S::Idle, I::Violation, S::Failed, A::Fail},
            {S::IdleFrame, I::StartHeader, S::Failed, A::Fail},
            {S::IdleFrame, I::ContinuationHeader, S::Failed, A::Fail},
            {S::IdleFrame, I::ControlHeader, S::Failed, A::Fail},
            {S::IdleFrame, I::FragmentDone, S::InMessage, A::KeepMessage},
            {S::IdleFrame, I::FinalDone, S::Idle, A::EndMessage},
            {S::IdleFrame, I::ControlDone, S::Idle, A::DeliverControl},
            {S::IdleFrame, I::Violation, S::Failed, A::Fail},
            {S::InMessage, I::StartHeader, S::Failed, A::RejectInterleaved},
            {S::InMessage, I::ContinuationHeader, S::InMessageFrame, A::ReceiveFrame},
            {S::InMessage, I::ControlHeader, S::InMessageFrame, A::ReceiveFrame},
            {S::InMessage, I::FragmentDone, S::Failed, A::Fail},
            {S::InMessage, I::FinalDone, S::Failed, A::Fail},
            {S::InMessage, I::ControlDone, S::Failed, A::Fail},
            {S::InMessage, I::Violation, S::Failed, A::Fail},
            {S::InMessageFrame, I::StartHeader, S::Failed, A::Fail},
            {S::InMessageFrame, I::ContinuationHeader, S::Failed, A::Fail},
            {S::InMessageFrame, I::ControlHeader, S::Failed, A::Fail},
            {S::InMessageFrame, I::FragmentDone, S::InMessage, A::KeepMessage},
            {S::InMessageFrame, I::FinalDone, S::Idle, A::EndMessage},
            {S::InMessageFrame, I::ControlDone, S::InMessage, A::DeliverControl},
            {S::InMessageFrame, I::Violation, S::Failed, A::Fail},
            {S::Failed, I::StartHeader, S::Failed, A::None},
            {S::Failed, I::ContinuationHeader, S::Failed, A::None},
            {S::Failed, I::ControlHeader, S::Failed, A::None},
            {S::Failed, I::FragmentDone, S::Failed, A::None},
            {S::Failed, I::FinalDone, S::Failed, A::None},
            {S::Failed, I::ControlDone, S::Failed, A::None},
            {S::Failed, I::Violation, S::Failed, A::None},
        };
        for (const Case& c : cases) {
            QTest::addRow("%s + %s", rxStateName(c.from), inputName(c.input))
                << c.from << c.input << c.to << c.action;
        }
    }

    void transitions() {
        QFETCH(RxState, from);
        QFETCH(RxInput, input);
        QFETCH(RxState, to);
        QFETCH(RxAction, action);
        const RxTransition next = nextReceiveState(from, input);
        QCOMPARE(rxStateName(next.to), rxStateName(to));
        QCOMPARE(int(next.action), int(action));
    }
};

QTEST_APPLESS_MAIN(TstReceiveTable)
#include "tst_receive_table.moc"

// Intercept rules: checking and matching. See intercept.h.
#include "net/intercept.h"

#include <algorithm>

#include "framescope/frame.h"

namespace framescope::app {

QString checkInterceptRules(const InterceptRules& rules) {
    if (!rules.regex || rules.pattern.isEmpty()) return {};
    const QRegularExpression expression(rules.pattern);
    if (expression.isValid()) return {};
    return QString("The breakpoint's regular expression is invalid at offset %1: %2.")
        .arg(expression.patternErrorOffset())
        .arg(expression.errorString());
}

InterceptMatcher::InterceptMatcher(const InterceptRules& rules) : rules_(rules) {
    if (rules_.regex && !rules_.pattern.isEmpty()) {
        expression_ = QRegularExpression(rules_.pattern);
    } else {
        needle_ = rules_.pattern.toUtf8();
    }
}

bool InterceptMatcher::matches(Leg from, uint8_t opcode, std::span<const uint8_t> payload) const {
    if (!rules_.enabled) return false;
    if (rules_.direction == InterceptDirection::ToUpstream && from != Leg::Client) return false;
    if (rules_.direction == InterceptDirection::ToApp && from != Leg::Upstream) return false;
    if (opcode == opcode::kClose) {
        if (!rules_.closes) return false;
    } else if ((rules_.opcodes == InterceptOpcodes::Text && opcode != opcode::kText) ||
               (rules_.opcodes == InterceptOpcodes::Binary && opcode != opcode::kBinary)) {
        return false;
    }
    if (rules_.pattern.isEmpty()) return true;
    const char* data = reinterpret_cast<const char*>(payload.data());
    if (!rules_.regex) {
        return std::search(data, data + payload.size(), needle_.cbegin(), needle_.cend()) !=
               data + payload.size();
    }
    if (!expression_.isValid()) return false;
    return expression_.match(QString::fromUtf8(data, static_cast<qsizetype>(payload.size()))).hasMatch();
}

const char* interceptDirectionName(Leg from) {
    return from == Leg::Client ? "app → upstream" : "upstream → app";
}

}  // namespace framescope::app

#include "framescope/close_code.h"

namespace framescope {

CloseCodeClass classifyCloseCode(uint16_t code) noexcept {
    // RFC 6455 §7.4.1 and §7.4.2, plus the IANA registry entries 1012-1014.
    if (code < 1000) return CloseCodeClass::NotUsed;
    if (code <= 1003 || (code >= 1007 && code <= 1014)) return CloseCodeClass::Standard;
    if (code <= 1006 || code == 1015) return CloseCodeClass::ReservedLocal;
    if (code <= 2999) return CloseCodeClass::ReservedProtocol;
    if (code <= 3999) return CloseCodeClass::Registered;
    if (code <= 4999) return CloseCodeClass::Private;
    return CloseCodeClass::OutOfRange;
}

bool isValidWireCloseCode(uint16_t code) noexcept {
    const CloseCodeClass kind = classifyCloseCode(code);
    return kind == CloseCodeClass::Standard || kind == CloseCodeClass::Registered ||
           kind == CloseCodeClass::Private;
}

const char* closeCodeName(uint16_t code) noexcept {
    switch (code) {
        case 1000:
            return "Normal closure";
        case 1001:
            return "Going away";
        case 1002:
            return "Protocol error";
        case 1003:
            return "Unsupported data";
        case 1004:
            return "Reserved (1004)";
        case 1005:
            return "No status received";
        case 1006:
            return "Abnormal closure";
        case 1007:
            return "Invalid frame payload data";
        case 1008:
            return "Policy violation";
        case 1009:
            return "Message too big";
        case 1010:
            return "Mandatory extension";
        case 1011:
            return "Internal error";
        case 1012:
            return "Service restart";
        case 1013:
            return "Try again later";
        case 1014:
            return "Bad gateway";
        case 1015:
            return "TLS handshake failure";
        default:
            break;
    }
    switch (classifyCloseCode(code)) {
        case CloseCodeClass::NotUsed:
            return "Unused code (0-999)";
        case CloseCodeClass::ReservedProtocol:
            return "Reserved for future protocol use";
        case CloseCodeClass::Registered:
            return "Registered (library or framework)";
        case CloseCodeClass::Private:
            return "Private use";
        default:
            return "Not a close code";
    }
}

}  // namespace framescope

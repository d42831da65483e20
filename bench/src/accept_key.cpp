#include "framescope/bench/accept_key.h"

#include "framescope/crypto.h"

namespace framescope::bench {

std::string computeAcceptKey(std::string_view key) {
    return framescope::computeAcceptKey(key);
}

}  // namespace framescope::bench

#include "capture/format_common.h"

#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>
#include <set>

namespace framescope::app {

const char* internViolation(std::string_view sentence) {
    static std::mutex mutex;
    static std::set<std::string, std::less<>>* sentences =
        new std::set<std::string, std::less<>>;  // never freed
    std::lock_guard lock(mutex);
    auto it = sentences->find(sentence);
    if (it == sentences->end()) it = sentences->emplace(sentence).first;
    return it->c_str();
}

std::string formatUtc(int64_t timestampUs) {
    const int64_t seconds = timestampUs >= 0 ? timestampUs / 1000000 : (timestampUs - 999999) / 1000000;
    const auto micros = static_cast<long>(timestampUs - seconds * 1000000);
    const auto t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
    return text;
}

}  // namespace framescope::app

// Helpers shared by the core tests: hex conversion and the three ways every decoder input is fed.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "framescope/deflate.h"

namespace framescope::test {

using Bytes = std::vector<uint8_t>;

inline Bytes fromHex(const char* hex) {
    const QByteArray raw = QByteArray::fromHex(QByteArray(hex).replace(' ', ""));
    return Bytes(raw.begin(), raw.end());
}

inline QString toHex(std::span<const uint8_t> bytes) {
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()))
            .toHex(' '));
}

inline Bytes bytesOf(std::string_view text) {
    return Bytes(text.begin(), text.end());
}

inline std::span<const uint8_t> spanOf(std::string_view text) {
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// How an input is handed to a decoder (h11's habit: every case three ways).
enum class Feed { Whole, ByteByByte, WithTrailing };

inline const char* feedName(Feed feed) {
    switch (feed) {
        case Feed::Whole:
            return "whole";
        case Feed::ByteByByte:
            return "byte-by-byte";
        case Feed::WithTrailing:
            return "with-trailing";
    }
    return "?";
}

// "c15 s10 cnct snct" or "none": negotiated permessage-deflate parameters in one comparable line.
inline QByteArray describeDeflateParams(const std::optional<DeflateParams>& params) {
    if (!params) return "none";
    return QByteArray::fromStdString("c" + std::to_string(params->clientMaxWindowBits) + " s" +
                                     std::to_string(params->serverMaxWindowBits) +
                                     (params->clientNoContextTakeover ? " cnct" : "") +
                                     (params->serverNoContextTakeover ? " snct" : ""));
}

}  // namespace framescope::test

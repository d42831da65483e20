// The opening handshake of a connection as the capture noted it: the HTTP upgrade request and the server's
// response head (with the body excerpt of a refusal), read from the store's handshake notes.
#pragma once

#include <QDialog>

#include "capture/capture_store.h"

class QPlainTextEdit;
class QLabel;

namespace framescope::ui {

struct HandshakeTexts {
    QString request;   // empty when not captured
    QString response;  // empty until the server answered
};

// The last handshake request and response noted for `connectionId`.
HandshakeTexts findHandshake(const app::CaptureStore& store, uint32_t connectionId);

class HandshakeDialog : public QDialog {
    Q_OBJECT

public:
    explicit HandshakeDialog(QWidget* parent = nullptr);

    void setHandshake(uint32_t connectionId, const HandshakeTexts& texts);
    QString requestText() const;
    QString responseText() const;

private:
    QLabel* title_ = nullptr;
    QPlainTextEdit* request_ = nullptr;
    QPlainTextEdit* response_ = nullptr;
};

}  // namespace framescope::ui

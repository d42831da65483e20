// The status bar's contents: the connection state with its sentence (faults in red), the negotiated
// subprotocol and extensions, the timing of TCP connect, TLS, handshake and first frame, the row count,
// and a "Handshake" button that opens the request and response heads. It also shows the status bar's
// transient messages (QStatusBar::showMessage), which QStatusBar itself could only draw left of this panel.
#pragma once

#include <QWidget>

#include "net/connection_types.h"

class QLabel;
class QToolButton;

namespace framescope::ui {

// "TCP 0.21 ms · TLS 3.1 ms · handshake 0.40 ms · first frame 1.2 ms" (phases not reached are left out).
QString timingText(const app::ConnectionTiming& timing);

class StatusPanel : public QWidget {
    Q_OBJECT

public:
    explicit StatusPanel(QWidget* parent = nullptr);

    void setState(app::ConnectionState state, const QString& sentence);
    void setNegotiated(const QString& subprotocol, const QString& extensions);
    void setTiming(const app::ConnectionTiming& timing);
    void setRowCounts(qsizetype shown, qsizetype total);
    void reset();  // a new connection starts
    // A transient message (connect to QStatusBar::messageChanged): shown in place of the connection state
    // (beside it when the state is a fault) until an empty message clears it.
    void showMessage(const QString& message);

    QLabel* messageLabel() const { return message_; }
    bool showsMessage() const;

    QString stateText() const;
    QLabel* stateLabel() const { return state_; }
    QLabel* rowsLabel() const { return rows_; }
    bool showsFault() const { return fault_; }
    QString negotiatedText() const;
    QString timingLabelText() const;
    QToolButton* handshakeButton() const { return handshake_; }

signals:
    void handshakeRequested();

private:
    QLabel* state_ = nullptr;
    QLabel* message_ = nullptr;
    QLabel* negotiated_ = nullptr;
    QLabel* timing_ = nullptr;
    QLabel* rows_ = nullptr;
    QToolButton* handshake_ = nullptr;
    bool fault_ = false;
};

}  // namespace framescope::ui

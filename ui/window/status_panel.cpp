#include "window/status_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>

#include "widgets/icons.h"

namespace framescope::ui {

namespace {

QString ms(int64_t us) {
    const double value = static_cast<double>(us) / 1000.0;
    return QString::number(value, 'f', value < 10 ? 2 : 1) + QStringLiteral(" ms");
}

QString stateColor(app::ConnectionState state) {
    switch (state) {
        case app::ConnectionState::Open:
            return QStringLiteral("#2e9e5b");
        case app::ConnectionState::Failed:
            return QStringLiteral("#d32f2f");
        case app::ConnectionState::Connecting:
        case app::ConnectionState::TlsHandshake:
        case app::ConnectionState::WsHandshake:
        case app::ConnectionState::Closing:
            return QStringLiteral("#d08a00");
        case app::ConnectionState::Idle:
        case app::ConnectionState::Closed:
            break;
    }
    return QString();
}

}  // namespace

QString timingText(const app::ConnectionTiming& t) {
    QStringList parts;
    if (t.tcpConnectUs >= 0) parts << QObject::tr("TCP %1").arg(ms(t.tcpConnectUs));
    if (t.tlsUs >= 0) parts << QObject::tr("TLS %1").arg(ms(t.tlsUs));
    if (t.handshakeUs >= 0) parts << QObject::tr("handshake %1").arg(ms(t.handshakeUs));
    if (t.firstFrameUs >= 0) parts << QObject::tr("first frame %1").arg(ms(t.firstFrameUs));
    return parts.join(QStringLiteral(" · "));
}

StatusPanel::StatusPanel(QWidget* parent) : QWidget(parent) {
    state_ = new QLabel;
    state_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    state_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    message_ = new QLabel;
    message_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    message_->setTextFormat(Qt::PlainText);
    message_->setVisible(false);
    negotiated_ = new QLabel;
    negotiated_->setToolTip(
        tr("Negotiated subprotocol and extensions (Sec-WebSocket-Protocol and "
           "Sec-WebSocket-Extensions of the 101 response)."));
    timing_ = new QLabel;
    timing_->setToolTip(
        tr("Time of the TCP connect, the TLS handshake, the WebSocket handshake, and from "
           "open to the first frame received."));
    rows_ = new QLabel;
    rows_->setToolTip(tr("Rows shown under the filter / rows captured"));
    handshake_ = new QToolButton;
    handshake_->setIcon(icon(QStringLiteral("handshake")));
    handshake_->setText(tr("Handshake"));
    handshake_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    handshake_->setAutoRaise(true);
    handshake_->setToolTip(tr("Show the HTTP upgrade request and the server's response (Ctrl+H)."));
    connect(handshake_, &QToolButton::clicked, this, &StatusPanel::handshakeRequested);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(state_, 1);
    layout->addWidget(message_, 1);
    layout->addWidget(negotiated_);
    layout->addSpacing(12);
    layout->addWidget(timing_);
    layout->addSpacing(12);
    layout->addWidget(rows_);
    layout->addWidget(handshake_);
    reset();
}

void StatusPanel::setState(app::ConnectionState state, const QString& sentence) {
    fault_ = state == app::ConnectionState::Failed;
    const QString color = stateColor(state);
    const QString name = QString::fromLatin1(app::connectionStateName(state));
    const QString style = color.isEmpty() ? QString() : QStringLiteral(" style='color:%1'").arg(color);
    // A fault's sentence is red too: it is the one thing the user must read.
    const QString text = fault_ ? QStringLiteral("<span%1>%2</span>").arg(style, sentence.toHtmlEscaped())
                                : sentence.toHtmlEscaped();
    state_->setText(QStringLiteral("<b%1>● %2</b> %3").arg(style, name, text));
    state_->setToolTip(sentence);
    state_->setVisible(fault_ || !showsMessage());
}

void StatusPanel::showMessage(const QString& message) {
    message_->setText(message);
    message_->setToolTip(message);
    message_->setVisible(!message.isEmpty());
    state_->setVisible(fault_ || message.isEmpty());
}

bool StatusPanel::showsMessage() const {
    return !message_->text().isEmpty();
}

void StatusPanel::setNegotiated(const QString& subprotocol, const QString& extensions) {
    negotiated_->setText(tr("subprotocol: %1 · extensions: %2")
                             .arg(subprotocol.isEmpty() ? tr("none") : subprotocol,
                                  extensions.isEmpty() ? tr("none") : extensions));
    negotiated_->setVisible(true);
}

void StatusPanel::setTiming(const app::ConnectionTiming& timing) {
    timing_->setText(timingText(timing));
}

void StatusPanel::setRowCounts(qsizetype shown, qsizetype total) {
    const QLocale locale;
    rows_->setText(shown == total ? tr("%1 rows").arg(locale.toString(total))
                                  : tr("%1 of %2 rows").arg(locale.toString(shown), locale.toString(total)));
}

void StatusPanel::reset() {
    fault_ = false;
    state_->setText(tr("<b>● Idle</b> Not connected."));
    state_->setVisible(!showsMessage());
    negotiated_->clear();
    negotiated_->setVisible(false);
    timing_->clear();
}

QString StatusPanel::stateText() const {
    return state_->text();
}

QString StatusPanel::negotiatedText() const {
    return negotiated_->text();
}

QString StatusPanel::timingLabelText() const {
    return timing_->text();
}

}  // namespace framescope::ui

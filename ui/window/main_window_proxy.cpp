// MainWindow and the reverse proxy: the bar's Proxy button starts one toward the bar's URL, the Intercept
// tab shows what its breakpoints hold, and the Frame crafter's Send goes to a held message's leg (Edit in
// crafter) or into a chosen leg (Inject) when the Intercept tab armed it.
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>

#include "widgets/frame_crafter.h"
#include "window/connection_bar.h"
#include "window/intercept_panel.h"
#include "window/main_window.h"
#include "window/session_controller.h"

namespace framescope::ui {

void MainWindow::connectProxy() {
    connect(bar_, &ConnectionBar::proxyRequested, this,
            [this] { startProxy(QUrl::fromUserInput(bar_->url()), intercept_->listenPort()); });
    connect(bar_, &ConnectionBar::stopProxyRequested, this, &MainWindow::stopProxy);
    connect(controller_, &SessionController::proxyChanged, this, [this] {
        app::ProxyServer* proxy = controller_->proxy();
        intercept_->setProxy(proxy);
        bar_->setProxy(proxy ? proxy->url().toString() : QString(), proxy ? bar_->url() : QString());
    });
    connect(intercept_, &InterceptPanel::editRequested, this, &MainWindow::loadHeldIntoCrafter);
    connect(intercept_, &InterceptPanel::injectRequested, this, [this](quint32, app::Leg to) {
        crafter_->setRole(to == app::Leg::Upstream ? SenderRole::Client : SenderRole::Server);
        crafter_->sendButton()->setText(to == app::Leg::Upstream ? tr("Inject into upstream leg")
                                                                 : tr("Inject into app leg"));
        tools_->setCurrentIndex(CrafterTab);
    });
}

bool MainWindow::startProxy(const QUrl& upstream, quint16 port) {
    QString error;
    if (!controller_->startProxy(upstream, port, &error, intercept_->passPings())) {
        statusBar()->showMessage(tr("The proxy did not start: %1").arg(error), 10000);
        return false;
    }
    tools_->setCurrentIndex(InterceptTab);
    statusBar()->showMessage(tr("Proxy listening on %1, forwarding to %2.")
                                 .arg(controller_->proxy()->url().toString(), upstream.toString()),
                             10000);
    return true;
}

void MainWindow::stopProxy() {
    controller_->stopProxy();
}

// A held message in the crafter: one unfragmented frame, masked when it goes upstream (the proxy is the
// upstream's client) and not when it goes to the app, text shown as text and anything else as hex.
void MainWindow::loadHeldIntoCrafter(const app::HeldMessage& message, app::Leg to) {
    const bool upstream = to == app::Leg::Upstream;
    CrafterState state;
    state.opcode = message.opcode;
    state.masked = upstream;
    QByteArray payload = message.payload;
    if (message.opcode == opcode::kClose) {  // the frame's body: the status code, then the reason
        const char code[2] = {char(message.closeCode >> 8), char(message.closeCode & 0xff)};
        payload.prepend(code, 2);
    }
    const QString text = QString::fromUtf8(payload);
    const bool asText = message.opcode == opcode::kText && text.toUtf8() == payload;
    state.payloadFormat = asText ? PayloadFormat::Text : PayloadFormat::Hex;
    state.payloadText = asText ? text : QString::fromLatin1(payload.toHex(' '));
    crafter_->setRole(upstream ? SenderRole::Client : SenderRole::Server);
    crafter_->setState(state);
    crafter_->sendButton()->setText(tr("Send instead of held %1").arg(message.id));
    tools_->setCurrentIndex(CrafterTab);
}

// The crafter's Send: to the proxy when the Intercept tab armed it, else on the window's connection.
void MainWindow::sendCrafted(const FramePlan& plan) {
    QList<app::RawFrame> frames;
    for (const RawFramePlanItem& item : plan)
        frames.append(rawFrameOf(item));
    if (!intercept_->takeCrafterPlan(frames)) return controller_->sendPlan(plan);
    crafter_->setRole(SenderRole::Client);
    crafter_->sendButton()->setText(tr("Send Frames"));
    tools_->setCurrentIndex(InterceptTab);
}

}  // namespace framescope::ui

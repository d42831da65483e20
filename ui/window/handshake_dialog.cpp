#include "window/handshake_dialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace framescope::ui {

HandshakeTexts findHandshake(const app::CaptureStore& store, uint32_t connectionId) {
    HandshakeTexts texts;
    // Newest first: a reconnecting connection notes a handshake per attempt.
    for (size_t row = store.size(); row-- > 0;) {
        const app::CaptureRecord& r = store.record(row);
        if (r.connectionId != connectionId) continue;
        const std::string_view note = store.noteText(row);
        const QString text = QString::fromUtf8(note.data(), static_cast<qsizetype>(note.size()));
        if (r.kind == app::RecordKind::HandshakeResponse && texts.response.isEmpty() &&
            texts.request.isEmpty()) {
            texts.response = text;
        } else if (r.kind == app::RecordKind::HandshakeRequest) {
            texts.request = text;
            break;
        }
    }
    return texts;
}

namespace {

QWidget* pane(const QString& caption, QPlainTextEdit* edit) {
    auto* box = new QWidget;
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(caption));
    layout->addWidget(edit);
    return box;
}

QPlainTextEdit* headView() {
    auto* edit = new QPlainTextEdit;
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

}  // namespace

HandshakeDialog::HandshakeDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Opening handshake"));
    title_ = new QLabel;
    request_ = headView();
    response_ = headView();
    auto* splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(pane(tr("<b>→ Request</b> (HTTP upgrade, RFC 6455 §4.1)"), request_));
    splitter->addWidget(pane(tr("<b>← Response</b> (101 Switching Protocols expected)"), response_));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    resize(640, 520);
}

void HandshakeDialog::setHandshake(uint32_t connectionId, const HandshakeTexts& texts) {
    title_->setText(connectionId == 0 ? tr("No connection yet: press Connect first.")
                                      : tr("Connection %1").arg(connectionId));
    request_->setPlainText(texts.request.isEmpty() ? tr("(no request captured)") : texts.request);
    response_->setPlainText(texts.response.isEmpty() ? tr("(no response yet)") : texts.response);
}

QString HandshakeDialog::requestText() const {
    return request_->toPlainText();
}

QString HandshakeDialog::responseText() const {
    return response_->toPlainText();
}

}  // namespace framescope::ui

// framescope-widgets-demo: the inspector over sample frames, the crafter and the composer, without the app.
//   framescope-widgets-demo [--dark] [--screenshot DIR]
// --screenshot saves PNGs of every view in a light and a dark palette to DIR and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QListWidget>
#include <QPalette>
#include <QSplitter>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTimer>

#include "framescope/byte_buffer.h"
#include "widgets/composer.h"
#include "widgets/frame_crafter.h"
#include "widgets/frame_inspector.h"
#include "widgets/hex_view.h"

using namespace framescope;
using namespace framescope::ui;

namespace {

struct Sample {
    QString id;
    QString title;
    FrameData frame;
};

QByteArray encode(RawFrameSpec spec, const QByteArray& payload) {
    spec.payload = {reinterpret_cast<const uint8_t*>(payload.constData()),
                    static_cast<size_t>(payload.size())};
    ByteBuffer out;
    encodeRawFrame(spec, out);
    return QByteArray(reinterpret_cast<const char*>(out.data()), static_cast<qsizetype>(out.size()));
}

FrameData sampleFrame(const RawFrameSpec& spec, const QByteArray& payload, FrameDirection direction,
                      qint64 t) {
    FrameData frame;
    frameDataFromWire(encode(spec, payload), direction, t, frame);
    return frame;
}

QList<Sample> samples() {
    const qint64 t0 = QDateTime(QDate(2024, 5, 17), QTime(14, 3, 27, 512)).toMSecsSinceEpoch() * 1000 + 318;
    QList<Sample> list;
    RawFrameSpec text;
    text.masked = true;
    text.maskKey = {0x37, 0xfa, 0x21, 0x3d};
    const QByteArray json =
        R"({"type":"subscribe","channel":"trades","symbols":["BTC-USD","ETH-USD"],"depth":10})";
    FrameData masked = sampleFrame(text, json, FrameDirection::Outgoing, t0);
    masked.index = 41;
    masked.messageIndex = 20;
    list.append({QStringLiteral("masked-text"), QStringLiteral("#41 → text, masked (JSON)"), masked});

    RawFrameSpec binary;
    binary.opcode = opcode::kBinary;
    QByteArray blob(70000, Qt::Uninitialized);
    for (qsizetype i = 0; i < blob.size(); ++i)
        blob[i] = static_cast<char>((i * 131 + (i >> 8)) & 0xFF);
    blob.replace(0, 8, "\x89PNG\r\n\x1a\n");
    FrameData big = sampleFrame(binary, blob, FrameDirection::Incoming, t0 + 1843);
    big.index = 42;
    big.messageIndex = 21;
    list.append(
        {QStringLiteral("binary-64bit"), QStringLiteral("#42 ← binary, 70 000 bytes (64-bit length)"), big});

    RawFrameSpec close;
    close.opcode = opcode::kClose;
    close.masked = true;
    close.maskKey = {0xa1, 0x02, 0xc3, 0x44};
    FrameData closing = sampleFrame(close, QByteArray("\x03\xe8", 2) + "session finished",
                                    FrameDirection::Outgoing, t0 + 90210);
    closing.index = 43;
    list.append({QStringLiteral("close"), QStringLiteral("#43 → close 1000"), closing});

    RawFrameSpec fragment;
    fragment.opcode = opcode::kContinuation;
    fragment.fin = false;
    FrameData middle = sampleFrame(fragment, "part two of three, ", FrameDirection::Incoming, t0 + 120000);
    middle.index = 45;
    middle.messageIndex = 22;
    middle.siblings = {{44, opcode::kText, false, 17, false},
                       {45, opcode::kContinuation, false, 19, true},
                       {47, opcode::kContinuation, true, 12, false}};
    list.append({QStringLiteral("fragment"), QStringLiteral("#45 ← continuation (fragment 2 of 3)"), middle});

    RawFrameSpec reserved;
    reserved.opcode = 0xB;
    reserved.rsv2 = true;
    FrameData bad = sampleFrame(reserved, "?", FrameDirection::Incoming, t0 + 130000);
    bad.index = 48;
    bad.violation = QStringLiteral(
        "Opcode 0xB is reserved and RSV2 is set without a negotiated extension; the "
        "connection was failed with 1002 (RFC 6455 §5.2).");
    list.append({QStringLiteral("violation"), QStringLiteral("#48 ← reserved opcode 0xB (violation)"), bad});
    return list;
}

CrafterState demoCrafterState() {
    CrafterState state;
    state.opcode = opcode::kText;
    state.masked = true;
    state.randomKey = false;
    state.maskKey = {0x12, 0x34, 0x56, 0x78};
    state.payloadText = QStringLiteral("Hello, fragmented world!");
    state.fragments = 3;
    state.pingBetween = true;
    state.pingPayload = QStringLiteral("hb");
    state.lengthMode = LengthMode::Bits16;
    return state;
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(37, 37, 40));
    p.setColor(QPalette::WindowText, QColor(222, 222, 226));
    p.setColor(QPalette::Base, QColor(28, 28, 30));
    p.setColor(QPalette::AlternateBase, QColor(44, 44, 48));
    p.setColor(QPalette::Text, QColor(226, 226, 230));
    p.setColor(QPalette::Button, QColor(50, 50, 54));
    p.setColor(QPalette::ButtonText, QColor(222, 222, 226));
    p.setColor(QPalette::Highlight, QColor(46, 110, 190));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(50, 50, 54));
    p.setColor(QPalette::ToolTipText, QColor(222, 222, 226));
    p.setColor(QPalette::PlaceholderText, QColor(140, 140, 148));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(110, 110, 116));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(110, 110, 116));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(110, 110, 116));
    p.setColor(QPalette::Link, QColor(110, 170, 255));
    return p;
}

class DemoWindow : public QTabWidget {
public:
    DemoWindow() {
        samples_ = samples();
        list_ = new QListWidget;
        for (const Sample& sample : samples_)
            list_->addItem(sample.title);
        inspector_ = new FrameInspector;
        connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
            if (row >= 0) inspector_->setFrame(samples_[row].frame);
        });
        connect(inspector_, &FrameInspector::siblingActivated, this, [this](qint64 index) {
            for (int i = 0; i < samples_.size(); ++i) {
                if (samples_[i].frame.index == index) list_->setCurrentRow(i);
            }
        });
        auto* splitter = new QSplitter;
        splitter->addWidget(list_);
        splitter->addWidget(inspector_);
        splitter->setSizes({260, 1000});
        addTab(splitter, QStringLiteral("Inspector"));
        crafter_ = new FrameCrafter;
        crafter_->setState(demoCrafterState());
        addTab(crafter_, QStringLiteral("Crafter"));
        composer_ = new Composer;
        composer_->setMessageText(QStringLiteral("hello"));
        composer_->send();
        composer_->setMode(Composer::Mode::Hex);
        composer_->setMessageText(QStringLiteral("de ad be ef 00 01"));
        composer_->send();
        composer_->setMode(Composer::Mode::Json);
        composer_->setMessageText(QStringLiteral(
            R"({"op":"subscribe","id":12345678901234567890,"args":["trades",{"depth":10}],"opts":{}})"));
        composer_->prettyPrint();
        addTab(composer_, QStringLiteral("Composer"));
        setWindowTitle(QStringLiteral("FrameScope widgets demo"));
        resize(1280, 900);
    }

    void saveScreenshots(const QDir& dir, const QString& theme) {
        setCurrentIndex(0);
        for (int i = 0; i < samples_.size(); ++i) {
            list_->setCurrentRow(i);
            grabTo(dir, QStringLiteral("inspector-%1-%2.png").arg(samples_[i].id, theme));
        }
        inspector_->clear();
        grabTo(dir, QStringLiteral("inspector-empty-%1.png").arg(theme));
        setCurrentIndex(1);
        grabTo(dir, QStringLiteral("crafter-%1.png").arg(theme));
        setCurrentIndex(2);
        grabTo(dir, QStringLiteral("composer-%1.png").arg(theme));
    }

private:
    void grabTo(const QDir& dir, const QString& name) {
        QApplication::processEvents();
        grab().save(dir.filePath(name));
    }

    QList<Sample> samples_;
    QListWidget* list_ = nullptr;
    FrameInspector* inspector_ = nullptr;
    FrameCrafter* crafter_ = nullptr;
    Composer* composer_ = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("FrameScope"));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("FrameScope widgets over sample frames"));
    parser.addHelpOption();
    QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Use a dark palette."));
    QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save PNGs to DIR and exit."),
                                  QStringLiteral("DIR"));
    parser.addOptions({dark, screenshot});
    parser.process(app);
    const QPalette light = QApplication::style()->standardPalette();
    QApplication::setPalette(parser.isSet(dark) ? darkPalette() : light);

    DemoWindow window;
    window.show();
    if (parser.isSet(screenshot)) {
        QDir dir(parser.value(screenshot));
        dir.mkpath(QStringLiteral("."));
        QApplication::setPalette(light);
        window.saveScreenshots(dir, QStringLiteral("light"));
        QApplication::setPalette(darkPalette());
        window.saveScreenshots(dir, QStringLiteral("dark"));
        return 0;
    }
    return QApplication::exec();
}

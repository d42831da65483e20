// The frame crafter widget: its preview is craftBytes() of its state (core's encoding), warnings show in
// the list, Send emits the plan with fresh random keys, and templates round-trip through their file.
#include <QCheckBox>
#include <QComboBox>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "widgets/frame_crafter.h"
#include "widgets/header_diagram_widget.h"
#include "widgets/hex_view.h"

using namespace framescope;
using namespace framescope::ui;

class TstFrameCrafter : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(dir_.isValid());
    }

    void previewIsCraftBytes() {
        FrameCrafter crafter;
        crafter.setTemplateFile(dir_.filePath("t1.json"));
        CrafterState state;
        state.payloadText = "Hello";
        state.masked = true;
        state.randomKey = false;
        state.maskKey = {0x37, 0xfa, 0x21, 0x3d};
        crafter.setState(state);
        QCOMPARE(crafter.state(), state);
        QCOMPARE(crafter.previewBytes(), QByteArray::fromHex("818537fa213d7f9f4d5158"));
        QCOMPARE(crafter.previewView()->data(), crafter.previewBytes());
        QVERIFY(crafter.diagram()->hasHeader());

        state.fragments = 2;
        state.pingBetween = true;
        state.opcode = 0x4;
        state.lengthMode = LengthMode::Bits64;
        crafter.setState(state);
        QCOMPARE(crafter.previewBytes(), craftBytes(state));
        QCOMPARE(crafter.plan().size(), 3);
    }

    void typingUpdatesPreview() {
        FrameCrafter crafter;
        auto* editor = crafter.findChild<QPlainTextEdit*>();
        QVERIFY(editor);
        QTest::keyClicks(editor, "abc");
        crafter.refresh();
        QCOMPARE(crafter.plan().size(), 1);
        QCOMPARE(crafter.plan()[0].payload, QByteArray("abc"));
        QCOMPARE(crafter.previewBytes().size(), 2 + 4 + 3);  // masked by default (client)
    }

    void warningsListed() {
        FrameCrafter crafter;
        CrafterState state;
        state.payloadText = "x";
        state.masked = false;
        state.rsv3 = true;
        crafter.setState(state);
        auto* list = crafter.findChild<QListWidget*>();
        QVERIFY(list);
        QStringList texts;
        for (int i = 0; i < list->count(); ++i)
            texts << list->item(i)->text();
        QVERIFY2(texts.join('\n').contains("client must mask"), qPrintable(texts.join('\n')));
        QVERIFY(texts.join('\n').contains("RSV3"));
        QCOMPARE(list->count(), crafter.warnings().size());

        crafter.setRole(SenderRole::Server);
        state.rsv3 = false;
        crafter.setState(state);
        QVERIFY(crafter.warnings().isEmpty());
        QCOMPARE(list->count(), 1);  // "None: ..."
    }

    void sendEmitsPlanWithFreshKeys() {
        FrameCrafter crafter;
        CrafterState state;
        state.payloadText = "abcdef";
        state.masked = true;
        state.randomKey = true;
        state.fragments = 3;
        crafter.setState(state);
        QSignalSpy spy(&crafter, &FrameCrafter::sendRequested);
        crafter.send();
        crafter.send();
        QCOMPARE(spy.count(), 2);
        const FramePlan first = spy.at(0).at(0).value<FramePlan>();
        const FramePlan second = spy.at(1).at(0).value<FramePlan>();
        QCOMPARE(first.size(), 3);
        QVERIFY(first[0].randomMaskKey);
        QCOMPARE(first[1].payload, QByteArray("cd"));
        QVERIFY(first[0].maskKey != second[0].maskKey || first[1].maskKey != second[1].maskKey);
    }

    void sendWithUnencodableLengthDoesNothing() {
        FrameCrafter crafter;
        CrafterState state;
        state.payloadText = QString(200, 'a');
        state.lengthMode = LengthMode::Bits7;
        crafter.setState(state);
        QVERIFY(!crafter.planError().isEmpty());
        QSignalSpy spy(&crafter, &FrameCrafter::sendRequested);
        crafter.send();
        QCOMPARE(spy.count(), 0);
    }

    void templatesRoundTrip() {
        const QString file = dir_.filePath("templates.json");
        CrafterState state;
        state.fin = false;
        state.rsv2 = true;
        state.opcode = 0xC;
        state.randomKey = false;
        state.maskKey = {9, 8, 7, 6};
        state.overrideLength = true;
        state.declaredLength = 123456789012345ull;
        state.lengthMode = LengthMode::Bits64;
        state.payloadFormat = PayloadFormat::Hex;
        state.payloadText = "de ad be ef";
        state.splitMode = SplitMode::Sizes;
        state.fragmentSizes = "1,1";
        state.pingBetween = true;
        state.pingPayload = "p";
        {
            FrameCrafter crafter;
            crafter.setTemplateFile(file);
            crafter.setState(state);
            QVERIFY(crafter.saveTemplate("broken one"));
            crafter.setState(CrafterState{});
            QVERIFY(crafter.saveTemplate("default"));
        }
        FrameCrafter other;
        other.setTemplateFile(file);
        QCOMPARE(other.templateNames(), QStringList({"broken one", "default"}));
        QVERIFY(other.loadTemplate("broken one"));
        QCOMPARE(other.state(), state);
        QVERIFY(other.removeTemplate("default"));
        QCOMPARE(other.templateNames(), QStringList({"broken one"}));
        QVERIFY(!other.loadTemplate("missing"));
    }

    void opcodeComboHasAllSixteen() {
        FrameCrafter crafter;
        QComboBox* opcodes = nullptr;
        for (QComboBox* combo : crafter.findChildren<QComboBox*>()) {
            if (combo->count() == 16) opcodes = combo;
        }
        QVERIFY(opcodes);
        QCOMPARE(opcodes->itemText(3), QString("0x3 (reserved)"));
        QCOMPARE(opcodes->itemText(9), QString("0x9 ping"));
        QCOMPARE(opcodes->itemText(15), QString("0xF (reserved)"));
    }
};

QTEST_MAIN(TstFrameCrafter)
#include "tst_frame_crafter.moc"

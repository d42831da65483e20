// The composer: Ctrl+Return sends text, JSON is validated and pretty-printed in place (key order kept), hex
// and Base64 become binary messages, repeat starts and stops, ping and close carry their payloads, history
// and saved messages come back into the editor.
#include <QComboBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "widgets/composer.h"
#include "widgets/json_tree.h"

using namespace framescope::ui;

class TstComposer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void ctrlReturnSendsText() {
        Composer composer;
        composer.show();
        QVERIFY(QTest::qWaitForWindowActive(&composer));
        auto* editor = composer.findChild<QPlainTextEdit*>();
        editor->setFocus();
        QTest::keyClicks(editor, "hello");
        QSignalSpy text(&composer, &Composer::sendText);
        QTest::keyClick(editor, Qt::Key_Return, Qt::ControlModifier);
        QCOMPARE(text.count(), 1);
        QCOMPARE(text.at(0).at(0).toString(), QString("hello"));
        QCOMPARE(composer.history(), QStringList({"hello"}));
    }

    void jsonValidatedAndPrettyPrinted() {
        Composer composer;
        composer.setMode(Composer::Mode::Json);
        composer.setMessageText(R"({"z":1,"a":[1,2,{}],"big":12345678901234567890})");
        QVERIFY(composer.isValid());
        QVERIFY(composer.prettyPrint());
        const QString pretty = composer.messageText();
        QVERIFY(pretty.indexOf("\"z\"") < pretty.indexOf("\"a\""));  // key order kept
        QVERIFY(pretty.contains("12345678901234567890"));            // number spelling kept
        QVERIFY(pretty.contains("\n    \"a\": [\n        1,"));
        QVERIFY(pretty.contains("{}"));
        composer.setMessageText("{\"broken\": ");
        QVERIFY(!composer.isValid());
        QVERIFY(composer.validationMessage().contains("Invalid JSON"));
        QVERIFY(!composer.prettyPrint());
        QSignalSpy text(&composer, &Composer::sendText);
        composer.send();
        QCOMPARE(text.count(), 0);
    }

    void reindentKeepsStringsIntact() {
        const QString input = QStringLiteral("{\"a\":\"x, {y}: \\\"z\\\"\"}");
        const QString expected = QStringLiteral("{\n    \"a\": \"x, {y}: \\\"z\\\"\"\n}");
        QCOMPARE(reindentJson(input), expected);
    }

    void hexAndBase64SendBinary() {
        Composer composer;
        QSignalSpy binary(&composer, &Composer::sendBinary);
        composer.setMode(Composer::Mode::Hex);
        composer.setMessageText("de ad be ef");
        composer.send();
        composer.setMode(Composer::Mode::Base64);
        composer.setMessageText("AAEC");
        composer.send();
        QCOMPARE(binary.count(), 2);
        QCOMPARE(binary.at(0).at(0).toByteArray(), QByteArray::fromHex("deadbeef"));
        QCOMPARE(binary.at(1).at(0).toByteArray(), QByteArray::fromHex("000102"));
        composer.setMode(Composer::Mode::Hex);
        composer.setMessageText("xyz");
        QVERIFY(!composer.isValid());
    }

    void repeatStartsAndStops() {
        Composer composer;
        composer.setMessageText("tick");
        composer.setRepeatInterval(250);
        composer.setRepeatEnabled(true);
        QSignalSpy start(&composer, &Composer::startRepeat);
        QSignalSpy stop(&composer, &Composer::stopRepeat);
        composer.send();
        QVERIFY(composer.isRepeating());
        QCOMPARE(start.count(), 1);
        QCOMPARE(start.at(0).at(0).toBool(), true);
        QCOMPARE(start.at(0).at(1).toByteArray(), QByteArray("tick"));
        QCOMPARE(start.at(0).at(2).toInt(), 250);
        composer.setRepeatEnabled(false);
        QVERIFY(!composer.isRepeating());
        QCOMPARE(stop.count(), 1);
    }

    void pingAndClose() {
        Composer composer;
        QSignalSpy ping(&composer, &Composer::pingRequested);
        QSignalSpy close(&composer, &Composer::closeRequested);
        QLineEdit* pingEdit = nullptr;
        QLineEdit* reasonEdit = nullptr;
        for (QLineEdit* edit : composer.findChildren<QLineEdit*>()) {
            if (edit->placeholderText().contains("125")) pingEdit = edit;
            if (edit->placeholderText().contains("reason")) reasonEdit = edit;
        }
        QVERIFY(pingEdit && reasonEdit);
        pingEdit->setText("are you there");
        composer.sendPing();
        QCOMPARE(ping.at(0).at(0).toByteArray(), QByteArray("are you there"));
        reasonEdit->setText("bye");
        composer.sendClose();
        QCOMPARE(close.count(), 1);
        QCOMPARE(close.at(0).at(0).value<quint16>(), quint16(1000));
        QCOMPARE(close.at(0).at(1).toString(), QString("bye"));

        QComboBox* codes = nullptr;
        for (QComboBox* combo : composer.findChildren<QComboBox*>()) {
            if (combo->isEditable()) codes = combo;
        }
        QVERIFY(codes);
        codes->setEditText("4321 my app's code");
        QCOMPARE(composer.closeCode(), 4321);
        composer.sendClose();
        QCOMPARE(close.count(), 2);
        QCOMPARE(close.at(1).at(0).value<quint16>(), quint16(4321));
        codes->setEditText("1006");
        composer.sendClose();
        QCOMPARE(close.count(), 2);  // 1006 may not be sent (RFC 6455 §7.4.1)
    }

    void historyAndSavedMessages() {
        QTemporaryDir dir;
        Composer composer;
        composer.setSavedMessagesFile(dir.filePath("saved.json"));
        composer.setHistoryLimit(2);
        for (const char* text : {"one", "two", "three"}) {
            composer.setMessageText(text);
            composer.send();
        }
        QCOMPARE(composer.history(), QStringList({"three", "two"}));
        composer.restoreHistory(1);
        QCOMPARE(composer.messageText(), QString("two"));

        composer.setMode(Composer::Mode::Hex);
        composer.setMessageText("01 02");
        QVERIFY(composer.saveMessage("bytes"));
        composer.setMode(Composer::Mode::Text);
        composer.setMessageText("other");
        Composer second;
        second.setSavedMessagesFile(dir.filePath("saved.json"));
        QCOMPARE(second.savedNames(), QStringList({"bytes"}));
        QVERIFY(second.loadSavedMessage("bytes"));
        QCOMPARE(second.mode(), Composer::Mode::Hex);
        QCOMPARE(second.messageText(), QString("01 02"));
    }
};

QTEST_MAIN(TstComposer)
#include "tst_composer.moc"

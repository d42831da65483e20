// Composes ordinary messages: text, JSON (validated, pretty-printed), binary as hex or Base64 or from a
// file; keeps a history of what was sent and named saved messages; repeats a message every N ms; sends a
// ping with a payload or a close with a code and reason. The widget only emits signals; the app sends.
#pragma once

#include <QByteArray>
#include <QList>
#include <QWidget>

#include "widgets/json_store.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace framescope::ui {

class Composer : public QWidget {
    Q_OBJECT

public:
    enum class Mode { Text, Json, Hex, Base64, File };

    explicit Composer(QWidget* parent = nullptr);

    void setMode(Mode mode);
    Mode mode() const;
    void setMessageText(const QString& text);  // the editor's contents (hex digits, Base64, ... as typed)
    QString messageText() const;
    void setFilePath(const QString& path);

    // Whether the message can be sent, and why not (invalid JSON, hex or Base64, unreadable file).
    bool isValid() const { return problem_.isEmpty(); }
    QString validationMessage() const { return problem_; }
    // JSON mode: reformats the editor's JSON with indentation. False if it is not valid JSON.
    bool prettyPrint();

    // The last sent messages, most recent first (at most historyLimit()).
    QStringList history() const;
    void setHistoryLimit(int limit);
    int historyLimit() const { return historyLimit_; }
    // Restores history entry `row` (0 = most recent) into the editor.
    void restoreHistory(int row);

    // Saved messages: named, kept in a JSON file (default JsonStore::defaultPath("composer-messages.json")).
    void setSavedMessagesFile(const QString& path);
    QStringList savedNames() const { return saved_.names(); }
    bool saveMessage(const QString& name);
    bool loadSavedMessage(const QString& name);

    void setRepeatInterval(int ms);
    void setRepeatEnabled(bool enabled);
    bool isRepeating() const { return repeating_; }

    // The close frame's code as typed (the number at the start of the combo's text), or -1.
    int closeCode() const;

public slots:
    void send();  // Ctrl+Return
    void sendPing();
    void sendClose();  // not close(): that would hide QWidget::close()
    void stopRepeating();

signals:
    void sendText(const QString& text);
    void sendBinary(const QByteArray& data);
    // Send `payload` now and every `intervalMs` until stopRepeat(); `text` picks the opcode.
    void startRepeat(bool text, const QByteArray& payload, int intervalMs);
    void stopRepeat();
    void pingRequested(const QByteArray& payload);
    void closeRequested(quint16 code, const QString& reason);

private:
    struct Entry {
        Mode mode = Mode::Text;
        QString content;  // editor text, or the file path in File mode
    };

    QWidget* buildEditor();
    QWidget* buildControlFrames();
    QWidget* buildSidePanel();
    void validate();
    void validateClose();
    bool payload(QByteArray& bytes, QString* problem) const;
    void addHistory(const Entry& entry);
    void applyEntry(const Entry& entry);
    void reloadSaved();
    void chooseFile();

    QList<Entry> history_;
    int historyLimit_ = 50;
    JsonStore saved_;
    QString problem_;
    bool repeating_ = false;

    QComboBox* mode_ = nullptr;
    QPushButton* pretty_ = nullptr;
    QLabel* status_ = nullptr;
    QPlainTextEdit* editor_ = nullptr;
    QLineEdit* filePath_ = nullptr;
    QPushButton* fileButton_ = nullptr;
    QCheckBox* repeat_ = nullptr;
    QSpinBox* interval_ = nullptr;
    QPushButton* sendButton_ = nullptr;
    QLineEdit* pingPayload_ = nullptr;
    QComboBox* closeCode_ = nullptr;
    QLineEdit* closeReason_ = nullptr;
    QPushButton* closeButton_ = nullptr;
    QLabel* closeStatus_ = nullptr;
    QListWidget* historyList_ = nullptr;
    QListWidget* savedList_ = nullptr;
    QLineEdit* saveName_ = nullptr;
};

}  // namespace framescope::ui

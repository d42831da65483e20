// The Intercept tool tab: the reverse proxy's breakpoints (direction, opcode, closes, a substring or
// regular expression), the messages they hold, and what to do with the chosen one: Forward as is, Edit in
// the Frame crafter (whose next Send replaces it), Drop; and Inject, which arms the crafter to send into
// one leg of a pair at once. "Answer pings per leg" and the port apply to the next proxy started. Talks to
// the proxy only through ProxyServer's queued calls and signals.
#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

#include <optional>

#include "net/proxy_server.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;

namespace framescope::ui {

class InterceptPanel : public QWidget {
    Q_OBJECT

public:
    // Where the crafter's next Send goes instead of the window's connection.
    struct CrafterTarget {
        quint32 pairId = 0;
        quint64 heldId = 0;  // 0: an injection, nothing replaced
        app::Leg to = app::Leg::Upstream;
    };

    explicit InterceptPanel(QWidget* parent = nullptr);

    // The running proxy (null when none): its held messages and pairs show here.
    void setProxy(app::ProxyServer* proxy);
    app::InterceptRules rules() const;
    // Applies the fields to the proxy; false (and the reason shown) when the pattern is invalid.
    bool applyRules();

    int heldCount() const;
    std::optional<app::HeldMessage> selectedHeld() const;
    bool selectHeld(int index);  // by position in the list
    void forwardSelected();
    void dropSelected();
    // Arms the crafter for the chosen held message (editRequested) or for an injection (injectRequested).
    void editSelected();
    void injectIntoChosenLeg();
    std::optional<CrafterTarget> crafterTarget() const { return crafterTarget_; }
    void disarmCrafter();
    // When armed, sends the crafted frames where the target says and disarms; false when not armed.
    bool takeCrafterPlan(const QList<app::RawFrame>& frames);
    quint16 listenPort() const;
    // The next proxy's pings: false when "Answer pings per leg" is checked (the default).
    bool passPings() const;

    QCheckBox* enableBox() const { return enable_; }
    QComboBox* directionCombo() const { return direction_; }
    QComboBox* opcodeCombo() const { return opcodes_; }
    QCheckBox* closesBox() const { return closes_; }
    QLineEdit* patternEdit() const { return pattern_; }
    QCheckBox* regexBox() const { return regex_; }
    QCheckBox* answerPingsBox() const { return answerPings_; }
    QTreeWidget* heldList() const { return held_; }
    QPushButton* forwardButton() const { return forward_; }
    QPushButton* editButton() const { return edit_; }
    QPushButton* dropButton() const { return drop_; }
    QPushButton* injectButton() const { return inject_; }
    QComboBox* injectLegCombo() const { return injectLeg_; }
    QComboBox* pairCombo() const { return pairs_; }
    QLabel* statusLabel() const { return status_; }

signals:
    // Load this message into the crafter: its next Send goes to leg `to` instead of the held message.
    void editRequested(const framescope::app::HeldMessage& message, framescope::app::Leg to);
    // The crafter's next Send goes into leg `to` of pair `pairId`.
    void injectRequested(quint32 pairId, framescope::app::Leg to);

private:
    QWidget* buildRulesRow();
    QWidget* buildActionsRow();
    void onHeld(const app::HeldMessage& message);
    void onReleased(quint32 pairId, quint64 heldId);
    void onPairOpened(quint32 pairId, const QString& peer);
    void onPairFinished(quint32 pairId);
    void updateButtons();
    void showStatus(const QString& sentence);

    QPointer<app::ProxyServer> proxy_;
    QList<app::HeldMessage> messages_;  // in the list's order
    std::optional<CrafterTarget> crafterTarget_;

    QCheckBox* enable_ = nullptr;
    QComboBox* direction_ = nullptr;
    QComboBox* opcodes_ = nullptr;
    QCheckBox* closes_ = nullptr;
    QLineEdit* pattern_ = nullptr;
    QCheckBox* regex_ = nullptr;
    QSpinBox* port_ = nullptr;
    QCheckBox* answerPings_ = nullptr;
    QTreeWidget* held_ = nullptr;
    QPushButton* forward_ = nullptr;
    QPushButton* edit_ = nullptr;
    QPushButton* drop_ = nullptr;
    QComboBox* pairs_ = nullptr;
    QComboBox* injectLeg_ = nullptr;
    QPushButton* inject_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace framescope::ui

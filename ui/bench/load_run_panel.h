// The load-run panel: the parameters of a load run against the built-in server (the default target) or
// any ws:// / wss:// URL, Start/Stop, live charts while it runs (throughput, latency percentiles, errors
// and closes), the latency histogram at the end, exports of the parameters as a k6 script or an Artillery
// scenario, and the import of an Artillery report, drawn with the same charts and set beside the last local
// run in a comparison table. A finished run can be saved as JSON Lines (load/load_json.h, the format of
// framescope-cli load --json) and a saved or headless run loaded for comparison: its series dashed in the
// live charts, its summary in the comparison table, until "Clear comparison". The run itself is an
// app::LoadRunner: this panel never touches a socket.
#pragma once

#include <QStringList>
#include <QUrl>
#include <QWidget>

#include <optional>

#include "load/load_types.h"

class QCheckBox;
class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace framescope::app {
class LoadRunner;
}

namespace framescope::ui {

class LoadCharts;

class LoadRunPanel : public QWidget {
    Q_OBJECT
public:
    explicit LoadRunPanel(QWidget* parent = nullptr);
    ~LoadRunPanel() override;

    // The target used when the URL field is empty or still holds the previous default.
    void setDefaultTarget(const QUrl& url);
    // Connection options for TLS, headers, subprotocols, proxy... (the connection dialog's); the form's URL
    // and deflate switch still apply.
    void setConnectionOptions(const app::ConnectionOptions& options);

    app::LoadOptions options() const;
    void setOptions(const app::LoadOptions& options);

    void start();
    void stop();
    bool isRunning() const;
    bool exportK6(const QString& path, QString* error = nullptr) const;
    // Writes the scenario and its processor (beside it); `warnings`: what Artillery cannot express.
    bool exportArtillery(const QString& path, QStringList* warnings = nullptr,
                         QString* error = nullptr) const;
    // Draws an Artillery JSON report like a finished run and compares it with the last local run.
    bool importArtillery(const QString& path, QString* error = nullptr);
    // The last finished local run: its samples and summary, as JSON Lines. False with one sentence when there
    // is none or the file cannot be written.
    bool saveRun(const QString& path, QString* error = nullptr) const;
    // Draws a saved run's series beside the live ones and its summary beside the last local run's.
    bool compareWithSaved(const QString& path, QString* error = nullptr);
    void clearComparison();
    QString comparisonText() const;  // the comparison table's text (empty until a run to compare with)

    app::LoadRunner* runner() const noexcept { return runner_; }
    QWidget* liveCharts() const noexcept { return live_; }
    QChartView* throughputView() const;
    QChartView* latencyView() const;
    QChartView* histogramView() const;

signals:
    void runFinished(const framescope::app::LoadSummary& summary);
    void reportImported(const framescope::app::LoadSummary& summary);  // an Artillery report drawn

private:
    void createFields();
    QWidget* buildForm();
    void onSample(const app::LoadSample& sample);
    void onFinished(const app::LoadSummary& summary);
    void setRunningUi(bool running);
    void updateModeUi();
    void askExportK6();
    void askExportArtillery();
    void askImportArtillery();
    void askSaveRun();
    void askCompareWithSaved();
    QWidget* buildComparisonButtons();
    void updateComparison();

    app::LoadRunner* runner_;
    LoadCharts* charts_;
    app::ConnectionOptions connection_;
    QUrl defaultTarget_;
    QLineEdit* url_ = nullptr;
    QSpinBox* connections_ = nullptr;
    QSpinBox* size_ = nullptr;
    QComboBox* payload_ = nullptr;
    QComboBox* mode_ = nullptr;
    QSpinBox* inFlight_ = nullptr;
    QDoubleSpinBox* rate_ = nullptr;
    QDoubleSpinBox* duration_ = nullptr;
    QDoubleSpinBox* rampUp_ = nullptr;
    QSpinBox* threads_ = nullptr;
    QCheckBox* deflate_ = nullptr;
    QCheckBox* insecure_ = nullptr;
    QPushButton* startButton_ = nullptr;
    QPushButton* stopButton_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* counters_ = nullptr;
    QLabel* comparison_ = nullptr;
    std::optional<app::LoadSummary> lastLocal_;
    QList<app::LoadSample> samples_;            // of the running or last local run
    std::optional<app::LoadSummary> compared_;  // an Artillery report or a saved run
    QString comparedHeader_;
    QPushButton* saveButton_ = nullptr;
    QPushButton* clearButton_ = nullptr;
    QWidget* live_ = nullptr;
};

}  // namespace framescope::ui

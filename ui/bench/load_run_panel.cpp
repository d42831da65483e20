// LoadRunPanel: the form, the run's life cycle, the k6 and Artillery exports and the Artillery import.
#include "bench/load_run_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <QtCharts/QChartView>

#include "bench/load_charts.h"
#include "load/artillery_export.h"
#include "load/artillery_import.h"
#include "load/k6_export.h"
#include "load/load_json.h"
#include "load/load_runner.h"

namespace framescope::ui {

namespace {

QString ms(double us) {
    return QString::number(us / 1000.0, 'f', 3) + " ms";
}

}  // namespace

LoadRunPanel::LoadRunPanel(QWidget* parent)
    : QWidget(parent), runner_(new app::LoadRunner(this)), charts_(new LoadCharts(this)) {
    live_ = new QWidget();
    auto* liveLayout = new QVBoxLayout(live_);
    liveLayout->setContentsMargins(0, 0, 0, 0);
    liveLayout->addWidget(charts_->throughputView(), 1);
    liveLayout->addWidget(charts_->latencyView(), 1);
    auto* tabs = new QTabWidget();
    tabs->addTab(live_, "Live");
    tabs->addTab(charts_->histogramView(), "Latency histogram");
    connect(this, &LoadRunPanel::runFinished, tabs, [tabs] { tabs->setCurrentIndex(1); });
    connect(this, &LoadRunPanel::reportImported, tabs, [tabs] { tabs->setCurrentIndex(1); });
    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(buildForm());
    splitter->addWidget(tabs);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(splitter);
    connect(runner_, &app::LoadRunner::sampled, this, &LoadRunPanel::onSample);
    connect(runner_, &app::LoadRunner::finished, this, &LoadRunPanel::onFinished);
    connect(runner_, &app::LoadRunner::stopping, this,
            [this] { status_->setText("Stopping: closing the connections…"); });
    setRunningUi(false);
}

LoadRunPanel::~LoadRunPanel() = default;

void LoadRunPanel::createFields() {
    url_ = new QLineEdit();
    url_->setPlaceholderText("ws://host:port/path or wss://…");
    connections_ = new QSpinBox();
    connections_->setRange(1, 100000);
    connections_->setValue(16);
    size_ = new QSpinBox();
    size_->setRange(0, 64 << 20);
    size_->setValue(1024);
    size_->setSuffix(" B");
    payload_ = new QComboBox();
    for (const app::PayloadKind kind : {app::PayloadKind::Binary, app::PayloadKind::Text,
                                        app::PayloadKind::Random, app::PayloadKind::Repeated})
        payload_->addItem(app::payloadKindName(kind), static_cast<int>(kind));
    mode_ = new QComboBox();
    mode_->addItems({"messages in flight", "fixed rate"});
    inFlight_ = new QSpinBox();
    inFlight_->setRange(1, 100000);
    inFlight_->setValue(8);
    inFlight_->setSuffix(" per connection");
    rate_ = new QDoubleSpinBox();
    rate_->setRange(1, 1e8);
    rate_->setDecimals(0);
    rate_->setValue(10000);
    rate_->setSuffix(" msgs/s in all");
    duration_ = new QDoubleSpinBox();
    duration_->setRange(0.5, 86400);
    duration_->setValue(10);
    duration_->setSuffix(" s");
    rampUp_ = new QDoubleSpinBox();
    rampUp_->setRange(0, 86400);
    rampUp_->setSuffix(" s");
    threads_ = new QSpinBox();
    threads_->setRange(0, 256);
    threads_->setSpecialValueText("one per core");
    deflate_ = new QCheckBox("offer permessage-deflate");
    insecure_ = new QCheckBox("ignore TLS certificate errors");
}

QWidget* LoadRunPanel::buildForm() {
    createFields();
    auto* form = new QWidget();
    auto* layout = new QFormLayout();
    layout->addRow("Target", url_);
    layout->addRow("Connections", connections_);
    layout->addRow("Message size", size_);
    layout->addRow("Payload", payload_);
    layout->addRow("Mode", mode_);
    layout->addRow("In flight", inFlight_);
    layout->addRow("Rate", rate_);
    layout->addRow("Duration", duration_);
    layout->addRow("Ramp-up", rampUp_);
    layout->addRow("Worker threads", threads_);
    layout->addRow("", deflate_);
    layout->addRow("", insecure_);
    startButton_ = new QPushButton("Start");
    stopButton_ = new QPushButton("Stop");
    auto* k6Button = new QPushButton("Export k6 script…");
    auto* artilleryButton = new QPushButton("Export Artillery…");
    auto* importButton = new QPushButton("Import Artillery report…");
    auto* buttons = new QHBoxLayout();
    buttons->addWidget(startButton_);
    buttons->addWidget(stopButton_);
    auto* exports = new QHBoxLayout();
    exports->addWidget(k6Button);
    exports->addWidget(artilleryButton);
    exports->addWidget(importButton);
    status_ = new QLabel("Ready.");
    status_->setWordWrap(true);
    counters_ = new QLabel();
    counters_->setWordWrap(true);
    counters_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    comparison_ = new QLabel();
    comparison_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* column = new QVBoxLayout(form);
    column->addLayout(layout);
    column->addLayout(buttons);
    column->addLayout(exports);
    column->addWidget(buildComparisonButtons());
    column->addWidget(status_);
    column->addWidget(counters_);
    column->addWidget(comparison_);
    column->addStretch(1);
    connect(startButton_, &QPushButton::clicked, this, &LoadRunPanel::start);
    connect(stopButton_, &QPushButton::clicked, this, &LoadRunPanel::stop);
    connect(k6Button, &QPushButton::clicked, this, &LoadRunPanel::askExportK6);
    connect(artilleryButton, &QPushButton::clicked, this, &LoadRunPanel::askExportArtillery);
    connect(importButton, &QPushButton::clicked, this, &LoadRunPanel::askImportArtillery);
    connect(mode_, &QComboBox::currentIndexChanged, this, &LoadRunPanel::updateModeUi);
    updateModeUi();
    return form;
}

QChartView* LoadRunPanel::throughputView() const {
    return charts_->throughputView();
}
QChartView* LoadRunPanel::latencyView() const {
    return charts_->latencyView();
}
QChartView* LoadRunPanel::histogramView() const {
    return charts_->histogramView();
}

void LoadRunPanel::setDefaultTarget(const QUrl& url) {
    if (url_->text().isEmpty() || url_->text() == defaultTarget_.toString()) url_->setText(url.toString());
    defaultTarget_ = url;
}

void LoadRunPanel::setConnectionOptions(const app::ConnectionOptions& options) {
    connection_ = options;
    deflate_->setChecked(options.deflate.has_value());
    insecure_->setChecked(options.tls.ignoreCertificateErrors);
}

app::LoadOptions LoadRunPanel::options() const {
    app::LoadOptions options;
    options.connection = connection_;
    const QString text = url_->text().trimmed();
    options.connection.url = text.isEmpty() ? defaultTarget_ : QUrl(text);
    options.connection.deflate =
        deflate_->isChecked() ? std::optional<DeflateOffer>(DeflateOffer{}) : std::nullopt;
    options.connection.tls.ignoreCertificateErrors = insecure_->isChecked();
    options.connections = connections_->value();
    options.messageSize = size_->value();
    options.payload = static_cast<app::PayloadKind>(payload_->currentData().toInt());
    options.inFlight = inFlight_->value();
    options.rate = mode_->currentIndex() == 1 ? rate_->value() : 0;
    options.durationSec = duration_->value();
    options.rampUpSec = rampUp_->value();
    options.threads = threads_->value();
    return options;
}

void LoadRunPanel::setOptions(const app::LoadOptions& options) {
    setConnectionOptions(options.connection);
    url_->setText(options.connection.url.toString());
    connections_->setValue(options.connections);
    size_->setValue(options.messageSize);
    payload_->setCurrentIndex(payload_->findData(static_cast<int>(options.payload)));
    mode_->setCurrentIndex(options.rate > 0 ? 1 : 0);
    inFlight_->setValue(options.inFlight);
    if (options.rate > 0) rate_->setValue(options.rate);
    duration_->setValue(options.durationSec);
    rampUp_->setValue(options.rampUpSec);
    threads_->setValue(options.threads);
}

void LoadRunPanel::updateModeUi() {
    const bool rate = mode_->currentIndex() == 1;
    inFlight_->setEnabled(!rate);
    rate_->setEnabled(rate);
}

void LoadRunPanel::setRunningUi(bool running) {
    startButton_->setEnabled(!running);
    stopButton_->setEnabled(running);
    saveButton_->setEnabled(!running && lastLocal_.has_value());
}

bool LoadRunPanel::isRunning() const {
    return runner_->isRunning();
}

void LoadRunPanel::start() {
    const app::LoadOptions run = options();
    QString error;
    charts_->reset(run.durationSec);
    if (!runner_->start(run, &error)) {
        status_->setText(error);
        return;
    }
    status_->setText(QString("Running against %1…").arg(run.connection.url.toString()));
    counters_->clear();
    samples_.clear();
    setRunningUi(true);
}

void LoadRunPanel::stop() {
    runner_->stop();
}

void LoadRunPanel::onSample(const app::LoadSample& s) {
    charts_->addSample(s);
    samples_ << s;
    counters_->setText(QString("%1 s: %2 connections open, %3 msgs/s, %4 MB/s\n"
                               "p50 %5, p90 %6, p99 %7, max %8\n"
                               "%9 messages, errors %10, closes %11, generator CPU %12 cores")
                           .arg(s.timeSec, 0, 'f', 1)
                           .arg(s.connectionsOpen)
                           .arg(s.messagesPerSec, 0, 'f', 0)
                           .arg(s.mbPerSec, 0, 'f', 2)
                           .arg(ms(s.p50Us), ms(s.p90Us), ms(s.p99Us), ms(s.maxUs))
                           .arg(s.messages)
                           .arg(s.errors)
                           .arg(s.closes)
                           .arg(s.generatorCpu, 0, 'f', 2));
}

void LoadRunPanel::onFinished(const app::LoadSummary& s) {
    lastLocal_ = s;
    setRunningUi(false);
    charts_->showHistogram(s.histogram);
    QString text = QString(
                       "Done: %1 connections, %2 echoes in %3 s: %4 msgs/s, %5 MB/s; round trip p50 %6, "
                       "p99 %7, max %8; errors %9, closes %10.")
                       .arg(s.connectionsOpened)
                       .arg(s.received)
                       .arg(s.elapsedSec, 0, 'f', 1)
                       .arg(s.messagesPerSec, 0, 'f', 0)
                       .arg(s.mbPerSec, 0, 'f', 2)
                       .arg(ms(s.p50Us), ms(s.p99Us), ms(s.maxUs))
                       .arg(s.errors)
                       .arg(s.closes);
    if (!s.errorSentences.isEmpty()) text += "\nFirst error: " + s.errorSentences.first();
    status_->setText(text);
    updateComparison();
    emit runFinished(s);
}

bool LoadRunPanel::exportK6(const QString& path, QString* error) const {
    QFile file(path);
    const QByteArray script = app::k6Script(options()).toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(script) != script.size()) {
        if (error) *error = QString("Cannot write %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

void LoadRunPanel::askExportK6() {
    const QString path =
        QFileDialog::getSaveFileName(this, "Export as a k6 script", "load.js", "JavaScript (*.js)");
    if (path.isEmpty()) return;
    QString error;
    status_->setText(exportK6(path, &error) ? "Saved " + path : error);
}

}  // namespace framescope::ui

namespace framescope::ui {

bool LoadRunPanel::exportArtillery(const QString& path, QStringList* warnings, QString* error) const {
    return app::writeArtilleryExport(options(), path, warnings, error);
}

bool LoadRunPanel::importArtillery(const QString& path, QString* error) {
    app::ImportedLoadRun run;
    QString why;
    if (!app::importArtilleryReportFile(path, run, why)) {
        if (error) *error = why;
        return false;
    }
    const app::LoadSummary& s = run.summary;
    charts_->clearSaved();  // the report replaces a saved run as what the last local run is compared with
    charts_->reset(std::max(s.elapsedSec, run.samples.isEmpty() ? 0.0 : run.samples.last().timeSec));
    for (const app::LoadSample& sample : run.samples)
        charts_->addSample(sample);
    charts_->showHistogram(s.histogram);
    counters_->clear();
    status_->setText(QString("Artillery report %1: %2 connections, %3 echoes in %4 s: %5 msgs/s; round trip "
                             "p50 %6, p99 %7, max %8; errors %9. One sample per Artillery period; the "
                             "histogram is rebuilt from the report's percentiles.")
                         .arg(QFileInfo(path).fileName())
                         .arg(s.connectionsOpened)
                         .arg(s.received)
                         .arg(s.elapsedSec, 0, 'f', 1)
                         .arg(s.messagesPerSec, 0, 'f', 0)
                         .arg(ms(s.p50Us), ms(s.p99Us), ms(s.maxUs))
                         .arg(s.errors));
    compared_ = s;
    comparedHeader_ = "Artillery";
    clearButton_->setEnabled(true);
    updateComparison();
    emit reportImported(s);
    return true;
}

QString LoadRunPanel::comparisonText() const {
    return comparison_->text();
}

void LoadRunPanel::updateComparison() {
    if (!compared_) return comparison_->clear();
    const app::LoadSummary* a = lastLocal_ ? &*lastLocal_ : nullptr;
    QString rows;
    auto row = [this, &rows, a](const QString& name, auto figure) {
        rows += QString("<tr><td>%1</td><td align=right>%2</td><td align=right>%3</td></tr>")
                    .arg(name, a ? figure(*a) : QString("—"), figure(*compared_));
    };
    rows += QString("<tr><td></td><td align=right><b>local run</b></td><td align=right><b>%1</b></td></tr>")
                .arg(comparedHeader_.toHtmlEscaped());
    using S = app::LoadSummary;
    row("msgs/s", [](const S& s) { return QString::number(s.messagesPerSec, 'f', 0); });
    row("MB/s", [](const S& s) { return QString::number(s.mbPerSec, 'f', 2); });
    row("received", [](const S& s) { return QString::number(s.received); });
    row("p50", [](const S& s) { return ms(s.p50Us); });
    row("p90", [](const S& s) { return ms(s.p90Us); });
    row("p99", [](const S& s) { return ms(s.p99Us); });
    row("max", [](const S& s) { return ms(s.maxUs); });
    row("errors", [](const S& s) { return QString::number(s.errors); });
    comparison_->setText("<table cellspacing=6>" + rows + "</table>");
}

void LoadRunPanel::askExportArtillery() {
    const QString path = QFileDialog::getSaveFileName(this, "Export as an Artillery scenario", "load.yml",
                                                      "Artillery scenario (*.yml *.yaml)");
    if (path.isEmpty()) return;
    QStringList warnings;
    QString error;
    if (!exportArtillery(path, &warnings, &error)) return status_->setText(error);
    QString text = QString("Saved %1 and %2.").arg(path, app::artilleryProcessorPath(path));
    for (const QString& warning : warnings)
        text += "\nNot expressible in Artillery: " + warning;
    status_->setText(text);
}

void LoadRunPanel::askImportArtillery() {
    const QString path = QFileDialog::getOpenFileName(this, "Import an Artillery report", QString(),
                                                      "Artillery JSON report (*.json)");
    if (path.isEmpty()) return;
    QString error;
    if (!importArtillery(path, &error)) status_->setText(error);
}

QWidget* LoadRunPanel::buildComparisonButtons() {
    auto* row = new QWidget();
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    saveButton_ = new QPushButton("Save run…");
    saveButton_->setToolTip(
        "Save the last finished run (time series and summary) as the JSON Lines of framescope-cli load "
        "--json");
    auto* compareButton = new QPushButton("Compare with saved run…");
    clearButton_ = new QPushButton("Clear comparison");
    clearButton_->setEnabled(false);
    for (QPushButton* button : {saveButton_, compareButton, clearButton_})
        layout->addWidget(button);
    connect(saveButton_, &QPushButton::clicked, this, &LoadRunPanel::askSaveRun);
    connect(compareButton, &QPushButton::clicked, this, &LoadRunPanel::askCompareWithSaved);
    connect(clearButton_, &QPushButton::clicked, this, &LoadRunPanel::clearComparison);
    return row;
}

bool LoadRunPanel::saveRun(const QString& path, QString* error) const {
    if (!lastLocal_) {
        if (error) *error = "No finished run to save yet: start one and let it end.";
        return false;
    }
    const QByteArray json = app::loadRunJsonLines({samples_, *lastLocal_});
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(json) != json.size()) {
        if (error) *error = QString("Cannot write %1: %2.").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool LoadRunPanel::compareWithSaved(const QString& path, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = QString("Cannot read %1: %2.").arg(path, file.errorString());
        return false;
    }
    app::LoadRunRecord saved;
    QString why;
    if (!app::parseLoadRunJsonLines(file.readAll(), saved, why)) {
        if (error) *error = QString("%1: %2").arg(QFileInfo(path).fileName(), why);
        return false;
    }
    const QString name = QFileInfo(path).fileName();
    charts_->showSaved(saved.samples, name);
    charts_->showSavedHistogram(saved.summary.histogram, name);
    compared_ = saved.summary;
    comparedHeader_ = "saved: " + name;
    clearButton_->setEnabled(true);
    updateComparison();
    return true;
}

void LoadRunPanel::clearComparison() {
    charts_->clearSaved();
    compared_.reset();
    comparedHeader_.clear();
    clearButton_->setEnabled(false);
    updateComparison();
}

void LoadRunPanel::askSaveRun() {
    const QString path = QFileDialog::getSaveFileName(this, "Save the load run", "load-run.jsonl",
                                                      "JSON Lines (*.jsonl *.json)");
    if (path.isEmpty()) return;
    QString error;
    status_->setText(saveRun(path, &error) ? "Saved " + path : error);
}

void LoadRunPanel::askCompareWithSaved() {
    const QString path = QFileDialog::getOpenFileName(this, "Compare with a saved load run", QString(),
                                                      "JSON Lines (*.jsonl *.json)");
    if (path.isEmpty()) return;
    QString error;
    status_->setText(compareWithSaved(path, &error) ? "Comparing with " + path : error);
}

}  // namespace framescope::ui

// framescope-bench-demo: the Benchmarks panel and the load-run panel in one window, against an echo server
// in this process. `--screenshot DIR` runs a quick benchmark and a short load run, saves PNGs of each chart
// (bench-throughput.png, bench-allocations.png, load-live.png, load-histogram.png) and exits.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTabWidget>
#include <QTimer>
#include <QtCharts/QChartView>

#include <cstdio>

#include "bench/benchmarks_panel.h"
#include "bench/load_run_panel.h"
#include "net/echo_server.h"

namespace {

using framescope::ui::BenchmarksPanel;
using framescope::ui::LoadRunPanel;

// Every operation of the throughput chart and the allocation chart, without the slow 1-in-flight e2e rows.
constexpr const char* kScreenshotFilter =
    "^(mask/in-place|frame/(read|write)-masked|utf8/ascii|deflate/(inflate|compress)|message/"
    "(read-masked|write)"
    "|e2e/serve/.* x64)";
constexpr int kSettleMs = 400;  // lets the charts' deferred layout (legend, axes) settle before a grab

bool save(QWidget* widget, const QString& dir, const char* name) {
    const QString path = QDir(dir).filePath(name);
    const bool ok = widget->grab().save(path, "PNG");
    std::fprintf(ok ? stdout : stderr, "%s %s\n", ok ? "saved" : "cannot save", qPrintable(path));
    return ok;
}

// A load run long enough to show the ramp-up and a few steady seconds.
void startLoadRun(LoadRunPanel* load) {
    framescope::app::LoadOptions options = load->options();
    options.connections = 32;
    options.inFlight = 8;
    options.messageSize = 1024;
    options.durationSec = 8;
    options.rampUpSec = 2;
    load->setOptions(options);
    load->start();
}

void runScreenshots(QTabWidget* tabs, BenchmarksPanel* bench, LoadRunPanel* load, const QString& dir) {
    QDir().mkpath(dir);
    auto* chartTabs = bench->findChild<QTabWidget*>();
    QObject::connect(bench, &BenchmarksPanel::runFinished, tabs, [=] {
        QTimer::singleShot(kSettleMs, tabs, [=] {
            save(bench->throughputView(), dir, "bench-throughput.png");
            chartTabs->setCurrentWidget(bench->allocationsView());
            QTimer::singleShot(kSettleMs, tabs, [=] {
                save(bench->allocationsView(), dir, "bench-allocations.png");
                tabs->setCurrentWidget(load);
                startLoadRun(load);
            });
        });
    });
    QObject::connect(load, &LoadRunPanel::runFinished, tabs, [=] {
        QTimer::singleShot(kSettleMs, tabs, [=] {
            save(load->histogramView(), dir, "load-histogram.png");
            save(load->liveCharts(), dir, "load-live.png");
            QApplication::quit();
        });
    });
    bench->setQuick(true);
    bench->setFilter(kScreenshotFilter);
    bench->start();
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption(
        {"screenshot", "Run a quick benchmark and a short load run, save PNGs into DIR, exit.", "DIR"});
    parser.process(app);

    framescope::app::EchoServer server(framescope::app::EchoServerOptions{});
    QString error;
    if (!server.start(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    QTabWidget tabs;
    auto* bench = new BenchmarksPanel();
    auto* load = new LoadRunPanel();
    load->setDefaultTarget(server.url());
    tabs.addTab(bench, "Benchmarks");
    tabs.addTab(load, "Load run");
    tabs.resize(1400, 860);
    tabs.setWindowTitle("FrameScope — benchmarks and load runs");
    tabs.show();
    if (parser.isSet("screenshot")) {
        QTimer::singleShot(0, &tabs, [&] { runScreenshots(&tabs, bench, load, parser.value("screenshot")); });
    }
    return QApplication::exec();
}

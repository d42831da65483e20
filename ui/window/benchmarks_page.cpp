#include "window/benchmarks_page.h"

#include <QLabel>
#include <QTabWidget>

// The panels live in ui/bench/ (framescope_bench_ui), built when Qt Charts is installed.
#if defined(FRAMESCOPE_HAVE_BENCH_UI)
#include "bench/benchmarks_panel.h"
#include "bench/load_run_panel.h"
#define FRAMESCOPE_BENCH_PANELS 1
#else
#define FRAMESCOPE_BENCH_PANELS 0
#endif

namespace framescope::ui {

bool benchmarksAvailable() {
    return FRAMESCOPE_BENCH_PANELS != 0;
}

QWidget* createBenchmarksPage(const QUrl& serverUrl, QWidget* parent) {
#if FRAMESCOPE_BENCH_PANELS
    auto* tabs = new QTabWidget(parent);
    tabs->setDocumentMode(true);
    tabs->addTab(new BenchmarksPanel, QObject::tr("Codec benchmarks"));
    auto* loadPanel = new LoadRunPanel;
    if (!serverUrl.isEmpty()) loadPanel->setDefaultTarget(serverUrl);  // the built-in server by default
    tabs->addTab(loadPanel, QObject::tr("Load run"));
    return tabs;
#else
    auto* label = new QLabel(parent);
    label->setAlignment(Qt::AlignCenter);
    label->setWordWrap(true);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setText(
        QObject::tr("Benchmarks are not part of this build.\n\nThe codec benchmarks run from the "
                    "command line meanwhile: framescope-cli bench.%1")
            .arg(serverUrl.isEmpty()
                     ? QString()
                     : QObject::tr("\nThe built-in server for load runs: %1").arg(serverUrl.toString())));
    return label;
#endif
}

void setBenchmarksTarget(QWidget* page, const QUrl& url) {
#if FRAMESCOPE_BENCH_PANELS
    if (auto* load = page->findChild<LoadRunPanel*>()) load->setDefaultTarget(url);
#else
    Q_UNUSED(page);
    Q_UNUSED(url);
#endif
}

}  // namespace framescope::ui

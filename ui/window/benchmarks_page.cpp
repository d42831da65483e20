#include "window/benchmarks_page.h"

#include <QTabWidget>

#include "bench/benchmarks_panel.h"
#include "bench/load_run_panel.h"

namespace framescope::ui {

QWidget* createBenchmarksPage(const QUrl& serverUrl, QWidget* parent) {
    auto* tabs = new QTabWidget(parent);
    tabs->setDocumentMode(true);
    tabs->addTab(new BenchmarksPanel, QObject::tr("Codec benchmarks"));
    auto* loadPanel = new LoadRunPanel;
    if (!serverUrl.isEmpty()) loadPanel->setDefaultTarget(serverUrl);  // the built-in server by default
    tabs->addTab(loadPanel, QObject::tr("Load run"));
    return tabs;
}

void setBenchmarksTarget(QWidget* page, const QUrl& url) {
    if (auto* load = page->findChild<LoadRunPanel*>()) load->setDefaultTarget(url);
}

}  // namespace framescope::ui

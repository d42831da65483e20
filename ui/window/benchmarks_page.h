// The Benchmarks tab: the BenchmarksPanel and LoadRunPanel of ui/bench/ when that library is built
// (FRAMESCOPE_HAVE_BENCH_UI), else a page saying where they will appear.
#pragma once

#include <QUrl>

class QWidget;

namespace framescope::ui {

// `serverUrl` is the built-in server's URL (for the placeholder's text).
QWidget* createBenchmarksPage(const QUrl& serverUrl, QWidget* parent = nullptr);
bool benchmarksAvailable();
// Makes `url` (the built-in server's) the load run's default target on a page from createBenchmarksPage.
void setBenchmarksTarget(QWidget* page, const QUrl& url);

}  // namespace framescope::ui

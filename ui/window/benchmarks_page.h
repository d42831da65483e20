// The Benchmarks tab: the BenchmarksPanel and LoadRunPanel of ui/bench/.
#pragma once

#include <QUrl>

class QWidget;

namespace framescope::ui {

// `serverUrl` is the built-in server's URL (the load run's default target), or empty.
QWidget* createBenchmarksPage(const QUrl& serverUrl, QWidget* parent = nullptr);
// Makes `url` (the built-in server's) the load run's default target on a page from createBenchmarksPage.
void setBenchmarksTarget(QWidget* page, const QUrl& url);

}  // namespace framescope::ui

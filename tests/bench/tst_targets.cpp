// How a target is judged from its ratios (bench/src/targets.cpp): a ratio whose rounds all fell on one side
// of its bound decides however wide its spread, one whose rounds straddle the bound decides by its median
// only while its spread is within the bound, a measuring error decides nothing, and a ratio that misses for
// certain makes the target MISSED whatever its other ratios say.
#include <QTest>

#include "framescope/bench/suites.h"

using namespace framescope::bench;

namespace {

Comparison ratioOf(const char* name, double median, double min, double max, bool beatsLimit = false) {
    Comparison c;
    c.name = name;
    c.available = true;
    c.ratio = median;
    c.ratioMin = min;
    c.ratioMax = max;
    c.unstable = (max - min) / median > kUnstableSpread;
    c.beatsLimit = beatsLimit;
    return c;
}

BenchResult rowOf(const std::string& fullName, const Comparison& baseline,
                  std::vector<Comparison> peers = {}) {
    BenchResult row;
    row.fullName = fullName;
    row.baseline = baseline;
    row.peers = std::move(peers);
    return row;
}

const TargetVerdict& verdictFor(const std::vector<TargetVerdict>& verdicts, const std::string& prefix) {
    for (const TargetVerdict& verdict : verdicts) {
        if (verdict.target.starts_with(prefix)) return verdict;
    }
    qFatal("no target starts with %s", prefix.c_str());
}

QString wordOf(const TargetVerdict& verdict) {
    if (!verdict.evaluated) return "not evaluated";
    if (verdict.unstable) return "unstable";
    return verdict.met ? "met" : "missed";
}

}  // namespace

class TestTargets : public QObject {
    Q_OBJECT

private slots:
    void readTarget_data() {
        QTest::addColumn<double>("median");
        QTest::addColumn<double>("min");
        QTest::addColumn<double>("max");
        QTest::addColumn<bool>("beatsLimit");
        QTest::addColumn<QString>("word");
        QTest::newRow("narrow, above") << 0.57 << 0.50 << 0.58 << false << "met";
        QTest::newRow("narrow, straddling, median above") << 0.52 << 0.48 << 0.55 << false << "met";
        QTest::newRow("narrow, median below") << 0.45 << 0.40 << 0.51 << false << "missed";
        QTest::newRow("wide, every round above") << 0.60 << 0.51 << 0.90 << false << "met";
        QTest::newRow("wide, every round below") << 0.30 << 0.20 << 0.49 << false << "missed";
        QTest::newRow("wide, straddling") << 0.55 << 0.45 << 0.70 << false << "unstable";
        QTest::newRow("faster than its limit") << 0.60 << 0.58 << 0.62 << true << "unstable";
    }

    void readTarget() {
        QFETCH(double, median);
        QFETCH(double, min);
        QFETCH(double, max);
        QFETCH(bool, beatsLimit);
        QFETCH(QString, word);
        const std::vector<BenchResult> rows = {
            rowOf("message/read-masked/1 KiB", ratioOf("memcpy", median, min, max, beatsLimit))};
        QCOMPARE(wordOf(verdictFor(evaluateTargets(rows), "message/read-masked")), word);
    }

    void serveTargetNeedsEveryRatio() {
        const Comparison echo = ratioOf("tcp echo", 0.92, 0.85, 0.95);
        const Comparison farAhead = ratioOf("boost-beast", 4.07, 3.78, 5.51);  // wide, but every round ahead
        const Comparison straddling = ratioOf("websocketpp", 1.10, 0.80, 1.40);
        const Comparison behind = ratioOf("qt-websockets", 0.80, 0.75, 0.85);
        const auto wordWith = [&](std::vector<Comparison> peers) {
            const std::vector<BenchResult> rows = {rowOf("e2e/serve/1 KiB x64", echo, std::move(peers))};
            return wordOf(verdictFor(evaluateTargets(rows), "e2e/serve/1 KiB x64"));
        };
        QCOMPARE(wordWith({farAhead}), QString("met"));
        QCOMPARE(wordWith({farAhead, straddling}), QString("unstable"));
        QCOMPARE(wordWith({straddling, behind}), QString("missed"));  // one ratio missed for certain
        Comparison missing = ratioOf("node-ws", 2, 2, 2);
        missing.available = false;
        QCOMPARE(wordWith({farAhead, missing}), QString("not evaluated"));
    }
};

QTEST_APPLESS_MAIN(TestTargets)
#include "tst_targets.moc"

// EpollEventDispatcher on a thread of its own: queued calls, timers (single-shot, repeating, stopped
// from their own handler), socket notifiers through a real QTcpServer/QTcpSocket echo, deleteLater and
// quitting the loop.
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>

#include "net/epoll_dispatcher.h"

using framescope::app::EpollEventDispatcher;

class TstEpollDispatcher : public QObject {
    Q_OBJECT

private slots:
    void timersQueuedCallsAndSockets() {
        QThread thread;
        thread.setEventDispatcher(new EpollEventDispatcher);
        thread.start();
        auto* context = new QObject;
        context->moveToThread(&thread);
        std::atomic<int> singleShots{0}, repeats{0}, echoes{0};
        std::atomic<bool> deleted{false};
        QMetaObject::invokeMethod(
            context,
            [&] {
                QTimer::singleShot(10, context, [&] { ++singleShots; });
                auto* repeating = new QTimer(context);
                QObject::connect(repeating, &QTimer::timeout, context, [&, repeating] {
                    if (++repeats == 3) repeating->stop();
                });
                repeating->start(5);
                auto* doomed = new QObject;
                QObject::connect(doomed, &QObject::destroyed, [&] { deleted = true; });
                doomed->deleteLater();
                auto* server = new QTcpServer(context);
                server->listen(QHostAddress::LocalHost, 0);
                QObject::connect(server, &QTcpServer::newConnection, server, [server] {
                    QTcpSocket* peer = server->nextPendingConnection();
                    QObject::connect(peer, &QTcpSocket::readyRead, peer,
                                     [peer] { peer->write(peer->readAll()); });
                });
                auto* client = new QTcpSocket(context);
                QObject::connect(client, &QTcpSocket::connected, client, [client] { client->write("ping"); });
                QObject::connect(client, &QTcpSocket::readyRead, client,
                                 [&, client] { echoes += int(client->readAll().size()); });
                client->connectToHost(QHostAddress::LocalHost, server->serverPort());
            },
            Qt::QueuedConnection);
        QTRY_COMPARE_WITH_TIMEOUT(echoes.load(), 4, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(singleShots.load(), 1, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(repeats.load(), 3, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(deleted.load(), 30000);
        QTest::qWait(50);
        QCOMPARE(repeats.load(), 3);  // stopped from its own handler
        QMetaObject::invokeMethod(
            context, [context] { delete context; }, Qt::BlockingQueuedConnection);
        thread.quit();
        QVERIFY(thread.wait(30000));
    }
};

QTEST_MAIN(TstEpollDispatcher)
#include "tst_epoll_dispatcher.moc"

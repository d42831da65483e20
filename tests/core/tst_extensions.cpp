// Sec-WebSocket-Extensions parsing (RFC 6455 §9.1) and permessage-deflate negotiation (RFC 7692 §7.1).
#include <QTest>

#include "test_util.h"

#include <string>

#include "framescope/deflate.h"

using namespace framescope;
using framescope::test::describeDeflateParams;

namespace {

std::string toStd(const QByteArray& bytes) {
    return std::string(bytes.constData(), static_cast<size_t>(bytes.size()));
}

// "name;param=value;flag,name2" — a canonical rendering of a parsed header, or "ERROR".
QByteArray describeDeflateParams(const std::optional<std::vector<ExtensionOffer>>& parsed) {
    if (!parsed) return "ERROR";
    std::string out;
    for (const ExtensionOffer& extension : *parsed) {
        if (!out.empty()) out += ',';
        out += extension.name;
        for (const ExtensionParam& param : extension.params) {
            out += ';' + param.name;
            if (param.hasValue) out += '=' + param.value;
        }
    }
    return QByteArray::fromStdString(out);
}

}  // namespace

class TestExtensions : public QObject {
    Q_OBJECT

private slots:
    void parse_data() {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("bare") << QByteArray("permessage-deflate") << QByteArray("permessage-deflate");
        QTest::newRow("flag param") << QByteArray("permessage-deflate; client_max_window_bits")
                                    << QByteArray("permessage-deflate;client_max_window_bits");
        QTest::newRow("token value") << QByteArray("permessage-deflate;server_max_window_bits=10")
                                     << QByteArray("permessage-deflate;server_max_window_bits=10");
        QTest::newRow("whitespace") << QByteArray(" \tfoo ;  a = 1 ;b\t, bar ")
                                    << QByteArray("foo;a=1;b,bar");
        QTest::newRow("quoted") << QByteArray("foo; a=\"10\"") << QByteArray("foo;a=10");
        QTest::newRow("quoted escape") << QByteArray("foo; a=\"1\\0\"") << QByteArray("foo;a=10");
        QTest::newRow("quoted spaced") << QByteArray("foo; a = \"x\" ; b") << QByteArray("foo;a=x;b");
        QTest::newRow("two offers")
            << QByteArray("permessage-deflate; server_max_window_bits=10, permessage-deflate")
            << QByteArray("permessage-deflate;server_max_window_bits=10,permessage-deflate");
        QTest::newRow("empty elements") << QByteArray("a, ,b,") << QByteArray("a,b");
        QTest::newRow("err empty") << QByteArray("") << QByteArray("ERROR");
        QTest::newRow("err blank") << QByteArray("   ") << QByteArray("ERROR");
        QTest::newRow("err only comma") << QByteArray(",") << QByteArray("ERROR");
        QTest::newRow("err trailing semicolon") << QByteArray("foo;") << QByteArray("ERROR");
        QTest::newRow("err double semicolon") << QByteArray("foo;;a") << QByteArray("ERROR");
        QTest::newRow("err nameless param") << QByteArray("foo; =1") << QByteArray("ERROR");
        QTest::newRow("err missing value") << QByteArray("foo; a=") << QByteArray("ERROR");
        QTest::newRow("err two values") << QByteArray("foo; a=1 2") << QByteArray("ERROR");
        QTest::newRow("err value on name") << QByteArray("foo=1") << QByteArray("ERROR");
        QTest::newRow("err space in name") << QByteArray("foo bar") << QByteArray("ERROR");
        QTest::newRow("err separator char") << QByteArray("a@b") << QByteArray("ERROR");
        QTest::newRow("err quoted non-token") << QByteArray("foo; a=\"x y\"") << QByteArray("ERROR");
        QTest::newRow("err quoted empty") << QByteArray("foo; a=\"\"") << QByteArray("ERROR");
        QTest::newRow("err unterminated") << QByteArray("foo; a=\"10") << QByteArray("ERROR");
        QTest::newRow("err dangling escape") << QByteArray("foo; a=\"1\\") << QByteArray("ERROR");
        QTest::newRow("err after quote") << QByteArray("foo; a=\"1\"x") << QByteArray("ERROR");
    }
    void parse() {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, expected);
        QCOMPARE(describeDeflateParams(parseExtensionsHeader(toStd(header))), expected);
    }

    void formatOffer_data() {
        QTest::addColumn<int>("clientBits");
        QTest::addColumn<int>("serverBits");
        QTest::addColumn<bool>("clientNoContext");
        QTest::addColumn<bool>("serverNoContext");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("default") << -1 << 0 << false << false
                                 << QByteArray("permessage-deflate; client_max_window_bits");
        QTest::newRow("nothing") << 0 << 0 << false << false << QByteArray("permessage-deflate");
        QTest::newRow("everything") << 12 << 10 << true << true
                                    << QByteArray(
                                           "permessage-deflate; server_no_context_takeover; "
                                           "client_no_context_takeover; server_max_window_bits=10; "
                                           "client_max_window_bits=12");
    }
    void formatOffer() {
        QFETCH(int, clientBits);
        QFETCH(int, serverBits);
        QFETCH(bool, clientNoContext);
        QFETCH(bool, serverNoContext);
        QFETCH(QByteArray, expected);
        const DeflateOffer offer{clientBits, serverBits, clientNoContext, serverNoContext};
        const std::string text = formatDeflateOffer(offer);
        QCOMPARE(QByteArray::fromStdString(text), expected);
        QVERIFY(parseExtensionsHeader(text).has_value());
    }

    void negotiateServer_data() {
        QTest::addColumn<QByteArray>("offers");
        QTest::addColumn<bool>("enabled");
        QTest::addColumn<int>("cap");
        QTest::addColumn<bool>("policyServerNoContext");
        QTest::addColumn<bool>("policyClientNoContext");
        QTest::addColumn<QByteArray>("params");
        QTest::addColumn<QByteArray>("response");
        const QByteArray pmd = "permessage-deflate";
        QTest::newRow("plain") << pmd << true << 15 << false << false << QByteArray("c15 s15") << pmd;
        QTest::newRow("client bits, no value") << pmd + "; client_max_window_bits" << true << 15 << false
                                               << false << QByteArray("c15 s15") << pmd;
        QTest::newRow("client bits 10 echoed")
            << pmd + "; client_max_window_bits=10" << true << 15 << false << false << QByteArray("c10 s15")
            << pmd + "; client_max_window_bits=10";
        QTest::newRow("client bits 8 ignored") << pmd + "; client_max_window_bits=8" << true << 15 << false
                                               << false << QByteArray("c15 s15") << pmd;
        QTest::newRow("client bits quoted")
            << pmd + "; client_max_window_bits=\"11\"" << true << 15 << false << false
            << QByteArray("c11 s15") << pmd + "; client_max_window_bits=11";
        QTest::newRow("server bits 10") << pmd + "; server_max_window_bits=10" << true << 15 << false << false
                                        << QByteArray("c15 s10") << pmd + "; server_max_window_bits=10";
        QTest::newRow("server bits 8 declined") << pmd + "; server_max_window_bits=8" << true << 15 << false
                                                << false << QByteArray("none") << QByteArray();
        QTest::newRow("server bits 8 then fallback") << pmd + "; server_max_window_bits=8, " + pmd << true
                                                     << 15 << false << false << QByteArray("c15 s15") << pmd;
        QTest::newRow("policy cap, no offer") << pmd << true << 12 << false << false << QByteArray("c15 s12")
                                              << pmd + "; server_max_window_bits=12";
        QTest::newRow("policy cap below offer")
            << pmd + "; server_max_window_bits=14" << true << 12 << false << false << QByteArray("c15 s12")
            << pmd + "; server_max_window_bits=12";
        QTest::newRow("offer below policy cap")
            << pmd + "; server_max_window_bits=10" << true << 12 << false << false << QByteArray("c15 s10")
            << pmd + "; server_max_window_bits=10";
        QTest::newRow("server no context offered")
            << pmd + "; server_no_context_takeover" << true << 15 << false << false
            << QByteArray("c15 s15 snct") << pmd + "; server_no_context_takeover";
        QTest::newRow("client no context offered")
            << pmd + "; client_no_context_takeover" << true << 15 << false << false
            << QByteArray("c15 s15 cnct") << pmd + "; client_no_context_takeover";
        QTest::newRow("policy no context both")
            << pmd << true << 15 << true << true << QByteArray("c15 s15 cnct snct")
            << pmd + "; server_no_context_takeover; client_no_context_takeover";
        QTest::newRow("mixed case") << QByteArray("PerMessage-Deflate; Server_No_Context_Takeover") << true
                                    << 15 << false << false << QByteArray("c15 s15 snct")
                                    << pmd + "; server_no_context_takeover";
        QTest::newRow("other extension first") << "x-webkit-deflate-frame, " + pmd << true << 15 << false
                                               << false << QByteArray("c15 s15") << pmd;
        QTest::newRow("unknown param declined")
            << pmd + "; foo" << true << 15 << false << false << QByteArray("none") << QByteArray();
        QTest::newRow("unknown param then fallback")
            << pmd + "; foo=1, " + pmd + "; client_no_context_takeover" << true << 15 << false << false
            << QByteArray("c15 s15 cnct") << pmd + "; client_no_context_takeover";
        QTest::newRow("duplicate param")
            << pmd + "; server_no_context_takeover; server_no_context_takeover" << true << 15 << false
            << false << QByteArray("none") << QByteArray();
        QTest::newRow("duplicate window")
            << pmd + "; server_max_window_bits=10; server_max_window_bits=10" << true << 15 << false << false
            << QByteArray("none") << QByteArray();
        QTest::newRow("value on no context") << pmd + "; client_no_context_takeover=1" << true << 15 << false
                                             << false << QByteArray("none") << QByteArray();
        QTest::newRow("server bits no value") << pmd + "; server_max_window_bits" << true << 15 << false
                                              << false << QByteArray("none") << QByteArray();
        QTest::newRow("server bits leading zero") << pmd + "; server_max_window_bits=010" << true << 15
                                                  << false << false << QByteArray("none") << QByteArray();
        QTest::newRow("server bits 16") << pmd + "; server_max_window_bits=16" << true << 15 << false << false
                                        << QByteArray("none") << QByteArray();
        QTest::newRow("client bits 7") << pmd + "; client_max_window_bits=7" << true << 15 << false << false
                                       << QByteArray("none") << QByteArray();
        QTest::newRow("client bits text") << pmd + "; client_max_window_bits=ten" << true << 15 << false
                                          << false << QByteArray("none") << QByteArray();
        QTest::newRow("not deflate") << QByteArray("x-foo") << true << 15 << false << false
                                     << QByteArray("none") << QByteArray();
        QTest::newRow("disabled") << pmd << false << 15 << false << false << QByteArray("none")
                                  << QByteArray();
    }
    void negotiateServer() {
        QFETCH(QByteArray, offers);
        QFETCH(bool, enabled);
        QFETCH(int, cap);
        QFETCH(bool, policyServerNoContext);
        QFETCH(bool, policyClientNoContext);
        QFETCH(QByteArray, params);
        QFETCH(QByteArray, response);
        const auto parsed = parseExtensionsHeader(toStd(offers));
        QVERIFY(parsed.has_value());
        const DeflateServerPolicy policy{enabled, cap, policyServerNoContext, policyClientNoContext};
        std::string responseValue = "stale";
        const auto result = negotiateDeflateAsServer(*parsed, policy, responseValue);
        QCOMPARE(describeDeflateParams(result), params);
        QCOMPARE(QByteArray::fromStdString(responseValue), response);
        // The response must itself be a well-formed single extension.
        if (result) QCOMPARE(parseExtensionsHeader(responseValue)->size(), size_t{1});
    }

    void acceptClient_data() {
        QTest::addColumn<int>("offerClientBits");
        QTest::addColumn<int>("offerServerBits");
        QTest::addColumn<bool>("offerClientNoContext");
        QTest::addColumn<bool>("offerServerNoContext");
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QByteArray>("params");  // "none" when refused
        const QByteArray pmd = "permessage-deflate";
        QTest::newRow("plain") << -1 << 0 << false << false << pmd << QByteArray("c15 s15");
        QTest::newRow("server no context")
            << -1 << 0 << false << false << pmd + "; server_no_context_takeover"
            << QByteArray("c15 s15 snct");
        QTest::newRow("client no context imposed")
            << -1 << 0 << false << false << pmd + "; client_no_context_takeover"
            << QByteArray("c15 s15 cnct");
        QTest::newRow("client no context we offered")
            << -1 << 0 << true << false << pmd << QByteArray("c15 s15 cnct");
        QTest::newRow("client bits limited")
            << -1 << 0 << false << false << pmd + "; client_max_window_bits=10" << QByteArray("c10 s15");
        QTest::newRow("client bits not offered")
            << 0 << 0 << false << false << pmd + "; client_max_window_bits=10" << QByteArray("none");
        QTest::newRow("client bits above offer")
            << 12 << 0 << false << false << pmd + "; client_max_window_bits=13" << QByteArray("none");
        QTest::newRow("client bits equal offer")
            << 12 << 0 << false << false << pmd + "; client_max_window_bits=12" << QByteArray("c12 s15");
        QTest::newRow("client bits offer kept") << 12 << 0 << false << false << pmd << QByteArray("c12 s15");
        QTest::newRow("client bits no value")
            << -1 << 0 << false << false << pmd + "; client_max_window_bits" << QByteArray("none");
        QTest::newRow("client bits 8")
            << -1 << 0 << false << false << pmd + "; client_max_window_bits=8" << QByteArray("none");
        QTest::newRow("server bits 8")
            << -1 << 0 << false << false << pmd + "; server_max_window_bits=8" << QByteArray("c15 s9");
        QTest::newRow("server bits unasked")
            << -1 << 0 << false << false << pmd + "; server_max_window_bits=11" << QByteArray("c15 s11");
        QTest::newRow("server bits below ask")
            << -1 << 10 << false << false << pmd + "; server_max_window_bits=9" << QByteArray("c15 s9");
        QTest::newRow("server bits above ask")
            << -1 << 10 << false << false << pmd + "; server_max_window_bits=11" << QByteArray("none");
        QTest::newRow("server bits ask ignored") << -1 << 10 << false << false << pmd << QByteArray("none");
        QTest::newRow("server bits 16")
            << -1 << 0 << false << false << pmd + "; server_max_window_bits=16" << QByteArray("none");
        QTest::newRow("server bits no value")
            << -1 << 0 << false << false << pmd + "; server_max_window_bits" << QByteArray("none");
        QTest::newRow("server no context unconfirmed")
            << -1 << 0 << false << true << pmd << QByteArray("none");
        QTest::newRow("server no context confirmed")
            << -1 << 0 << false << true << pmd + "; server_no_context_takeover" << QByteArray("c15 s15 snct");
        QTest::newRow("unknown param") << -1 << 0 << false << false << pmd + "; foo" << QByteArray("none");
        QTest::newRow("duplicate param")
            << -1 << 0 << false << false << pmd + "; server_no_context_takeover; server_no_context_takeover"
            << QByteArray("none");
        QTest::newRow("value on flag")
            << -1 << 0 << false << false << pmd + "; server_no_context_takeover=1" << QByteArray("none");
        QTest::newRow("other extension")
            << -1 << 0 << false << false << QByteArray("x-foo") << QByteArray("none");
    }
    void acceptClient() {
        QFETCH(int, offerClientBits);
        QFETCH(int, offerServerBits);
        QFETCH(bool, offerClientNoContext);
        QFETCH(bool, offerServerNoContext);
        QFETCH(QByteArray, response);
        QFETCH(QByteArray, params);
        const auto parsed = parseExtensionsHeader(toStd(response));
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->size(), size_t{1});
        const DeflateOffer offer{offerClientBits, offerServerBits, offerClientNoContext,
                                 offerServerNoContext};
        std::string error;
        const auto result = acceptDeflateResponse(parsed->front(), offer, error);
        QCOMPARE(describeDeflateParams(result), params);
        QCOMPARE(error.empty(), result.has_value());
    }

    void serverClientAgree() {
        // What our server answers, our client accepts, with the same parameters on both sides.
        const DeflateOffer offer{12, 11, true, true};
        const auto offers = parseExtensionsHeader(formatDeflateOffer(offer));
        QVERIFY(offers.has_value());
        std::string responseValue;
        const auto serverSide = negotiateDeflateAsServer(*offers, DeflateServerPolicy{}, responseValue);
        QVERIFY(serverSide.has_value());
        std::string error;
        const auto clientSide =
            acceptDeflateResponse(parseExtensionsHeader(responseValue)->front(), offer, error);
        QVERIFY2(clientSide.has_value(), error.c_str());
        QCOMPARE(describeDeflateParams(clientSide), describeDeflateParams(serverSide));
        QCOMPARE(describeDeflateParams(clientSide), QByteArray("c12 s11 cnct snct"));
    }
};

QTEST_APPLESS_MAIN(TestExtensions)
#include "tst_extensions.moc"

// EndpointURLTests: the one rule for where a secret may travel, against hostile URLs that a
// prefix comparison lets through, and the parse every client builds its requests from.
import HTTP
import Testing

struct EndpointURLTests {
    /// URLs a key may go to: https anywhere, plain http to loopback only.
    @Test(arguments: [
        "https://generativelanguage.googleapis.com",
        "https://example.com:8443/base/",
        "http://localhost:8080",
        "HTTP://LOCALHOST",
        "http://127.0.0.1:9000/v1beta",
        "http://127.1.2.3",
        "http://127.255.255.254:1",
        "http://[::1]:8080",
        "http://[0:0:0:0:0:0:0:1]/",
    ])
    func secretsMayGoTo(url: String) throws {
        let parsed = try EndpointURL.forSecrets(url)
        #expect(parsed.carriesSecretsSafely)
    }

    /// Plain http that leaves the machine, or only looks like loopback to a prefix test.
    @Test(arguments: [
        "http://localhost.evil.com",
        "http://localhost.evil.com:8080/v1beta",
        "http://127.0.0.1.evil.com",
        "http://[::1].evil.com",
        "http://evil.com",
        "http://0x7f.1",         // inet_aton reads it as 127.0.0.1; a resolver could read it otherwise
        "http://127.1",          // shorthand forms are refused, not guessed
        "http://0177.0.0.1",     // octal
        "http://2130706433",     // 127.0.0.1 as one number
        "http://128.0.0.1",
        "http://[::ffff:7f00:1]",
        "http://[::2]",
        "http://localhost.",
    ])
    func plainHTTPToAnotherHostIsRefused(url: String) throws {
        #expect(throws: EndpointURLError.self) { try EndpointURL.forSecrets(url) }
        let parsed = try? EndpointURL(url)
        #expect(parsed?.isLoopback != true)
        do {
            _ = try EndpointURL.forSecrets(url)
        } catch {
            #expect(error.reason.contains("plain http") || parsed == nil)
        }
    }

    /// Malformed or deceptive URLs are refused whatever the scheme: user info hides the real host
    /// (`http://127.0.0.1@evil.com` goes to evil.com), percent-encoding and odd characters could
    /// be decoded into another host than the one checked.
    @Test(arguments: [
        "http://127.0.0.1@evil.com",
        "http://localhost:80@evil.com",
        "https://user:password@example.com",
        "http://evil.com@127.0.0.1",
        "http://127.0.0.1\\@evil.com",
        "http://%6c%6f%63%61%6c%68%6f%73%74",
        "http://127.0.0.1%2eevil.com",
        "http://local host",
        "http://localhost\n.evil.com",
        "http://lоcalhost",      // Cyrillic о
        "http://127.0.0.1#@evil.com",
        "ftp://127.0.0.1",
        "localhost:8080",
        "http://",
        "http://:8080",
        "http://[::1",
        "http://[::1]x",
        "http://[fe80::1%25eth0]",
        "http://localhost:0",
        "http://localhost:65536",
        "http://localhost:+80",
        "http://localhost:8o",
        "http://..",
    ])
    func deceptiveURLsAreRefused(url: String) {
        #expect(throws: EndpointURLError.self) { try EndpointURL(url) }
        #expect(throws: EndpointURLError.self) { try EndpointURL.forSecrets(url, allowPlainHTTP: true) }
    }

    @Test func partsAreParsedOnceAndRebuiltForCurl() throws {
        let url = try EndpointURL("HTTP://LocalHost:80/Base/Path?x=1")
        #expect(url.scheme == .http)
        #expect(url.host == "localhost")
        #expect(url.port == nil)  // the scheme's default is left out
        #expect(url.pathAndQuery == "/Base/Path?x=1")
        #expect(url.normalized == "http://localhost/Base/Path?x=1")
        let ipv6 = try EndpointURL("http://[::1]:8080/v1")
        #expect(ipv6.host == "::1")
        #expect(ipv6.port == 8080)
        #expect(ipv6.authority == "[::1]:8080")
        #expect(ipv6.normalized == "http://[::1]:8080/v1")
        #expect(try EndpointURL("https://s3.example.com:443").authority == "s3.example.com")
        #expect(try EndpointURL("https://s3.example.com:9000").authority == "s3.example.com:9000")
    }

    @Test func theUserCanOptInToPlainHTTPButNotToADeceptiveURL() throws {
        #expect(try EndpointURL.forSecrets("http://minio.internal:9000", allowPlainHTTP: true).host == "minio.internal")
        #expect(throws: EndpointURLError.self) { try EndpointURL.forSecrets("http://127.0.0.1@minio.internal", allowPlainHTTP: true) }
    }

    @Test func messagesNeverShowUserInfoOrAQuery() {
        do {
            _ = try EndpointURL("http://user:hunter2@evil.com/path?key=AIzaSECRET")
            Issue.record("accepted a URL with user info")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(!error.description.contains("AIzaSECRET"))
            #expect(error.description.contains("evil.com"))
        }
        do {
            _ = try EndpointURL.forSecrets("http://evil.com/v1?key=AIzaSECRET")
            Issue.record("accepted plain http to another host")
        } catch {
            #expect(error.isPlainHTTPToAnotherHost)
            #expect(!error.description.contains("AIzaSECRET"))
            #expect(error.description.contains("clear text"))
        }
    }
}

// libcurl is linked and usable: its version and TLS backend are reported.
import Testing
@testable import HTTP

@Suite struct CurlLibraryTests {
    @Test func versionStringNamesLibcurlAndItsVersion() {
        #expect(CurlLibrary.ensureInitialised())
        let version = CurlLibrary.version
        #expect(version.split(separator: ".").count == 3)
        #expect(CurlLibrary.versionString.hasPrefix("libcurl/\(version)"))
        #expect(CurlLibrary.sslVersion?.isEmpty == false)
    }
}

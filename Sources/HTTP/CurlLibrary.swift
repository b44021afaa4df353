// CurlLibrary: process-wide libcurl facts and set-up (global init once, version).
import CCurl

public enum CurlLibrary {
    /// libcurl's global initialisation must run once before any handle is made, and before
    /// threads start; Swift runs a static initialiser exactly once, thread-safely.
    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Initialises libcurl if it was not yet (call before creating handles).
    @discardableResult
    public static func ensureInitialised() -> Bool { initialised }

    /// "libcurl/7.88.1 OpenSSL/3.0.x zlib/... nghttp2/..." as curl -V prints it.
    public static var versionString: String {
        String(cString: curl_version())
    }

    /// The version number, e.g. "7.88.1".
    public static var version: String {
        guard let info = ccurl_version_info(), let text = info.pointee.version else { return "unknown" }
        return String(cString: text)
    }

    /// The TLS backend libcurl was built with (e.g. "OpenSSL/3.0.15").
    public static var sslVersion: String? {
        guard let info = ccurl_version_info(), let text = info.pointee.ssl_version else { return nil }
        return String(cString: text)
    }
}

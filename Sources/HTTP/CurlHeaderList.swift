// CurlHeaderList: owns a libcurl `curl_slist` of request headers and frees it in deinit.
import CCurl

final class CurlHeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init(_ headers: [HTTPHeader]) {
        for header in headers {
            // "Name;" sends an empty header; "Name:" alone would remove it.
            let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            pointer = curl_slist_append(pointer, line)
        }
    }

    deinit { curl_slist_free_all(pointer) }
}

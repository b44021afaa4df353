// SSECustomerKey: the AES-256 key of an SSE-C bucket, read from a file or an environment
// variable (never from argv, so it stays out of `ps` and shell history), and the three headers
// every GET and HEAD of such an object must carry.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import HTTP
import Posix
import Records

public struct SSECustomerKey: Sendable {
    private let key: [UInt8]

    /// The key: 32 raw bytes, or their base64 text (surrounding whitespace ignored).
    public init(material: [UInt8]) throws(S3Error) {
        if material.count == 32 {
            key = material
            return
        }
        let text = material.filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard let decoded = Base64.decode(text), decoded.count == 32 else {
            throw .invalidConfiguration("the SSE-C key must be 32 bytes (raw, or base64 text)")
        }
        key = decoded
    }

    /// Reads the key from `file:PATH` or `env:NAME`.
    public static func load(_ source: String, environment: S3Configuration.Environment = S3Configuration.processEnvironment)
        throws(S3Error) -> SSECustomerKey {
        if source.hasPrefix("env:") {
            let name = String(source.dropFirst(4))
            guard let value = environment(name) else { throw .invalidConfiguration("--sse-c-key: environment variable \(name) is not set") }
            return try SSECustomerKey(material: Array(value.utf8))
        }
        guard source.hasPrefix("file:") else {
            throw .invalidConfiguration("--sse-c-key takes file:PATH or env:NAME (the key itself never goes on the command line)")
        }
        let path = String(source.dropFirst(5))
        let file: FileDescriptor
        do throws(SystemError) { file = try FileDescriptor.open(path, .read) } catch {
            throw .invalidConfiguration("--sse-c-key: cannot open \(path): \(error.reason)")
        }
        var bytes = [UInt8](repeating: 0, count: 4096)
        let n = (try? file.readFully(into: &bytes, at: 0)) ?? 0
        guard n > 0 else { throw .invalidConfiguration("--sse-c-key: cannot read \(path)") }
        return try SSECustomerKey(material: Array(bytes[0..<n]))
    }

    /// `x-amz-server-side-encryption-customer-{algorithm,key,key-MD5}`.
    public var headers: [HTTPHeader] {
        [HTTPHeader("x-amz-server-side-encryption-customer-algorithm", "AES256"),
         HTTPHeader("x-amz-server-side-encryption-customer-key", Base64.encode(key)),
         HTTPHeader("x-amz-server-side-encryption-customer-key-MD5", Base64.encode(Array(Insecure.MD5.hash(data: key))))]
    }
}

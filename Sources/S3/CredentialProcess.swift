// CredentialProcess: runs a `credential_process` command (or the AWS CLI's export-credentials)
// and reads the credentials JSON it prints. Its output never reaches a log.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Posix
import Records

enum CredentialProcess {
    /// Runs `command` with /bin/sh and parses its stdout as the credential_process JSON.
    static func run(_ command: String, source: String) throws -> AWSCredentials {
        let output: ChildProcess.Output
        do throws(SystemError) { output = try ChildProcess.output(of: ["/bin/sh", "-c", command]) } catch {
            throw S3Error.noCredentials("cannot run \(source): \(error.reason)")
        }
        guard output.status == 0 else {
            throw S3Error.noCredentials("\(source) exited with status \(output.status)")
        }
        guard let object = try? JSONParser.parse(output.stdout).objectValue,
              let key = object["AccessKeyId"]?.stringValue, let secret = object["SecretAccessKey"]?.stringValue else {
            throw S3Error.noCredentials("\(source) did not print AccessKeyId and SecretAccessKey as JSON")
        }
        let credentials = AWSCredentials(accessKeyID: key, secretAccessKey: secret,
                                         sessionToken: object["SessionToken"]?.stringValue,
                                         expiration: object["Expiration"]?.stringValue, source: source)
        if let expiration = credentials.expiration, let seconds = ISO8601.secondsSinceEpoch(expiration), seconds <= time(nil) {
            throw S3Error.credentialsExpired("\(source) returned credentials that expired at \(expiration)")
        }
        return credentials
    }
}

/// Reads `2026-11-27T10:00:00Z` / `…+00:00` / `….123Z` timestamps.
enum ISO8601 {
    static func secondsSinceEpoch(_ text: String) -> time_t? {
        let digits = Array(text.utf8)
        guard digits.count >= 19 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int32? {
            Int32(String(decoding: digits[start..<start + length], as: UTF8.self))
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        var seconds = timegm(&parts)
        // A numeric offset (+02:00) moves the instant; Z and +00:00 do not.
        var rest = digits[19...].drop { $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "Z") }
        if let sign = rest.first, sign != UInt8(ascii: "Z"), rest.count >= 6 {
            rest = rest.dropFirst()
            let text = String(decoding: rest, as: UTF8.self)
            let hours = Int(text.prefix(2)) ?? 0
            let minutes = Int(text.dropFirst(3).prefix(2)) ?? 0
            let offset = time_t(hours * 3600 + minutes * 60)
            seconds += sign == UInt8(ascii: "+") ? -offset : offset
        }
        return seconds
    }
}

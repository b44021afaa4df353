// GeminiAPIError: a non-2xx answer read from Google's error envelope (docs §2) or OpenAI's
// (`{"error": {"message", "type", "param", "code"}}`, docs §7) — also when it arrives wrapped in
// an array or as a proxy's HTML page — and what to do about it.
import Records

public struct GeminiAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var httpStatus: Int
    /// google.rpc status name, e.g. RESOURCE_EXHAUSTED.
    public var status: String?
    public var message: String
    /// RetryInfo.retryDelay in seconds, or a Retry-After header.
    public var retryDelay: Double?
    /// QuotaFailure quotaIds (e.g. GenerateRequestsPerDayPerProjectPerModel-FreeTier).
    public var quotaIDs: [String]
    /// ErrorInfo reason (e.g. API_KEY_INVALID), or an OpenAI error's `code` (else `type`),
    /// such as insufficient_quota.
    public var reason: String?
    /// Where the key comes from, for the message when it is refused.
    public var keyVariables: String

    public init(httpStatus: Int, body: [UInt8], retryAfterHeader: String? = nil, keyVariables: String = ModelProvider.gemini.keyVariables) {
        self.httpStatus = httpStatus
        self.keyVariables = keyVariables
        var error: JSONValue?
        if let value = try? JSONParser.parse(body) {
            error = value["error"] ?? value.arrayValue?.first?["error"]
        }
        status = error?["status"]?.stringValue
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        message = error?["message"]?.stringValue ?? (text.isEmpty ? "HTTP \(httpStatus)" : "HTTP \(httpStatus): \(Self.oneLine(text))")
        var delay: Double?
        var quotas: [String] = []
        var reason: String?
        for detail in error?["details"]?.arrayValue ?? [] {
            let type = detail["@type"]?.stringValue ?? ""
            if type.hasSuffix("RetryInfo"), let text = detail["retryDelay"]?.stringValue {
                delay = Self.seconds(fromDuration: text)
            } else if type.hasSuffix("QuotaFailure") {
                quotas += (detail["violations"]?.arrayValue ?? []).compactMap { $0["quotaId"]?.stringValue }
            } else if type.hasSuffix("ErrorInfo") {
                reason = detail["reason"]?.stringValue
            }
        }
        if reason == nil { reason = error?["code"]?.stringValue ?? error?["type"]?.stringValue }
        if delay == nil, let header = retryAfterHeader, let seconds = Double(header.trimmingSpaces) { delay = seconds }
        retryDelay = delay
        quotaIDs = quotas
        self.reason = reason
    }

    /// "26s", "0.5s" (a protobuf Duration) → seconds.
    static func seconds(fromDuration text: String) -> Double? {
        guard text.hasSuffix("s") else { return nil }
        return Double(text.dropLast())
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }

    public var description: String {
        "\(httpStatus)\(status.map { " " + $0 } ?? ""): \(message)"
    }

    /// What to do with the request that got this answer.
    public enum Disposition: Equatable, Sendable {
        /// Try again after at least `after` seconds (nil: backoff only).
        case retry(after: Double?)
        /// The run cannot go on (bad key, daily quota, unknown model): stop with this message.
        case stopRun(String)
        /// This record cannot succeed: an error record with `code`.
        case failRecord(code: String)
    }

    public var disposition: Disposition {
        switch httpStatus {
        case 429:
            if reason == "insufficient_quota" {
                return .stopRun("quota or credit used up (\(message)) — check the account behind \(keyVariables)")
            }
            if quotaIDs.contains(where: { $0.contains("PerDay") }) {
                return .stopRun("daily quota exhausted (\(quotaIDs.joined(separator: ", "))): it resets at midnight Pacific time; rerun with the same -o then (finished records are kept)")
            }
            return .retry(after: retryDelay)
        case 408, 500, 502, 503, 504:
            return .retry(after: retryDelay)
        case 401, 403:
            return .stopRun("the API key was refused (\(httpStatus) \(status ?? ""): \(message)) — check \(keyVariables)")
        case 400 where reason == "API_KEY_INVALID":
            return .stopRun("the API key is not valid (\(message)) — check \(keyVariables)")
        case 402:
            return .stopRun("billing: \(message)")
        case 404:
            return .stopRun("not found: \(message)")
        default:
            return .failRecord(code: "bad_request")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}


// RecordError: the `error` member every tool writes into a record it could not process, and
// the helpers to read it back. Codes are stable snake_case words (`not_found`, `corrupt`).

/// `{"stage", "code", "message", "retryable"}` — why a stage could not process a record.
public struct RecordError: Sendable, Equatable, Error {
    public var stage: String
    public var code: String
    public var message: String
    public var retryable: Bool

    public init(stage: String, code: String, message: String, retryable: Bool) {
        self.stage = stage
        self.code = code
        self.message = message
        self.retryable = retryable
    }

    public var json: JSONValue {
        .object(JSONObject([
            .init(key: "stage", value: .string(stage)),
            .init(key: "code", value: .string(code)),
            .init(key: "message", value: .string(message)),
            .init(key: "retryable", value: .bool(retryable)),
        ]))
    }

    /// Reads an `error` member back; tolerant of missing parts (an upstream tool of another
    /// version may have written fewer fields).
    public init?(json: JSONValue) {
        guard let object = json.objectValue else { return nil }
        stage = object["stage"]?.stringValue ?? ""
        code = object["code"]?.stringValue ?? "error"
        message = object["message"]?.stringValue ?? ""
        retryable = object["retryable"]?.boolValue ?? false
    }
}

/// A record: one JSON object, one line of NDJSON.
public typealias Record = JSONObject

extension JSONObject {
    /// The record's stable key through the pipeline.
    public var id: String? {
        switch self["id"] {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }

    /// True when an earlier stage (or this one) marked the record as failed.
    public var hasError: Bool {
        guard let e = self["error"] else { return false }
        return !e.isNull
    }

    public var error: RecordError? {
        self["error"].flatMap(RecordError.init(json:))
    }

    /// Marks the record failed: sets (or replaces) its `error` member.
    public mutating func setError(_ error: RecordError) {
        self["error"] = error.json
    }
}

// JSONObject: an ordered list of key/value fields. Records are small (tens of keys), so a
// linear scan beats hashing and keeps the order every tool must preserve.

/// A JSON object whose fields keep their order. Setting an existing key replaces its value in
/// place; setting a new key appends it.
public struct JSONObject: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var key: String
        public var value: JSONValue
        public init(key: String, value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public var fields: [Field]

    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    public var isEmpty: Bool { fields.isEmpty }
    public var count: Int { fields.count }
    public var keys: [String] { fields.map(\.key) }

    public func index(of key: String) -> Int? {
        fields.firstIndex { $0.key == key }
    }

    public subscript(key: String) -> JSONValue? {
        get {
            for field in fields where field.key == key { return field.value }
            return nil
        }
        set {
            if let i = index(of: key) {
                if let newValue { fields[i].value = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append(Field(key: key, value: newValue))
            }
        }
    }

    /// Follows a path of object keys (`["image", "path"]`).
    public func value(at path: [String]) -> JSONValue? {
        guard let first = path.first, let head = self[first] else { return nil }
        var current = head
        for key in path.dropFirst() {
            guard let next = current[key] else { return nil }
            current = next
        }
        return current
    }

    /// Appends a field even if the key exists (used by the parser, which keeps what it reads).
    public mutating func append(_ key: String, _ value: JSONValue) {
        fields.append(Field(key: key, value: value))
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// `["id": "x", "size": 3]` — keys keep the order written.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { Field(key: $0.0, value: $0.1) })
    }
}

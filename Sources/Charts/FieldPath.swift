// FieldPath: `plotdist --field PATH` — a dotted path into a record (`description.style.lighting`),
// with `[]` after a name for an array of objects (`description.objects[].name`), read as the
// values one image carries.
import Records

/// A path to the values compared across datasets.
public struct FieldPath: Sendable, Equatable, CustomStringConvertible {
    /// One step: a key, and whether its value is an array whose elements the rest applies to.
    public struct Step: Sendable, Equatable {
        public var key: String
        public var eachElement: Bool
    }

    public let steps: [Step]
    /// The path as given.
    public let description: String

    /// Parses `a.b[].c`; empty names, stray brackets and `[]` at the very start are refused.
    public init(parsing text: String) throws(PlotError) {
        var steps: [Step] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var key = String(part)
            let eachElement = key.hasSuffix("[]")
            if eachElement { key.removeLast(2) }
            guard !key.isEmpty, !key.contains("["), !key.contains("]") else {
                throw PlotError.usage("--field \(text): a path is names joined by dots, with [] after a name whose value is an array of objects "
                                      + "(e.g. description.objects[].name)")
            }
            steps.append(Step(key: key, eachElement: eachElement))
        }
        self.steps = steps
        self.description = text
    }

    /// What a record holds at the path.
    public enum Values: Sendable, Equatable {
        /// The path leads nowhere (a key absent, null, or a value that is not a string, number,
        /// bool or an array of them).
        case missing
        /// The values, in order, as text (numbers as written; an integral number without a fraction).
        case values([String])
    }

    /// The values of `record` at the path. An array at the end gives its elements; `[]` gathers
    /// the rest of the path from every element, skipping elements that lack it.
    public func values(in record: JSONObject) -> Values {
        guard let first = record[steps[0].key] else { return .missing }
        return Self.collect(first, steps: steps[...]).map(Values.values) ?? .missing
    }

    private static func collect(_ value: JSONValue, steps: ArraySlice<Step>) -> [String]? {
        let step = steps[steps.startIndex]
        let rest = steps.dropFirst()
        if step.eachElement {
            guard let elements = value.arrayValue else { return nil }
            guard !rest.isEmpty else { return scalars(value) }
            var gathered: [String] = []
            for element in elements {
                guard let next = element[rest[rest.startIndex].key], let found = collect(next, steps: rest) else { continue }
                gathered += found
            }
            return gathered
        }
        guard let nextStep = rest.first else { return scalars(value) }
        guard let next = value[nextStep.key] else { return nil }
        return collect(next, steps: rest)
    }

    /// A scalar as one value, an array of scalars as its values; nil for anything else.
    private static func scalars(_ value: JSONValue) -> [String]? {
        if case .array(let elements) = value {
            var texts: [String] = []
            for element in elements {
                guard let text = scalarText(element) else { return nil }
                texts.append(text)
            }
            return texts
        }
        return scalarText(value).map { [$0] }
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text):
            // 3, 3.0 and 3e0 are one cluster.
            if let integer = value.intValue { return String(integer) }
            return text
        case .null, .array, .object: return nil
        }
    }
}

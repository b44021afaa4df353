// JSONSchemaConversion: the tools' response schemas (Gemini's OpenAPI-subset Schema: upper-case
// types, `nullable`, `propertyOrdering`) as the JSON Schema that OpenAI-style structured output
// takes in strict mode: lower-case types, `additionalProperties: false` on every object, every
// property required (one that was optional may be null instead), keywords strict mode refuses
// left out. A root that is not an object is wrapped in one (strict mode wants an object root).
import Records

public enum JSONSchemaConversion {
    /// The key a non-object root is wrapped under; the answer is unwrapped again on arrival.
    public static let wrapperKey = "items"

    /// Keywords copied as they are (the rest, such as propertyOrdering, example and default, are dropped).
    static let kept: Set<String> = ["description", "title", "minItems", "maxItems", "minimum", "maximum",
                                    "minLength", "maxLength", "pattern", "format"]

    /// `schema` in strict JSON Schema, and whether its root was wrapped in an object.
    public static func strict(_ schema: JSONValue) -> (schema: JSONValue, wrapped: Bool) {
        let converted = convert(schema, nullable: false)
        if converted["type"]?.stringValue == "object" { return (converted, false) }
        let wrapper: JSONValue = ["type": "object", "properties": .object([wrapperKey: converted]),
                                  "required": [.string(wrapperKey)], "additionalProperties": false]
        return (wrapper, true)
    }

    static func convert(_ schema: JSONValue, nullable: Bool) -> JSONValue {
        guard let source = schema.objectValue else { return schema }
        var out = JSONObject()
        let isNullable = nullable || source["nullable"]?.boolValue == true
        if let type = source["type"]?.stringValue?.lowercased() {
            out["type"] = isNullable ? [.string(type), "null"] : .string(type)
        }
        for field in source.fields {
            switch field.key {
            case "enum":
                var values = field.value.arrayValue ?? []
                if isNullable { values.append(.null) }
                out["enum"] = .array(values)
            case "items":
                out["items"] = convert(field.value, nullable: false)
            case "anyOf", "any_of":
                out["anyOf"] = .array((field.value.arrayValue ?? []).map { convert($0, nullable: false) })
            case "min_items", "max_items", "min_length", "max_length":
                let camel = field.key.split(separator: "_").enumerated()
                    .map { $0.offset == 0 ? String($0.element) : $0.element.capitalized }.joined()
                out[camel] = number(field.value)
            case let key where kept.contains(key):
                out[key] = key.hasPrefix("min") || key.hasPrefix("max") ? number(field.value) : field.value
            default:
                break
            }
        }
        if let properties = source["properties"]?.objectValue {
            let required = Set((source["required"]?.arrayValue ?? []).compactMap(\.stringValue))
            let order = (source["propertyOrdering"] ?? source["property_ordering"])?.arrayValue?.compactMap(\.stringValue) ?? []
            let names = order.filter { properties[$0] != nil } + properties.keys.filter { !order.contains($0) }
            var converted = JSONObject()
            for name in names {
                // Strict mode wants every property listed as required; an optional one may be null instead.
                converted[name] = convert(properties[name] ?? [:], nullable: !required.contains(name))
            }
            out["properties"] = .object(converted)
            out["required"] = .array(names.map { .string($0) })
        }
        if out["type"]?.stringValue == "object" || out["type"]?.arrayValue?.first?.stringValue == "object" {
            out["additionalProperties"] = false
        }
        return .object(out)
    }

    /// Gemini's int64 fields may arrive as strings ("8"); JSON Schema wants numbers.
    private static func number(_ value: JSONValue) -> JSONValue {
        if case .string(let text) = value, let int = Int(text) { return .int(int) }
        return value
    }
}

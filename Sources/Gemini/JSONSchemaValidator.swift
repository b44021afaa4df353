// JSONSchemaValidator: checks an answer against the strict JSON Schema it was asked for, when the
// server could not enforce it (the json_object fallback of OpenAI-compatible servers): the
// subset JSONSchemaConversion writes — type, properties, required, additionalProperties, items,
// enum, minItems/maxItems, anyOf.
import Records

public enum JSONSchemaValidator {
    /// The first problem of `value` against `schema` ("$.objects[2].name: expected string"), or nil.
    public static func problem(_ value: JSONValue, schema: JSONValue, path: String = "$") -> String? {
        guard schema.objectValue != nil else { return nil }
        if let anyOf = schema["anyOf"]?.arrayValue, !anyOf.isEmpty {
            if anyOf.allSatisfy({ problem(value, schema: $0, path: path) != nil }) { return "\(path): matches none of anyOf" }
        }
        let types = schema["type"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue].compactMap { $0 } } ?? []
        if !types.isEmpty, !types.contains(where: { matches(value, type: $0) }) {
            return "\(path): expected \(types.joined(separator: " or "))"
        }
        if let options = schema["enum"]?.arrayValue, !options.contains(value) {
            return "\(path): not one of the allowed values"
        }
        switch value {
        case .object(let object):
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                return "\(path): missing \(name)"
            }
            for field in object.fields {
                if let property = properties[field.key] {
                    if let problem = problem(field.value, schema: property, path: "\(path).\(field.key)") { return problem }
                } else if schema["additionalProperties"]?.boolValue == false {
                    return "\(path): unexpected property \(field.key)"
                }
            }
        case .array(let items):
            if let least = schema["minItems"]?.intValue, items.count < least { return "\(path): fewer than \(least) items" }
            if let most = schema["maxItems"]?.intValue, items.count > most { return "\(path): more than \(most) items" }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    if let problem = problem(item, schema: itemSchema, path: "\(path)[\(index)]") { return problem }
                }
            }
        default:
            break
        }
        return nil
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("null", .null), ("array", .array), ("object", .object):
            return true
        case ("number", .number):
            return true
        case ("integer", .number):
            return value.intValue != nil
        default:
            return false
        }
    }
}

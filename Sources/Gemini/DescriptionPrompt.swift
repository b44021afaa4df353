// DescriptionPrompt: the default prompt and response schema — the structured description the
// reference tool asks for (summary, objects, scene, style, camera, text, quality), as Gemini's
// OpenAPI-subset Schema so the answer is valid JSON by construction.
import Records

public enum DescriptionPrompt {
    public static let text = """
        Describe this image for an audit of an image dataset. Be literal: describe only what is \
        visible, do not guess names, places or intentions. Fill every field of the JSON schema: \
        summary is one sentence; objects lists up to 8 main objects, each with a few visual \
        attributes; scene says indoor or outdoor and the environment; style gives the genre \
        (photograph, illustration, 3D render, painting, screenshot, ...), the lighting and the \
        dominant colours; camera gives the shot (close-up, medium, wide, ...), field of view and \
        lens impression; text lists visible text verbatim; quality gives an aesthetic rating \
        (poor, fair, good, excellent) and visible issues (blur, noise, artifacts, watermark, ...). \
        Use "unknown" when unsure. Lists have at most 8 items.
        """

    private static func string(_ description: String? = nil) -> JSONValue {
        var schema: JSONObject = ["type": "STRING"]
        if let description { schema["description"] = .string(description) }
        return .object(schema)
    }

    private static func list(_ items: JSONValue) -> JSONValue {
        ["type": "ARRAY", "items": items, "maxItems": 8]
    }

    private static func object(_ properties: [(String, JSONValue)]) -> JSONValue {
        let names = properties.map { JSONValue.string($0.0) }
        return .object([
            "type": "OBJECT",
            "properties": .object(JSONObject(properties.map { JSONObject.Field(key: $0.0, value: $0.1) })),
            "required": .array(names),
            "propertyOrdering": .array(names),
        ])
    }

    /// The default response schema.
    public static let schema: JSONValue = object([
        ("summary", string("One literal sentence describing the image.")),
        ("objects", list(object([("name", string()), ("attributes", list(string()))]))),
        ("scene", object([
            ("indoor_outdoor", ["type": "STRING", "enum": ["indoor", "outdoor", "unknown"]]),
            ("environment", list(string())),
        ])),
        ("style", object([("genre", string()), ("lighting", string()), ("colors", list(string()))])),
        ("camera", object([("shot", string()), ("fov", string()), ("lens", string())])),
        ("text", list(string("Visible text, verbatim."))),
        ("quality", object([("aesthetic", string()), ("issues", list(string()))])),
    ])
}

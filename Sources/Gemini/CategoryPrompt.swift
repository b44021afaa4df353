// CategoryPrompt: the categorisation request — the reference tool's rules, a batch of
// descriptions with their ids, and a schema whose items can only name listed categories
// (or, when the API finds that enum too complex, plain strings with the list in the prompt).
import Records

public enum CategoryPrompt {
    public static let rules = """
        You sort images into categories. For each image below (given by its id and a description \
        of what it shows), choose one, or at most two, relevant categories. Rules: use only \
        categories from the allowed list, spelled exactly as listed; never name a category twice \
        for one image; answer "unknown" when no listed category fits. Answer every id exactly \
        once, as a JSON array of objects {"id": ..., "categories": [...]}.
        """

    /// One image's text for the prompt: its summary, else the description's JSON.
    public static func descriptionText(of record: Record) -> String? {
        if let summary = record["summary"]?.stringValue, !summary.isEmpty {
            if let description = record["description"], description.objectValue != nil {
                return summary + " | " + compactDetails(description)
            }
            return summary
        }
        if let description = record["description"] {
            if let text = description.stringValue { return text.isEmpty ? nil : text }
            return JSONSerializer.string(description)
        }
        return nil
    }

    /// The description's lists (objects, scene, style) as a short phrase; the summary alone
    /// loses what categorisation needs most.
    static func compactDetails(_ description: JSONValue) -> String {
        var words: [String] = []
        for object in description["objects"]?.arrayValue ?? [] {
            if let name = object["name"]?.stringValue { words.append(name) }
        }
        if let place = description["scene"]?["indoor_outdoor"]?.stringValue { words.append(place) }
        words += description["scene"]?["environment"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if let genre = description["style"]?["genre"]?.stringValue { words.append(genre) }
        return words.joined(separator: ", ")
    }

    /// The request for a batch of (id, description) items.
    public static func request(model: GeminiModel, list: CategoryList, items: [(id: String, text: String)],
                               useEnum: Bool, maxOutputTokens: Int) -> GenerateContentRequest {
        let itemsJSON: JSONValue = .array(items.map { ["id": .string($0.id), "description": .string($0.text)] })
        var prompt = rules
        if !useEnum {
            prompt += "\n\nAllowed categories: " + list.allowedAnswers.map { "\"\($0)\"" }.joined(separator: ", ")
        }
        prompt += "\n\nImages (JSON):\n" + JSONSerializer.string(itemsJSON)
        return GenerateContentRequest(model: model, prompt: prompt, responseSchema: schema(list: list, useEnum: useEnum),
                                      maxOutputTokens: maxOutputTokens, temperature: 0)
    }

    /// `[{"id", "categories": [enum]}]`, at most two categories each.
    public static func schema(list: CategoryList, useEnum: Bool) -> JSONValue {
        var item: JSONObject = ["type": "STRING"]
        if useEnum { item["enum"] = .array(list.allowedAnswers.map { .string($0) }) }
        let entry: JSONValue = [
            "type": "OBJECT",
            "properties": [
                "id": ["type": "STRING"],
                "categories": ["type": "ARRAY", "items": .object(item), "minItems": 1, "maxItems": 2],
            ],
            "required": ["id", "categories"],
            "propertyOrdering": ["id", "categories"],
        ]
        return ["type": "ARRAY", "items": entry]
    }

    /// The answer's entries: id → category answers, with ids answered more than once marked.
    public static func parseAnswer(_ value: JSONValue) -> (answers: [String: [String]], repeated: Set<String>) {
        var answers: [String: [String]] = [:]
        var repeated: Set<String> = []
        let entries = value.arrayValue ?? value["items"]?.arrayValue ?? value["results"]?.arrayValue ?? []
        for entry in entries {
            guard let id = entry["id"]?.stringValue ?? entry["id"].map({ JSONSerializer.string($0) }) else { continue }
            let categories: [String]
            if let list = entry["categories"]?.arrayValue {
                categories = list.compactMap(\.stringValue)
            } else if let single = entry["categories"]?.stringValue ?? entry["category"]?.stringValue {
                categories = [single]
            } else {
                categories = []
            }
            if answers[id] != nil { repeated.insert(id) }
            answers[id] = categories
        }
        return (answers, repeated)
    }

    /// Estimated input tokens of a request before the items: rules, list and schema.
    public static func overheadTokens(list: CategoryList, useEnum: Bool) -> Int {
        TokenEstimator.textTokens(rules) + TokenEstimator.textTokens(JSONSerializer.string(schema(list: list, useEnum: useEnum)))
            + (useEnum ? 0 : TokenEstimator.textTokens(list.allowedAnswers.joined(separator: ", ")))
    }

    // MARK: - Discovering a category list

    public static func discoveryRequest(model: GeminiModel, count: Int, descriptions: [String]) -> GenerateContentRequest {
        let prompt = """
            Below are \(descriptions.count) descriptions of images from one collection. Propose a \
            taxonomy of exactly \(count) category names for sorting these images: mutually exclusive, \
            concrete (what is shown, e.g. "street", "pets", "food"), short (one to three words, \
            lowercase), covering most of the images. Return them as a JSON array of strings.

            Descriptions (JSON):
            """ + "\n" + JSONSerializer.string(.array(descriptions.map { .string($0) }))
        let schema: JSONValue = ["type": "ARRAY", "items": ["type": "STRING"], "minItems": .int(count), "maxItems": .int(count)]
        return GenerateContentRequest(model: model, prompt: prompt, responseSchema: schema,
                                      maxOutputTokens: 64 + 16 * count, temperature: 0.2)
    }
}

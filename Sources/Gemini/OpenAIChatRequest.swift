// OpenAIChatRequest: a GenerateContentRequest as an OpenAI-compatible chat completion body
// (gemini-api.md §7): the prompt as a text part, the image as a base64 data URL part, the
// system instruction as a system message, and structured output as a strict json_schema — or,
// on a server that refuses json_schema, json_object with the schema written into the prompt
// (the answer is then validated here).
import Foundation
import Records

enum OpenAIChatRequest {
    /// The schema name sent in `json_schema.name` (letters, digits, _ and - only).
    static let schemaName = "answer"

    static func json(_ request: GenerateContentRequest, asking: OpenAIAsking = OpenAIAsking()) -> JSONValue {
        let mode = asking.structuredOutput
        let strict = request.responseSchema.map { JSONSchemaConversion.strict($0).schema }
        var prompt = request.prompt
        if let strict, mode == .jsonObject {
            prompt += "\n\nAnswer with one JSON object only, valid against this JSON Schema:\n" + JSONSerializer.string(strict)
        }
        var parts: [JSONValue] = [["type": "text", "text": .string(prompt)]]
        if let image = request.imageJPEG {
            let url = "data:\(request.imageMimeType);base64," + Data(image).base64EncodedString()
            parts.append(["type": "image_url", "image_url": ["url": .string(url)]])
        }
        var messages: [JSONValue] = []
        if let system = request.systemInstruction { messages.append(["role": "system", "content": .string(system)]) }
        messages.append(["role": "user", "content": .array(parts)])
        var body: JSONObject = ["model": .string(request.model.id), "messages": .array(messages)]
        body[asking.tokenLimit.key] = .int(request.maxOutputTokens)
        if asking.sendsTemperature, let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let strict {
            switch mode {
            case .jsonSchema:
                body["response_format"] = ["type": "json_schema",
                                           "json_schema": ["name": .string(schemaName), "schema": strict, "strict": true]]
            case .jsonObject:
                body["response_format"] = ["type": "json_object"]
            }
        }
        return .object(body)
    }

    static func bodyBytes(_ request: GenerateContentRequest, asking: OpenAIAsking) -> [UInt8] {
        var out: [UInt8] = []
        JSONSerializer.append(json(request, asking: asking), to: &out)
        return out
    }

    /// The refusal an error answer makes of a request asked `asked` (OpenAIAsking.refusal): a
    /// 400 or 422, or a 501 for the structured output.
    static func refusal(_ error: GeminiAPIError, asked: OpenAIAsking) -> OpenAIAsking.Refusal? {
        guard [400, 422, 501].contains(error.httpStatus),
              let refusal = asked.refusal(message: error.message + " " + (error.reason ?? "")) else { return nil }
        return error.httpStatus == 501 && refusal != .jsonSchema ? nil : refusal
    }

    /// Whether an error's words refuse the max_tokens parameter itself for max_completion_tokens:
    /// they name both and say it is unsupported (not a value that is too large, which vLLM words
    /// naming both fields too).
    static func refusesMaxTokens(message: String) -> Bool {
        let text = message.lowercased()
        guard text.contains("unsupported") || text.contains("not supported") else { return false }
        return text.contains("max_completion_tokens") && text.replacingOccurrences(of: "max_completion_tokens", with: "").contains("max_tokens")
    }

    /// Whether an error's words refuse the temperature sent (OpenAI's reasoning models take only
    /// the default: "Unsupported value: 'temperature' does not support 0.2 with this model. Only
    /// the default (1) value is supported.").
    static func refusesTemperature(message: String) -> Bool {
        let text = message.lowercased()
        return text.contains("temperature") && (text.contains("unsupported") || text.contains("not support")
                                                || text.contains("only the default"))
    }

    /// Whether a refusal's words are about the structured output (response_format, json_schema).
    static func namesStructuredOutput(_ text: String) -> Bool {
        let text = text.lowercased()
        return text.contains("response_format") || text.contains("json_schema") || text.contains("response format")
    }
}

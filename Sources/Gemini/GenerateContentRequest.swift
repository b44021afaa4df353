// GenerateContentRequest: the JSON body of a generateContent call, in the API's camelCase
// field names (docs §1.1–1.2): the image part before the text part, structured output, and
// thinking off where the model allows it.
import Foundation
import Records

public struct GenerateContentRequest: Sendable {
    public var imageJPEG: [UInt8]?
    /// The image's MIME type (image/jpeg, image/png, image/webp).
    public var imageMimeType: String
    public var prompt: String
    public var systemInstruction: String?
    public var responseSchema: JSONValue?
    /// `application/json` with a schema; `text/x.enum` for a bare enum label.
    public var responseMimeType: String?
    public var maxOutputTokens: Int
    public var temperature: Double?
    public var mediaResolution: MediaResolution?
    public var model: GeminiModel

    public init(model: GeminiModel, prompt: String, imageJPEG: [UInt8]? = nil, imageMimeType: String = "image/jpeg",
                responseSchema: JSONValue? = nil,
                responseMimeType: String? = "application/json", maxOutputTokens: Int = 2048,
                temperature: Double? = 0.2, mediaResolution: MediaResolution? = nil, systemInstruction: String? = nil) {
        self.model = model
        self.prompt = prompt
        self.imageJPEG = imageJPEG
        self.imageMimeType = imageMimeType
        self.responseSchema = responseSchema
        self.responseMimeType = responseMimeType
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
        self.mediaResolution = mediaResolution
        self.systemInstruction = systemInstruction
    }

    /// The request body.
    public var json: JSONValue {
        var parts: [JSONValue] = []
        if let imageJPEG {
            parts.append(["inlineData": ["mimeType": .string(imageMimeType), "data": .string(Data(imageJPEG).base64EncodedString())]])
        }
        parts.append(["text": .string(prompt)])
        var config: JSONObject = ["maxOutputTokens": .int(maxOutputTokens)]
        if let temperature { config["temperature"] = .double(temperature) }
        if let responseMimeType { config["responseMimeType"] = .string(responseMimeType) }
        if let responseSchema { config["responseSchema"] = responseSchema }
        if let mediaResolution, model.generation == .gemini2 || model.generation == .gemini3 {
            config["mediaResolution"] = .string(mediaResolution.apiValue)
        }
        if model.canDisableThinkingWithBudget {
            config["thinkingConfig"] = ["thinkingBudget": 0]
        }
        var body: JSONObject = [:]
        if let systemInstruction { body["systemInstruction"] = ["parts": [["text": .string(systemInstruction)]]] }
        body["contents"] = [["role": "user", "parts": .array(parts)]]
        body["generationConfig"] = .object(config)
        return .object(body)
    }

    /// The body as bytes, ready to send.
    public var bodyBytes: [UInt8] {
        var out: [UInt8] = []
        JSONSerializer.append(json, to: &out)
        return out
    }

    /// Estimated input tokens (image by the model's rule, text at ~4 characters a token).
    public func estimatedInputTokens(imageWidth: Int, imageHeight: Int) -> Int {
        let image = imageJPEG == nil ? 0 : TokenEstimator.imageTokens(width: imageWidth, height: imageHeight, model: model,
                                                                        mediaResolution: mediaResolution).tokens
        let schemaText = responseSchema.map { JSONSerializer.string($0) } ?? ""
        return image + TokenEstimator.textTokens(prompt) + TokenEstimator.textTokens(schemaText) / 2
    }
}

// Describer: gemini-describe's work — for each record, load (and if needed shrink) its image,
// ask for the structured description, and add description, summary, model, usage and
// finish_reason; or estimate tokens and cost without calling (--dry-run).
import Gemini
import Imaging
import Records
import ToolSupport

public struct Describer {
    public let settings: GeminiSettings
    public let maximumSize: Int
    public let prompt: String
    public let schema: JSONValue
    public let maxOutputTokens: Int
    public let mediaResolution: MediaResolution?
    /// Descriptions already paid for (reference CSVs): their images are not sent.
    public var reuse = ReusedAnswers()
    static let stage = "gemini-describe"

    public init(settings: GeminiSettings, maximumSize: Int, promptFile: String?, schemaFile: String?,
                maxOutputTokens: Int, mediaResolution: MediaResolution?) throws {
        guard maximumSize >= 16 else { throw ToolError.usage("--max-size must be at least 16") }
        self.settings = settings
        self.maximumSize = maximumSize
        self.maxOutputTokens = maxOutputTokens
        self.mediaResolution = mediaResolution
        prompt = try promptFile.map { try Self.readText($0) } ?? DescriptionPrompt.text
        if let schemaFile {
            do {
                schema = try JSONParser.parse(try Self.readText(schemaFile))
            } catch let error as ToolError {
                throw error
            } catch {
                throw ToolError("\(schemaFile): not valid JSON: \(error)")
            }
            guard schema.objectValue != nil else { throw ToolError("\(schemaFile): the schema must be a JSON object") }
        } else {
            schema = DescriptionPrompt.schema
        }
    }

    static func readText(_ path: String) throws -> String {
        do {
            return try LineReader.readText(path: path)
        } catch {
            throw ToolError("cannot read \(path): \(error)")
        }
    }

    func request(image: ImagePayload?, outputScale: Int) -> GenerateContentRequest {
        GenerateContentRequest(model: settings.model, prompt: prompt, imageJPEG: image?.bytes, imageMimeType: image?.mimeType ?? "image/jpeg",
                               responseSchema: schema, maxOutputTokens: maxOutputTokens * outputScale,
                               mediaResolution: mediaResolution)
    }

    /// Calls the model for every record.
    public func describe(run: ToolRun) throws -> Int32 {
        if settings.checksModel { try ModelCheck.check(endpoint: settings.endpoint, model: settings.model.id) }
        let stage = try ModelStage(run: run, settings: settings)
        return try stage.process(stage: Self.stage, prepare: { record in
            if let answer = reuse.answer(for: record) { return .done(ReusedAnswers.describe(record, with: answer)) }
            switch image(for: record) {
            case .success(let image):
                let estimate = request(image: image, outputScale: 1).estimatedInputTokens(imageWidth: image.width, imageHeight: image.height)
                return .call(estimatedTokens: estimate) { scale in request(image: image, outputScale: scale) }
            case .failure(let error):
                return .fail(error)
            }
        }, apply: described)
    }

    /// The record's image, read and shrunk to `maximumSize`, or why it cannot be sent.
    func image(for record: Record) -> Result<ImagePayload, RecordError> {
        guard let path = ImagePayload.path(of: record) else {
            return .failure(RecordError(stage: Self.stage, code: "no_image", message: "record has no image.path or path", retryable: false))
        }
        let load = { () throws(ImagingError) in try ImagePayload.load(path: path, maximumSize: maximumSize) }
        var result = Result(catching: load)
        if case .failure(let error) = result, error.code == .io { result = Result(catching: load) }  // a read can fail once
        return result.mapError { error in
            RecordError(stage: Self.stage, code: error.code.rawValue, message: "\(path): \(error.message)", retryable: error.code == .io)
        }
    }

    /// The record with the answer's fields added.
    func described(_ record: Record, value: JSONValue, response: GenerateContentResponse) -> Record {
        var out = record
        out["description"] = value
        if let summary = value["summary"]?.stringValue { out["summary"] = .string(summary) }
        out["model"] = .string(response.modelVersion ?? settings.model.id)
        out["usage"] = ModelStage.usageJSON(response.usage)
        out["finish_reason"] = .string(response.finishReason ?? "STOP")
        ModelStage.markOrigin(&out, response: response, endpoint: settings.endpoint)
        return out
    }

    /// The resolutions a dry run prices: the default and every `--media-resolution`, so the one
    /// asked for (high too) is estimated by its own rule.
    static let pricedResolutions: [MediaResolution?] = [nil] + MediaResolution.allCases.reversed()

    /// Input tokens (image and text) for images of `sizes` at each priced resolution, and the
    /// rule that priced the chosen one (`mediaResolution`).
    func estimatedInputTokens(sizes: [(width: Int, height: Int)]) -> (byResolution: [MediaResolution?: Int], rule: String) {
        var tokens = Dictionary(uniqueKeysWithValues: Self.pricedResolutions.map { ($0, 0) })
        var rule = ""
        let textTokens = TokenEstimator.textTokens(prompt) + TokenEstimator.textTokens(JSONSerializer.string(schema)) / 2
        for size in sizes {
            let width = min(size.width, maximumSize * size.width / max(size.width, size.height, 1))
            let height = min(size.height, maximumSize * size.height / max(size.width, size.height, 1))
            for resolution in Self.pricedResolutions {
                let estimate = TokenEstimator.imageTokens(width: width, height: height, model: settings.model, mediaResolution: resolution)
                tokens[resolution, default: 0] += estimate.tokens + textTokens
                if resolution == mediaResolution { rule = estimate.rule }
            }
        }
        return (tokens, rule)
    }

    /// --dry-run: reads image sizes from headers, makes no call, prints the estimate.
    public func estimate(run: ToolRun) throws -> Int32 {
        var sizes: [(width: Int, height: Int)] = []
        var unreadable = 0
        while let item = try run.nextRecord() {
            guard let path = ImagePayload.path(of: item.record),
                  let size = try? ImagePayload.dimensions(of: item.record, path: path) else {
                unreadable += 1
                continue
            }
            sizes.append(size)
        }
        let images = sizes.count
        let (tokens, rule) = estimatedInputTokens(sizes: sizes)
        let outputPerImage = 250
        let chosen = tokens[mediaResolution, default: 0]
        let usage = TokenUsage(inputTokens: chosen, outputTokens: images * outputPerImage)
        run.logger.info("dry run: \(images) images (\(unreadable) without a readable image), \(settings.model.id)")
        run.logger.info("image tokens by rule: \(rule.isEmpty ? "none" : rule)")
        run.logger.info("estimated input tokens: \(chosen); output about \(outputPerImage) per image: \(images * outputPerImage)")
        for resolution in Self.pricedResolutions {
            let name = resolution.map { "--media-resolution \($0.rawValue)" } ?? "default resolution"
            run.logger.info("  \(name): \(tokens[resolution] ?? 0) input tokens")
        }
        run.logger.info("estimated \(settings.costText(usage))")
        return run.finish()
    }
}

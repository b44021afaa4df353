// DescriberTests: gemini-describe's pieces without a call — what an answer adds, which records
// cannot be sent and why, the dry run's figures per media resolution, the state of --batch.
import Foundation
import Gemini
import Logging
import Records
import Testing
import ToolSupport
@testable import GeminiStage

@Suite struct DescriberTests {
    static func describer(model: String = "gemini-2.5-flash-lite", resolution: MediaResolution? = nil,
                          schemaFile: String? = nil) throws -> Describer {
        let flags = GeminiSettings.Flags(model: model, baseURL: nil, concurrency: 1, rpm: nil, tpm: nil,
                                         priceInput: nil, priceOutput: nil, requireKey: false)
        let settings = try GeminiSettings(flags: flags, config: ToolConfig(), logger: Logger(label: "test"))
        return try Describer(settings: settings, maximumSize: 768, promptFile: nil, schemaFile: schemaFile,
                             maxOutputTokens: 2048, mediaResolution: resolution)
    }

    @Test func anAnswerAddsDescriptionSummaryModelUsageAndFinishReason() throws {
        let response = GenerateContentResponse(json: [
            "modelVersion": .string("gemini-2.5-flash-lite-001"),
            "usageMetadata": ["promptTokenCount": .int(700), "candidatesTokenCount": .int(90)],
            "candidates": [["finishReason": .string("STOP")]],
        ])
        let value: JSONValue = ["summary": .string("a red bicycle"), "objects": .array([.string("bicycle")])]
        let out = try Self.describer().described(["id": .string("b")], value: value, response: response)
        #expect(out["description"] == value)
        #expect(out["summary"] == .string("a red bicycle"))
        #expect(out["model"] == .string("gemini-2.5-flash-lite-001"))
        #expect(out["usage"]?["input_tokens"] == .int(700))
        #expect(out["finish_reason"] == .string("STOP"))
    }

    @Test func recordsWithoutAReadableImageAreNotSent() throws {
        let describer = try Self.describer()
        guard case .failure(let none) = describer.image(for: ["id": .string("a")]) else {
            Issue.record("a record without a path must not be sent")
            return
        }
        #expect(none.code == "no_image" && !none.retryable)
        guard case .failure(let missing) = describer.image(for: ["id": .string("b"), "path": .string("/nonexistent/b.jpg")]) else {
            Issue.record("a missing file must not be sent")
            return
        }
        #expect(missing.stage == "gemini-describe")
        #expect(missing.message.hasPrefix("/nonexistent/b.jpg: "))
    }

    @Test func theDryRunPricesTheChosenResolutionByItsOwnRule() throws {
        let sizes = [(width: 1024, height: 768), (width: 300, height: 200)]
        let high = try Self.describer(model: "gemini-3-flash", resolution: .high).estimatedInputTokens(sizes: sizes)
        let low = try Self.describer(model: "gemini-3-flash", resolution: .low).estimatedInputTokens(sizes: sizes)
        #expect(high.rule.contains("HIGH"))
        #expect(low.rule.contains("LOW"))
        let text = high.byResolution[nil]! - 2 * 1120
        #expect(high.byResolution[.high] == 2 * 1120 + text)
        #expect(high.byResolution[.medium] == 2 * 560 + text)
        #expect(low.byResolution[.low] == 2 * 280 + text)
        // 2.x: the default tiles; low is a flat 64 per image.
        let flash = try Self.describer(resolution: .low).estimatedInputTokens(sizes: [(width: 300, height: 200)])
        #expect(flash.rule == "2.x media resolution LOW: 64 tokens per image")
        #expect(flash.byResolution[nil]! - flash.byResolution[.low]! == 258 - 64)
    }

    @Test func aSchemaFileMustBeAJSONObject() throws {
        let path = NSTemporaryDirectory() + "schema-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "[1, 2]".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ToolError.self) { try Self.describer(schemaFile: path) }
        try "{\"type\": \"OBJECT\"}".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Self.describer(schemaFile: path).schema == ["type": .string("OBJECT")])
    }
}

@Suite struct BatchStateTests {
    @Test func theStateSurvivesASaveAndALoad() throws {
        let path = NSTemporaryDirectory() + "batch-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try BatchState.load(path) == nil)
        var state = BatchState()
        state.jobs = [.init(name: "batches/1", records: path + ".1.ndjson", count: 3, collected: true),
                      .init(name: "batches/2", records: path + ".2.ndjson", count: 1, collected: false)]
        try state.save(path)
        let loaded = try #require(try BatchState.load(path))
        #expect(loaded.jobs.map(\.name) == ["batches/1", "batches/2"])
        #expect(loaded.jobs.map(\.count) == [3, 1])
        #expect(loaded.jobs.map(\.collected) == [true, false])
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
    }

    @Test func aFileThatIsNotAStateIsRefusedNotOverwritten() throws {
        let path = NSTemporaryDirectory() + "batch-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"jobs\": [{\"count\": 2}]}".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ToolError.self) { try BatchState.load(path) }
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ToolError.self) { try BatchState.load(path) }
    }
}

@Suite struct CategoryTableTests {
    @Test func categoriesCSVQuotesWhatNeedsIt() {
        #expect(CategoryTable.categoriesCSV(["animals", "a,b"]) == "Category\nanimals\n\"a,b\"\n")
    }
}

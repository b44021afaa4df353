// EmbedderTests: embed's pieces without a call — which text a record gives (or why none), the
// fields an embedded record gets inline or with a vectors file, the batch request of a record,
// and the limits checked before a run.
import Foundation
import Gemini
import Records
import Testing
import ToolSupport
@testable import GeminiStage

@Suite struct EmbedderTests {
    let record: Record = ["id": "a", "summary": "a dog", "description": ["objects": [["name": "dog", "attributes": ["brown"]]],
                                                                       "scene": ["environment": "unknown"], "text": ["STOP"]]]

    @Test func theTextIsTheDescriptionsCompactTextOrTheNamedField() {
        #expect(EmbeddingText.description.text(of: record) == "brown dog; STOP")
        #expect(EmbeddingText.field("summary").text(of: record) == "a dog")
        #expect(EmbeddingText.field("description.scene.environment").text(of: record) == "unknown")
        #expect(EmbeddingText.field("description.objects").text(of: record) == nil)  // not a string
        #expect(EmbeddingText.field("caption").text(of: record) == nil)
        #expect(EmbeddingText.field("summary").text(of: ["id": "b", "summary": " \n"]) == nil)  // blank
        #expect(EmbeddingText.description.text(of: ["id": "c", "description": .null]) == nil)
        let missing = EmbeddingText.field("caption").missing(record, stage: "embed")
        #expect(missing.error?.code == "missing_field" && missing.error?.message.contains("caption") == true)
        #expect(missing.error?.retryable == false)
    }

    @Test func inlineVectorsAreShortestFloatsAfterTheRecordsOwnFields() throws {
        let output = try EmbeddingOutput(vectorsPath: nil, dimensions: 3, modelName: "gemini-embedding-001")
        let out = try output.embedded([(record, "a dog", [0.1, -2.5e-6, 1])], emulated: true)[0]
        #expect(out.keys == ["id", "summary", "description", "embedding_text", "embedding", "embedding_model", "emulated"])
        #expect(JSONSerializer.string(out["embedding"] ?? .null) == "[0.1,-2.5e-06,1.0]")
        #expect(out["embedding_text"]?.stringValue == "a dog")
    }

    @Test func fileVectorsPointAtTheirRowsInTheOrderGiven() throws {
        let directory = NSTemporaryDirectory() + "embedder-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/v.npy"
        let output = try EmbeddingOutput(vectorsPath: path, dimensions: 2, modelName: "local-tfidf")
        let first = try output.embedded([(["id": "x"], "x", [1, 0]), (["id": "y"], "y", [0, 1])])
        let second = try EmbeddingOutput(vectorsPath: path, dimensions: 2, modelName: "local-tfidf").embedded([(["id": "z"], "z", [1, 1])])
        #expect((first + second).map { $0["embedding"]?["row"]?.intValue } == [0, 1, 2])
        #expect(second[0]["embedding"]?["file"]?.stringValue == path && second[0]["embedding"]?["dimensions"]?.intValue == 2)
        #expect(try String(contentsOfFile: path + ".ids", encoding: .utf8) == "\"x\"\n\"y\"\n\"z\"\n")
        #expect(throws: (any Error).self) { try EmbeddingOutput(vectorsPath: path, dimensions: 3, modelName: "m") }
    }

    @Test func aBatchModeLineIsOneEmbedContentRequestWithoutTheModel() throws {
        let embedder = try Embedder(model: EmbeddingModel(id: "gemini-embedding-001"), dimensions: 768, text: .field("summary"))
        let work = EmbeddingBatchWork(embedder: embedder, output: try EmbeddingOutput(vectorsPath: nil, dimensions: 768, modelName: "m"))
        let wire = BatchWire(endpoint: try GeminiEndpoint(apiKey: "k"))
        let request = try work.batchRequest(for: [record], wire: wire).get()
        #expect(JSONSerializer.string(request)
                == #"{"content":{"parts":[{"text":"a dog"}]},"taskType":"CLUSTERING","outputDimensionality":768}"#)
        // OpenAI-style: the online /embeddings body of that one text.
        let openAI = BatchWire(endpoint: try GeminiEndpoint(baseURL: "http://127.0.0.1:9/v1", apiKey: "", provider: .openai))
        let line = try work.batchRequest(for: [record], wire: openAI).get()
        #expect(line["input"] == ["a dog"] && line["model"]?.stringValue == "gemini-embedding-001" && line["dimensions"]?.intValue == 768)
        guard case .failure(let error) = work.batchRequest(for: [["id": "n"]], wire: wire) else { Issue.record("no error"); return }
        #expect(error.code == "missing_field")
        #expect(work.batchMethod == "asyncBatchEmbedContent")
    }

    @Test func limitsAreCheckedBeforeARun() throws {
        let model = EmbeddingModel(id: "gemini-embedding-001")
        #expect(throws: ToolError.self) { try Embedder(model: model, dimensions: 4000, text: .description) }
        #expect(throws: ToolError.self) { try Embedder(model: model, dimensions: nil, text: .description, perRequest: 101) }
        // A retired model's size is not held against it: the model check names the replacement.
        _ = try Embedder(model: EmbeddingModel(id: "text-embedding-004"), dimensions: 3072, text: .description)
    }
}

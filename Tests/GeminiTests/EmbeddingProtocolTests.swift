// The embeddings wire format as gemini-api.md §5 documents it: batchEmbedContents bodies (each
// request naming the model, taskType, outputDimensionality), answers read and checked, truncated
// vectors normalised again, and the retired model named with its replacement.
import Testing
import Records
@testable import Gemini

@Suite struct EmbeddingProtocolTests {
    let model = EmbeddingModel(id: "gemini-embedding-001")

    @Test func everyRequestNamesTheModelTheTaskAndTheDimensions() throws {
        let request = BatchEmbedRequest(model: model, texts: ["a dog", "a cat"], taskType: .clustering, dimensions: 768)
        let body = try JSONParser.parse(request.bodyBytes)
        let requests = try #require(body["requests"]?.arrayValue)
        #expect(requests.count == 2)
        for (request, text) in zip(requests, ["a dog", "a cat"]) {
            #expect(request["model"]?.stringValue == "models/gemini-embedding-001")
            #expect(request["content"]?["parts"]?.arrayValue?.first?["text"]?.stringValue == text)
            #expect(request["taskType"]?.stringValue == "CLUSTERING")
            #expect(request["outputDimensionality"]?.intValue == 768)
        }
        let full = try JSONParser.parse(BatchEmbedRequest(model: model, texts: ["x"]).bodyBytes)
        #expect(full["requests"]?.arrayValue?.first?["outputDimensionality"] == nil)
    }

    @Test func fullSizeVectorsAreKeptAsTheyCame() throws {
        let values = (0..<3072).map { $0 == 0 ? "0.6" : $0 == 1 ? "0.8" : "0" }.joined(separator: ",")
        let json = try JSONParser.parse(#"{"embeddings":[{"values":[\#(values)]}]}"#)
        let response = try BatchEmbedResponse(json: json, request: BatchEmbedRequest(model: model, texts: ["t"]))
        #expect(response.vectors.count == 1)
        #expect(response.vectors[0].count == 3072)
        #expect(response.vectors[0][0] == 0.6 && response.vectors[0][1] == 0.8)
    }

    @Test func truncatedVectorsAreScaledToUnitLength() throws {
        let json = try JSONParser.parse(#"{"embeddings":[{"values":[0.3,0.4,0,0]},{"values":[0,0,0,2]}]}"#)
        let request = BatchEmbedRequest(model: model, texts: ["a", "b"], dimensions: 4)
        let vectors = try BatchEmbedResponse(json: json, request: request).vectors
        #expect(vectors[0] == [0.6, 0.8, 0, 0])
        #expect(vectors[1] == [0, 0, 0, 1])
    }

    @Test(arguments: [
        (#"{"embeddings":[{"values":[0.1,0.2]}]}"#, "1 embeddings for 2 texts"),
        (#"{}"#, "the answer has no embeddings"),
        (#"{"embeddings":[{"values":[0.1,0.2]},{"values":[0.1]}]}"#, "embedding 1 has 1 values, not 2"),
        (#"{"embeddings":[{"values":[0.1,0.2]},{"values":[]}]}"#, "embedding 1 has no values"),
        (#"{"embeddings":[{"values":[0.1,0.2]},{"values":[0.1,"x"]}]}"#, "embedding 1 value 1 is not a finite number"),
    ])
    func answersThatDoNotFitTheRequestAreRefused(body: String, problem: String) throws {
        let request = BatchEmbedRequest(model: model, texts: ["a", "b"], dimensions: 2)
        #expect(throws: BatchEmbedResponse.Problem(description: problem)) {
            _ = try BatchEmbedResponse(json: try JSONParser.parse(body), request: request)
        }
    }

    @Test func theScannerReadsEveryNumberFormAsTheJSONParserDoes() throws {
        let body = #"""
            { "embeddings" : [ {"values": [0.0123, -0.5, 1e-05, -2.5E+2, 0, -0, 3, 0.000000001234567891]},
              {"values":[12345678901234567890123, 1.5e-40, 0.333333333333333333333, -7e3,5,6,7,8]} ] }
            """#
        let scanned = try #require(VectorScanner.vectors(in: Array(body.utf8))?.vectors)
        let parsed = try #require(try JSONParser.parse(body)["embeddings"]?.arrayValue).map { embedding in
            (embedding["values"]?.arrayValue ?? []).map { Float($0.doubleValue ?? .nan) }
        }
        #expect(scanned == parsed)
        #expect(scanned[0][0] == 0.0123 && scanned[0][3] == -250 && scanned[1][3] == -7000)
    }

    @Test(arguments: [
        #"{"embeddings":[{"values":[1,2]}],"extra":1}"#, #"{"embeddings":[{"values":[1,"2"]}]}"#,
        #"{"embeddings":[{"values":[1,2]}]} trailing"#, #"{"embeddings":[{"values":[1,2],"x":0}]}"#,
        #"{"embeddings":[{"values":[1,-]}]}"#, #"{"embeddings":[{"values":[1e]}]}"#, #"{"embeddings":[{"values":[1,2"#,
        #"{"error":{"code":500}}"#, #"{"embeddings":[],"emulator":false}"#, #"{"embeddings":[],"emulator":tru}"#, #"{"embeddings":[{"values":[.5]}]}"#, #"{"embeddings":[{"values":[5.]}]}"#,
    ])
    func theScannerLeavesOtherShapesToTheParser(body: String) {
        #expect(VectorScanner.vectors(in: Array(body.utf8)) == nil)
    }

    @Test func bytesOfEitherShapeGiveTheSameVectors() throws {
        let request = BatchEmbedRequest(model: model, texts: ["a"], dimensions: 2)
        let plain = try BatchEmbedResponse(bytes: Array(#"{"embeddings":[{"values":[0.6,0.8]}]}"#.utf8), request: request)
        let unusual = try BatchEmbedResponse(bytes: Array(#"{"embeddings":[{"values":[0.6,0.8]}],"metadata":{}}"#.utf8), request: request)
        #expect(plain.vectors == [[0.6, 0.8]] && unusual == plain && !plain.emulated)
        let emulated = try BatchEmbedResponse(bytes: Array(#"{"embeddings":[{"values":[0.6,0.8]}], "emulator": true}"#.utf8), request: request)
        #expect(emulated.vectors == plain.vectors && emulated.emulated)
        #expect(VectorScanner.vectors(in: Array(#"{"embeddings":[{"values":[0.6,0.8]}],"emulator":true}"#.utf8))?.emulated == true)
        #expect(throws: BatchEmbedResponse.Problem(description: "the answer was not JSON")) {
            _ = try BatchEmbedResponse(bytes: Array(#"{"embeddings":[{"values":[0.6,0."#.utf8), request: request)
        }
    }

    @Test func theRetiredModelNamesItsReplacement() throws {
        let old = EmbeddingModel(id: "text-embedding-004")
        let note = try #require(old.retirementNote)
        #expect(note.contains("'text-embedding-004' is retired"))
        #expect(note.contains("use gemini-embedding-001 instead"))
        #expect(model.retirementNote == nil)
        #expect(EmbeddingModel(id: "my-tuned-model").retirementNote == nil)
    }

    @Test func truncationIsKnownFromTheModelsFullSize() {
        #expect(model.isTruncated(dimensions: 768))
        #expect(!model.isTruncated(dimensions: 3072))
        #expect(!model.isTruncated(dimensions: nil))
        #expect(model.dimensions(requested: nil) == 3072)
    }

    @Test func estimatedTokensCountAboutFourCharactersEach() {
        let request = BatchEmbedRequest(model: model, texts: [String(repeating: "a", count: 40), "abc"])
        #expect(request.estimatedInputTokens == 11)
    }
}

// The start-up model check against a gateway that serves the calls but not GET models/NAME nor
// the model list (the emulator's --models-404): one real request decides; --no-model-check
// skips the check on gemini-describe, categorize and embed; a misspelled model where the list
// works still fails at once, naming the models.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct ModelCheckTests {
    func images(_ scratch: Scratch, count: Int) throws -> String {
        let images = try makeTestImages(in: scratch.path, count: count, baseWidth: 64)
        scratch.write("in.txt", images.joined(separator: "\n") + "\n")
        return scratch.file("in.txt")
    }

    @Test func aGatewayWithoutTheLookupIsCheckedWithOneRealRequest() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--models-404"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try ToolProcess.run("gemini-describe", [try images(scratch, count: 3)], environment: emulator.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let records = result.records
        #expect(records.count == 3 && records.allSatisfy { !$0.hasError })
        let stats = try emulator.stats()
        #expect(stats["generate_content"] as? Int == 4)  // the test request and the 3 images
        #expect((stats["errors"] as? [String: Int])?["404"] == 2)  // the lookup and the list, each asked once
        // Embed's test request is an embedContent call.
        let embed = try ToolProcess.run("embed", [], input: EmbedTests.describedRecords(5), environment: emulator.environment)
        #expect(embed.status == 0, "\(embed.stderr)")
        #expect(embed.records.count == 5 && embed.records.allSatisfy { $0["embedding"]?.arrayValue?.isEmpty == false })
    }

    @Test func aModelTheGatewayDoesNotServeFailsAfterTheOneRequest() throws {
        let emulator = try GeminiEmulator(["--models-404"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try ToolProcess.run("gemini-describe", ["--model", "gemini-9-ultra"], input: "a.jpg\n", environment: emulator.environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("model 'gemini-9-ultra' is not available"), "\(result.stderr)")
        #expect(result.stderr.contains("a test generateContent request failed") && result.stderr.contains("--no-model-check"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").filter { $0.contains("not available") }.count == 1)  // one line
        #expect((try emulator.stats()["errors"] as? [String: Int])?["404"] == 3)  // lookup, list, the one request
    }

    @Test func noModelCheckSkipsTheLookupInEveryModelTool() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--models-404"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let describe = try ToolProcess.run("gemini-describe", ["--no-model-check", try images(scratch, count: 2)], environment: emulator.environment)
        #expect(describe.status == 0, "\(describe.stderr)")
        #expect(describe.records.count == 2)
        scratch.write("categories.csv", CategorizeTests.categories)
        let categorize = try ToolProcess.run("categorize", ["--no-model-check", "--categories", scratch.file("categories.csv")],
                                             input: CategorizeTests.described(4), environment: emulator.environment)
        #expect(categorize.status == 0, "\(categorize.stderr)")
        #expect(categorize.records.count == 4 && categorize.records.allSatisfy { $0["categories"]?.arrayValue?.isEmpty == false })
        let embed = try ToolProcess.run("embed", ["--no-model-check"], input: EmbedTests.describedRecords(3), environment: emulator.environment)
        #expect(embed.status == 0, "\(embed.stderr)")
        #expect(embed.records.count == 3)
        let stats = try emulator.stats()
        #expect((stats["errors"] as? [String: Int])?["404"] == nil)  // no lookup, no list, no test request
        #expect(stats["generate_content"] as? Int == 2 + 1)  // the images, then the 4 texts in one categorize call
    }

    @Test func aMisspelledModelWhereTheListWorksFailsAtOnceNamingTheModels() throws {
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        for (tool, arguments) in [("gemini-describe", ["--model", "gemini-2.5-flash-lit"]),
                                  ("embed", ["--model", "gemini-embeding-001"])] {
            let result = try ToolProcess.run(tool, arguments, input: "a.jpg\n", environment: emulator.environment)
            #expect(result.status == 1)
            #expect(result.stderr.contains("is not available") && result.stderr.contains("available: "), "\(result.stderr)")
            #expect(result.stderr.contains(tool == "embed" ? "gemini-embedding-001" : "gemini-2.5-flash-lite"), "\(result.stderr)")
        }
        let stats = try emulator.stats()
        #expect(stats["generate_content"] as? Int == 0 && stats["embed_calls"] as? Int == 0)  // no test request
        #expect((stats["errors"] as? [String: Int])?["404"] == 2)  // the two lookups; the lists answered
    }
}

// categorize against the emulator as real processes: every id exactly once with listed
// categories under contract-breaking answers and faults, pass-through, resume, discovery.
import Foundation
import Records
import Testing
import TestUtilities

@Suite struct CategorizeTests {
    static let categories = "Category\npeople\nportrait\npets\nfood\nstreet\nnature\nvehicles\nbeach\n"

    /// Described records with varied texts; some name listed categories outright.
    static func described(_ count: Int) -> String {
        let texts = ["A dog and a cat on a sofa, pets at home", "A plate of food on a table", "A busy street at night",
                     "An unrecognizable blur", "Waves on a sandy beach", "A red car among other vehicles", "Abstract shapes"]
        return (0..<count).map { i in
            let record: Record = ["id": .string("d\(i)"), "name": .string("d\(i).jpg"), "summary": .string(texts[i % texts.count] + " #\(i)")]
            return JSONSerializer.string(record) + "\n"
        }.joined()
    }

    func categorize(_ arguments: [String], input: String, emulator: GeminiEmulator, scratch: Scratch,
                    face: EmulatorFace = .gemini) throws -> ToolProcess.Result {
        scratch.write("categories.csv", Self.categories)
        scratch.write("config.yaml", "processing:\n  retry_backoff_seconds: 0.02\n  max_retries: 8\n")
        return try ToolProcess.run("categorize", emulator.arguments(face) + ["--categories", scratch.file("categories.csv")] + arguments,
                                   input: input, directory: scratch.path, environment: emulator.environment(face))
    }

    func checkEveryIDOnceWithListedCategories(_ records: [Record], count: Int) {
        let allowed: Set<String> = ["people", "portrait", "pets", "food", "street", "nature", "vehicles", "beach", "unknown"]
        #expect(records.compactMap(\.id).sorted() == (0..<count).map { "d\($0)" }.sorted())
        for record in records where !record.hasError {
            let categories = record["categories"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(!categories.isEmpty && categories.count <= 2)
            #expect(Set(categories).count == categories.count)
            #expect(categories.allSatisfy(allowed.contains))
            #expect(!(categories.contains("unknown") && categories.count > 1))
        }
    }

    @Test(arguments: EmulatorFace.allCases) func namedCategoriesAndUnknownComeBackForEveryID(face: EmulatorFace) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try categorize(["--per-request", "5"], input: Self.described(14), emulator: emulator, scratch: scratch, face: face)
        #expect(result.status == 0)
        let records = try #require(parseRecords(result.stdoutLines))
        checkEveryIDOnceWithListedCategories(records, count: 14)
        let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id ?? "", $0) })
        #expect(byID["d0"]?["categories"]?.arrayValue?.compactMap(\.stringValue) == ["pets"])
        #expect(byID["d1"]?["categories"]?.arrayValue?.compactMap(\.stringValue) == ["food"])
        #expect(byID["d3"]?["categories"]?.arrayValue?.compactMap(\.stringValue) == ["unknown"])
        #expect(byID["d5"]?["categories"]?.arrayValue?.compactMap(\.stringValue) == ["vehicles"])
        #expect(byID["d0"]?["summary"]?.stringValue?.hasPrefix("A dog") == true)
        #expect(result.stderr.contains("batching: 14 descriptions in 3 calls"))
        #expect(byID["d0"]?["category_endpoint"]?.stringValue == (face == .openai ? emulator.openAIBaseURL : emulator.baseURL))
        #expect((try emulator.stats()["openai_chat"] as? Int ?? 0) == (face == .openai ? 3 : 0))
    }

    @Test(arguments: EmulatorFace.allCases) func contractBreakingAnswersAndFaultsStillGiveEveryIDOnce(face: EmulatorFace) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--faults", "cat_drop_id=0.15,cat_dup_id=0.15,cat_unlisted=0.3,cat_case=0.1,malformed=0.05,429=0.05,503=0.05",
                                           "--seed", "3", "--retry-delay", "0.05"])
        let result = try categorize(["--per-request", "6", "--concurrency", "4"], input: Self.described(60), emulator: emulator, scratch: scratch,
                                    face: face)
        #expect(result.status == 0)
        let records = try #require(parseRecords(result.stdoutLines))
        checkEveryIDOnceWithListedCategories(records, count: 60)
        #expect(records.contains { $0["warnings"]?.arrayValue?.isEmpty == false }, "unlisted names are reported")
        #expect(result.stderr.contains("asked again alone"))
    }

    @Test func errorRecordsAndRecordsWithoutDescriptionPassThroughUntouched() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let failed = #"{"id":"e1","error":{"stage":"gemini-describe","code":"blocked","message":"m","retryable":false}}"#
        let bare = #"{"id":"e2","path":"x.jpg"}"#
        let result = try categorize([], input: failed + "\n" + bare + "\n" + Self.described(2), emulator: emulator, scratch: scratch)
        #expect(result.stdoutLines.contains(failed))
        #expect(result.stdoutLines.contains(bare))
        #expect(result.stdoutLines.count == 4)
    }

    @Test func tooComplexEnumFallsBackOnceToPlainStrings() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--max-enum-values", "4"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try categorize(["--per-request", "4"], input: Self.described(12), emulator: emulator, scratch: scratch)
        #expect(result.status == 0)
        checkEveryIDOnceWithListedCategories(try #require(parseRecords(result.stdoutLines)), count: 12)
        #expect(result.stderr.components(separatedBy: "refused the category enum").count == 2)
    }

    @Test func killNineThenRerunGivesEveryIDOnce() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator(["--latency-ms", "150"])
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        scratch.write("in.ndjson", Self.described(40))
        scratch.write("categories.csv", Self.categories)
        let arguments = ["--categories", scratch.file("categories.csv"), "--per-request", "2", "--concurrency", "1",
                         "-o", scratch.file("out.ndjson"), scratch.file("in.ndjson")]
        let process = try ToolProcess.start("categorize", arguments, stdoutFile: scratch.file("stdout"),
                                            stderrFile: scratch.file("stderr"), environment: emulator.environment)
        let started = waitUntil { scratch.lines("out.ndjson").count >= 6 }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(started)
        let rerun = try ToolProcess.run("categorize", arguments, environment: emulator.environment)
        #expect(rerun.status == 0)
        checkEveryIDOnceWithListedCategories(try #require(parseRecords(scratch.lines("out.ndjson"))), count: 40)
    }

    @Test func discoverWritesAWellFormedCategoriesFile() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let result = try ToolProcess.run("categorize", ["--discover", "5", "--sample", "10"], input: Self.described(30),
                                         environment: emulator.environment)
        #expect(result.status == 0)
        let lines = result.stdoutLines
        #expect(lines.first == "Category")
        #expect(lines.count == 6)
        #expect(Set(lines.dropFirst()).count == 5)
        #expect(result.stderr.contains("discovered 5 categories from 10 of 30 descriptions"))
    }

    @Test func csvFormatWritesTheReferenceTableFromCategorizedRecordsWithoutACall() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let emulator = try GeminiEmulator()
        defer { withExtendedLifetime(emulator) {} }  // alive until the end, not its last use
        let categorized = try categorize([], input: Self.described(2), emulator: emulator, scratch: scratch)
        #expect(categorized.status == 0)
        let calls = try emulator.stats()["generate_content"] as? Int
        let result = try categorize(["--format", "csv"], input: categorized.stdout, emulator: emulator, scratch: scratch)
        #expect(result.stdoutLines.first == "image_name,description,categories")
        // The description cell as written (here a summary only), the categories as the answer had them.
        let records = try #require(parseRecords(categorized.stdoutLines))
        let first = try #require(records.first { $0.id == "d0" })
        let categories = (first["categories"]?.arrayValue ?? []).compactMap(\.stringValue).sorted().joined(separator: ", ")
        let cell = categories.contains(",") ? "\"\(categories)\"" : categories
        #expect(result.stdoutLines.contains("d0.jpg,\"A dog and a cat on a sofa, pets at home #0\",\(cell)"), "\(result.stdout)")
        #expect((try emulator.stats()["generate_content"] as? Int) == calls, "--format csv called the model")
    }
}
